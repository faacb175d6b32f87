"""Public views ``v_*``: the stable contract analysts write SQL against.

Declared as SQLAlchemy selects over the tables, compiled per dialect when the
warehouse is migrated, so DuckDB and PostgreSQL get the same definitions. Column
names and meanings here are an API: add columns, never rename or drop them.
Where a figure is printed both in a table and in the narrative, the table wins
(finer unit); the narrative figure stays in ``fct_budget_line`` and the
narrative-vs-table rules in ``v_data_quality`` say whether the two agree.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, select
from sqlalchemy.sql import Select

from schemas.warehouse import (
    dim_document, dim_region, fct_asset, fct_budget_line, fct_data_quality, fct_expenditure_by_economic,
    fct_expenditure_by_function, fct_performance_target, fct_project_budget, fct_three_public,
)

BUDGET_SUMMARY_LINES: tuple[tuple[str, str, str], ...] = (
    ("revenue_total_yuan", "revenue", "total"),
    ("revenue_general_budget_yuan", "revenue", "general_budget"),
    ("revenue_gov_fund_yuan", "revenue", "gov_fund"),
    ("revenue_state_capital_yuan", "revenue", "state_capital"),
    ("revenue_special_account_yuan", "revenue", "special_account"),
    ("revenue_other_yuan", "revenue", "other"),
    ("expenditure_total_yuan", "expenditure", "total"),
    ("expenditure_basic_yuan", "expenditure", "basic"),
    ("expenditure_project_yuan", "expenditure", "project"),
    ("expenditure_other_yuan", "expenditure", "other"),
    ("operating_expenses_yuan", "operating_expenses", "total"),
)
THREE_PUBLIC_ITEMS: tuple[tuple[str, str], ...] = (
    ("three_public_total_yuan", "total"),
    ("three_public_abroad_yuan", "abroad"),
    ("three_public_vehicle_purchase_yuan", "vehicle_purchase"),
    ("three_public_vehicle_operation_yuan", "vehicle_operation"),
    ("three_public_reception_yuan", "reception"),
)


def _preferred(table, condition, value):
    """MAX over table rows if any, else over narrative rows."""
    by = lambda source: func.max(case((and_(condition, table.c.source == source), value)))  # noqa: E731
    return func.coalesce(by("table"), by("narrative"))


def v_document() -> Select:
    d, r = dim_document, dim_region
    return select(
        d.c.document_id, d.c.source_uri, d.c.region_code, r.c.region_name, d.c.department_name, d.c.fiscal_year,
        d.c.doc_kind, d.c.status, d.c.status_reason, d.c.parser_version, d.c.loaded_at,
    ).select_from(d.outerjoin(r, r.c.region_code == d.c.region_code))


def _summary_columns(group_key, lines_from, three_from) -> tuple:
    """Per-group figure subqueries for the summary views (group = a document or a department-year)."""
    b, t = fct_budget_line, fct_three_public
    lines = select(
        group_key(lines_from).label("group_key"),
        *[
            _preferred(b, and_(b.c.statement == st, b.c.item == it, b.c.column_name == "amount"), b.c.amount_yuan).label(name)
            for name, st, it in BUDGET_SUMMARY_LINES
        ],
    ).select_from(lines_from).group_by(group_key(lines_from)).subquery("lines")
    three = select(
        group_key(three_from).label("group_key"),
        *[_preferred(t, t.c.item == item, t.c.amount_yuan).label(name) for name, item in THREE_PUBLIC_ITEMS],
    ).select_from(three_from).group_by(group_key(three_from)).subquery("three")
    figures = [*[lines.c[name] for name, _, _ in BUDGET_SUMMARY_LINES], *[three.c[name] for name, _ in THREE_PUBLIC_ITEMS]]
    return lines, three, figures


def v_budget_summary() -> Select:
    d = dim_document
    lines, three, figures = _summary_columns(lambda src: src.c.document_id, fct_budget_line, fct_three_public)
    return (
        select(d.c.document_id, d.c.region_code, d.c.department_name, d.c.fiscal_year, *figures)
        .select_from(d.outerjoin(lines, lines.c.group_key == d.c.document_id)
                     .outerjoin(three, three.c.group_key == d.c.document_id))
        .where(d.c.status == "loaded")
    )


def v_department_year() -> Select:
    """One row per department, fiscal year and kind (budget / final account), across its volumes.

    A disclosure split into a narrative file and a tables file (Beijing 附件1/附件2, Jiangsu
    文件/表格) is two documents but one department-year; figures are taken from whichever
    volume prints them, tables first.
    """
    d = dim_document
    key = func.concat(d.c.department_id, "|", d.c.fiscal_year, "|", d.c.doc_kind)
    lines_from = fct_budget_line.join(d, d.c.document_id == fct_budget_line.c.document_id)
    three_from = fct_three_public.join(d, d.c.document_id == fct_three_public.c.document_id)
    lines, three, figures = _summary_columns(lambda _src: key, lines_from, three_from)
    groups = select(
        key.label("group_key"), d.c.department_id, func.min(d.c.region_code).label("region_code"),
        func.min(d.c.department_name).label("department_name"), d.c.fiscal_year, d.c.doc_kind,
        func.count().label("document_count"),
    ).where(d.c.status == "loaded", d.c.department_id.is_not(None)).group_by(
        key, d.c.department_id, d.c.fiscal_year, d.c.doc_kind).subquery("groups")
    return select(
        groups.c.department_id, groups.c.region_code, groups.c.department_name, groups.c.fiscal_year,
        groups.c.doc_kind, groups.c.document_count, *figures,
    ).select_from(groups.outerjoin(lines, lines.c.group_key == groups.c.group_key)
                  .outerjoin(three, three.c.group_key == groups.c.group_key))


def v_project() -> Select:
    p = fct_project_budget
    return select(p.c.document_id, p.c.project_code, p.c.project_name, p.c.amount_yuan, p.c.fiscal_funds_yuan,
                  p.c.other_funds_yuan)


def v_performance_indicator() -> Select:
    t = fct_performance_target
    return select(t.c.document_id, t.c.project_code, t.c.level1, t.c.level2, t.c.level3,
                  t.c.description, t.c.target_text, t.c.comparator, t.c.target_value, t.c.target_unit)


def v_asset() -> Select:
    a = fct_asset
    return select(a.c.document_id, a.c.category, a.c.quantity, a.c.value_yuan)


def v_data_quality() -> Select:
    q = fct_data_quality
    return select(q.c.document_id, q.c.rule_code, q.c.severity, q.c.passed, q.c.expected, q.c.actual, q.c.message,
                  q.c.difference, q.c.tolerance)


def v_expenditure_by_function() -> Select:
    f = fct_expenditure_by_function
    return select(f.c.document_id, f.c.function_code, f.c.function_name, f.c.level, f.c.amount_yuan,
                  f.c.basic_yuan, f.c.project_yuan)


def v_expenditure_by_economic() -> Select:
    e = fct_expenditure_by_economic
    return select(e.c.document_id, e.c.economic_code, e.c.economic_name, e.c.amount_yuan)


VIEWS = {
    "v_document": v_document,
    "v_budget_summary": v_budget_summary,
    "v_department_year": v_department_year,
    "v_project": v_project,
    "v_performance_indicator": v_performance_indicator,
    "v_asset": v_asset,
    "v_data_quality": v_data_quality,
    "v_expenditure_by_function": v_expenditure_by_function,
    "v_expenditure_by_economic": v_expenditure_by_economic,
}
