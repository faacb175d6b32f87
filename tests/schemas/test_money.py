"""The one table of money units: every printed unit to exact yuan, half-up to the fen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from schemas.money import MONEY_UNITS, UNIT_EXPONENTS, in_yuan
from transform.numbers import to_yuan


@pytest.mark.parametrize(("value", "unit", "yuan"), [
    ("89.022001", "万元", "890220.01"),
    ("89.022005", "万元", "890220.05"),
    ("1.23456789", "亿元", "123456789.00"),
    ("0.005", "元", "0.01"),  # half-up, never banker's rounding
    ("-242.24", "万元", "-2422400.00"),
])
def test_in_yuan_is_exact(value, unit, yuan):
    assert in_yuan(Decimal(value), unit) == Decimal(yuan)
    assert to_yuan(value, unit) == Decimal(yuan)


def test_units_are_listed_largest_first_and_no_other_unit_is_money():
    assert MONEY_UNITS == ("亿元", "万元", "元") and UNIT_EXPONENTS["万元"] == 4
    with pytest.raises(ValueError, match="unknown money unit: '千元'"):
        in_yuan(Decimal(1), "千元")
