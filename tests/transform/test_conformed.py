"""The conformed frames, built in ``transform`` from documents as the warehouse holds them: exact
rows, and each frame with its table's declared columns and dtypes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import polars as pl

from schemas.conformed import (
    dim_classification, dim_department_category, dim_department_conformed, dim_doc_kind, fct_disclosure_observation,
)
from schemas.frames import polars_schema
from schemas.warehouse import dim_document
from transform.conformed import (
    category_list, classification, conformed_departments, doc_kinds, observations, unmapped,
)

COLUMNS = ("document_id", "source_uri", "status", "region_code", "department_id", "department_name",
           "parent_department_name", "parent_department_source", "fiscal_year", "doc_kind", "loaded_at",
           "doc_class", "admin_level", "body_type")
DOCUMENTS = {c: polars_schema(dim_document)[c] for c in COLUMNS} | {"last_seen": pl.Datetime("us", "UTC")}
URLS = {"url": pl.Utf8, "document_id": pl.Utf8, "title": pl.Utf8, "fiscal_year": pl.Int64, "doc_kind": pl.Utf8,
        "region_code": pl.Utf8, "last_seen": pl.Datetime("us", "UTC")}
LOADED = datetime(2026, 1, 2, tzinfo=timezone.utc)


@dataclass
class Level:
    admin_level: str | None
    body_type: str | None
    level_source: str | None


def county_level(name, region_code, parent, levels):
    """A stand-in for flows.levels.department_level: what the documents were read with."""
    known = [level for level in levels if level]
    return Level(known[0] if known else None, "department" if known else None, "document" if known else None)


def documents() -> pl.DataFrame:
    rows = [("a" * 64, "file:///a", "loaded", "130127", "dep1", "高邑县信访局", None, None, 2021,
             "department_budget", LOADED, "department_disclosure", "county", "department", None),
            ("b" * 64, "file:///b", "loaded", "130127", "dep1", "高邑县信访局", None, None, 2022,
             "department_budget", LOADED, "department_disclosure", "county", "department", None),
            ("c" * 64, "file:///c", "loaded", "130127", "dep1", "信访局", None, None, 2023,
             "final_account", LOADED, "department_disclosure", "county", "department", None),
            ("d" * 64, "file:///d", "quarantined", "130127", None, "高邑县财政局", None, None, 2023,
             "final_account", LOADED, None, None, None, None),
            ("e" * 64, "file:///e", "loaded", "130127", "dep2", "高邑县某某中心", None, None, 2023,
             "unit_budget", LOADED, "department_disclosure", None, None, None)]
    return pl.DataFrame(rows, schema=DOCUMENTS, orient="row")


def test_departments_take_their_most_used_name_category_and_level():
    departments = conformed_departments(documents(), county_level)
    assert departments.schema == pl.Schema(polars_schema(dim_department_conformed))
    assert departments.select("department_id", "department_name", "department_category", "category_group",
                              "matched_on", "admin_level", "level_source").rows() == [
        ("dep1", "高邑县信访局", "信访", "政府部门", "name", "county", "document"),
        ("dep2", "高邑县某某中心", None, None, None, None, None)]
    assert unmapped(departments) == ["高邑县某某中心"]


def test_observations_are_read_or_found_with_the_department_category():
    docs = documents()
    seen = observations(docs, conformed_departments(docs, county_level), pl.DataFrame(schema=URLS))
    assert seen.schema == pl.Schema(polars_schema(fct_disclosure_observation))
    assert seen.select("status", "department_category", "kind", "fiscal_year", "admin_level").rows() == [
        ("read", "信访", "budget", 2021, "county"), ("read", "信访", "budget", 2022, "county"),
        ("read", "信访", "final_account", 2023, "county"), ("found", "财政", "final_account", 2023, None),
        ("read", None, "budget", 2023, None)]


def test_a_crawled_link_without_its_document_is_found_by_its_title():
    links = pl.DataFrame([("http://x/1", None, "2024年高邑县信访局部门预算", 2024, "department_budget", "130127",
                           LOADED)], schema=URLS, orient="row")
    empty = documents().clear()
    seen = observations(empty, conformed_departments(empty, county_level), links)
    assert seen.select("status", "department_category", "url", "fiscal_year").rows() == [
        ("found", "信访", "http://x/1", 2024)]


def test_classification_lists_reference_and_printed_codes_per_year():
    pairs = pl.DataFrame([{"scheme": "function", "code": "2010301", "name": "行政运行", "fiscal_year": 2021,
                           "documents": 2}])
    codes = classification(pairs, [2021])
    assert codes.schema == pl.Schema(polars_schema(dim_classification))
    assert codes.height == 257
    assert codes.filter(pl.col("code") == "2010301").rows() == [
        ("function", "2010301", 2021, "行政运行", 3, "2010301", "行政运行", None, "reference", 2)]


def test_category_and_kind_lists_have_their_tables_dtypes():
    categories = category_list()
    assert categories.schema == pl.Schema(polars_schema(dim_department_category))
    assert categories.row(0) == ("信访", "政府部门", 0, "letters and visits (public complaints)")
    kinds = doc_kinds(["odd_kind", "final_account"])
    assert kinds.schema == pl.Schema(polars_schema(dim_doc_kind))
    assert kinds.rows()[-1] == ("odd_kind", "odd_kind", None, "odd_kind")
    assert kinds.height == 5
