"""Checking what a person typed: years, region codes and province names, against the reference.

Region codes are checked against the GB/T 2260 table (``reference/data/
regions.csv``) so a typo is refused at once instead of making every document "outside
the requested region"; a province may be written with or without its suffix (河北 is
河北省). Each function returns the canonical value or raises ``ValueError`` whose text
names the problem and the fix.
"""

from __future__ import annotations

import re
from typing import Callable

import typer

from reference.regions import (
    clean_name,
    province_named,
    region_by_code,
    region_table,
    resolve_region,
)
from schemas.errors import SetupError


def parse_years(text: str) -> list[int]:
    """``2019-2021`` → [2019, 2020, 2021]; ``2019,2021`` → [2019, 2021]."""
    years: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not match:
            raise ValueError(f"not a year or range: {part!r} (use 2019-2021 or 2019,2021)")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise ValueError(f"range runs backwards: {part!r}")
        years.extend(range(first, last + 1))
    return years


def check_region(text: str) -> str:
    """A GB/T 2260 code (``130127``), or a region name that names one place (``高邑县``) → its code."""
    text = (text or "").strip()
    if re.fullmatch(r"\d+", text):
        ref = region_by_code(text)
        if ref is None:
            raise ValueError(f"unknown region code {text}: not in the GB/T 2260 table "
                             "(reference/data/regions.csv); use a 6-digit code such as 130127 (高邑县) "
                             "or 130100 (石家庄市)")
        return ref.code
    ref = resolve_region(text)
    if ref is None:
        places = region_table().candidates(clean_name(text))
        if len(places) > 1:
            named = ", ".join(f"{p.code} ({p.province_name or ''}{p.city_name or ''}{p.name})"
                              .replace(f"{p.name}{p.name}", p.name) for p in places[:6])
            raise ValueError(f"{text!r} names {len(places)} places: {named}; give the code of the one you mean")
        raise ValueError(f"not a region code or a known region name: {text!r}; use a 6-digit GB/T 2260 code "
                         "such as 130127 (高邑县), or a name that names one place")
    return ref.code


def check_province(text: str) -> str:
    """A province name with or without its suffix → the full name (河北 → 河北省)."""
    ref = province_named(text or "")
    if ref is None:
        raise ValueError(f"unknown province {text!r}: use a province-level name such as 河北省 (or 河北), "
                         "上海市, 内蒙古自治区")
    return ref.name


def as_callback(check: Callable[[str], object]) -> Callable:
    """A typer callback running ``check``; its ValueError becomes a SetupError naming the option,
    which every command prints as one line on stderr (exit 2)."""
    def callback(ctx: typer.Context, param: typer.CallbackParam, value):
        try:
            return check(value) if value is not None else None
        except ValueError as exc:
            raise SetupError(f"{param.opts[0]}: {exc}") from None
    return callback


WAREHOUSE = typer.Option(None, "--warehouse", "-w", envvar="COUNTY_BUDGETS_WAREHOUSE",
                         help="SQLAlchemy URL [default: duckdb:///warehouse.duckdb]")
REGION = typer.Option(None, "--region", callback=as_callback(check_region),
                      help="Only this GB/T 2260 region and what lies under it (e.g. 130127 高邑县, 130100 石家庄市)")
PROVINCE = typer.Option(None, "--province", callback=as_callback(check_province),
                        help="Only this province (河北省 or 河北)")
