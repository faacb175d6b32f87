"""One document's figures, looked up by meaning: what every per-document rule reads.

Source: the warehouse frames of one document (``fct_budget_line``, ``fct_three_public``,
``fct_procurement``, ``fct_asset``, ``fct_project_budget``, ``fct_spending_plan``,
``fct_expenditure_by_function``/``_economic``, ``dim_document``) and ``stg_stated_year``.
A figure is a :class:`Figure`: exact yuan, the rounding its printed digits may hide, and
the text as printed. Where a table and the narrative both print a figure, the document's is
the one the public views show (:mod:`schemas.preference`: the more precisely printed where
the two agree, else the table's).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

import polars as pl

from schemas.preference import preferred_source, stated
from transform.numbers import half_unit_yuan

ZERO = Decimal(0)


@dataclass(frozen=True)
class Figure:
    value: Decimal
    slack: Decimal  # rounding allowance in yuan, at least to the fen of the printed unit
    text: str
    printed_slack: Decimal | None = None  # the printed digits taken at their word (whole 万 → ±5000)
    source: str = "table"  # table | narrative | mixed (a sum of both)
    printed: bool = True  # False for a blank table cell (read as the table's zero)
    scope: str = ""  # a narrative figure of 一般公共预算 / 财政拨款 / 本级 only (its statement said so)
    terms: int = 1  # how many printed figures it adds up

    def as_printed(self) -> "Figure":
        """For prose set beside a table: narratives round to whole 万 where tables do not."""
        return Figure(self.value, max(self.slack, self.printed_slack or self.slack), self.text,
                      source=self.source, printed=self.printed)

    def __add__(self, other: "Figure") -> "Figure":
        source = self.source if self.source == other.source else "mixed"
        return Figure(self.value + other.value, self.slack + other.slack, f"{self.text}+{other.text}",
                      source=source, terms=self.terms + other.terms)


def sum_figures(figures: Iterable[Figure | None]) -> Figure | None:
    """The sum of the stated figures; None when none is stated (never a zero)."""
    present = [f for f in figures if f is not None]
    if not present:
        return None
    total = present[0]
    for figure in present[1:]:
        total = total + figure
    return total


class DocumentFacts:
    """Lookup of one document's figures by meaning, chosen between table and narrative as the views choose."""

    def __init__(self, facts: dict[str, pl.DataFrame], document_id: str):
        def rows(name: str) -> list[dict]:
            frame = facts.get(name)
            return [] if frame is None else frame.filter(pl.col("document_id") == document_id).to_dicts()

        self.document_id = document_id
        self.lines = rows("fct_budget_line")
        self.three_public_rows = rows("fct_three_public")
        self.procurement_rows = rows("fct_procurement")
        # the department's own projects: not 专项资金 it manages (scope special_fund), nor the
        # targets of its whole budget (scope department, a 部门整体支出绩效目标表)
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
        text, unit, source = row.get("stated_text"), row.get("stated_unit") or "元", row.get("source") or "table"
        return Figure(value, half_unit_yuan(text, unit), f"{text}{unit}",
                      half_unit_yuan(text, unit, printed_precision=True), source, bool((text or "").strip()),
                      (row.get("item_key") or "") if source == "narrative" else "")

    def _pick(self, rows: Iterable[dict], source: str | None, value_key: str = "amount_yuan") -> Figure | None:
        """The figure of ``source``, or (None) the document's own: the source and value the public
        views show (:mod:`schemas.preference`)."""
        rows = list(rows)
        if source is None:
            source = preferred_source(rows, value_key)
            if source is None:
                return None
            value = stated(rows, source, value_key).value
            rows = [r for r in rows if r.get(value_key) == value]
        candidates = [r for r in rows if r["source"] == source]
        # a table's figure first; of the narrative's, one of the whole before one its sentence scopes (一般公共预算 …)
        candidates.sort(key=lambda r: (0 if r["source"] == "table" else 1, 1 if r.get("item_key") else 0))
        for row in candidates:
            figure = self._figure(row, value_key)
            if figure is not None:
                return figure
        return None

    def line(self, statement: str, item: str, column: str = "amount", source: str | None = None) -> Figure | None:
        rows = [r for r in self.lines if r["statement"] == statement and r["item"] == item
                and r["column_name"] == column and (source is None or r["source"] == source)]
        if column == "pct":
            for row in rows:
                if row["rate_pct"] is not None:
                    return Figure(row["rate_pct"], half_unit_yuan(row["stated_text"], "元"), row["stated_text"] + "%")
            return None
        if column == "quantity":
            for row in rows:
                if row["quantity"] is not None:
                    return Figure(row["quantity"], ZERO, row["stated_text"])
            return None
        return self._pick(rows, source)

    def unmapped(self, statement: str, item: str) -> list[dict]:
        """Rows of a table read with a figure no vocabulary word names (``revenue.unmapped_source`` …)."""
        return [r for r in self.lines if r["statement"] == statement and r["item"] == item
                and r["amount_yuan"] not in (None, ZERO)]

    def three_public(self, item: str, source: str | None = None) -> Figure | None:
        return self._pick((r for r in self.three_public_rows if r["item"] == item), source)

    def procurement(self, item: str, source: str | None = None) -> Figure | None:
        return self._pick((r for r in self.procurement_rows if r["item"] == item), source)

    def asset(self, category: str) -> Figure | None:
        """The value of a category held (not one to be bought), the table's before the prose's."""
        held = [r for r in self.assets if r["category"] == category and r.get("measure") in (None, "held")
                and r["value_yuan"] is not None]
        held.sort(key=lambda r: 0 if r["source"] == "table" else 1)
        return Figure(held[0]["value_yuan"], ZERO, str(held[0]["value_yuan"]), source=held[0]["source"]) if held else None

    def figure(self, statement: str, item: str, source: str | None = None) -> Figure | None:
        """Any stated figure by its vocabulary name (``revenue.total``, ``three_public.vehicle`` …)."""
        if statement == "three_public":
            return self.three_public(item, source)
        if statement == "procurement":
            return self.procurement(item, source)
        if statement == "asset":
            return self.asset(item) if source in (None, "table") else None
        return self.line(statement, item, source=source)
