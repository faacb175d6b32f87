"""Printed figures to exact values: the only place a printed figure is read as a number.

Everything is :class:`decimal.Decimal`; a float never touches money. Printed forms we
accept: those of ``reference.vocabulary.NUMBER_CELL`` (ASCII or full-width digits, thousands
separators ``1,234`` / ``1，234``, a leading sign), a trailing ``%``; a blank, a dash or slash
alone (``reference.vocabulary.BLANK_CELL``) or 无 is no figure. Units are applied by
``schemas.money.in_yuan``. Amounts are rounded half-up to the fen only where the
printed precision goes beyond it (1.2345678万元), which the disclosures never do for
their own totals.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from reference.vocabulary import NUMBER, NUMBER_CELL, blank_figure
from schemas.money import UNIT_FACTORS, in_yuan


def _fold(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC), spaces dropped."""
    folded = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")
    return folded.replace("，", ",").replace("．", ".")


def parse_decimal(text: str | None) -> Decimal | None:
    """A printed number as a Decimal; None for blanks and dashes; ValueError for garbage."""
    if text is None:
        return None
    folded = _fold(text).rstrip("%")
    if blank_figure(folded):
        return None
    if not NUMBER_CELL.match(folded):
        raise ValueError(f"not a number: {text!r}")
    try:
        return Decimal(folded.replace(",", ""))
    except InvalidOperation as exc:  # a dash other than "-" as the sign (—5)
        raise ValueError(f"not a number: {text!r}") from exc


def to_yuan(text: str | None, unit: str) -> Decimal | None:
    """``to_yuan("89.022001", "万元") == Decimal("890220.01")``; None for a blank or dash;
    ValueError for a figure or unit that cannot be read."""
    value = parse_decimal(text)
    if value is None:
        return None
    return in_yuan(value, _fold(unit))


def half_unit_yuan(text: str | None, unit: str, *, printed_precision: bool = False) -> Decimal:
    """How far rounding may have moved a printed figure, in yuan (or in % points).

    Half of the last printed digit, but never coarser than half a hundredth of the
    unit: "111万元" is as exact as "111.00万元" (offices drop trailing zeros, they do
    not round to whole 万元). A printed zero is exact. ``printed_precision`` takes the
    printed digits at their word: a narrative's "7,072万" beside a table's 70,716,064 元
    was rounded to the whole 万, so it may be ±5,000 yuan off.
    """
    if text is None:
        return Decimal(0)
    folded = _fold(text).rstrip("%").lstrip("+-")
    try:
        if Decimal(folded.replace(",", "")) == 0:
            return Decimal(0)
    except InvalidOperation:
        return Decimal(0)
    decimals = len(folded.split(".", 1)[1]) if "." in folded else 0
    if not printed_precision:
        decimals = max(decimals, 2)
    factor = UNIT_FACTORS.get(_fold(unit), Decimal(1))
    return Decimal(5).scaleb(-(decimals + 1)) * factor


def parse_percent(text: str | None) -> Decimal | None:
    """``"25.00%"`` → 25.00 (percentage points, not a fraction)."""
    return parse_decimal(text)


def normalise_code(text: str) -> str:
    """Project and classification codes lose the stray spaces PDFs and typists put in them."""
    return re.sub(r"\s+", "", _fold(text)).upper()


_TARGET = re.compile(rf"^(?P<cmp>[≥≤><=＝]|>=|<=)?\s*(?P<num>[-+]?{NUMBER})\s*(?P<unit>\S*)$")
_KNOWN_UNITS = re.compile(
    r"^(?:%|‰|百分比|万元|亿元|元|[个人次件天日月年分户家辆台套项份场批名期篇条册本所座吨亩米]|公里|平方米|小时|工作日|人次|户次|万人|分钟)?$"
)


def parse_target(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """指标值 → (comparator, value, unit) where it is one figure, else (None, None, None).

    ``≥90百分比`` → ("≥", 90, "百分比"); ``30 万元`` → ("=", 30, "万元"); garbled
    ``20 元万元`` and unit-only ``元`` stay unparsed: the raw text is kept by the caller.
    """
    folded = unicodedata.normalize("NFKC", text or "").strip().replace("＝", "=")
    match = _TARGET.match(folded)
    if not match or not _KNOWN_UNITS.match(match.group("unit")):
        return None, None, None
    comparator = {">=": "≥", "<=": "≤"}.get(match.group("cmp") or "=", match.group("cmp") or "=")
    unit = match.group("unit") or None
    return comparator, Decimal(match.group("num").replace(",", "")), unit


_MONTH = re.compile(r"(\d{1,2})\s*月")


def period_month(label: str) -> int | None:
    """``"3 月底"`` → 3; a percentage printed under no header has no month."""
    match = _MONTH.search(unicodedata.normalize("NFKC", label or ""))
    return int(match.group(1)) if match else None
