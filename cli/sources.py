"""``county-budgets sources import FILE`` / ``sources list``: the registry of portals.

Mounted by :mod:`cli.app` as ``app.add_typer(sources_app, name="sources")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from cli.base import report_console
from cli.options import PROVINCE, REGION, WAREHOUSE
from flows.safe_text import safe_text
from load.registry import list_sources
from load.warehouse import opened

sources_app = typer.Typer(help="The registry of disclosure portals per region.", no_args_is_help=True)
console = report_console()

SHOW_UNRESOLVED = 20


@sources_app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="registry CSV (e.g. disclosure_portals.csv)"),
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Load a registry CSV: every row becomes a source, resolved to a GB/T 2260 code where the name allows."""
    try:
        from extract.collect.registry_csv import import_registry

        result = import_registry(file)
    except ValueError as exc:
        console.print(f"[red]cannot import {safe_text(file)}:[/red] {safe_text(exc)}", soft_wrap=True)
        raise typer.Exit(2) from None
    with opened(warehouse) as engine:
        from flows.registry import save_registry

        written = save_registry(engine, result)
    enabled = sum(r.enabled for r in result.rows)
    console.print(
        f"imported {written} sources from {safe_text(file.name)}: {result.resolved} resolved to a region code, "
        f"{len(result.unresolved)} not resolved; {enabled} enabled"
        + (f"; {result.duplicates} duplicate rows skipped" if result.duplicates else ""),
        soft_wrap=True,
    )
    for name in result.unresolved[:SHOW_UNRESOLVED]:
        console.print(f"  unresolved: {safe_text(name)}", soft_wrap=True)
    if len(result.unresolved) > SHOW_UNRESOLVED:
        console.print(f"  … and {len(result.unresolved) - SHOW_UNRESOLVED} more")


@sources_app.command("list")
def list_command(
    province: Optional[str] = PROVINCE,
    region: Optional[str] = REGION,
    enabled_only: bool = typer.Option(False, "--enabled", help="only sources the nightly run crawls"),
    limit: int = typer.Option(0, "--limit", help="show at most N rows (0: all)"),
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Show the registered sources with their region codes and last crawl status."""
    from flows.registry import region_scope

    with opened(warehouse) as engine:
        rows = list_sources(engine, province=province, region_codes=region_scope(region), enabled_only=enabled_only)
    table = Table(title=f"{len(rows)} sources" + (f" in {province}" if province else ""))
    for column in ("code", "region", "city", "kind", "on", "last crawl", "index URL"):
        table.add_column(column, overflow="fold")
    for r in rows[: limit or None]:
        table.add_row(*(safe_text(v) for v in (  # the registry's and the portals' text
            r["region_code"] or "—", r["region_name"], r["city_name"] or "", r["kind"],
            "yes" if r["enabled"] else "no", r["last_crawl_status"] or "", r["index_url"] or "",
        )))
    console.print(table)
