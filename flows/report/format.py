"""How the report writes figures: exact yuan, 万元 to two decimals, percentages, region labels.

A figure a document did not state is ``None`` and is written as *not stated* (未列示), never as
0; a stated zero is written ``0.00``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from schemas.money import WAN

NOT_STATED = "not stated"


def yuan(value: Decimal | None) -> str:
    """Exact yuan with thousands separators: ``96,267,775.89``; ``not stated`` for None."""
    return NOT_STATED if value is None else f"{value:,.2f}"


def exact(value: Decimal | None) -> str:
    """Every decimal the value has, at least two, thousands separated: 50.0050 → ``50.005``."""
    if value is None:
        return NOT_STATED
    whole, _, decimals = f"{Decimal(value):,f}".partition(".")
    return f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"


def wan(value: Decimal | None) -> str:
    """Yuan in 万元 to two decimals (half up), for reading: 96,267,775.89 元 → ``9,626.78``; the exact
    figure is the yuan column's."""
    if value is None:
        return NOT_STATED
    return f"{(Decimal(value) / WAN).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def pct(value: Decimal | float | None, *, points: bool = False, signed: bool = False) -> str:
    """A fraction (0.6019 → ``60.19%``; ``signed``: 0.0321 → ``+3.21%``), or with ``points`` a value
    already in % (17.31 → ``+17.31%``). Half up from the exact decimal."""
    if value is None:
        return NOT_STATED if not (points or signed) else "—"
    percent = Decimal(str(value)) * (1 if points else 100)
    text = f"{percent.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}%"
    return f"+{text}" if (points or signed) and percent >= 0 else text


def region_labels(rows: pl.DataFrame) -> dict[str, str]:
    """region_code → its name, with the code added where two regions of the rows share a name (朝阳区)."""
    pairs = rows.select("region_code", "region_name").unique().iter_rows()
    names = {code: name or code for code, name in pairs}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    return {code: (f"{name}（{code}）" if seen[name] > 1 else name) for code, name in names.items()}


def plain(value: Decimal | None) -> str:
    """A count or a year kept in a money column (2020.00 → ``2020``), for rules that compare no money."""
    if value is None:
        return NOT_STATED
    return str(int(value)) if value == int(value) else str(value)
