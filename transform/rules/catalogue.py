"""The data-quality rule catalogue: every rule, one row each, in one explicit list.

To add a rule, add a row here (a :class:`~transform.rules.model.Rule`): a "total = sum of
parts" or "narrative = table" rule is declared by its inputs alone (:mod:`transform.rules.kinds`);
anything else names a test function (:mod:`transform.rules.checks`, :mod:`transform.rules.projects`).
A rule over many documents (category ``cross_document``: this year's 上年 figures vs last
year's document, a final account vs its budget, a year missing, a department vs its units)
is declared in ``CROSS_DOCUMENT_RULES`` with a :class:`~transform.rules.model.Declared` test
naming its inputs; a separate evaluator over many documents' frames computes its results,
taking code, severity and title from these rows (:func:`rule`). The per-document evaluator
(:func:`transform.quality.run_rules`) runs ``DOCUMENT_RULES`` only.

The catalogue is checked when it loads (:func:`validated`): codes unique and no longer than
``fct_data_quality.rule_code`` (a 49-character code in String(48) once broke every
PostgreSQL load), severity, category and tolerance from their closed lists, test of the
right kind for the category. A bad row raises :class:`ContractError` at import: a bug.

Identities follow the 收支总表 with its balancing rows (budgets and 决算 alike):
收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转; 本年收入合计 = Σ sources (财政拨款收入
instead of, never beside, its parts); 支出总计 = 本年支出合计 + 结余分配 + 结转下年/年末结转和结余;
本年支出合计 = 基本支出 + 项目支出 (+ 其他, 经营支出, 对附属单位补助支出, 上缴上级支出 where stated).
"""

from __future__ import annotations

from schemas import table
from schemas.errors import ContractError
from transform.cross_document_rules import CROSS_DOCUMENT_RULES
from transform.rules import checks, projects
from transform.rules.kinds import TERMS, Custom, Either, NarrativeVsTable, Parts, Ref, SumOf, term
from transform.rules.model import CATEGORIES, SEVERITIES, SLIP, TOLERANCES, Declared, DocumentTest, Rule

RULE_CODE_WIDTH: int = table("fct_data_quality").c.rule_code.type.length


def _refs(statement: str, *items: str) -> tuple[Ref, ...]:
    return tuple(Ref(statement, item) for item in items)


# 本年收入合计's sources; 财政拨款收入 (one aggregate row) counts instead of its three parts.
REVENUE_SOURCES = Parts(optional=(
    Either(Ref("revenue", "fiscal_grant"), Parts(optional=_refs("revenue", "general_budget", "gov_fund",
                                                                "state_capital"))),
    *_refs("revenue", "special_account", "operating_income", "business_income", "superior_subsidy",
           "subordinate_remit", "other"),
))
REVENUE_BALANCES = _refs("revenue", "non_fiscal_balance_used", "carryover")
EXPENDITURE_PARTS = Parts(required=_refs("expenditure", "basic", "project"),
                          optional=_refs("expenditure", "other", "business", "subsidy_to_subordinate",
                                         "remit_to_superior"))
EXPENDITURE_BALANCES = _refs("expenditure", "balance_distribution", "carryover")
THREE_PUBLIC_VEHICLE = Either(Ref("three_public", "vehicle"),
                              Parts(required=_refs("three_public", "vehicle_purchase", "vehicle_operation")))
# the parts of 固定资产总额 a document prints (large_equipment: the seed table's 单价20万元以上设备 row)
ASSET_CATEGORIES = _refs("asset", "buildings", "vehicles", "equipment", "large_equipment", "furniture",
                         "intangible", "other")


def _sum(code: str, title: str, total: Ref, parts: Parts, description: str = "", unread: tuple[str, ...] = ()) -> Rule:
    return Rule(code, title, "error", "identity", "printed", SumOf(total, parts, unread), description, SLIP)


# rows of the 收支总表 read with a figure no vocabulary word names (extract.parse.summary_tables)
UNREAD_SOURCES = ("revenue.unmapped_source",)
UNREAD_REVENUE = ("revenue.unmapped_source", "revenue.unmapped_balance")
UNREAD_PARTS = ("expenditure.unmapped_part",)
UNREAD_EXPENDITURE = ("expenditure.unmapped_part", "expenditure.unmapped_balance")


def _nvt(statement: str, item: str, short: str | None = None, loose: Ref | None = None) -> Rule:
    code = f"{short or f'{statement}_{item}'}_narrative_vs_table"
    description = f"a narrative {TERMS[f'{statement}.{item}']} that is the table's {TERMS[loose.name]} is that figure" \
        if loose else ""
    return Rule(code, f"{term(f'{statement}.{item}')}: narrative = table", "error", "narrative_vs_table",
                "narrative_printed", NarrativeVsTable(Ref(statement, item), loose), description, SLIP)


IDENTITIES: tuple[Rule, ...] = (
    _sum("revenue_total_equals_sources", "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转",
         Ref("revenue", "total"),
         Parts(required=(Either(Ref("revenue", "this_year"), REVENUE_SOURCES),), optional=REVENUE_BALANCES),
         "本年收入合计 where printed, else its stated sources; balancing rows where stated", UNREAD_REVENUE),
    _sum("revenue_this_year_equals_sources", "本年收入合计 = Σ 收入来源", Ref("revenue", "this_year"),
         REVENUE_SOURCES, "财政拨款收入 counts instead of 一般公共预算/政府性基金/国有资本经营 where printed",
         UNREAD_SOURCES),
    _sum("expenditure_total_equals_parts", "支出总计 = 本年支出合计 + 结余分配 + 结转下年",
         Ref("expenditure", "total"),
         Parts(required=(Either(Ref("expenditure", "this_year"), EXPENDITURE_PARTS),), optional=EXPENDITURE_BALANCES),
         "本年支出合计 where printed, else 基本 + 项目 (+ other parts); 决算: 年末结转和结余", UNREAD_EXPENDITURE),
    _sum("expenditure_this_year_equals_parts", "本年支出合计 = 基本支出 + 项目支出 (+ 其他, 经营, 补助附属, 上缴上级)",
         Ref("expenditure", "this_year"), EXPENDITURE_PARTS, unread=UNREAD_PARTS),
    _sum("revenue_equals_expenditure", "收入总计 = 支出总计", Ref("revenue", "total"),
         Parts(required=(Ref("expenditure", "total"),)), "grand totals only, never 本年 against 总计"),
    _sum("three_public_total_equals_parts", '"三公" total = abroad + vehicles + reception', Ref("three_public", "total"),
         Parts(required=(Ref("three_public", "abroad"), THREE_PUBLIC_VEHICLE, Ref("three_public", "reception")))),
    _sum("three_public_vehicle_equals_parts", "vehicles = purchase + operation", Ref("three_public", "vehicle"),
         Parts(required=_refs("three_public", "vehicle_purchase", "vehicle_operation"))),
    _sum("three_public_grand_total_equals_parts", '"三公" + 会议费 + 培训费 合计 = its parts',
         Ref("three_public", "grand_total"), Parts(required=_refs("three_public", "total", "meeting", "training"))),
    _sum("assets_total_equals_categories", "资产总额 = Σ asset categories", Ref("asset", "total"),
         Parts(optional=ASSET_CATEGORIES), "the categories the asset table lists"),
    *(Rule(f"change_pct_{item}", f"stated change % of {item} agrees with the amounts", "error", "identity",
           "pct_points", Custom((f"change.{item}", f"change.{item}%", f"expenditure.{item}"), checks.change_pct(item)),
           "change / (current − change), over every rounding of the printed amounts")
      for item in ("total", "basic", "project", "other")),
    Rule("function_lines_sum_to_class_totals", "功能分类: 类/款 = Σ their 款/项 lines", "error", "identity", "printed",
         Custom(("fct_expenditure_by_function",), checks.classification_lines("function")), slip=SLIP),
    Rule("economic_lines_sum_to_class_totals", "经济分类: 类 = Σ its 款 lines", "error", "identity", "printed",
         Custom(("fct_expenditure_by_economic",), checks.classification_lines("economic")), slip=SLIP),
    Rule("classification_codes_unique", "each 功能/经济分类 code is printed for one name", "warning", "completeness",
         "exact", Custom(("fct_expenditure_by_function", "fct_expenditure_by_economic"),
                         checks.classification_codes_unique)),
    Rule("project_funds_equal_amount", "each project's 预算数 = 财政资金 + 其他资金", "error", "identity", "exact",
         Custom(("fct_project_budget",), projects.funds_equal_amount)),
    Rule("project_budgets_sum_to_list_total", "Σ project 预算数 = the project table's own 合计", "error", "identity",
         "printed", Custom(("fct_project_budget", "project_list.total|selection_total"), projects.sum_to_list_total,
                           "unreconciled"), slip=SLIP),
    Rule("project_budgets_sum_to_project_expenditure", "Σ project 预算数 = 项目支出", "error", "identity", "printed",
         Custom(("fct_project_budget", "expenditure.project", "project_list.total|count"),
                projects.sum_to_project_expenditure, "unreconciled"),
         "only where the document lists every project (its own 合计 — not a 重点项目 list's —, or a stated count "
         "equal to the projects read)", SLIP),
    Rule("project_budgets_within_project_expenditure", "Σ project 预算数 ≤ 项目支出", "error", "identity", "printed",
         Custom(("fct_project_budget", "expenditure.project"), projects.within_project_expenditure, "unreconciled"),
         "a list of some projects never exceeds the whole", SLIP),
)

NARRATIVE_VS_TABLE: tuple[Rule, ...] = (
    # 决算 narratives call 本年收入合计/本年支出合计 "收入总计"/"支出总计" (西南大学 2023: 收入总计 430,725.03)
    _nvt("revenue", "total", loose=Ref("revenue", "this_year")),
    _nvt("expenditure", "total", loose=Ref("expenditure", "this_year")),
    _nvt("revenue", "this_year"), _nvt("expenditure", "this_year"),
    _nvt("revenue", "non_fiscal_balance_used", "revenue_balance_used"), _nvt("revenue", "carryover"),
    _nvt("expenditure", "balance_distribution", "expenditure_distribution"), _nvt("expenditure", "carryover"),
    _nvt("expenditure", "basic"), _nvt("expenditure", "project"),
    *(_nvt("three_public", item) for item in ("total", "abroad", "vehicle", "vehicle_purchase")),
    # was three_public_vehicle_operation_narrative_vs_table: 49 characters, which String(48) refused
    _nvt("three_public", "vehicle_operation", "three_public_vehicle_op"), _nvt("three_public", "reception"),
    _nvt("operating_expenses", "total", "operating_expenses"),
)

COMPLETENESS: tuple[Rule, ...] = (
    Rule("figures_readable", "every printed figure reads as a number", "error", "completeness", "exact",
         Custom(("fct_budget_line", "fct_three_public", "fct_procurement"), checks.figures_readable, "unreconciled")),
    Rule("project_listed_once", "each project once", "error", "completeness", "exact",
         Custom(("fct_project_budget",), projects.listed_once, "unreconciled"),
         "a table continued across pages is not a new project"),
    Rule("stated_year_matches_fiscal_year", "years printed beside the totals = the fiscal year", "warning",
         "completeness", "exact", Custom(("dim_document.fiscal_year", "stg_stated_year"), checks.stated_year)),
    Rule("fiscal_year_printed", "the fiscal year is printed in the document", "warning", "completeness", "exact",
         Custom(("dim_document.fiscal_year_source",), checks.fiscal_year_printed, "unreconciled"),
         "a volume that prints none takes it from a sibling volume, its link text, file name or address"),
    Rule("spending_plan_cumulative", "spending-plan percentages rise within 0–100%", "warning", "completeness",
         "exact", Custom(("fct_spending_plan",), projects.spending_plan_cumulative)),
    Rule("project_codes_match_region", "county project codes begin with the region code", "warning",
         "completeness", "exact", Custom(("fct_project_budget", "dim_document.region_code"),
                                         projects.codes_match_region, "unreconciled")),
)

# Rules over many documents: Rule(code, title, severity, "cross_document", tolerance, Declared(inputs)),
# declared in transform.cross_document_rules and evaluated by transform.cross_document over many
# documents' frames (never per document).


def validated(rules: tuple[Rule, ...], width: int = RULE_CODE_WIDTH) -> tuple[Rule, ...]:
    """``rules`` unchanged, or ContractError naming every bad row."""
    problems, seen = [], set()
    for rule in rules:
        if len(rule.code) > width:
            problems.append(f"{rule.code!r} is {len(rule.code)} characters; fct_data_quality.rule_code holds {width}")
        if rule.code in seen:
            problems.append(f"{rule.code!r} is declared twice")
        seen.add(rule.code)
        if rule.severity not in SEVERITIES or rule.category not in CATEGORIES or rule.tolerance not in TOLERANCES:
            problems.append(f"{rule.code!r}: severity/category/tolerance {rule.severity}/{rule.category}/"
                            f"{rule.tolerance} not in {SEVERITIES}/{CATEGORIES}/{tuple(TOLERANCES)}")
        kind = Declared if rule.cross_document else DocumentTest
        if not isinstance(rule.test, kind):
            problems.append(f"{rule.code!r}: a {rule.category} rule needs a {kind.__name__} test")
    if problems:
        raise ContractError("rule catalogue: " + "; ".join(problems))
    return rules


CATALOGUE: tuple[Rule, ...] = validated(IDENTITIES + NARRATIVE_VS_TABLE + COMPLETENESS + CROSS_DOCUMENT_RULES)
DOCUMENT_RULES: tuple[Rule, ...] = tuple(r for r in CATALOGUE if not r.cross_document)
_BY_CODE: dict[str, Rule] = {r.code: r for r in CATALOGUE}


def rule(code: str) -> Rule:
    """A rule by its code (for evaluators outside the per-document run); KeyError names the code."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no rule {code!r} in the catalogue") from None
