"""Pass, fail and not-evaluated warehouses for each cross-document rule (see test_rule_outcomes.py)."""

from __future__ import annotations

from tests.transform.test_cross_document import Warehouse, _department_with_units, _two_years


def _budget_and_final(final_wan: str | None) -> Warehouse:
    w = Warehouse().doc("b", 2024).fig("b", "expenditure", "total", "200.00")
    if final_wan is None:
        return Warehouse().doc("f", 2024, kind="final_account").fig("f", "expenditure", "total", "190.00")
    return w.doc("f", 2024, kind="final_account").fig("f", "expenditure", "total", final_wan)


def _last_year_missing() -> Warehouse:
    w = Warehouse().doc("a26", 2026).fig("a26", "expenditure", "total", "242.24")
    return w.fig("a26", "change", "total", "42.24", label="较2025年预算增加42.24万元", source="narrative")


CROSS_CASES: dict[str, tuple] = {
    "prior_year_figure_matches_last_year": (lambda: _two_years("42.24"), lambda: _two_years("30.00"),
                                            _last_year_missing),
    "final_account_within_30pct_of_budget": (lambda: _budget_and_final("190.00"), lambda: _budget_and_final("80.00"),
                                             lambda: _budget_and_final(None)),
    "department_published_every_year": (lambda: Warehouse().doc("y24", 2024).doc("y25", 2025),
                                        lambda: Warehouse().doc("y24", 2024).doc("y26", 2026),
                                        lambda: Warehouse().doc("y24", 2024)),
    "department_total_equals_sum_of_units": (lambda: _department_with_units("180.00"),
                                             lambda: _department_with_units("190.00"),
                                             lambda: _department_with_units("180.00", school_published=False)),
}
