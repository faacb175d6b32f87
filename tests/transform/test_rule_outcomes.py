"""Every rule of the catalogue passes, fails and is not evaluated on a small hand-made document.

``CASES`` holds, per rule code, three builders of one document's facts: one where the rule
holds, one where it fails (beyond its tolerance and its slip share, so at its own severity),
one where an input is missing. ``test_every_rule_has_all_three_outcomes`` fails when a rule
of the catalogue has none — add its three cases with the rule. Cross-document rules are in
``tests/transform/cross_document_outcomes.py``.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from tests.transform.cross_document_outcomes import CROSS_CASES
from tests.transform.facts_builder import DOC, budget_lines, projects, three_public, verdicts
from transform.rules.catalogue import CATALOGUE, DOCUMENT_RULES

W = "万元"


def lines(*rows: tuple) -> dict:
    return {"fct_budget_line": budget_lines(list(rows))}


def three(*items: tuple[str, str], source: str = "table") -> dict:
    return {"fct_three_public": three_public([(item, text, W, source) for item, text in items])}


def plain(name: str, *rows: dict) -> dict:
    return {name: pl.DataFrame([{"document_id": DOC, "page_no": 1, "line_no": i, **r} for i, r in enumerate(rows)])}


def yuan(wan: str) -> Decimal:
    return Decimal(wan) * 10000


def sums(total: tuple, parts: list[tuple], broken: tuple) -> tuple:
    """(pass, fail, not evaluated) of a "total = Σ parts" rule: the parts, one part off by 10万, the total alone."""
    return (lambda: lines(total, *parts), lambda: lines(total, *parts[:-1], broken), lambda: lines(total))


def functions(*rows: tuple[str, str]) -> dict:
    return plain("fct_expenditure_by_function",
                 *({"function_code": c, "function_name": c, "amount_yuan": yuan(a)} for c, a in rows))


def economics(*rows: tuple[str, str]) -> dict:
    return plain("fct_expenditure_by_economic",
                 *({"economic_code": c, "economic_name": c, "amount_yuan": yuan(a)} for c, a in rows))


def assets(*rows: tuple[str, str]) -> dict:
    return plain("fct_asset", *({"category": c, "value_yuan": yuan(a), "measure": "held", "source": "table"}
                                for c, a in rows))


def project_list(items: list[tuple], *extra: tuple) -> dict:
    return {"fct_project_budget": projects(items), **lines(*extra)}


P = [("130127210XA", "信访经费", "30.00", "30.00", ""), ("130127216XE", "信访视频内网费用", "10.00", "10.00", "")]


def projects_wan(items, *extra):
    return {"fct_project_budget": projects(items, unit=W), **lines(*extra)}


def document(**fields) -> dict:
    return plain("dim_document", fields)


def nvt(statement: str, item: str) -> tuple:
    """narrative = table: the same figure, one 10万 apart, the table's alone."""
    if statement == "three_public":
        both = lambda narrative: {"fct_three_public": three_public(  # noqa: E731
            [(item, "12.00", W, "table"), (item, narrative, W, "narrative")])}
        return (lambda: both("12.00"), lambda: both("22.00"), lambda: three((item, "12.00")))
    table, same, other = (statement, item, "120.00", W), (statement, item, "120.00", W, "narrative"), \
        (statement, item, "130.00", W, "narrative")
    return (lambda: lines(table, same), lambda: lines(table, other), lambda: lines(table))


def change(item: str) -> tuple:
    """The stated change and % against this year's figure: 10 of 100 last year is 10%."""
    base = (("expenditure", item, "110.00", W), ("change", item, "10.00", W, "narrative"))
    return (lambda: lines(*base, ("change", item, "10.00", "%", "narrative")),
            lambda: lines(*base, ("change", item, "20.00", "%", "narrative")),
            lambda: lines(*base))


REV, EXP = "revenue", "expenditure"
CASES: dict[str, tuple] = {
    "revenue_total_equals_sources": sums((REV, "total", "100.00", W), [(REV, "this_year", "80.00", W),
                                         (REV, "carryover", "20.00", W)], (REV, "carryover", "10.00", W)),
    "revenue_this_year_equals_sources": sums((REV, "this_year", "80.00", W), [(REV, "fiscal_grant", "60.00", W),
                                             (REV, "other", "20.00", W)], (REV, "other", "10.00", W)),
    "expenditure_total_equals_parts": sums((EXP, "total", "100.00", W), [(EXP, "this_year", "90.00", W),
                                           (EXP, "carryover", "10.00", W)], (EXP, "carryover", "20.00", W)),
    "expenditure_this_year_equals_parts": sums((EXP, "this_year", "100.00", W), [(EXP, "basic", "60.00", W),
                                               (EXP, "project", "40.00", W)], (EXP, "project", "30.00", W)),
    "revenue_equals_expenditure": sums((REV, "total", "100.00", W), [(EXP, "total", "100.00", W)],
                                       (EXP, "total", "90.00", W)),
    "three_public_total_equals_parts": (
        lambda: three(("total", "10.00"), ("abroad", "2.00"), ("vehicle", "5.00"), ("reception", "3.00")),
        lambda: three(("total", "10.00"), ("abroad", "2.00"), ("vehicle", "5.00"), ("reception", "1.00")),
        lambda: three(("total", "10.00"))),
    "three_public_vehicle_equals_parts": (
        lambda: three(("vehicle", "5.00"), ("vehicle_purchase", "2.00"), ("vehicle_operation", "3.00")),
        lambda: three(("vehicle", "5.00"), ("vehicle_purchase", "2.00"), ("vehicle_operation", "1.00")),
        lambda: three(("vehicle", "5.00"))),
    "three_public_grand_total_equals_parts": (
        lambda: three(("grand_total", "20.00"), ("total", "10.00"), ("meeting", "5.00"), ("training", "5.00")),
        lambda: three(("grand_total", "20.00"), ("total", "10.00"), ("meeting", "5.00"), ("training", "1.00")),
        lambda: three(("grand_total", "20.00"))),
    "assets_total_equals_categories": (lambda: assets(("total", "100"), ("buildings", "60"), ("vehicles", "40")),
                                       lambda: assets(("total", "100"), ("buildings", "60"), ("vehicles", "30")),
                                       lambda: assets(("total", "100"))),
    **{f"change_pct_{item}": change(item) for item in ("total", "basic", "project", "other")},
    "function_lines_sum_to_class_totals": (lambda: functions(("201", "30"), ("20101", "10"), ("20102", "20")),
                                           lambda: functions(("201", "30"), ("20101", "10"), ("20102", "10")),
                                           lambda: functions(("201", "30"))),
    "economic_lines_sum_to_class_totals": (lambda: economics(("301", "30"), ("30101", "10"), ("30102", "20")),
                                           lambda: economics(("301", "30"), ("30101", "10"), ("30102", "10")),
                                           lambda: economics(("301", "30"))),
    "classification_codes_unique": (lambda: economics(("30101", "10"), ("30102", "20")),
                                    lambda: {"fct_expenditure_by_economic": pl.DataFrame([
                                        {"document_id": DOC, "economic_code": "30208", "economic_name": n,
                                         "amount_yuan": Decimal(1)} for n in ("取暖费", "物业管理费")])},
                                    lambda: {}),
    "project_funds_equal_amount": (lambda: project_list(P), lambda: project_list(P[:1] + [(
        "130127216XE", "信访视频内网费用", "10.00", "8.00", "")]), lambda: project_list([(c, n, a, "", "") for c, n, a, *_ in P])),
    "project_budgets_sum_to_list_total": (
        lambda: projects_wan(P, ("project_list", "total", "40.00", W)),
        lambda: projects_wan(P, ("project_list", "total", "50.00", W)), lambda: projects_wan(P)),
    "project_budgets_sum_to_project_expenditure": (
        lambda: projects_wan(P, ("project_list", "total", "40.00", W), (EXP, "project", "40.00", W)),
        lambda: projects_wan(P, ("project_list", "total", "40.00", W), (EXP, "project", "50.00", W)),
        lambda: projects_wan(P, (EXP, "project", "40.00", W))),
    "project_budgets_within_project_expenditure": (lambda: projects_wan(P, (EXP, "project", "45.00", W)),
                                                   lambda: projects_wan(P, (EXP, "project", "30.00", W)),
                                                   lambda: projects_wan(P)),
    **{rule.code: nvt(rule.test.figure.statement, rule.test.figure.item)
       for rule in DOCUMENT_RULES if rule.category == "narrative_vs_table"},
    "figures_readable": (lambda: lines((EXP, "total", "10.00", W)), lambda: {"fct_budget_line": budget_lines(
        [(EXP, "total", "10.00", W)]).with_columns(pl.lit("1O.0O").alias("stated_text"),
                                                   pl.lit(None).cast(pl.Decimal(18, 2)).alias("amount_yuan"))},
                         lambda: {}),
    "project_listed_once": (lambda: project_list(P), lambda: project_list(P + P[:1]), lambda: {}),
    "stated_year_matches_fiscal_year": (
        lambda: {**document(fiscal_year=2026), **plain("stg_stated_year", {"stated_year": 2026, "source_text": "2026年收入"})},
        lambda: {**document(fiscal_year=2026), **plain("stg_stated_year", {"stated_year": 2025, "source_text": "2025年收入"})},
        lambda: document(fiscal_year=2026)),
    "fiscal_year_printed": (lambda: document(fiscal_year=2026, fiscal_year_source="title"),
                            lambda: document(fiscal_year=2026, fiscal_year_source="file_name"),
                            lambda: document(fiscal_year=2026)),
    "spending_plan_cumulative": (
        lambda: plain("fct_spending_plan", *({"project_seq": 1, "cumulative_pct": Decimal(p)} for p in (25, 50, 100))),
        lambda: plain("fct_spending_plan", *({"project_seq": 1, "cumulative_pct": Decimal(p)} for p in (50, 25))),
        lambda: {}),
    "project_codes_match_region": (lambda: {**project_list(P), **document(region_code="130127")},
                                   lambda: {**project_list(P), **document(region_code="130128")},
                                   lambda: project_list(P)),
}


def test_every_rule_has_all_three_outcomes():
    """A rule added to the catalogue without its pass, fail and not-evaluated cases fails here."""
    document_rules = {rule.code for rule in DOCUMENT_RULES}
    assert set(CASES) == document_rules, f"cases missing for {sorted(document_rules - set(CASES))}"
    assert set(CASES) | set(CROSS_CASES) == {rule.code for rule in CATALOGUE}
    assert all(len(builders) == 3 for builders in (*CASES.values(), *CROSS_CASES.values()))


@pytest.mark.parametrize("outcome", [0, 1, 2], ids=["pass", "fail", "not_evaluated"])
@pytest.mark.parametrize("code", sorted(CASES))
def test_each_rule_passes_fails_and_is_not_evaluated(code, outcome):
    row = verdicts(CASES[code][outcome]())[code]
    rule = next(r for r in DOCUMENT_RULES if r.code == code)
    assert row["passed"] is (True, False, None)[outcome], row["message"]
    if outcome == 1:  # a failure well beyond any slip keeps the rule's severity, both figures and says what it is
        assert row["severity"] == rule.severity and row["finding"] in ("contradiction", "unreconciled")
        assert "fails" in row["message"]
    else:
        assert row["finding"] is None and row["severity"] == rule.severity
    if outcome == 2:
        assert "not evaluated" in row["message"] and row["expected"] is None and row["actual"] is None


@pytest.mark.parametrize("outcome", [0, 1, 2], ids=["pass", "fail", "not_evaluated"])
@pytest.mark.parametrize("code", sorted(CROSS_CASES))
def test_each_cross_document_rule_passes_fails_and_is_not_evaluated(code, outcome):
    checks, _ = CROSS_CASES[code][outcome]().run()
    rows = checks.filter(pl.col("rule_code") == code)
    assert (True, False, None)[outcome] in rows["passed"].to_list(), rows
