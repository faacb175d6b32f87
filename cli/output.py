"""Printing frames for the comparison commands: a rich table, CSV or JSON, decimals kept exact.

Also the option parsing those commands share: ``--format``, ``--province`` (河北 or 河北省),
``--region`` (a GB/T 2260 code, matched by level: a province code selects its whole province),
``--year`` (repeatable); the warehouse of a query command is :func:`flows.warehouse.queried`.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Optional

import polars as pl
import typer
from rich.cells import cell_len
from rich.table import Table

from cli.base import report_console
from cli.options import PROVINCE, REGION, WAREHOUSE  # noqa: F401  (re-exported for the comparison commands)
from flows.safe_text import safe_text
from flows.warehouse import queried  # noqa: F401  (re-exported for the comparison commands)
from reference.regions import region_prefix
from schemas.errors import SetupError

FORMATS = ("table", "csv", "json")
console = report_console()


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise SetupError(f"--format: unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


FORMAT = typer.Option("table", "--format", "-f", callback=_check_format, help="table, csv or json")
YEAR = typer.Option(None, "--year", help="fiscal year (repeat for several: --year 2025 --year 2026)")


def region_filter(code: Optional[str]) -> Optional[str]:
    """The code prefix that selects ``code`` and what lies under it (``code`` already checked by
    :data:`REGION`'s callback against GB/T 2260), or None for no filter."""
    return region_prefix(code) if code else None


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def emit(frame: pl.DataFrame, fmt: str) -> None:
    """CSV or JSON of a frame on stdout (exact decimals as strings in JSON)."""
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    else:
        rows = [{k: _plain(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")


def table(title: str, columns: list[str], rows: list[list[str]], *, right: tuple[str, ...] = ()) -> Table:
    """A rich table at least as wide as its title, so a narrow table does not fold its title. Every cell
    and the title pass :func:`flows.safe_text.safe_text`: they hold documents' names and reasons."""
    title = safe_text(title)
    out = Table(title=title, title_justify="left", min_width=cell_len(title))
    for column in columns:
        out.add_column(safe_text(column), justify="right" if column in right else "left", overflow="fold")
    for row in rows:
        out.add_row(*[safe_text(v) for v in row])
    return out


def wan(value: Decimal | None) -> str:
    """Yuan shown in 万元 to two decimals (display only; the figures stay exact in yuan)."""
    return "—" if value is None else f"{value / 10000:,.2f}"


def pct(value: float | Decimal | None) -> str:
    return "—" if value is None else f"{float(value):.1%}"
