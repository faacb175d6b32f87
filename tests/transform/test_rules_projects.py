"""Project rules: each project once; Σ projects = 项目支出 only where the document lists them all."""

from decimal import Decimal

from tests.transform.facts_builder import budget_lines, projects, verdicts

PROJECTS = [("130127210XAPPLY3A5B8", "信访经费", "300000.00", "300000.00", "0"),
            ("130127216XE9YTA5MTOPX", "信访视频内网费用", "20000.00", "20000.00", "0"),
            ("13012721DA2B53SG8G9YK", "信访岗位津贴", "80000.00", "80000.00", "0")]
PROJECT_SPENDING = ("expenditure", "project", "40.00", "万元")


def run(items, lines=(PROJECT_SPENDING,)):
    return verdicts({"fct_project_budget": projects(items), "fct_budget_line": budget_lines(list(lines))})


def test_a_table_continued_on_the_next_page_is_not_a_second_project():
    # the seed's template rendered with each 绩效目标表 split across a page: the continuation
    # repeated the header and was read as a new project with no amount
    continued = PROJECTS + [("130127216XE9YTA5MTOPX", "信访视频内网费用", "", "", "")]
    row = run(continued)["project_listed_once"]
    assert row["passed"] is False and row["severity"] == "error"
    assert (row["expected"], row["actual"]) == (Decimal(3), Decimal(4))
    assert "信访视频内网费用" in row["message"] and "×2" in row["message"]
    assert run(PROJECTS)["project_listed_once"]["passed"] is True


def test_projects_without_a_code_are_told_apart_by_name():
    unnamed = [("", "办公楼维修", "10.00", "10.00", "0"), ("", "办公楼维修", "10.00", "10.00", "0")]
    assert run(unnamed)["project_listed_once"]["passed"] is False


def test_no_statement_of_completeness_means_no_equality_with_project_spending():
    results = run(PROJECTS)  # 40万 = 300,000 + 20,000 + 80,000, but nothing says these are all
    row = results["project_budgets_sum_to_project_expenditure"]
    assert row["passed"] is None and "does not say its project tables list every project" in row["message"]
    within = results["project_budgets_within_project_expenditure"]
    assert (within["passed"], within["expected"], within["actual"]) == (True, Decimal("400000.00"), Decimal("400000.00"))


def test_the_project_tables_own_total_makes_the_list_complete():
    lines = [PROJECT_SPENDING, ("project_list", "total", "400000.00", "元")]
    results = run(PROJECTS, lines)
    assert results["project_budgets_sum_to_project_expenditure"]["passed"] is True
    assert "prints its own 合计" in results["project_budgets_sum_to_project_expenditure"]["message"]
    assert results["project_budgets_sum_to_list_total"]["passed"] is True
    # one row lost in reading: the table's 合计 says so, and 项目支出 no longer adds up
    results = run(PROJECTS[:2], lines)
    assert results["project_budgets_sum_to_list_total"]["passed"] is False
    row = results["project_budgets_sum_to_project_expenditure"]
    assert row["passed"] is False and row["difference"] == Decimal("80000.00")


def test_a_stated_count_completes_the_list_only_when_every_project_was_read():
    lines = [PROJECT_SPENDING, ("project_list", "count", "3", "")]
    assert run(PROJECTS, lines)["project_budgets_sum_to_project_expenditure"]["passed"] is True
    row = run(PROJECTS[:2], lines)["project_budgets_sum_to_project_expenditure"]
    assert row["passed"] is None  # 3 stated, 2 read: the list we have is not the whole


def test_a_selection_of_projects_may_not_exceed_project_spending():
    lines = [("expenditure", "project", "35.00", "万元")]
    row = run(PROJECTS, lines)["project_budgets_within_project_expenditure"]
    assert row["passed"] is False and row["difference"] == Decimal("-50000.00")


def test_project_funds_add_up_and_other_funds_count_where_printed():
    bad = [("X1", "a", "100.00", "90.00", "0"), ("X2", "b", "50.00", "40.00", "10.00"), ("X3", "c", "7.00", "7.00", "")]
    row = run(bad)["project_funds_equal_amount"]
    assert row["passed"] is False and "1 of 3 projects differ: a" in row["message"]
    assert (row["expected"], row["actual"]) == (Decimal("147.00"), Decimal("157.00"))


def test_without_project_tables_project_rules_are_not_evaluated():
    results = verdicts({"fct_budget_line": budget_lines([PROJECT_SPENDING])})
    for code in ("project_listed_once", "project_funds_equal_amount", "project_budgets_sum_to_list_total",
                 "project_budgets_sum_to_project_expenditure", "project_budgets_within_project_expenditure",
                 "spending_plan_cumulative", "project_codes_match_region"):
        assert results[code]["passed"] is None, code
        assert "not evaluated, not stated:" in results[code]["message"], code
