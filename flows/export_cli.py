"""``county-budgets export --format parquet|csv --out DIR``: the warehouse for other engines.

Mounted by :mod:`flows.cli`. The layout is described in :mod:`load.export`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from load.export import FORMATS, export_warehouse
from load.warehouse import opened

console = Console()


def export_command(
    out: Path = typer.Option(..., "--out", "-o", help="folder to write into (relations are replaced whole)"),
    format: str = typer.Option("parquet", "--format", "-f", help="parquet (hive-partitioned by province and year) or csv"),
    warehouse: Optional[str] = typer.Option(None, "--warehouse", "-w", envvar="COUNTY_BUDGETS_WAREHOUSE",
                                            help="SQLAlchemy URL [default: duckdb:///warehouse.duckdb]"),
) -> None:
    """Write every dimension, fact and public view as Parquet or CSV, exact decimals kept."""
    if format not in FORMATS:
        console.print(f"[red]unknown format {format!r}: use one of {', '.join(FORMATS)}", soft_wrap=True)
        raise typer.Exit(2)
    with opened(warehouse) as engine:
        report = export_warehouse(engine, out, format)
    console.print(report.line(), soft_wrap=True)
