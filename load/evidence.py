"""Where the figures a data-quality result compares are printed: documents, pages, lines.

Plain queries for the report's links from a failed rule to its source: the printed lines of
given documents (every stated figure with its page, line and printed text, from
``fct_budget_line``, ``fct_three_public``, ``fct_asset``, ``fct_expenditure_by_function``,
``fct_expenditure_by_economic`` and ``fct_project_budget``) and the documents a cross-document
result involves (``fct_cross_document_evidence``). Each row carries the document's
``source_uri`` as loaded (an absolute path or a URL). Amounts are exact ``Decimal`` yuan.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import String, cast, literal, select, union_all
from sqlalchemy.engine import Engine

from load.comparison import frame
from schemas.conformed import fct_cross_document_evidence
from schemas.vocabulary import LOADED
from schemas.warehouse import (
    dim_document, fct_asset, fct_budget_line, fct_expenditure_by_economic, fct_expenditure_by_function,
    fct_project_budget, fct_three_public,
)

# chunk size of IN lists (PostgreSQL and DuckDB take far more; this keeps statements small)
CHUNK = 500


def _chunks(values: list[str]) -> list[list[str]]:
    """The values in chunks; one empty chunk for no values (the query still runs, typing an empty frame)."""
    return [values[i: i + CHUNK] for i in range(0, len(values), CHUNK)] or [[]]


def _printed(table, statement, item, source, amount):
    text = lambda value: cast(value, String)  # noqa: E731  (one type across the union's branches)
    return select(table.c.document_id, text(statement).label("statement"), text(item).label("item"),
                  text(source).label("source"), amount.label("amount_yuan"), table.c.page_no, table.c.line_no,
                  table.c.source_text)


def printed_figures(engine: Engine, document_ids: list[str]) -> pl.DataFrame:
    """Every stated figure of the documents: document_id, statement, item, source (table | narrative),
    amount_yuan, page_no, line_no, source_text, source_uri.

    ``statement``/``item`` are the rule vocabulary's (``expenditure``/``total``, ``three_public``/
    ``abroad``, ``asset``/``vehicles``); lines of the classification and project tables carry the
    table's name as statement and the printed code as item."""
    b, t, a = fct_budget_line, fct_three_public, fct_asset
    f, e, p = fct_expenditure_by_function, fct_expenditure_by_economic, fct_project_budget
    table_source = literal("table")
    parts = []
    for ids in _chunks(sorted(set(document_ids))):
        branches = [
            _printed(b, b.c.statement, b.c.item, b.c.source, b.c.amount_yuan).where(b.c.document_id.in_(ids)),
            _printed(t, literal("three_public"), t.c.item, t.c.source, t.c.amount_yuan).where(t.c.document_id.in_(ids)),
            _printed(a, literal("asset"), a.c.category, a.c.source, a.c.value_yuan).where(a.c.document_id.in_(ids)),
            _printed(f, literal(f.name), f.c.function_code, table_source, f.c.amount_yuan).where(f.c.document_id.in_(ids)),
            _printed(e, literal(e.name), e.c.economic_code, table_source, e.c.amount_yuan).where(e.c.document_id.in_(ids)),
            _printed(p, literal(p.name), p.c.project_code, table_source, p.c.amount_yuan).where(p.c.document_id.in_(ids)),
        ]
        lines = union_all(*branches).subquery("printed")
        query = select(lines, dim_document.c.source_uri).select_from(
            lines.join(dim_document, dim_document.c.document_id == lines.c.document_id))
        parts.append(frame(engine, query.order_by(lines.c.document_id, lines.c.page_no, lines.c.line_no)))
    return pl.concat(parts)


def documents(engine: Engine, document_ids: list[str]) -> pl.DataFrame:
    """document_id, source_uri, format, page_count, department_name, fiscal_year, doc_kind of the documents."""
    d = dim_document
    parts = [frame(engine, select(d.c.document_id, d.c.source_uri, d.c.format, d.c.page_count, d.c.department_name,
                                  d.c.fiscal_year, d.c.doc_kind).where(d.c.document_id.in_(ids)))
             for ids in _chunks(sorted(set(document_ids)))]
    return pl.concat(parts)


def cross_document_evidence(engine: Engine, check_ids: list[str]) -> pl.DataFrame:
    """check_id, document_id, role (this_year, last_year, budget, final_account, department, unit,
    neighbour), fiscal_year, page_no, line_no, source_text (NULL page: the document as a whole), source_uri."""
    e, d = fct_cross_document_evidence, dim_document
    parts = [frame(engine, select(e.c.check_id, e.c.document_id, e.c.role, e.c.fiscal_year, e.c.page_no, e.c.line_no,
                                  e.c.source_text, d.c.source_uri)
                   .select_from(e.join(d, d.c.document_id == e.c.document_id)).where(e.c.check_id.in_(ids))
                   .order_by(e.c.check_id, e.c.fiscal_year, d.c.source_uri))
             for ids in _chunks(sorted(set(check_ids)))]
    return pl.concat(parts)


def figure_lines(engine: Engine, department_ids: list[str]) -> pl.DataFrame:
    """Where each department-year's 支出总计 / 本年支出合计 and “三公”经费合计 are printed: department_id,
    fiscal_year, doc_kind, figure (expenditure_total | expenditure_this_year | three_public_total),
    source (table | narrative), amount_yuan, document_id, source_uri, page_no, line_no — loaded documents
    of the departments, every printing of those figures (the caller picks the one a view shows)."""
    b, t, d = fct_budget_line, fct_three_public, dim_document
    figure = lambda item: literal("expenditure_") + item  # noqa: E731
    parts = []
    for ids in _chunks(sorted(set(department_ids))):
        lines = union_all(
            select(b.c.document_id, cast(figure(b.c.item), String).label("figure"), b.c.source, b.c.amount_yuan,
                   b.c.page_no, b.c.line_no).where(b.c.statement == "expenditure", b.c.item.in_(("total", "this_year")),
                                                   b.c.column_name == "amount", b.c.amount_yuan.is_not(None)),
            select(t.c.document_id, cast(literal("three_public_total"), String).label("figure"), t.c.source,
                   t.c.amount_yuan, t.c.page_no, t.c.line_no).where(t.c.item == "total",
                                                                    t.c.amount_yuan.is_not(None)),
        ).subquery("figure_lines")
        query = select(d.c.department_id, d.c.fiscal_year, d.c.doc_kind, lines.c.figure, lines.c.source,
                       lines.c.amount_yuan, lines.c.document_id, d.c.source_uri, lines.c.page_no, lines.c.line_no
                       ).select_from(lines.join(d, d.c.document_id == lines.c.document_id)).where(
            d.c.status == LOADED, d.c.department_id.in_(ids))
        parts.append(frame(engine, query.order_by(d.c.department_id, d.c.fiscal_year, lines.c.figure,
                                                  lines.c.source.desc(), lines.c.page_no, lines.c.line_no)))
    return pl.concat(parts)
