"""Classification tables: every printed line counts, and a code printed for two names is a warning."""

from __future__ import annotations

from decimal import Decimal

from transform.rules.checks import classification_codes_unique, classification_lines
from transform.rules.model import Missing


class Facts:
    def __init__(self, economics=(), functions=()):
        self.economics, self.functions = list(economics), list(functions)


def econ(code: str, name: str, amount: str) -> dict:
    return {"economic_code": code, "economic_name": name, "amount_yuan": Decimal(amount)}


def test_a_code_printed_on_two_lines_counts_both_in_its_class():
    doc = Facts([econ("302", "商品和服务支出", "595500.00"), econ("30208", "取暖费", "233700.00"),
                 econ("30208", "物业管理费", "361800.00")])
    verdict = classification_lines("economic")(doc)
    assert verdict.passed is True and "all 1 classes" in verdict.detail


def test_a_class_that_differs_from_its_lines_fails_with_both_figures():
    doc = Facts([econ("302", "商品和服务支出", "2110000.00"), econ("30201", "办公费", "1000000.00"),
                 econ("30208", "取暖费", "1213700.00")])
    verdict = classification_lines("economic")(doc)
    assert (verdict.passed, verdict.expected, verdict.actual) == (False, Decimal("2213700.00"), Decimal("2110000.00"))


def test_a_code_printed_for_two_names_is_flagged_and_one_name_per_code_passes():
    twice = classification_codes_unique(Facts([econ("30208", "取暖费", "1"), econ("30208", "物业管理费", "2")]))
    assert twice.passed is False and "30208 printed for 取暖费 and 物业管理费" in twice.detail
    once = classification_codes_unique(Facts([econ("30208", "取暖费", "1"), econ("30201", "办公费", "2")]))
    assert once.passed is True
    assert isinstance(classification_codes_unique(Facts()), Missing)
