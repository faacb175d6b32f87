"""Data-quality rules on the seed and on seeds altered to break one identity each."""

from datetime import datetime, timezone

import pytest

from flows.pipeline import prepare
from tests.conftest import SEED_PATH
from transform.rules.catalogue import DOCUMENT_RULES

SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)


def checks(text: str) -> dict[str, tuple]:
    prepared = prepare(text.encode("utf-8"), "test://seed", loaded_at=WHEN)
    assert prepared.status == "loaded", prepared.reason
    frame = prepared.frames["fct_data_quality"]
    return {row["rule_code"]: (row["passed"], row["severity"], row["expected"], row["actual"], row["message"])
            for row in frame.to_dicts()}


SEED_PASSES = {
    "revenue_total_equals_sources", "expenditure_total_equals_parts", "revenue_equals_expenditure",
    "three_public_total_equals_parts", "three_public_vehicle_equals_parts", "assets_total_equals_categories",
    "change_pct_total", "change_pct_basic", "change_pct_project", "change_pct_other", "project_funds_equal_amount",
    "project_budgets_within_project_expenditure", "figures_readable", "project_listed_once",
    "spending_plan_cumulative", "project_codes_match_region", "fiscal_year_printed",
}


def test_every_rule_passes_on_the_seed_except_the_year_slip():
    results = checks(SEED_TEXT)
    assert len(results) == len(DOCUMENT_RULES)  # one row per rule, evaluated or not
    verdicts = {code: passed for code, (passed, *_rest) in results.items()}
    assert {code for code, v in verdicts.items() if v is True} == SEED_PASSES
    assert {code for code, v in verdicts.items() if v is False} == {"stated_year_matches_fiscal_year"}
    passed, severity, expected, actual, message = results["stated_year_matches_fiscal_year"]
    assert (severity, expected, actual) == ("warning", 2021, 2020)
    assert "2020" in message and "line 30" in message


def test_seed_rules_without_inputs_name_what_is_missing():
    results = checks(SEED_TEXT)
    # the seed prints no 本年收入合计 line: not evaluated, never computed from zeros
    passed, _, expected, actual, message = results["revenue_this_year_equals_sources"]
    assert (passed, expected, actual) == (None, None, None)
    assert "not evaluated, not stated: revenue.this_year (本年收入合计)" in message
    # ten project tables, but nothing says they are all the projects: no equality with 项目支出
    passed, *_rest, message = results["project_budgets_sum_to_project_expenditure"]
    assert passed is None and "project_list.total" in message and "list every project" in message


def test_year_slip_passes_once_corrected():
    assert checks(SEED_TEXT.replace("2020年预算收入", "2021年预算收入"))["stated_year_matches_fiscal_year"][0] is True


@pytest.mark.parametrize(
    "old, new, rule",
    [
        ("“三公”经费预算安排1.06万元", "“三公”经费预算安排1.16万元", "three_public_total_equals_parts"),
        ("公务用车购置及运维费1万元", "公务用车购置及运维费2万元", "three_public_vehicle_equals_parts"),
        ("基本支出111万元", "基本支出112万元", "expenditure_total_equals_parts"),
        ("一般公共预算拨款收入242.24万元", "一般公共预算拨款收入240.24万元", "revenue_total_equals_sources"),
        ("2021年支出预算242.24万元", "2021年支出预算243.24万元", "revenue_equals_expenditure"),
        ("增加80.67%", "增加70.67%", "change_pct_project"),
        ("资产总额\t——\t89.022001", "资产总额\t——\t89.122001", "assets_total_equals_categories"),
        ("预算数\t300000.00", "预算数\t310000.00", "project_budgets_within_project_expenditure"),
        ("其中：财政资金\t300000.00", "其中：财政资金\t290000.00", "project_funds_equal_amount"),
    ],
)
def test_a_broken_identity_fails_its_rule_and_keeps_both_figures(old, new, rule):
    assert old in SEED_TEXT
    results = checks(SEED_TEXT.replace(old, new, 1))
    passed, severity, expected, actual, message = results[rule]
    assert passed is False and severity == "error"
    assert expected != actual
    assert ": fails (" in message


def test_tolerance_follows_printed_precision():
    # 0.004万元 = 40 yuan: inside the ±50 yuan a two-decimal 万元 figure may hide
    results = checks(SEED_TEXT.replace("基本支出111万元", "基本支出111.004万元"))
    assert results["expenditure_total_equals_parts"][0] is True
    results = checks(SEED_TEXT.replace("基本支出111万元", "基本支出111.02万元"))
    assert results["expenditure_total_equals_parts"][0] is False


def test_missing_figure_means_not_evaluated_not_passed():
    text = SEED_TEXT.replace("机关运行经费共计安排14.33万元", "机关运行经费另行公开")
    text = text.replace("“三公”经费预算安排1.06万元，与上年持平。", "")
    results = checks(text)
    passed, _, expected, actual, message = results["three_public_total_equals_parts"]
    assert passed is None and actual is None and "not evaluated" in message
    assert "three_public.total" in message
