"""Reading what the comparison refresh needs, and writing what it derives, as plain frames.

The refresh (``flows.conform``) reads the loaded warehouse here, a few regions at a time
(:func:`region_chunks`: every cross-document relation stays inside one region), derives
conformed dimensions and cross-document results (``transform.conformed``,
``transform.cross_document``) and writes them back through :func:`conformed_writer`: every derived
table is emptied and refilled in one transaction, so a refresh is idempotent and never
half-applied, and its memory is that of the largest chunk, not of the warehouse. Rows are
fetched in partitions of :data:`FETCH_ROWS` and turned into frames as they come.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import polars as pl
from sqlalchemy import and_, delete, func, or_, select, true
from sqlalchemy.engine import Connection, Engine

from load.backends import backend_of
from load.region_filter import Regions, among_regions as _in
from schemas.conformed import CONFORMED_TABLES, dim_department_category
from schemas.frames import check_frame, conform, polars_schema
from schemas.registry import src_document_url, src_source
from schemas.vocabulary import LOADED
from schemas.warehouse import (
    dim_budget_unit, dim_document, fct_budget_line, fct_expenditure_by_economic, fct_expenditure_by_function,
)

FIGURE_STATEMENTS = ("revenue", "expenditure", "change")
FIGURE_ITEMS = ("total", "this_year", "basic", "project")


FETCH_ROWS = 20_000  # rows turned into Python objects at once while reading
CHUNK_DOCUMENTS = 2_000  # documents per refresh chunk (whole regions: a large region is a chunk alone)
# up to this many documents a refresh reads their figures and units by id, for the facts' document_id index (DuckDB
# takes an index scan for up to 2,048 matching rows or 0.1% of the table: the budget lines of ~100 documents at
# 100,000 documents, more as the table grows; past that it scans, which is still correct)
INDEX_DOCUMENTS = 200


def _frame(engine: Engine, query, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    parts = []
    with engine.connect() as connection:
        for rows in connection.execute(query).partitions(FETCH_ROWS):
            parts.append(pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row"))
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def region_chunks(engine: Engine, size: int = CHUNK_DOCUMENTS) -> list[list[str | None]]:
    """The warehouse's region codes (None: documents naming no region) in groups of about ``size``
    documents, whole regions each, in code order."""
    d = dim_document
    with engine.connect() as connection:
        counts = connection.execute(select(d.c.region_code, func.count()).group_by(d.c.region_code)).all()
    chunks: list[list[str | None]] = []
    filled = size
    for region, count in sorted(counts, key=lambda rc: (rc[0] is not None, rc[0] or "")):
        if filled + count > size and (not chunks or chunks[-1]):
            chunks.append([])
            filled = 0
        chunks[-1].append(region)
        filled += count
    return chunks


def read_warehouse_kinds(engine: Engine) -> tuple[list[str], list[int]]:
    """Every doc_kind in the warehouse, and the fiscal years of its loaded documents."""
    d = dim_document
    with engine.connect() as connection:
        kinds = connection.execute(select(d.c.doc_kind).where(d.c.doc_kind.is_not(None)).distinct()).scalars().all()
        years = connection.execute(select(d.c.fiscal_year).where(
            d.c.status == LOADED, d.c.fiscal_year.is_not(None)).distinct()).scalars().all()
    return sorted(kinds), sorted(years)


def read_documents(engine: Engine, regions: Regions = None) -> pl.DataFrame:
    """Every document row (any status) with what identifies it: department, region, year, kind,
    the parent department it states, when it was loaded, when its URL was last seen, and the level
    and body type it was given when read."""
    d, u = dim_document, src_document_url
    last_seen = select(u.c.document_id, func.max(u.c.last_seen).label("last_seen")).where(
        u.c.document_id.is_not(None)).group_by(u.c.document_id).subquery("seen")
    columns = ("document_id", "source_uri", "status", "region_code", "department_id", "department_name",
               "parent_department_name", "parent_department_source", "fiscal_year", "doc_kind", "loaded_at",
               "doc_class", "admin_level", "body_type")
    query = select(*[d.c[c] for c in columns], last_seen.c.last_seen).select_from(
        d.outerjoin(last_seen, last_seen.c.document_id == d.c.document_id)).where(_in(d.c.region_code, regions))
    schema = {c: polars_schema(d)[c] for c in columns} | {"last_seen": pl.Datetime("us", "UTC")}
    return _frame(engine, query, schema)


def _few_loaded(engine: Engine, regions: Regions) -> list[str] | None:
    """The ids of the loaded documents of ``regions`` when there are at most :data:`INDEX_DOCUMENTS` of them:
    a fact read by these ids finds its rows through the facts' ``document_id`` index (on DuckDB a scan kept
    the whole column in the writer's memory, growing with the warehouse: issue 21). None for every region,
    or for more documents: the caller joins ``dim_document`` (a scan either way). Reads at most one id past
    the bound (a full rebuild's chunk of ~2,000 documents is not fetched only to be counted)."""
    if regions is None:
        return None
    d = dim_document.c
    with engine.connect() as connection:
        ids = list(connection.execute(select(d.document_id).where(d.status == LOADED, _in(d.region_code, regions))
                                      .limit(INDEX_DOCUMENTS + 1)).scalars())
    return ids if len(ids) <= INDEX_DOCUMENTS else None


def _of_loaded(query, fact, ids: list[str] | None, regions: Regions):
    """``query`` over ``fact`` limited to the loaded documents of ``regions``: by their ``ids``
    (:func:`_few_loaded`), or by a join with ``dim_document`` when None."""
    if ids is not None:
        return query.select_from(fact).where(fact.c.document_id.in_(ids))
    d = dim_document
    return query.select_from(fact.join(d, d.c.document_id == fact.c.document_id)).where(
        d.c.status == LOADED, _in(d.c.region_code, regions))


def read_figures(engine: Engine, regions: Regions = None) -> pl.DataFrame:
    """Stated revenue / expenditure / change figures (total, this_year, basic, project) of loaded
    documents, one row per printed figure with its provenance; the caller picks tables first."""
    b = fct_budget_line
    columns = ("document_id", "statement", "item", "source", "amount_yuan", "stated_text", "stated_unit", "label",
               "page_no", "line_no", "source_text")
    schema = {c: polars_schema(b)[c] for c in columns}
    ids = _few_loaded(engine, regions)
    if ids is None:
        query = _of_loaded(select(*[b.c[c] for c in columns]), b, None, regions).where(
            b.c.statement.in_(FIGURE_STATEMENTS), b.c.item.in_(FIGURE_ITEMS), b.c.column_name == "amount",
            b.c.amount_yuan.is_not(None))
        return _frame(engine, query, schema)
    # by document id alone: DuckDB takes its index only for a filter on the indexed column alone (with the
    # figure filters too it scanned the table: 31 MB of blocks against 3); the other rows are dropped here
    query = _of_loaded(select(*[b.c[c] for c in columns], b.c.column_name), b, ids, regions)
    return _frame(engine, query, schema | {"column_name": pl.Utf8}).filter(
        pl.col("statement").is_in(FIGURE_STATEMENTS), pl.col("item").is_in(FIGURE_ITEMS),
        pl.col("column_name") == "amount", pl.col("amount_yuan").is_not_null()).drop("column_name")


def read_budget_units(engine: Engine, regions: Regions = None) -> pl.DataFrame:
    """The budget units each loaded document lists in its 机构设置 table."""
    u = dim_budget_unit
    query = _of_loaded(select(u.c.document_id, u.c.unit_name), u, _few_loaded(engine, regions), regions)
    return _frame(engine, query, {"document_id": pl.Utf8, "unit_name": pl.Utf8})


def read_crawled_urls(engine: Engine, regions: Regions = None) -> pl.DataFrame:
    """Disclosure links the crawler saw and the portal still lists, with the source's region (among
    ``regions``; None: any), whose document is not in the warehouse (a document's own observation
    stands for its links)."""
    u, s, d = src_document_url, src_source, dim_document
    stored = select(d.c.document_id).where(d.c.document_id == u.c.document_id).exists()
    query = select(u.c.url, u.c.document_id, u.c.title, u.c.fiscal_year, u.c.doc_kind, s.c.region_code,
                   u.c.last_seen).select_from(u.join(s, s.c.source_id == u.c.source_id)).where(
        u.c.withdrawn_at.is_(None), or_(u.c.document_id.is_(None), ~stored), _in(s.c.region_code, regions))
    return _frame(engine, query, URL_SCHEMA)


URL_SCHEMA = {"url": pl.Utf8, "document_id": pl.Utf8, "title": pl.Utf8, "fiscal_year": pl.Int64, "doc_kind": pl.Utf8,
              "region_code": pl.Utf8, "last_seen": pl.Datetime("us", "UTC")}


def no_urls() -> pl.DataFrame:
    """An empty frame shaped as :func:`read_crawled_urls`'."""
    return pl.DataFrame(schema=URL_SCHEMA)


def read_classification_pairs(engine: Engine, years: Sequence[int] | None = None) -> pl.DataFrame:
    """(scheme, code, printed name, fiscal year, documents) for every classification code printed
    (in ``years``; None: every year)."""
    d = dim_document
    frames = []
    for scheme, fact, code, name in (
        ("function", fct_expenditure_by_function, "function_code", "function_name"),
        ("economic", fct_expenditure_by_economic, "economic_code", "economic_name"),
    ):
        query = select(fact.c[code], func.min(fact.c[name]), d.c.fiscal_year,
                       func.count(func.distinct(fact.c.document_id))).select_from(
            fact.join(d, d.c.document_id == fact.c.document_id)).where(
            and_(d.c.status == LOADED, d.c.fiscal_year.is_not(None), fact.c[code] != "",
                 true() if years is None else d.c.fiscal_year.in_(list(years)))).group_by(
            fact.c[code], d.c.fiscal_year)
        schema = {"code": pl.Utf8, "name": pl.Utf8, "fiscal_year": pl.Int64, "documents": pl.Int64}
        frames.append(_frame(engine, query, schema).with_columns(pl.lit(scheme).alias("scheme")))
    return pl.concat(frames).select("scheme", "code", "name", "fiscal_year", "documents")


@contextmanager
def conformed_writer(engine: Engine, settle: Callable[[Connection], None] | None = None
                     ) -> Iterator[tuple[Callable[[dict[str, pl.DataFrame]], None], Counter]]:
    """``(write, counts)`` inside one transaction that first empties every derived table; each
    ``write(frames)`` (table name → frame) checks the frames against their tables (ContractError
    on a misfit) and appends them; ``counts`` sums the rows written per table. ``settle`` runs last,
    in the same transaction (:func:`load.refresh.settle`: the notes of what changed are cleared)."""
    counts: Counter = Counter()
    with engine.begin() as connection:
        writer = backend_of(connection)
        for t in CONFORMED_TABLES:
            connection.execute(delete(t))

        def write(frames: dict[str, pl.DataFrame]) -> None:
            for t in CONFORMED_TABLES:
                if t.name in frames:
                    counts[t.name] += writer.insert(connection, t, check_frame(conform(frames[t.name], t), t))
        yield write, counts
        if settle is not None:
            settle(connection)


def conformed_missing(engine: Engine) -> bool:
    """Documents are loaded but the conformed tables were never built (a warehouse loaded before
    they existed)."""
    with engine.connect() as connection:
        categories = connection.execute(select(func.count()).select_from(dim_department_category)).scalar()
        documents = connection.execute(select(func.count()).select_from(dim_document)).scalar()
    return bool(documents and not categories)
