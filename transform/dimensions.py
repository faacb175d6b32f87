"""Conformed dimensions and the document row, from ``stg_document``. Pure: the caller
passes the clock (``loaded_at``) and the parser version in."""

from __future__ import annotations

import hashlib
from datetime import datetime

import polars as pl

from reference.departments import canonical_name
from schemas.vocabulary import LOADED, QUARANTINED


def canonical_department_name(name: str) -> str:
    """One spelling per department (:func:`reference.departments.canonical_name`, the one normaliser)."""
    return canonical_name(name)


def department_id(region_code: str | None, department_name: str) -> str:
    """Stable across years and documents: region + canonical name."""
    name = canonical_department_name(department_name)
    return hashlib.sha256(f"{region_code or ''}|{name}".encode()).hexdigest()[:16]


def document_rows(stg_document: pl.DataFrame, *, parser_version: str, loaded_at: datetime) -> pl.DataFrame:
    return stg_document.with_columns(
        pl.struct("region_code", "department_name").map_elements(
            lambda r: department_id(r["region_code"], r["department_name"]) if r["department_name"] else None,
            return_dtype=pl.Utf8,
        ).alias("department_id"),
        pl.lit(LOADED).alias("status"),
        pl.lit(None, dtype=pl.Utf8).alias("status_reason"),
        pl.lit(parser_version).alias("parser_version"),
        pl.lit(loaded_at, dtype=pl.Datetime("us", "UTC")).alias("loaded_at"),
    )


def quarantined_document(document_id: str, source_uri: str, byte_size: int, reason: str, *,
                         parser_version: str, loaded_at: datetime, format: str | None = None) -> pl.DataFrame:
    return pl.DataFrame([{
        "document_id": document_id, "source_uri": source_uri, "format": format, "byte_size": byte_size,
        "status": QUARANTINED, "status_reason": reason, "parser_version": parser_version, "loaded_at": loaded_at,
    }]).with_columns(pl.col("loaded_at").cast(pl.Datetime("us", "UTC")))


def regions(stg_region: pl.DataFrame) -> pl.DataFrame:
    """``dim_region`` rows as the GB/T 2260 reference gives them (level and parent code included).

    ``stg_region`` is built in extract from ``reference/data/regions.csv``: the level
    and parent of a code are looked up there, never guessed from trailing zeros (the parent
    of 110101 东城区 is 110000 北京市, not 110100).
    """
    return stg_region.filter(pl.col("region_code").is_not_null()).unique("region_code", maintain_order=True)


def departments(documents: pl.DataFrame) -> pl.DataFrame:
    return documents.filter(pl.col("department_id").is_not_null()).select(
        "department_id", "region_code", "department_name", "unit_code"
    ).unique("department_id", maintain_order=True)


def fiscal_years(documents: pl.DataFrame) -> pl.DataFrame:
    return documents.select("fiscal_year").drop_nulls().unique(maintain_order=True)


def projects(fct_project: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    return fct_project.join(documents.select("document_id", "region_code"), on="document_id", how="left").select(
        "project_code", "project_name", "region_code"
    ).unique("project_code", keep="first", maintain_order=True)


def indicators(fct_target: pl.DataFrame) -> pl.DataFrame:
    return fct_target.select("indicator_id", "level1", "level2", "level3").unique("indicator_id", maintain_order=True)


def placed_in(frames: dict[str, pl.DataFrame], region_code: str, region_rows: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """A document that names no region, placed in ``region_code`` (the registry's region of the portal
    it was fetched from): its row, department id and dimensions follow; ``region_rows``: that
    region's ``dim_region`` row."""
    document = frames["dim_document"].with_columns(pl.lit(region_code).alias("region_code"),
                                                   pl.lit("portal").alias("region_source"))
    document = document.with_columns(pl.struct("region_code", "department_name").map_elements(
        lambda r: department_id(r["region_code"], r["department_name"]) if r["department_name"] else None,
        return_dtype=pl.Utf8).alias("department_id"))
    out = {**frames, "dim_document": document, "dim_region": region_rows}
    if "dim_department" in frames:
        out["dim_department"] = frames["dim_department"].with_columns(
            pl.lit(region_code).alias("region_code"), pl.lit(document["department_id"][0]).alias("department_id")).filter(
            pl.col("department_id").is_not_null())
    return out
