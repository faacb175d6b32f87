"""The one ranking: ``v_department_ranking``, what ``compare``, the marts and the report all read.

One row per compared department, fiscal year, kind (department budget or final account),
metric and scope (its category, or its category's group), with three rankings:

- **within its level** (the default everywhere): among departments of the same category (or
  group), year, kind, administrative level (national | provincial | city | county | township)
  and body type (department | unit | central_unit) — a county 信访局 among county 信访局s, never
  beside 国家信访局 or a province's 信访办; ``rank_in_level``, ``share_of_level``, ``peers_in_level``;
- **within its province** at its level (``compare --peers``): ``rank_in_province`` … (``province_region_code``
  the region's first two digits + 0000; none for a national body);
- **across levels**, asked for explicitly (``--level all``): ``rank_all_levels`` …, still among its
  own body type.

1 is the largest figure; a figure the department does not state is listed with no rank and
never counted as zero; a department whose level is unknown has no rank within a level.
Shares are of the stated total of the same ranking, for the additive metrics (yuan) only.

Metrics (``metric``): the department's own figures in yuan — ``expenditure`` (支出总计),
``three_public`` (“三公”经费合计), ``operating`` (机关运行经费) — and the normalised comparisons
the documents support, as fractions in ``value_ratio`` with the two figures divided beside them
(``numerator_yuan`` ÷ ``denominator_yuan``): ``three_public_share`` (三公 ÷ 支出总计),
``operating_share`` (机关运行经费 ÷ 基本支出), ``yoy_expenditure`` (支出总计 ÷ the same department's
支出总计 of the year before, same kind, from its own two documents, − 1) and ``execution_rate``
(决算 ÷ 预算 of the same year, final accounts: :mod:`schemas.normalised`). Nothing per head: the
warehouse ships no population reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Numeric, String, and_, case, cast, func, literal, null, select, union_all
from sqlalchemy.sql import Select

from schemas.base import MONEY
from schemas.figures import column
from schemas.normalised import v_execution
from schemas.views import v_department_year
from schemas.vocabulary import DEPARTMENT_BUDGET, FINAL_ACCOUNT

SHARE = Numeric(18, 6)  # a fraction of the ranking's stated total, 0.25 = a quarter
RATIO = Numeric(24, 6)  # a normalised comparison as a fraction: 0.0125 = 1.25 %
RANKED_KINDS = (DEPARTMENT_BUDGET, FINAL_ACCOUNT)
SCOPES = ("category", "group")  # compared_as: the department's category, or its category's group


@dataclass(frozen=True)
class Metric:
    label: str  # as printed in the documents
    unit: str  # yuan | ratio
    numerator: str  # a column of v_department_year (for yoy: this year's; execution: v_execution's)
    denominator: str | None = None


_EXPENDITURE, _THREE_PUBLIC = column("expenditure", "total"), column("three_public", "total")
_OPERATING, _BASIC = column("operating_expenses", "total"), column("expenditure", "basic")
METRICS: dict[str, Metric] = {
    "expenditure": Metric("支出总计", "yuan", _EXPENDITURE),
    "three_public": Metric("“三公”经费合计", "yuan", _THREE_PUBLIC),
    "operating": Metric("机关运行经费", "yuan", _OPERATING),
    "three_public_share": Metric("“三公”经费 ÷ 支出总计", "ratio", _THREE_PUBLIC, _EXPENDITURE),
    "operating_share": Metric("机关运行经费 ÷ 基本支出", "ratio", _OPERATING, _BASIC),
    "yoy_expenditure": Metric("支出总计 同比 (year on year)", "ratio", _EXPENDITURE, _EXPENDITURE),
    "execution_rate": Metric("决算 ÷ 预算 (execution)", "ratio", "final_expenditure_yuan",
                             "budget_expenditure_yuan"),
}


def _typed_null(type_):
    return cast(null(), type_)


def _ratio(numerator, denominator):
    return cast(case((denominator > 0, numerator / denominator)), RATIO)


def _branch(name: str, base, numerator, denominator, value_ratio, *joins):
    """One metric's rows: the department's identity, the value and (for a ratio) what is divided."""
    yuan = METRICS[name].unit == "yuan"
    placed = and_(base.c.region_code.is_not(None), base.c.admin_level.is_distinct_from("national"))
    province = case((placed, func.concat(func.substr(base.c.region_code, 1, 2), "0000")))  # a national body: none
    query = select(
        cast(literal(name), String(24)).label("metric"), base.c.fiscal_year, base.c.doc_kind,
        base.c.department_id, base.c.department_name, base.c.department_category, base.c.category_group,
        base.c.admin_level, base.c.body_type, base.c.region_code, base.c.region_name,
        cast(province, String(6)).label("province_region_code"),
        case((placed, base.c.province_name)).label("province_name"),
        cast(numerator, MONEY).label("value_yuan") if yuan else _typed_null(MONEY).label("value_yuan"),
        _typed_null(RATIO).label("value_ratio") if yuan else value_ratio.label("value_ratio"),
        _typed_null(MONEY).label("numerator_yuan") if yuan else cast(numerator, MONEY).label("numerator_yuan"),
        _typed_null(MONEY).label("denominator_yuan") if yuan else cast(denominator, MONEY).label("denominator_yuan"),
        base.c.expenditure_total_yuan, base.c.three_public_total_yuan, base.c.document_count,
        base.c.quality_failures,
    )
    source = base
    for other, on in joins:
        source = source.outerjoin(other, on)
    return query.select_from(source).where(base.c.doc_kind.in_(RANKED_KINDS),
                                           base.c.department_category.is_not(None))


def _metric_rows():
    base = v_department_year().cte("ranked_department_year")
    prev = base.alias("ranked_previous_year")
    execution = v_execution().subquery("ranked_execution")
    branches = []
    for name, metric in METRICS.items():
        if name == "yoy_expenditure":
            same = and_(prev.c.department_id == base.c.department_id, prev.c.doc_kind == base.c.doc_kind,
                        prev.c.fiscal_year == base.c.fiscal_year - 1)
            now, before = base.c.expenditure_total_yuan, prev.c.expenditure_total_yuan
            branches.append(_branch(name, base, now, before, _ratio(now - before, before), (prev, same)))
        elif name == "execution_rate":
            same = and_(execution.c.department_id == base.c.department_id,
                        execution.c.fiscal_year == base.c.fiscal_year)
            final, budget = execution.c.final_expenditure_yuan, execution.c.budget_expenditure_yuan
            branches.append(_branch(name, base, final, budget, _ratio(final, budget), (execution, same))
                            .where(base.c.doc_kind == FINAL_ACCOUNT))
        elif metric.unit == "yuan":
            branches.append(_branch(name, base, base.c[metric.numerator], None, None))
        else:
            num, den = base.c[metric.numerator], base.c[metric.denominator]
            branches.append(_branch(name, base, num, den, _ratio(num, den)))
    return union_all(*branches).subquery("metric_rows")


def _scoped():
    rows = _metric_rows()
    return union_all(*[
        select(cast(literal(scope), String(8)).label("compared_as"),
               (rows.c.department_category if scope == "category" else rows.c.category_group).label("comparison"),
               *rows.c)
        for scope in SCOPES
    ]).subquery("scoped")


def v_department_ranking() -> Select:
    """Every compared department-year per metric and scope, ranked within its level, its province
    at its level, and across levels (see the module doc)."""
    s = _scoped()
    value = func.coalesce(s.c.value_yuan, s.c.value_ratio)
    common = [s.c.metric, s.c.compared_as, s.c.comparison, s.c.fiscal_year, s.c.doc_kind, s.c.body_type]
    partitions = {"level": [*common, s.c.admin_level],
                  "province": [*common, s.c.admin_level, s.c.province_region_code], "all_levels": common}
    known = {"level": s.c.admin_level.is_not(None),
             "province": and_(s.c.admin_level.is_not(None), s.c.province_region_code.is_not(None)),
             "all_levels": s.c.body_type.is_not(None)}
    ranked = {}
    for name, partition in partitions.items():
        rank = func.rank().over(partition_by=partition, order_by=value.desc().nulls_last())
        total = func.sum(s.c.value_yuan).over(partition_by=partition)
        ranked[name] = (
            cast(case((and_(value.is_not(None), known[name]), rank)), Integer),
            cast(case((and_(s.c.value_yuan.is_not(None), known[name], total > 0), s.c.value_yuan / total)), SHARE),
            cast(case((known[name], func.count(value).over(partition_by=partition))), Integer),
        )
    return select(
        s.c.metric, s.c.compared_as, s.c.comparison, s.c.fiscal_year, s.c.doc_kind, s.c.admin_level, s.c.body_type,
        s.c.department_id, s.c.department_name, s.c.department_category, s.c.category_group, s.c.region_code,
        s.c.region_name, s.c.province_region_code, s.c.province_name, s.c.value_yuan, s.c.value_ratio,
        s.c.numerator_yuan, s.c.denominator_yuan,
        ranked["level"][0].label("rank_in_level"), ranked["level"][1].label("share_of_level"),
        ranked["level"][2].label("peers_in_level"),
        ranked["province"][0].label("rank_in_province"), ranked["province"][1].label("share_of_province"),
        ranked["province"][2].label("peers_in_province"),
        ranked["all_levels"][0].label("rank_all_levels"), ranked["all_levels"][1].label("share_all_levels"),
        ranked["all_levels"][2].label("peers_all_levels"),
        s.c.expenditure_total_yuan, s.c.three_public_total_yuan, s.c.document_count, s.c.quality_failures,
    )
