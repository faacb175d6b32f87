"""Number and unit normalisation: properties over generated figures, and the seed's cases."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transform.numbers import (
    half_unit_yuan, normalise_code, parse_decimal, parse_target, period_month, to_yuan,
)

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
cents = st.integers(min_value=0, max_value=10**15).map(lambda n: Decimal(n).scaleb(-2))
wan_figures = st.integers(min_value=0, max_value=10**13).map(lambda n: Decimal(n).scaleb(-6))


def grouped(value: Decimal) -> str:
    return f"{value:,f}"


@given(cents)
def test_yuan_text_round_trips_exactly(value):
    assert to_yuan(str(value), "元") == value


@given(wan_figures)
def test_wan_yuan_is_exactly_ten_thousand_yuan(value):
    assert to_yuan(str(value), "万元") == (value * 10000).quantize(Decimal("0.01"))


@given(cents)
def test_thousands_separators_and_full_width_digits_do_not_change_the_value(value):
    text = grouped(value)
    assert parse_decimal(text) == value
    assert parse_decimal(text.translate(FULL_WIDTH)) == value
    assert parse_decimal(text.replace(",", "，")) == value


@given(st.integers(min_value=-10**6, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_percentages_keep_their_points(whole, hundredths):
    value = Decimal(whole) + Decimal(hundredths).scaleb(-2) * (1 if whole >= 0 else -1)
    assert parse_decimal(f"{value}%") == value
    assert parse_decimal(f"{value}％") == value


@given(st.text(alphabet="abcxyz元万", min_size=1, max_size=8))
def test_words_are_never_numbers(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@given(cents, st.sampled_from(["元", "万元", "亿元"]))
def test_rounding_slack_is_never_negative_and_zero_only_for_zero(value, unit):
    slack = half_unit_yuan(str(value), unit)
    assert slack >= 0
    assert (slack == 0) == (value == 0)


def test_seed_asset_total():
    assert to_yuan("89.022001", "万元") == Decimal("890220.01")
    assert to_yuan("1.06", "万元") == Decimal("10600.00")


@pytest.mark.parametrize("text", ["", "—", "——", "-", "－"])
def test_blank_and_dash_cells_are_unstated(text):
    assert parse_decimal(text) is None
    assert to_yuan(text, "元") is None


def test_unknown_unit_is_an_error():
    with pytest.raises(ValueError, match="unknown money unit"):
        to_yuan("12", "美元")


@pytest.mark.parametrize(
    "text, parsed",
    [
        ("≥90百分比", ("≥", Decimal(90), "百分比")),
        ("≥90 百分比", ("≥", Decimal(90), "百分比")),
        ("30 万元", ("=", Decimal(30), "万元")),
        ("74400 元", ("=", Decimal(74400), "元")),
        ("≤5%", ("≤", Decimal(5), "%")),
        (">=95%", ("≥", Decimal(95), "%")),
        ("20 元万元", (None, None, None)),
        ("元", (None, None, None)),
        ("", (None, None, None)),
        ("按时完成", (None, None, None)),
    ],
)
def test_indicator_targets(text, parsed):
    assert parse_target(text) == parsed


def test_codes_lose_stray_spaces():
    assert normalise_code("130127210XAPPLY3 A5B8") == "130127210XAPPLY3A5B8"
    assert normalise_code("13012721V7R12H5YK IKPU") == "13012721V7R12H5YKIKPU"
    assert normalise_code("２０１ ０１") == "20101"


@pytest.mark.parametrize("label, month", [("3 月底", 3), ("10月底", 10), ("１２月底", 12), ("", None)])
def test_plan_period_month(label, month):
    assert period_month(label) == month


def test_printed_precision_for_prose_beside_tables():
    # regression (上海 单位预算): narrative "7,072万" vs table 70,716,064 元 is rounding, not a contradiction
    assert half_unit_yuan("7,072", "万元", printed_precision=True) == 5000
    assert half_unit_yuan("7,072", "万元") == 50
    assert half_unit_yuan("1.70", "万元", printed_precision=True) == 50


def test_a_target_printed_with_trailing_zeros_keeps_its_value_at_the_columns_scale():
    # 北京市教育委员会 2026 报表 (../shared/corpus/more/beijing/教育局_附件2…): "19.203000" once reached polars as a
    # Decimal of scale 6 and quarantined the whole document; more real digits than 4 stay NULL (the text is kept)
    from transform.facts import _target

    assert _target("≥19.203000万元") == ("≥", Decimal("19.2030"), "万元")
    assert _target("≥19.203000万元")[1].as_tuple().exponent == -4
    assert _target("≤536.56308万元") == ("≤", None, "万元")
