"""Which printed figure is the document's, where a table and the narrative both print it.

One rule, in two forms that must agree (``tests/schemas/test_preference.py`` checks them
against each other on a fixture and on the real corpus): :func:`preferred_sql` for the
public views (an aggregate over the rows of one group, compiled per dialect) and
:func:`preferred` / :func:`preferred_source` for Python (the data-quality rules'
``DocumentFacts`` and the ``audit`` command).

The rule keeps the **most precisely printed figure**: of each source (``table``,
``narrative``) the largest figure stated and its finest printed precision (see
:func:`precision`: 1,208,867.20 元 → −2, 120.89 万元 → 2, 124 万元 → 4); the narrative's
where it is printed more precisely than the table's and agrees with it within the
table's rounding (half its last printed digit: a narrative's exact 1,710,062.00 元 over a
table's 171.01 万元), else the table's (a table's 1,208,867.20 元 over the narrative's
120.89 万元; a table's when the two disagree, the narrative-vs-table rules saying so), else
the narrative's where no table prints it. A figure no row states is ``None`` (SQL NULL),
never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Mapping

from sqlalchemy import and_, case, func, literal

from schemas.money import UNIT_EXPONENTS

TABLE = "table"
NARRATIVE = "narrative"
#: Power of ten of a yuan each printed unit stands for.
_HALF_UNITS = range(-1, 9)  # precisions whose rounding is spelled out; finer ones hide at most the fen
_FEN_HALF = Decimal("0.005")


# ------------------------------------------------------------------ Python form

def precision(stated_text: str | None, stated_unit: str | None) -> int:
    """The printed precision of a figure as a power of ten of yuan (lower is more precise):
    the unit's exponent less the digits printed after the first ``.``."""
    text = stated_text or ""
    dot = text.find(".")
    decimals = len(text) - dot - 1 if dot >= 0 else 0
    return UNIT_EXPONENTS.get(stated_unit or "", 0) - decimals


def half_unit(precision_: int) -> Decimal:
    """Half the last printed digit, in yuan: the rounding a figure of that precision hides."""
    return Decimal(10) ** precision_ / 2 if precision_ in _HALF_UNITS else _FEN_HALF


@dataclass(frozen=True)
class Stated:
    """What one source states of a figure: its largest value and its finest printed precision."""

    value: Decimal
    precision: int


def stated(rows: Iterable[Mapping[str, Any]], source: str, value_key: str = "amount_yuan") -> Stated | None:
    """The ``source``'s statement of a figure among ``rows`` (dicts with ``source``, the value,
    ``stated_text`` and ``stated_unit``); None when no row of that source has a value."""
    mine = [r for r in rows if r.get("source") == source and r.get(value_key) is not None]
    if not mine:
        return None
    return Stated(max(r[value_key] for r in mine),
                  min(precision(r.get("stated_text"), r.get("stated_unit")) for r in mine))


def preferred_source(rows: Iterable[Mapping[str, Any]], value_key: str = "amount_yuan") -> str | None:
    """``"table"`` or ``"narrative"``: whose figure is the document's (module docstring); None
    when neither states one."""
    rows = list(rows)
    table, narrative = stated(rows, TABLE, value_key), stated(rows, NARRATIVE, value_key)
    if table is not None and narrative is not None:
        finer = narrative.precision < table.precision and abs(narrative.value - table.value) <= half_unit(
            table.precision)
        return NARRATIVE if finer else TABLE
    if table is not None:
        return TABLE
    return NARRATIVE if narrative is not None else None


def preferred(rows: Iterable[Mapping[str, Any]], value_key: str = "amount_yuan") -> Decimal | None:
    """The figure the views show for these rows (one figure of one document or department-year)."""
    rows = list(rows)
    source = preferred_source(rows, value_key)
    found = stated(rows, source, value_key) if source else None
    return None if found is None else found.value


# ------------------------------------------------------------------ SQL form

def precision_sql(table):
    """:func:`precision` of ``table``'s rows as an SQL expression."""
    dot = func.strpos(table.c.stated_text, ".")
    decimals = case((dot > 0, func.length(table.c.stated_text) - dot), else_=0)
    exponent = case(*[(table.c.stated_unit == unit, e) for unit, e in UNIT_EXPONENTS.items()], else_=0)
    return exponent - decimals


def half_unit_sql(precision_):
    """:func:`half_unit` as an SQL expression."""
    return case(*[(precision_ == k, literal(Decimal(10) ** k / 2)) for k in _HALF_UNITS], else_=literal(_FEN_HALF))


def preferred_sql(table, condition, value):
    """:func:`preferred` as an aggregate over ``table``'s rows of a group where ``condition`` holds."""
    def of(source, what):
        return case((and_(condition, table.c.source == source, value.is_not(None)), what))

    t, n = func.max(of(TABLE, value)), func.max(of(NARRATIVE, value))
    t_precision = func.min(of(TABLE, precision_sql(table)))
    n_precision = func.min(of(NARRATIVE, precision_sql(table)))
    finer = and_(n_precision < t_precision, func.abs(n - t) <= half_unit_sql(t_precision))
    return case((finer, n), else_=func.coalesce(t, n))
