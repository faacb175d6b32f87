"""Money units: what a disclosure prints after a figure, and what one of each is in yuan.

The one table of money units, at the bottom layer so every package reads the same one: the
parsers' patterns (``reference.vocabulary.MONEY_UNIT``), the conversion of a printed figure
to exact yuan (``transform.numbers.to_yuan`` → :func:`in_yuan`), the rules that count printed
money figures, the views' printed precision (``schemas.views``) and the report's 万元.
Money is stored as DECIMAL(18,2) yuan, so a converted figure is rounded half-up to the fen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

#: Every money unit a disclosure prints, largest first (so a pattern built from them never
#: reads 万元 as 元), with the power of ten that one of it is in yuan.
UNIT_EXPONENTS: dict[str, int] = {"亿元": 8, "万元": 4, "元": 0}
MONEY_UNITS: tuple[str, ...] = tuple(UNIT_EXPONENTS)
UNIT_FACTORS: dict[str, Decimal] = {unit: Decimal(10) ** e for unit, e in UNIT_EXPONENTS.items()}
FEN = Decimal("0.01")
WAN = UNIT_FACTORS["万元"]


def in_yuan(value: Decimal, unit: str) -> Decimal:
    """A figure printed in ``unit`` as exact yuan, half-up to the fen:
    ``in_yuan(Decimal("89.022001"), "万元") == Decimal("890220.01")``; ValueError for a unit
    that is not one of :data:`MONEY_UNITS`."""
    try:
        factor = UNIT_FACTORS[unit]
    except KeyError:
        raise ValueError(f"unknown money unit: {unit!r}") from None
    return (value * factor).quantize(FEN, rounding=ROUND_HALF_UP)
