"""The 收支总表 identities with their balancing rows, on frames built as real documents print them.

Figures: a university budget (西南大学 2021, ../shared/corpus/cases/01: 收入总计 490,808.40万 =
本年收入合计 390,140.45 + 使用非财政拨款结余 18,953.78 + 上年结转; 支出总计 = 本年支出合计 415,808.40
+ 结转下年 75,000.00) and a final account (西南大学 2023 决算, case 02: both grand totals labelled
合计 569,496.54; 本年支出合计 457,676.75 = basic 359,781.59 + project 97,895.15 + 0.01 rounding).
The source splits not on those pages are invented but add up.
"""

from decimal import Decimal

import pytest

from tests.transform.facts_builder import budget_lines, verdicts

W = "万元"
BUDGET_01 = [
    ("revenue", "total", "490,808.40", W), ("revenue", "this_year", "390,140.45", W),
    ("revenue", "fiscal_grant", "216,552.53", W), ("revenue", "general_budget", "216,552.53", W),
    ("revenue", "operating_income", "150,000.00", W), ("revenue", "other", "23,587.92", W),
    ("revenue", "non_fiscal_balance_used", "18,953.78", W), ("revenue", "carryover", "81,714.17", W),
    ("expenditure", "total", "490,808.40", W), ("expenditure", "this_year", "415,808.40", W),
    ("expenditure", "basic", "326,582.94", W), ("expenditure", "project", "89,225.46", W),
    ("expenditure", "carryover", "75,000.00", W),
    # the narrative: 收支总预算 is the grand total; it misprints 使用非财政拨款结余
    ("revenue", "total", "490,808.40", W, "narrative"), ("revenue", "this_year", "390,140.45", W, "narrative"),
    ("revenue", "non_fiscal_balance_used", "18,953.73", W, "narrative"),
]
FINAL_02 = [
    ("revenue", "total", "569,496.54", W), ("revenue", "this_year", "430,725.03", W),
    ("revenue", "fiscal_grant", "200,000.00", W), ("revenue", "operating_income", "200,000.00", W),
    ("revenue", "business_income", "725.03", W), ("revenue", "other", "30,000.00", W),
    ("revenue", "non_fiscal_balance_used", "12,000.00", W), ("revenue", "carryover", "126,771.51", W),
    ("expenditure", "total", "569,496.54", W), ("expenditure", "this_year", "457,676.75", W),
    ("expenditure", "basic", "359,781.59", W), ("expenditure", "project", "97,895.15", W),
    ("expenditure", "balance_distribution", "1,234.56", W), ("expenditure", "carryover", "110,585.23", W),
]
IDENTITIES = ("revenue_total_equals_sources", "revenue_this_year_equals_sources", "expenditure_total_equals_parts",
              "expenditure_this_year_equals_parts", "revenue_equals_expenditure")


def run(lines):
    return verdicts({"fct_budget_line": budget_lines(lines)})


@pytest.mark.parametrize("lines", [BUDGET_01, FINAL_02], ids=["budget_01", "final_account_02"])
def test_balancing_rows_make_every_identity_hold(lines):
    results = run(lines)
    assert {code: results[code]["passed"] for code in IDENTITIES} == dict.fromkeys(IDENTITIES, True)


def test_final_account_expenditure_adds_balance_distribution_and_year_end_balance():
    row = run(FINAL_02)["expenditure_total_equals_parts"]
    assert (row["expected"], row["actual"], row["difference"]) == (
        Decimal("5694965400.00"), Decimal("5694965400.00"), Decimal("0.00"))
    # 457,676.75 = 359,781.59 + 97,895.15 + 0.01: within three figures' rounding at 0.01万 (±50 yuan each)
    row = run(FINAL_02)["expenditure_this_year_equals_parts"]
    assert row["passed"] is True and row["difference"] == Decimal("100.00") and row["tolerance"] == Decimal("150")


def test_only_contradiction_of_the_budget_is_the_narratives_balance_used():
    results = run(BUDGET_01)
    failed = {code: r for code, r in results.items() if r["passed"] is False}
    assert list(failed) == ["revenue_balance_used_narrative_vs_table"]
    row = failed["revenue_balance_used_narrative_vs_table"]
    assert (row["expected"], row["actual"], row["difference"]) == (
        Decimal("189537800.00"), Decimal("189537300.00"), Decimal("-500.00"))
    assert row["tolerance"] == Decimal("100")  # ±50 yuan for each figure printed to 0.01万
    assert results["revenue_total_narrative_vs_table"]["passed"] is True
    assert results["revenue_this_year_narrative_vs_table"]["passed"] is True


def test_fiscal_grant_aggregate_counts_instead_of_its_parts():
    # 财政拨款收入 216,552.53 and its part 一般公共预算 216,552.53 are both printed: adding both
    # would derive 606,692.98 and fail; the aggregate replaces its parts
    row = run(BUDGET_01)["revenue_this_year_equals_sources"]
    assert row["passed"] is True and row["expected"] == Decimal("3901404500.00")
    without_aggregate = [line for line in BUDGET_01 if line[1] != "fiscal_grant"]
    row = run(without_aggregate)["revenue_this_year_equals_sources"]
    assert row["passed"] is True and row["expected"] == Decimal("3901404500.00")


def test_a_broken_balancing_row_fails_with_both_figures():
    lines = [line if line[:2] != ("revenue", "carryover") else ("revenue", "carryover", "81,700.00", W)
             for line in BUDGET_01]
    row = run(lines)["revenue_total_equals_sources"]
    assert row["passed"] is False
    assert (row["expected"], row["actual"], row["difference"]) == (
        Decimal("4907942300.00"), Decimal("4908084000.00"), Decimal("141700.00"))
    assert "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转: fails" in row["message"]


def test_without_this_year_the_grand_total_is_checked_against_the_sources_and_balances():
    lines = [line for line in BUDGET_01 if line[1] != "this_year" and line[4:] != ("narrative",)]
    results = run(lines)
    assert results["revenue_total_equals_sources"]["passed"] is True
    assert results["revenue_total_equals_sources"]["expected"] == Decimal("4908084000.00")
    assert results["expenditure_total_equals_parts"]["passed"] is True  # basic + project + 结转下年
    row = results["revenue_this_year_equals_sources"]
    assert row["passed"] is None and "revenue.this_year (本年收入合计)" in row["message"]


def test_a_missing_part_is_not_evaluated_never_a_derived_zero():
    # 西安 宣传部: 支出总计 printed, no 基本/项目 split and no 本年支出合计 → once "derived 0.00" and failed
    lines = [("expenditure", "total", "258,596,001.79", "元"), ("expenditure", "carryover", "0.00", "元"),
             ("revenue", "total", "258,596,001.79", "元")]
    results = run(lines)
    row = results["expenditure_total_equals_parts"]
    assert (row["passed"], row["expected"], row["actual"]) == (None, None, None)
    assert "expenditure.this_year or its parts (expenditure.basic, expenditure.project)" in row["message"]
    assert results["revenue_equals_expenditure"]["passed"] is True
    # basic printed without project: 本年支出合计 = basic + project is not evaluated either
    row = run(lines + [("expenditure", "this_year", "258,596,001.79", "元"),
                       ("expenditure", "basic", "100.00", "元")])["expenditure_this_year_equals_parts"]
    assert row["passed"] is None and "expenditure.project (项目支出)" in row["message"]


def test_this_year_is_never_compared_with_a_grand_total():
    # only 本年 figures on each side: revenue = expenditure compares grand totals, so it waits
    lines = [("revenue", "this_year", "390,140.45", W), ("expenditure", "this_year", "415,808.40", W)]
    row = run(lines)["revenue_equals_expenditure"]
    assert row["passed"] is None and "revenue.total (收入总计)" in row["message"]


def test_tolerance_follows_printed_precision():
    # 元 tables: ±0.005 per figure; a 1-yuan gap fails
    lines = [("expenditure", "this_year", "1,000.00", "元"), ("expenditure", "basic", "600.00", "元"),
             ("expenditure", "project", "399.00", "元")]
    row = run(lines)["expenditure_this_year_equals_parts"]
    assert row["passed"] is False and row["tolerance"] == Decimal("0.015") and row["difference"] == Decimal("1.00")
    # the same in 万元 to two decimals hides ±50 yuan a figure
    lines = [("expenditure", "this_year", "1,000.00", W), ("expenditure", "basic", "600.00", W),
             ("expenditure", "project", "399.99", W)]
    row = run(lines)["expenditure_this_year_equals_parts"]
    assert row["passed"] is True and row["difference"] == Decimal("100.00")


def test_narrative_rounded_to_whole_wan_is_compared_at_its_printed_precision():
    lines = [("expenditure", "total", "70,716,064.00", "元"), ("expenditure", "total", "7,072", W, "narrative")]
    row = run(lines)["expenditure_total_narrative_vs_table"]
    assert row["passed"] is True and row["tolerance"] == Decimal("5000.005")
    lines = [("expenditure", "total", "70,716,064.00", "元"), ("expenditure", "total", "7,073", W, "narrative")]
    assert run(lines)["expenditure_total_narrative_vs_table"]["passed"] is False


def test_final_account_narrative_calling_this_years_revenue_its_total_is_no_contradiction():
    # 西南大学 2023 决算 p16: "学校 2023 年度收入总计 430,725.03 万元" is the 收入决算表's 本年收入合计,
    # "各项支出总计 457,676.75 万元" its 本年支出合计; the 收支决算总表's 合计 is 569,496.54
    lines = FINAL_02 + [("revenue", "total", "430,725.03", W, "narrative"),
                        ("expenditure", "total", "457,676.75", W, "narrative")]
    results = run(lines)
    assert [code for code, r in results.items() if r["passed"] is False] == []
    row = results["revenue_total_narrative_vs_table"]
    assert row["passed"] is None
    assert "the narrative's 430,725.03万元 under that label is the table's revenue.this_year (本年收入合计)" in row["message"]
    # a narrative total that is neither table figure is a contradiction
    lines = FINAL_02 + [("revenue", "total", "430,725.00", W, "narrative")]
    row = run(lines)["revenue_total_narrative_vs_table"]
    assert row["passed"] is False and row["difference"] == Decimal("-1387715400.00")
