"""Data-quality rules: identities a disclosure must satisfy, written down once.

Each rule looks at one document's fact frames and returns one :class:`Check`. A rule
whose inputs the document does not state is *not evaluated* (``passed`` NULL), never
passed. Tolerances come from the printed precision (242.24万元 may hide ±50 yuan), so
元 and 万元 figures are compared fairly and nothing is "corrected": a disagreement
stays a failing row with both figures in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable

import polars as pl

from transform.numbers import half_unit_yuan

ZERO = Decimal(0)


@dataclass(frozen=True)
class Figure:
    value: Decimal
    slack: Decimal  # rounding allowance in yuan, at least to the fen of the printed unit
    text: str
    printed_slack: Decimal | None = None  # the printed digits taken at their word (whole 万 → ±5000)

    def as_printed(self) -> "Figure":
        """For prose set beside a table: narratives round to whole 万 where tables do not."""
        return Figure(self.value, max(self.slack, self.printed_slack or self.slack), self.text)

    def __add__(self, other: "Figure") -> "Figure":
        return Figure(self.value + other.value, self.slack + other.slack, f"{self.text}+{other.text}")


@dataclass(frozen=True)
class Check:
    rule_code: str
    severity: str
    passed: bool | None
    expected: Decimal | None
    actual: Decimal | None
    message: str


class DocumentFacts:
    """Lookup of one document's figures by meaning, preferring tables over narrative."""

    def __init__(self, facts: dict[str, pl.DataFrame], document_id: str):
        def rows(name: str) -> list[dict]:
            frame = facts.get(name)
            return [] if frame is None else frame.filter(pl.col("document_id") == document_id).to_dicts()

        self.document_id = document_id
        self.lines = rows("fct_budget_line")
        self.three_public_rows = rows("fct_three_public")
        self.procurement_rows = rows("fct_procurement")
        # the department's own projects: not 专项资金 it manages, nor its whole-budget targets
        self.projects = [r for r in rows("fct_project_budget") if r.get("scope") in (None, "project")]
        self.assets = rows("fct_asset")
        self.plans = rows("fct_spending_plan")
        self.functions = rows("fct_expenditure_by_function")
        self.economics = rows("fct_expenditure_by_economic")
        self.document = (rows("dim_document") or [{}])[0]
        self.stated_years = rows("stg_stated_year")

    @staticmethod
    def _figure(row: dict, value_key: str = "amount_yuan") -> Figure | None:
        value = row.get(value_key)
        if value is None:
            return None
        text, unit = row.get("stated_text"), row.get("stated_unit") or "元"
        return Figure(value, half_unit_yuan(text, unit), f"{text}{unit}",
                      half_unit_yuan(text, unit, printed_precision=True))

    def _pick(self, rows: Iterable[dict], source: str | None, value_key: str = "amount_yuan") -> Figure | None:
        candidates = [r for r in rows if source is None or r["source"] == source]
        candidates.sort(key=lambda r: 0 if r["source"] == "table" else 1)
        for row in candidates:
            figure = self._figure(row, value_key)
            if figure is not None:
                return figure
        return None

    def line(self, statement: str, item: str, column: str = "amount", source: str | None = None) -> Figure | None:
        value_key = "rate_pct" if column == "pct" else "amount_yuan"
        rows = (r for r in self.lines if r["statement"] == statement and r["item"] == item and r["column_name"] == column)
        if column == "pct":
            for row in rows:
                if row["rate_pct"] is not None:
                    return Figure(row["rate_pct"], half_unit_yuan(row["stated_text"], "元"), row["stated_text"] + "%")
            return None
        return self._pick(rows, source, value_key)

    def three_public(self, item: str, source: str | None = None) -> Figure | None:
        return self._pick((r for r in self.three_public_rows if r["item"] == item), source)

    def procurement(self, item: str, source: str | None = None) -> Figure | None:
        return self._pick((r for r in self.procurement_rows if r["item"] == item), source)

    def asset(self, category: str) -> Figure | None:
        """The value of a category held (not to be bought), the table's before the prose's."""
        held = [r for r in self.assets if r["category"] == category and r.get("measure") in (None, "held")
                and r["value_yuan"] is not None]
        held.sort(key=lambda r: 0 if r["source"] == "table" else 1)
        return Figure(held[0]["value_yuan"], ZERO, str(held[0]["value_yuan"])) if held else None


def _sum(figures: Iterable[Figure | None]) -> Figure | None:
    present = [f for f in figures if f is not None]
    if not present:
        return None
    total = present[0]
    for figure in present[1:]:
        total = total + figure
    return total


def compare(code: str, what: str, stated: Figure | None, derived: Figure | None, severity: str = "error") -> Check:
    """``stated`` (actual) must equal ``derived`` (expected) within both figures' rounding slack."""
    if stated is None or derived is None:
        missing = "the stated figure" if stated is None else "its parts"
        return Check(code, severity, None, derived.value if derived else None, stated.value if stated else None,
                     f"{what}: not evaluated, the document does not state {missing}")
    slack = stated.slack + derived.slack
    ok = abs(stated.value - derived.value) <= slack
    verdict = "holds" if ok else f"fails by {stated.value - derived.value} yuan"
    return Check(code, severity, ok, derived.value, stated.value,
                 f"{what}: {verdict} (stated {stated.value}, derived {derived.value}, tolerance {slack})")


Rule = Callable[[DocumentFacts], list[Check]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def run_rules(facts: dict[str, pl.DataFrame], document_ids: Iterable[str]) -> list[tuple[str, Check]]:
    results: list[tuple[str, Check]] = []
    for document_id in document_ids:
        doc = DocumentFacts(facts, document_id)
        for fn in RULES:
            results.extend((document_id, check) for check in fn(doc))
    return results


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def checks_frame(results: list[tuple[str, Check]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"document_id": d, "rule_code": c.rule_code, "severity": c.severity, "passed": c.passed,
          "expected": _cents(c.expected), "actual": _cents(c.actual), "message": c.message} for d, c in results],
        schema={"document_id": pl.Utf8, "rule_code": pl.Utf8, "severity": pl.Utf8, "passed": pl.Boolean,
                "expected": pl.Decimal(18, 2), "actual": pl.Decimal(18, 2), "message": pl.Utf8},
        orient="row",
    )


# Rules live in transform.rules_*; importing them registers them in order.
from transform import rules_identities as _identities  # noqa: E402,F401
from transform import rules_crosschecks as _crosschecks  # noqa: E402,F401
