"""``county-budgets coverage [--province 河北省]``: who published what, per region and category.

Reads ``v_coverage``: every registered region (``county-budgets sources import``) and every
region a loaded document names, each category it publishes, per fiscal year and kind:

    ● read       a disclosure with figures is loaded
    ◐ seen-only  a disclosure was found but carries no figures (images or an attachment only)
    ○ found      a link or a document names it but nothing could be read yet
    ✗ missing    the region published this category in another year, or other categories
                 this year, but nothing is found for it

A region where nothing at all was found is counted (and listed with ``--all``). Mounted by
:mod:`cli.app`.
"""

from __future__ import annotations

from typing import List, Optional

import polars as pl
import typer

from reference.departments import category_names
from cli.output import (
    FORMAT, PROVINCE, REGION, WAREHOUSE, YEAR, console, emit, queried, region_filter, table,
)
from load.comparison import coverage
from flows.safe_text import safe_text

SYMBOLS = {"read": "●", "seen_only": "◐", "found": "○", "missing": "✗"}
SHOW_SILENT = 30


def _cell(rows: pl.DataFrame, years: list[int]) -> str:
    by_year = dict(zip(rows["fiscal_year"].to_list(), rows["status"].to_list()))
    return "".join(SYMBOLS.get(by_year.get(y), "·") for y in years)


def _matrix(cells: pl.DataFrame, kind: str) -> None:
    years = sorted(cells["fiscal_year"].unique().to_list())
    order = {name: k for k, name in enumerate(category_names())}
    present = sorted({c for c in cells["department_category"].to_list()}, key=lambda c: (c is None, order.get(c, 999)))
    body = []
    for (code, name), rows in cells.group_by(["region_code", "region_name"], maintain_order=True):
        line = [code, name or "—"]
        for category in present:
            match = rows.filter(pl.col("department_category").eq_missing(category))
            line.append(_cell(match, years) if match.height else "")
        body.append(line)
    title = f"{kind}: {len(body)} regions × {len(present)} categories; one mark per year: {' '.join(map(str, years))}"
    console.print(table(title, ["code", "region", *[c or "(unmapped)" for c in present]], body))


def coverage_command(
    province: Optional[str] = PROVINCE,
    region: Optional[str] = REGION,
    year: Optional[List[int]] = YEAR,
    show_all: bool = typer.Option(False, "--all", help="also list every region where nothing was found"),
    fmt: str = FORMAT,
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """The coverage matrix: found / read / seen-only / missing per region and category."""
    with queried(warehouse) as engine:
        rows = coverage(engine, province=province, region_prefix=region_filter(region),
                        years=year or None)
    if fmt != "table":
        emit(rows, fmt)
        return
    cells = rows.filter(pl.col("fiscal_year").is_not_null())
    silent = rows.filter(pl.col("fiscal_year").is_null())
    counts = cells.group_by("status").len()
    summary = ", ".join(f"{SYMBOLS[s]} {s.replace('_', '-')} {n}" for s, n in
                        sorted(counts.iter_rows(), key=lambda r: list(SYMBOLS).index(r[0])))
    console.print(f"{cells['region_code'].n_unique()} regions with disclosures ({summary or 'none'}); "
                  f"{silent.height} registered regions where nothing was found", soft_wrap=True)
    for (kind,), kind_cells in cells.group_by(["doc_kind"], maintain_order=True):
        _matrix(kind_cells, kind)
    console.print("● read  ◐ seen-only (no figures)  ○ found, not read  ✗ missing  · not expected")
    names = [f"{r['region_name'] or '?'} ({r['region_code']})" for r in silent.iter_rows(named=True)]
    if names:
        shown = names if show_all else names[:SHOW_SILENT]
        more = "" if show_all or len(names) <= SHOW_SILENT else f" … and {len(names) - SHOW_SILENT} more (--all)"
        console.print(safe_text("nothing found: " + ", ".join(shown) + more), soft_wrap=True)
