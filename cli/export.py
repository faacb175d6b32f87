"""``county-budgets export --format parquet|csv --out DIR``: the warehouse for other engines.

Mounted by :mod:`cli.app`. The layout is described in :mod:`load.export`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cli.base import report_console
from cli.options import WAREHOUSE
from cli.output import queried
from flows.safe_text import safe_text
from load.export import FORMATS, export_warehouse
from schemas.errors import SetupError

console = report_console()


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise SetupError(f"--format: unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def export_command(
    out: Path = typer.Option(..., "--out", "-o", help="folder to write into (relations are replaced whole)"),
    format: str = typer.Option("parquet", "--format", "-f", callback=_check_format,
                               help="parquet (hive-partitioned by province and year) or csv"),
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Write every dimension, fact and public view as Parquet or CSV, exact decimals kept."""
    with queried(warehouse) as engine:
        report = export_warehouse(engine, out, format)
    console.print(safe_text(report.line()), soft_wrap=True)
