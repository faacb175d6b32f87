"""Cross-document rules on small, hand-made warehouses: each rule's pass, failure and "not evaluated"."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from transform.cross_document import run_cross_document_rules
from schemas.errors import ContractError
from transform.cross_document_rules import CROSS_DOCUMENT_RULES
from transform.rules.catalogue import CATALOGUE, validated
from transform.rules.model import Declared, Rule

DOC_COLUMNS = {"document_id": pl.Utf8, "status": pl.Utf8, "region_code": pl.Utf8, "department_id": pl.Utf8,
               "department_name": pl.Utf8, "parent_department_name": pl.Utf8, "fiscal_year": pl.Int64,
               "doc_kind": pl.Utf8}
FIGURE_COLUMNS = {"document_id": pl.Utf8, "statement": pl.Utf8, "item": pl.Utf8, "source": pl.Utf8,
                  "amount_yuan": pl.Decimal(18, 2), "stated_text": pl.Utf8, "stated_unit": pl.Utf8, "label": pl.Utf8,
                  "page_no": pl.Int64, "line_no": pl.Int64, "source_text": pl.Utf8}


class Warehouse:
    def __init__(self):
        self.docs, self.figures, self.units = [], [], []

    def doc(self, doc_id, year, kind="department_budget", dept="d1", name="某某县信访局", parent=None,
            status="loaded", region="130127"):
        self.docs.append({"document_id": doc_id, "status": status, "region_code": region, "department_id": dept,
                          "department_name": name, "parent_department_name": parent, "fiscal_year": year,
                          "doc_kind": kind})
        return self

    def fig(self, doc_id, statement, item, wan: str, label="", source="table", page=1):
        yuan = (Decimal(wan) * 10000).quantize(Decimal("0.01"))
        self.figures.append({"document_id": doc_id, "statement": statement, "item": item, "source": source,
                             "amount_yuan": yuan, "stated_text": wan, "stated_unit": "万元", "label": label,
                             "page_no": page, "line_no": 7, "source_text": f"{label} {wan}万元"})
        return self

    def unit(self, doc_id, name):
        self.units.append({"document_id": doc_id, "unit_name": name})
        return self

    def run(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        out = run_cross_document_rules(pl.DataFrame(self.docs, schema=DOC_COLUMNS, orient="row"),
                                       pl.DataFrame(self.figures, schema=FIGURE_COLUMNS, orient="row"),
                                       pl.DataFrame(self.units, schema={"document_id": pl.Utf8, "unit_name": pl.Utf8},
                                                    orient="row"))
        return out["fct_cross_document_check"], out["fct_cross_document_evidence"]


def _only(checks: pl.DataFrame, rule: str, item: str | None = None) -> dict:
    rows = checks.filter((pl.col("rule_code") == rule) & (pl.col("item").eq_missing(item) if item else True))
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def _two_years(change_wan: str, label: str = "较2025年预算增加{}万元") -> Warehouse:
    w = Warehouse().doc("a25", 2025).doc("a26", 2026)
    w.fig("a25", "expenditure", "total", "200.00", page=3)
    w.fig("a26", "expenditure", "total", "242.24", page=4)
    return w.fig("a26", "change", "total", change_wan, label=label.format(change_wan), source="narrative", page=2)


def test_a_stated_prior_year_figure_that_matches_last_years_document_passes():
    checks, evidence = _two_years("42.24").run()
    row = _only(checks, "prior_year_figure_matches_last_year", "total")
    assert row["passed"] is True and row["expected"] == row["actual"] == Decimal("2000000.00")
    assert row["tolerance"] == Decimal("150.00")  # three figures printed in 万元 to two places
    roles = evidence.filter(pl.col("check_id") == row["check_id"]).sort("document_id").rows()
    assert [(r[1], r[2], r[4]) for r in roles] == [("a25", "last_year", 3), ("a26", "this_year", 4)]


def test_a_stated_prior_year_figure_that_does_not_match_fails_with_both_figures():
    row = _only(_two_years("30.00").run()[0], "prior_year_figure_matches_last_year", "total")
    assert row["passed"] is False
    assert (row["expected"], row["actual"], row["difference"]) == (
        Decimal("2000000.00"), Decimal("2122400.00"), Decimal("122400.00"))
    assert row["severity"] == "warning" and "differs by 122400" in row["message"]


def test_a_change_against_the_execution_estimate_is_not_evaluated():
    row = _only(_two_years("30.00", "比2025年预算执行数增加{}万元").run()[0], "prior_year_figure_matches_last_year", "total")
    assert row["passed"] is None and "预算执行数" in row["message"]


def test_without_last_years_document_the_rule_names_what_is_missing():
    w = Warehouse().doc("a26", 2026).fig("a26", "expenditure", "total", "242.24")
    w.fig("a26", "change", "total", "42.24", label="较2025年预算增加42.24万元", source="narrative")
    row = _only(w.run()[0], "prior_year_figure_matches_last_year", "total")
    assert row["passed"] is None and "no 2025 budget of this department is loaded" in row["message"]
    assert row["expected"] is None and row["actual"] is None


def test_two_volumes_of_one_year_count_as_one_and_tables_win():
    w = _two_years("42.24").doc("a26b", 2026)  # the tables volume of the same department-year
    w.fig("a26b", "expenditure", "total", "242.24", page=9)
    w.figures = [f for f in w.figures if not (f["document_id"] == "a26" and f["statement"] == "expenditure")]
    w.fig("a26", "expenditure", "total", "242", source="narrative")
    checks, evidence = w.run()
    row = _only(checks, "prior_year_figure_matches_last_year", "total")
    assert row["passed"] is True
    assert set(evidence.filter(pl.col("check_id") == row["check_id"])["document_id"]) == {"a25", "a26", "a26b"}


@pytest.mark.parametrize("final_wan, passed", [("190.00", True), ("80.00", False), ("400.00", False)])
def test_execution_within_30_percent_of_the_budget(final_wan, passed):
    w = Warehouse().doc("b", 2024).doc("f", 2024, kind="final_account")
    w.fig("b", "expenditure", "total", "200.00").fig("f", "expenditure", "total", final_wan)
    row = _only(w.run()[0], "final_account_within_30pct_of_budget")
    assert row["passed"] is passed and row["tolerance"] == Decimal("600000.00")
    assert row["expected"] == Decimal("2000000.00") and row["actual"] == Decimal(final_wan) * 10000


def test_execution_compares_this_years_spending_when_both_state_it():
    w = Warehouse().doc("b", 2024).doc("f", 2024, kind="final_account")
    w.fig("b", "expenditure", "total", "200.00").fig("b", "expenditure", "this_year", "200.00")
    w.fig("f", "expenditure", "total", "500.00").fig("f", "expenditure", "this_year", "190.00")  # total holds 结转
    row = _only(w.run()[0], "final_account_within_30pct_of_budget")
    assert (row["item"], row["passed"], row["actual"]) == ("this_year", True, Decimal("1900000.00"))


def test_a_final_account_without_its_budget_is_not_evaluated():
    w = Warehouse().doc("f", 2024, kind="final_account").fig("f", "expenditure", "total", "190.00")
    row = _only(w.run()[0], "final_account_within_30pct_of_budget")
    assert row["passed"] is None and "no 2024 budget" in row["message"]


def test_a_missing_middle_year_fails_and_names_its_neighbours():
    w = Warehouse().doc("y24", 2024).doc("y26", 2026).doc("y27", 2027)
    checks, evidence = w.run()
    row = _only(checks.filter(pl.col("passed") == False), "department_published_every_year")  # noqa: E712
    assert (row["fiscal_year"], row["expected"], row["actual"]) == (2025, Decimal(1), Decimal(0))
    assert set(evidence.filter(pl.col("check_id") == row["check_id"])["document_id"]) == {"y24", "y26"}


def test_a_disclosure_found_without_figures_still_counts_as_published():
    checks, _ = Warehouse().doc("y24", 2024).doc("y25", 2025, status="seen_only").doc("y26", 2026).run()
    assert _only(checks, "department_published_every_year")["passed"] is True


def _department_with_units(office_wan: str, school_published: bool = True) -> Warehouse:
    w = Warehouse().doc("d", 2025).unit("d", "某某县教育局").unit("d", "某某县第一中学")
    w.fig("d", "expenditure", "total", "300.00")
    w.doc("u1", 2025, kind="unit_budget").fig("u1", "expenditure", "total", office_wan)
    if school_published:
        w.doc("u2", 2025, kind="unit_budget", dept="d2", name="某某县第一中学", parent="某某县教育局")
        w.fig("u2", "expenditure", "total", "120.00")
    for row in w.docs:
        row["department_name"] = row["department_name"].replace("信访", "教育")
    return w


def test_a_department_equals_the_sum_of_its_published_units():
    row = _only(_department_with_units("180.00").run()[0], "department_total_equals_sum_of_units")
    assert row["passed"] is True and row["actual"] == row["expected"] == Decimal("3000000.00")


def test_units_that_do_not_add_up_fail():
    row = _only(_department_with_units("190.00").run()[0], "department_total_equals_sum_of_units")
    assert row["passed"] is False and row["difference"] == Decimal("100000.00") and row["severity"] == "error"


def test_units_not_all_published_are_not_evaluated():
    row = _only(_department_with_units("180.00", school_published=False).run()[0],
                "department_total_equals_sum_of_units")
    assert row["passed"] is None and "1 of 2 listed units published" in row["message"]


def test_rules_are_declared_with_codes_that_fit_the_column():
    assert len({r.code for r in CROSS_DOCUMENT_RULES}) == 4
    assert all(r.category == "cross_document" and r.inputs and r.tolerance for r in CROSS_DOCUMENT_RULES)
    assert set(CROSS_DOCUMENT_RULES) <= set(CATALOGUE)  # listed by `county-budgets rules`
    with pytest.raises(ContractError, match="is 49 characters; fct_data_quality.rule_code holds 48"):
        validated((Rule("x" * 49, "too long", "error", "cross_document", "exact", Declared(("a",))),))
