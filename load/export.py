"""Exporting the warehouse for other engines: Parquet in a hive layout, or CSV.

Every ``dim_*`` and ``fct_*`` table and every public ``v_*`` view is written as it stands
in the warehouse, with the column types of its definition in :mod:`schemas` (exact
``DECIMAL(18,2)`` yuan stay decimals in Parquet, never floats). Layout::

    OUT/<relation>/province_code=13/fiscal_year=2021/part-0.parquet   (Parquet, partitioned)
    OUT/<relation>/part-0.parquet                                      (no document, region or year)
    OUT/<relation>.csv                                                 (CSV, one file per relation)

A relation is partitioned when its rows belong to a document (``document_id``, placed by
the document's region and year) or carry a ``region_code`` and ``fiscal_year`` of their own.
The partition values are ASCII — the 2-digit GB/T 2260 province code, not the province's
name — so DuckDB, Spark and Trino read them alike without URL-decoding; names are columns of
``dim_region`` and of the summary views. A row with no known province or year lands in
``__HIVE_DEFAULT_PARTITION__``, which the engines read as NULL. Partition columns live in
the path only (the hive convention): read with ``hive_partitioning``. An empty relation is
one ``part-0.parquet`` with no rows, so readers still learn its columns.

Memory stays bounded by the largest partition: each partition is queried and written on
its own. Re-exporting replaces a relation's folder or file whole.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from sqlalchemy import Select, and_, column, func, select, table
from sqlalchemy.engine import Engine

from schemas import metadata
from schemas.frames import polars_dtype
from schemas.public import PUBLIC_VIEWS as VIEWS
from schemas.warehouse import dim_document

FORMATS: tuple[str, ...] = ("parquet", "csv")
DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"


@dataclass
class ExportReport:
    """What was written: rows and files per relation."""

    out: Path
    format: str
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return (f"exported {len(self.rows)} relations, {sum(self.rows.values())} rows in "
                f"{sum(self.files.values())} files to {self.out} ({self.format})")


def relations() -> dict[str, dict[str, pl.DataType]]:
    """Exported relation → its polars schema, from the SQLAlchemy definitions (tables, then views)."""
    out: dict[str, dict[str, pl.DataType]] = {}
    for name, definition in sorted(metadata.tables.items()):
        if name.startswith(("dim_", "fct_")):
            out[name] = {c.name: polars_dtype(c.type) for c in definition.columns}
    for name, build in VIEWS.items():
        out[name] = {c.name: polars_dtype(c.type) for c in build().selected_columns}
    return out


def _keyed(name: str, schema: dict[str, pl.DataType]) -> Select | None:
    """The relation with its partition keys (province_code, fiscal_year), or None when it has none."""
    rel = table(name, *[column(c) for c in schema])
    if "document_id" in schema and name != "dim_document":
        d = dim_document.alias("d")
        year = rel.c.fiscal_year if "fiscal_year" in schema else d.c.fiscal_year
        region = rel.c.region_code if "region_code" in schema else d.c.region_code
        source = rel.outerjoin(d, d.c.document_id == rel.c.document_id)
    elif "region_code" in schema and "fiscal_year" in schema:
        year, region, source = rel.c.fiscal_year, rel.c.region_code, rel
    else:
        return None
    province = func.substr(region, 1, 2)
    return select(*[rel.c[c] for c in schema], province.label("province_code"),
                  year.label("partition_year")).select_from(source).subquery("keyed")


def _frame(rows, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def _replace(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _partition_dir(base: Path, province: str | None, year: int | None) -> Path:
    def value(v) -> str:
        return DEFAULT_PARTITION if v is None else str(v)

    return base / f"province_code={value(province)}" / f"fiscal_year={value(year)}"


def _export_partitioned(engine: Engine, name: str, schema, keyed, base: Path) -> tuple[int, int]:
    data_schema = {c: t for c, t in schema.items() if c != "fiscal_year"}
    rows = files = 0
    with engine.connect() as connection:
        keys = connection.execute(select(keyed.c.province_code, keyed.c.partition_year).distinct()).all()
        for province, year in keys:
            match = and_(keyed.c.province_code.is_(None) if province is None else keyed.c.province_code == province,
                         keyed.c.partition_year.is_(None) if year is None else keyed.c.partition_year == year)
            part = connection.execute(select(*[keyed.c[c] for c in data_schema]).where(match)).all()
            folder = _partition_dir(base, province, year)
            folder.mkdir(parents=True, exist_ok=True)
            _frame(part, data_schema).write_parquet(folder / "part-0.parquet")
            rows, files = rows + len(part), files + 1
    if not keys:  # an empty relation still tells readers its columns
        base.mkdir(parents=True, exist_ok=True)
        _frame([], schema).write_parquet(base / "part-0.parquet")
        files = 1
    return rows, files


def _export_whole(engine: Engine, name: str, schema, target: Path, fmt: str) -> int:
    rel = table(name, *[column(c) for c in schema])
    with engine.connect() as connection:
        frame = _frame(connection.execute(select(*[rel.c[c] for c in schema])).all(), schema)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.write_csv(target)
    else:
        frame.write_parquet(target)
    return frame.height


def export_warehouse(engine: Engine, out: str | Path, fmt: str = "parquet") -> ExportReport:
    """Write every dimension, fact and public view under ``out``; raises ValueError on an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = ExportReport(out, fmt)
    for name, schema in relations().items():
        keyed = _keyed(name, schema) if fmt == "parquet" else None
        if keyed is not None:
            base = out / name
            _replace(base)
            report.rows[name], report.files[name] = _export_partitioned(engine, name, schema, keyed, base)
            continue
        target = out / f"{name}.csv" if fmt == "csv" else out / name / "part-0.parquet"
        _replace(target if fmt == "csv" else target.parent)
        report.rows[name], report.files[name] = _export_whole(engine, name, schema, target, fmt), 1
    return report

