"""Public views ``v_*``: the stable contract analysts write SQL against.

Declared as SQLAlchemy selects over the tables, compiled per dialect when the
warehouse is migrated, so DuckDB and PostgreSQL get the same definitions. Column
names and meanings here are an API: add columns, never rename or drop them.
Where a figure is printed both in a table and in the narrative, the view shows the
more precisely printed one when the two agree within the coarser one's rounding (a 元
table's 1,710,062.00 over the narrative's 171.01万元, a narrative's exact yuan over a
table rounded to 万元), and the table's when they disagree; both stay in
``fct_budget_line`` and the narrative-vs-table rules in ``v_data_quality`` say whether
the two agree.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Integer, Numeric, and_, case, cast, exists, func, literal, or_, select, union_all
from sqlalchemy.sql import Select

from schemas.conformed import dim_department_conformed, fct_cross_document_check
from schemas.money import UNIT_EXPONENTS
from schemas.warehouse import (
    dim_document, dim_region, fct_asset, fct_budget_line, fct_data_quality, fct_document_link,
    fct_document_page, fct_expenditure_by_economic,
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
# Added after the columns above (a view's columns are only ever appended): the sources and
# the balancing rows of the 收支总表 / 收入支出决算总表, in accountants' terms.
#   收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转 (+ 上年实户资金余额)
#   支出总计 = 本年支出合计 + 结余分配 + 结转下年 / 年末结转和结余 (+ 未安排支出的实户资金)
BALANCING_LINES: tuple[tuple[str, str, str], ...] = (
    ("revenue_this_year_yuan", "revenue", "this_year"),  # 本年收入合计
    ("revenue_fiscal_grant_yuan", "revenue", "fiscal_grant"),  # 财政拨款收入 (= general_budget + gov_fund + state_capital)
    ("revenue_operating_income_yuan", "revenue", "operating_income"),  # 事业收入
    ("revenue_business_income_yuan", "revenue", "business_income"),  # 事业单位经营收入
    ("revenue_superior_subsidy_yuan", "revenue", "superior_subsidy"),  # 上级补助收入
    ("revenue_subordinate_remit_yuan", "revenue", "subordinate_remit"),  # 附属单位上缴收入
    ("revenue_unit_funds_yuan", "revenue", "unit_funds"),  # 单位资金 (aggregate of the unit's own sources)
    ("non_fiscal_balance_used_yuan", "revenue", "non_fiscal_balance_used"),  # 使用非财政拨款结余
    ("carry_over_from_last_year_yuan", "revenue", "carryover"),  # 上年结转(和结余) / 年初结转和结余
    ("prior_account_balance_yuan", "revenue", "prior_account_balance"),  # 上年实户资金余额
    ("expenditure_this_year_yuan", "expenditure", "this_year"),  # 本年支出合计
    ("expenditure_business_yuan", "expenditure", "business"),  # 经营支出
    ("expenditure_subsidy_to_subordinate_yuan", "expenditure", "subsidy_to_subordinate"),  # 对附属单位补助支出
    ("expenditure_remit_to_superior_yuan", "expenditure", "remit_to_superior"),  # 上缴上级支出
    ("balance_distribution_yuan", "expenditure", "balance_distribution"),  # 结余分配
    ("carry_over_to_next_year_yuan", "expenditure", "carryover"),  # 结转下年 / 年末结转和结余
    ("unallocated_account_balance_yuan", "expenditure", "unallocated_account_balance"),  # 未安排支出的实户资金
)
THREE_PUBLIC_EXTRA: tuple[tuple[str, str], ...] = (
    ("three_public_vehicle_total_yuan", "vehicle"),  # 公务用车购置及运行费, kept when not split
)
# Appended later still: a document that states only its 财政拨款 spending (财政拨款支出预算).
LATER_LINES: tuple[tuple[str, str, str], ...] = (
    ("expenditure_fiscal_grant_yuan", "expenditure", "fiscal_grant"),  # 财政拨款支出
)


def _precision(table):
    """The printed precision of a figure as a power of ten of yuan: 1,710,062.00 元 → -2,
    171.01 万元 → 2, 124 万元 → 4 (lower is more precise)."""
    dot = func.strpos(table.c.stated_text, ".")
    decimals = case((dot > 0, func.length(table.c.stated_text) - dot), else_=0)
    exponent = case(*[(table.c.stated_unit == unit, e) for unit, e in UNIT_EXPONENTS.items()], else_=0)
    return exponent - decimals


def _half_unit(precision):
    """Half the last printed digit, in yuan: the rounding a figure of that precision hides."""
    return case(*[(precision == k, literal(Decimal(10) ** k / 2)) for k in range(-1, 9)],
                else_=literal(Decimal("0.005")))


def _preferred(table, condition, value):
    """The table's figure, unless the narrative states the same figure more precisely."""
    def of(source, what):
        return case((and_(condition, table.c.source == source, value.is_not(None)), what))

    t, n = func.max(of("table", value)), func.max(of("narrative", value))
    t_precision, n_precision = func.min(of("table", _precision(table))), func.min(of("narrative", _precision(table)))
    finer = and_(n_precision < t_precision, func.abs(n - t) <= _half_unit(t_precision))
    return case((finer, n), else_=func.coalesce(t, n))


def ocr_pages(document_id):
    """How many of the document's pages were scans read with OCR (0: every figure is from a text layer)."""
    p = fct_document_page
    return cast(func.coalesce(select(func.count()).where(p.c.document_id == document_id, p.c.kind == "ocr")
                              .scalar_subquery(), 0), Integer)


def from_ocr(table):
    """True where the row was read from a scanned page with OCR (its page's kind is ``ocr``)."""
    p = fct_document_page
    return exists().where(p.c.document_id == table.c.document_id, p.c.page_no == table.c.page_no, p.c.kind == "ocr")


def v_document() -> Select:
    d, r, p = dim_document, dim_region, fct_document_page
    held = select(func.sum(p.c.ocr_held)).where(p.c.document_id == d.c.document_id).scalar_subquery()
    return select(
        d.c.document_id, d.c.source_uri, d.c.region_code, r.c.region_name, d.c.department_name, d.c.fiscal_year,
        d.c.doc_kind, d.c.status, d.c.status_reason, d.c.parser_version, d.c.loaded_at, d.c.fiscal_year_source,
        # appended (issue 15): what the document is and where its identity was read
        d.c.doc_class, d.c.document_title, d.c.class_evidence, d.c.department_source, d.c.region_source,
        d.c.admin_level, d.c.body_type,
        # appended (issue 18): the format read and how many pages were OCR'd, figures held back
        d.c.format, ocr_pages(d.c.document_id).label("ocr_pages"),
        cast(func.coalesce(held, 0), Integer).label("ocr_figures_held"),
    ).select_from(d.outerjoin(r, r.c.region_code == d.c.region_code))


def v_document_link() -> Select:
    """Where the content of a page without figures is (its images or attachments), and the
    attachments a read HTML page links; with the document's status, year and department."""
    k, d = fct_document_link, dim_document
    return select(k.c.document_id, k.c.link_seq, k.c.kind, k.c.url, k.c.label, d.c.status, d.c.fiscal_year,
                  d.c.department_name).select_from(k.join(d, d.c.document_id == k.c.document_id))


def _summary_columns(group_key, lines_from, three_from) -> tuple:
    """Per-group figure subqueries for the summary views (group = a document or a department-year)."""
    b, t = fct_budget_line, fct_three_public
    line_columns = BUDGET_SUMMARY_LINES + BALANCING_LINES + LATER_LINES
    three_columns = THREE_PUBLIC_ITEMS + THREE_PUBLIC_EXTRA
    lines = select(
        group_key(lines_from).label("group_key"),
        *[
            _preferred(b, and_(b.c.statement == st, b.c.item == it, b.c.column_name == "amount"), b.c.amount_yuan).label(name)
            for name, st, it in line_columns
        ],
    ).select_from(lines_from).group_by(group_key(lines_from)).subquery("lines")
    three = select(
        group_key(three_from).label("group_key"),
        *[_preferred(t, t.c.item == item, t.c.amount_yuan).label(name) for name, item in three_columns],
    ).select_from(three_from).group_by(group_key(three_from)).subquery("three")
    figures = [*[lines.c[name] for name, _, _ in BUDGET_SUMMARY_LINES], *[three.c[name] for name, _ in THREE_PUBLIC_ITEMS],
               *[lines.c[name] for name, _, _ in BALANCING_LINES], *[three.c[name] for name, _ in THREE_PUBLIC_EXTRA],
               *[lines.c[name] for name, _, _ in LATER_LINES]]
    return lines, three, figures


def v_budget_summary() -> Select:
    d = dim_document
    lines, three, figures = _summary_columns(lambda src: src.c.document_id, fct_budget_line, fct_three_public)
    return (
        select(d.c.document_id, d.c.region_code, d.c.department_name, d.c.fiscal_year, *figures,
               ocr_pages(d.c.document_id).label("ocr_pages"))
        .select_from(d.outerjoin(lines, lines.c.group_key == d.c.document_id)
                     .outerjoin(three, three.c.group_key == d.c.document_id))
        .where(d.c.status == "loaded")
    )


def department_year_figures() -> Select:
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


PCT = Numeric(24, 2)  # percentages: wide enough for any ratio of two DECIMAL(18,2) figures


def pct_change(current, previous):
    """(current − previous) / previous in %, NULL when either is NULL or previous is not positive."""
    return cast(case((previous > 0, (current - previous) * 100 / previous)), PCT)


def _failures_by_department_year() -> Select:
    """Failed rules per department-year: per-document (fct_data_quality) and cross-document."""
    d, q, x = dim_document, fct_data_quality, fct_cross_document_check
    keys = (d.c.department_id, d.c.fiscal_year, d.c.doc_kind)
    per_document = select(*keys, func.count().label("n")).select_from(
        q.join(d, d.c.document_id == q.c.document_id)).where(q.c.passed.is_(False), d.c.status == "loaded").group_by(
        *keys)
    cross_keys = (x.c.department_id, x.c.fiscal_year, x.c.doc_kind)
    cross = select(*cross_keys, func.count().label("n")).where(x.c.passed.is_(False)).group_by(*cross_keys)
    both = union_all(per_document, cross).subquery("failed_rules")
    keys = (both.c.department_id, both.c.fiscal_year, both.c.doc_kind)
    return select(*keys, cast(func.sum(both.c.n), Integer).label("failures")).group_by(*keys)


def v_department_year() -> Select:
    """:func:`department_year_figures` plus what comparisons need: region names, the department's
    category (``dim_department_conformed``), basic/project under short names, the change of
    expenditure against the same department's previous year (same kind), how many rules
    fail for it (per-document and cross-document), then its category's group, administrative
    level and body type. A figure not stated stays NULL."""
    base = department_year_figures().cte("department_year")
    prev = base.alias("previous_year")
    r, c = dim_region, dim_department_conformed
    fails = _failures_by_department_year().subquery("failures")
    same_group = lambda other: and_(other.c.department_id == base.c.department_id,  # noqa: E731
                                    other.c.fiscal_year == base.c.fiscal_year, other.c.doc_kind == base.c.doc_kind)
    return select(
        *base.c, r.c.region_name, r.c.province_name, c.c.department_category,
        base.c.expenditure_basic_yuan.label("basic_yuan"), base.c.expenditure_project_yuan.label("project_yuan"),
        pct_change(base.c.expenditure_total_yuan, prev.c.expenditure_total_yuan).label("yoy_expenditure_pct"),
        cast(func.coalesce(fails.c.failures, 0), Integer).label("quality_failures"),
        # appended (issue 20): who the department is compared with
        c.c.category_group, c.c.admin_level, c.c.body_type,
    ).select_from(
        base.outerjoin(r, r.c.region_code == base.c.region_code)
        .outerjoin(c, c.c.department_id == base.c.department_id)
        .outerjoin(prev, and_(prev.c.department_id == base.c.department_id, prev.c.doc_kind == base.c.doc_kind,
                              prev.c.fiscal_year == base.c.fiscal_year - 1))
        .outerjoin(fails, same_group(fails))
    )


def v_project() -> Select:
    """Projects and special funds with their money; a 部门整体 form's whole-budget targets are
    not a project (their indicators are in ``v_performance_indicator``, scope department)."""
    p = fct_project_budget
    return select(p.c.document_id, p.c.project_code, p.c.project_name, p.c.amount_yuan, p.c.fiscal_funds_yuan,
                  p.c.other_funds_yuan, p.c.scope, p.c.unit_name, p.c.project_code_text, p.c.page_no,
                  from_ocr(p).label("from_ocr")).where(func.coalesce(p.c.scope, "project") != "department")


def v_performance_indicator() -> Select:
    t, p = fct_performance_target, fct_project_budget
    return select(t.c.document_id, t.c.project_code, t.c.level1, t.c.level2, t.c.level3,
                  t.c.description, t.c.target_text, t.c.comparator, t.c.target_value, t.c.target_unit,
                  p.c.project_name, p.c.scope, t.c.weight_pct, t.c.page_no
                  ).select_from(t.outerjoin(p, and_(p.c.document_id == t.c.document_id,
                                                    p.c.project_seq == t.c.project_seq)))


def v_asset() -> Select:
    """One row per asset figure; where the table and the prose state the same category, the
    table's row (both stay in ``fct_asset``)."""
    a, b = fct_asset, fct_asset.alias("table_row")
    same = and_(b.c.document_id == a.c.document_id, b.c.category == a.c.category, b.c.source == "table",
                func.coalesce(b.c.measure, "held") == func.coalesce(a.c.measure, "held"),
                func.coalesce(b.c.unit_value_threshold_yuan, 0) == func.coalesce(a.c.unit_value_threshold_yuan, 0))
    return select(a.c.document_id, a.c.category, a.c.quantity, a.c.value_yuan, a.c.measure,
                  a.c.unit_value_threshold_yuan, a.c.quantity_unit, a.c.source, a.c.label, a.c.page_no,
                  from_ocr(a).label("from_ocr")).where(or_(a.c.source == "table", ~exists().where(same)))


def v_data_quality() -> Select:
    q = fct_data_quality
    return select(q.c.document_id, q.c.rule_code, q.c.severity, q.c.passed, q.c.expected, q.c.actual, q.c.message,
                  q.c.difference, q.c.tolerance, q.c.finding)


def v_expenditure_by_function() -> Select:
    f = fct_expenditure_by_function
    return select(f.c.document_id, f.c.function_code, f.c.function_name, f.c.level, f.c.amount_yuan,
                  f.c.basic_yuan, f.c.project_yuan, from_ocr(f).label("from_ocr"))


def v_expenditure_by_economic() -> Select:
    e = fct_expenditure_by_economic
    return select(e.c.document_id, e.c.economic_code, e.c.economic_name, e.c.amount_yuan, from_ocr(e).label("from_ocr"))


VIEWS = {
    "v_document": v_document,
    "v_document_link": v_document_link,
    "v_budget_summary": v_budget_summary,
    "v_department_year": v_department_year,
    "v_project": v_project,
    "v_performance_indicator": v_performance_indicator,
    "v_asset": v_asset,
    "v_data_quality": v_data_quality,
    "v_expenditure_by_function": v_expenditure_by_function,
    "v_expenditure_by_economic": v_expenditure_by_economic,
}
