"""How the report writes figures: exact yuan, exact 万元, percentages, region labels.

A figure a document did not state is ``None`` and is written as *not stated* (未列示), never as
0; a stated zero is written ``0.00``.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

NOT_STATED = "not stated"
WAN = Decimal(10000)


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
    """Yuan in 万元, exact (as many decimals as the yuan need, at least two): 96,267,775.89 元 →
    ``9,626.777589``; 2,422,400.00 元 → ``242.24``."""
    return NOT_STATED if value is None else exact(Decimal(value) / WAN)


def wan_float(value: Decimal | None) -> float | None:
    """万元 as a float, for drawing only."""
    return None if value is None else float(Decimal(value) / WAN)


def pct(value: Decimal | float | None, *, points: bool = False) -> str:
    """A fraction (0.6019 → ``60.19%``), or with ``points`` a value already in % (17.31 → ``+17.31%``)."""
    if value is None:
        return NOT_STATED if not points else "—"
    if points:
        return f"{float(value):+.2f}%"
    return f"{float(value) * 100:.2f}%"


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
