"""Reading what the comparison refresh needs, and writing what it derives, as plain frames.

The refresh (``flows.conform``) reads the loaded warehouse here, derives conformed
dimensions and cross-document results (``extract.reference`` matchers, ``transform``
rules) and writes them back with :func:`replace_conformed`: every derived table is emptied
and refilled in one transaction, so a refresh is idempotent and never half-applied.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import and_, delete, func, select
from sqlalchemy.engine import Engine

from load.bulk import writer_for
from schemas.conformed import CONFORMED_TABLES
from schemas.frames import check_frame, conform, polars_schema
from schemas.registry import src_document_url, src_source
from schemas.warehouse import (
    dim_budget_unit, dim_document, fct_budget_line, fct_expenditure_by_economic, fct_expenditure_by_function,
)

FIGURE_STATEMENTS = ("revenue", "expenditure", "change")
FIGURE_ITEMS = ("total", "this_year", "basic", "project")


def _frame(engine: Engine, query, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(query)]
    return pl.DataFrame(rows, schema=schema, orient="row")


def read_documents(engine: Engine) -> pl.DataFrame:
    """Every document row (any status) with what identifies it: department, region, year, kind,
    the parent department it states, when it was loaded and when its URL was last seen."""
    d, u = dim_document, src_document_url
    last_seen = select(u.c.document_id, func.max(u.c.last_seen).label("last_seen")).where(
        u.c.document_id.is_not(None)).group_by(u.c.document_id).subquery("seen")
    columns = ("document_id", "source_uri", "status", "region_code", "department_id", "department_name",
               "parent_department_name", "parent_department_source", "fiscal_year", "doc_kind", "loaded_at")
    query = select(*[d.c[c] for c in columns], last_seen.c.last_seen).select_from(
        d.outerjoin(last_seen, last_seen.c.document_id == d.c.document_id))
    schema = {c: polars_schema(d)[c] for c in columns} | {"last_seen": pl.Datetime("us", "UTC")}
    return _frame(engine, query, schema)


def read_figures(engine: Engine) -> pl.DataFrame:
    """Stated revenue / expenditure / change figures (total, this_year, basic, project) of loaded
    documents, one row per printed figure with its provenance; the caller picks tables first."""
    b, d = fct_budget_line, dim_document
    columns = ("document_id", "statement", "item", "source", "amount_yuan", "stated_text", "stated_unit", "label",
               "page_no", "line_no", "source_text")
    query = select(*[b.c[c] for c in columns]).select_from(b.join(d, d.c.document_id == b.c.document_id)).where(
        d.c.status == "loaded", b.c.statement.in_(FIGURE_STATEMENTS), b.c.item.in_(FIGURE_ITEMS),
        b.c.column_name == "amount", b.c.amount_yuan.is_not(None))
    return _frame(engine, query, {c: polars_schema(b)[c] for c in columns})


def read_budget_units(engine: Engine) -> pl.DataFrame:
    """The budget units each loaded document lists in its 机构设置 table."""
    u, d = dim_budget_unit, dim_document
    query = select(u.c.document_id, u.c.unit_name).select_from(u.join(d, d.c.document_id == u.c.document_id)).where(
        d.c.status == "loaded")
    return _frame(engine, query, {"document_id": pl.Utf8, "unit_name": pl.Utf8})


def read_crawled_urls(engine: Engine) -> pl.DataFrame:
    """Disclosure links the crawler saw and the portal still lists, with the source's region."""
    u, s = src_document_url, src_source
    query = select(u.c.url, u.c.document_id, u.c.title, u.c.fiscal_year, u.c.doc_kind, s.c.region_code,
                   u.c.last_seen).select_from(u.join(s, s.c.source_id == u.c.source_id)).where(
        u.c.withdrawn_at.is_(None))
    schema = {"url": pl.Utf8, "document_id": pl.Utf8, "title": pl.Utf8, "fiscal_year": pl.Int64, "doc_kind": pl.Utf8,
              "region_code": pl.Utf8, "last_seen": pl.Datetime("us", "UTC")}
    return _frame(engine, query, schema)


def read_classification_pairs(engine: Engine) -> pl.DataFrame:
    """(scheme, code, printed name, fiscal year, documents) for every classification code printed."""
    d = dim_document
    frames = []
    for scheme, fact, code, name in (
        ("function", fct_expenditure_by_function, "function_code", "function_name"),
        ("economic", fct_expenditure_by_economic, "economic_code", "economic_name"),
    ):
        query = select(fact.c[code], func.min(fact.c[name]), d.c.fiscal_year,
                       func.count(func.distinct(fact.c.document_id))).select_from(
            fact.join(d, d.c.document_id == fact.c.document_id)).where(
            and_(d.c.status == "loaded", d.c.fiscal_year.is_not(None), fact.c[code] != "")).group_by(
            fact.c[code], d.c.fiscal_year)
        schema = {"code": pl.Utf8, "name": pl.Utf8, "fiscal_year": pl.Int64, "documents": pl.Int64}
        frames.append(_frame(engine, query, schema).with_columns(pl.lit(scheme).alias("scheme")))
    return pl.concat(frames).select("scheme", "code", "name", "fiscal_year", "documents")


def replace_conformed(engine: Engine, frames: dict[str, pl.DataFrame]) -> dict[str, int]:
    """Empty every derived table and refill it from ``frames`` (table name → frame), in one
    transaction. Frames are checked against their tables first (ContractError on a misfit)."""
    checked = {t.name: check_frame(conform(frames[t.name], t), t) for t in CONFORMED_TABLES if t.name in frames}
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        writer = writer_for(connection)
        for t in CONFORMED_TABLES:
            if t.name not in checked:
                continue
            connection.execute(delete(t))
            counts[t.name] = writer.insert(connection, t, checked[t.name])
    return counts
