"""Polars expressions over the pure converters in :mod:`transform.numbers`.

A figure that cannot be read becomes NULL here rather than an exception: the
``figures_readable`` data-quality rule reports it, and the rest of the document loads.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

import polars as pl

from schemas.base import MONEY as MONEY_SQL, RATE as RATE_SQL
from schemas.frames import polars_dtype
from schemas.money import FEN, MONEY_UNITS
from transform.numbers import parse_decimal, parse_percent, to_yuan

MONEY = polars_dtype(MONEY_SQL)  # DECIMAL(18,2) yuan, as the warehouse declares it
RATE = polars_dtype(RATE_SQL)


def _safe(fn: Callable, *args):
    try:
        return fn(*args)
    except ValueError:
        return None


# The converters are module-level functions, not closures made per call: polars inspects each function
# given to map_elements (a bytecode analysis, ~0.25 ms) and caches the verdict by the function object.

def _yuan_of(row: dict) -> Decimal | None:
    if row["u"] not in MONEY_UNITS:
        return None
    return _safe(to_yuan, row["t"], row["u"])


def _rate_of(value: str | None) -> Decimal | None:
    parsed = _safe(parse_percent, value)
    return None if parsed is None else parsed.quantize(Decimal("0.0001"))


def _quantity_of(value: str | None) -> Decimal | None:
    parsed = _safe(parse_decimal, value)
    return None if parsed is None else parsed.quantize(FEN)


def yuan(text: str, unit: str) -> pl.Expr:
    """Exact yuan from a text column and a unit column (NULL where not a money unit)."""
    return pl.struct(t=pl.col(text), u=pl.col(unit)).map_elements(_yuan_of, return_dtype=MONEY)


def rate(text: str) -> pl.Expr:
    return pl.col(text).map_elements(_rate_of, return_dtype=RATE, skip_nulls=False)


def quantity(text: str) -> pl.Expr:
    return pl.col(text).map_elements(_quantity_of, return_dtype=MONEY, skip_nulls=False)
