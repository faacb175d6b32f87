"""Execution: a department's final account against its budget of the same year.

``v_execution`` (one row per department-year with a final account) is a mart of its own and
one of the normalised comparisons of :mod:`schemas.ranking` (``execution_rate``). Like is
compared with like: 本年支出合计 of both where both state it (a final account's 支出总计 also
holds 年末结转和结余), else 支出总计 of both.
"""

from __future__ import annotations

from sqlalchemy import Numeric, and_, case, cast, func, select
from sqlalchemy.sql import Select

from schemas.conformed import dim_department_conformed
from schemas.preference import preferred_sql
from schemas.vocabulary import DEPARTMENT_BUDGET, FINAL_ACCOUNT, LOADED
from schemas.warehouse import dim_document, fct_budget_line

RATIO = Numeric(24, 4)  # execution rate: final / budget, 1.0000 = exactly as budgeted
COMPARED_KIND = DEPARTMENT_BUDGET


def _spending_by_kind():
    """Per department-year and kind: 支出总计 and 本年支出合计 as stated (tables first)."""
    d, b = dim_document, fct_budget_line
    keys = (d.c.department_id, d.c.fiscal_year, d.c.doc_kind)
    line = lambda item: preferred_sql(b, and_(b.c.statement == "expenditure", b.c.item == item,  # noqa: E731
                                              b.c.column_name == "amount"), b.c.amount_yuan)
    return select(*keys, func.min(d.c.region_code).label("region_code"),
                  func.min(d.c.department_name).label("department_name"),
                  line("total").label("total_yuan"), line("this_year").label("this_year_yuan")).select_from(
        b.join(d, d.c.document_id == b.c.document_id)).where(d.c.status == LOADED,
                                                               d.c.department_id.is_not(None)).group_by(*keys)


def v_execution() -> Select:
    """Final account against budget per department-year (every department-year with a final account),
    then (appended, issue 20) the department's id, category, level and body type."""
    spend = _spending_by_kind().cte("spending")
    final, budget = spend.alias("final"), spend.alias("budget")
    c = dim_department_conformed
    both_this_year = and_(final.c.this_year_yuan.is_not(None), budget.c.this_year_yuan.is_not(None))
    budget_yuan = case((both_this_year, budget.c.this_year_yuan), else_=budget.c.total_yuan)
    final_yuan = case((both_this_year, final.c.this_year_yuan), else_=final.c.total_yuan)
    return select(
        final.c.region_code, final.c.department_name, final.c.fiscal_year,
        budget_yuan.label("budget_expenditure_yuan"), final_yuan.label("final_expenditure_yuan"),
        cast(case((budget_yuan > 0, final_yuan / budget_yuan)), RATIO).label("execution_rate"),
        final.c.department_id, c.c.department_category, c.c.admin_level, c.c.body_type,
    ).select_from(final.outerjoin(budget, and_(budget.c.department_id == final.c.department_id,
                                               budget.c.fiscal_year == final.c.fiscal_year,
                                               budget.c.doc_kind == COMPARED_KIND))
                  .outerjoin(c, c.c.department_id == final.c.department_id)
                  ).where(final.c.doc_kind == FINAL_ACCOUNT)
