"""The ``county-budgets`` command line: run now, backfill a range of years, serve nightly.

Exit codes: 0 when the run completed (quarantined documents are reported, not fatal),
1 with ``--strict`` when any document was quarantined or failed an error-level data-
quality rule, 2 when the pipeline itself broke its contract (a bug: nothing was half-loaded).
"""

from __future__ import annotations

import os
import re

# Nothing may phone home: Prefect's temporary server would otherwise try to send telemetry.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
from typing import Optional

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from flows.runner import DocumentReport, RunSummary, folder_items, prepare_sequentially, run_items
from load.warehouse import opened, warehouse_url
from schemas.errors import ContractError

app = typer.Typer(help="Chinese county budget disclosures → a comparable data warehouse.", no_args_is_help=True)
console = Console()

WAREHOUSE = typer.Option(None, "--warehouse", "-w", envvar="COUNTY_BUDGETS_WAREHOUSE",
                         help="SQLAlchemy URL [default: duckdb:///warehouse.duckdb]")


def parse_years(text: str) -> list[int]:
    """``2019-2021`` → [2019, 2020, 2021]; ``2019,2021`` → [2019, 2021]."""
    years: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not match:
            raise typer.BadParameter(f"not a year or range: {part!r} (use 2019-2021 or 2019,2021)")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise typer.BadParameter(f"range runs backwards: {part!r}")
        years.extend(range(first, last + 1))
    return years


def _report_table(summary: RunSummary) -> Table:
    table = Table(title=summary.line(), show_lines=False)
    for column in ("status", "year", "department", "rows", "checks ✓/✗/?", "source / reason"):
        table.add_column(column)
    for r in summary.reports:
        q = r.quality
        checks = f"{q.get('passed', 0)}/{q.get('failed', 0)}/{q.get('not_evaluated', 0)}" if q else ""
        where = r.source_uri.rsplit("/", 1)[-1]
        table.add_row(r.status, str(r.fiscal_year or ""), r.department_name or "", str(r.rows or ""), checks,
                      where + (f" — {r.reason}" if r.reason else ""))
    return table


def _exit_code(summary: RunSummary, strict: bool) -> int:
    if not strict:
        return 0
    bad = [r for r in summary.reports if r.status == "quarantined" or r.quality.get("failed_errors")]
    return 1 if bad else 0


def _run(source: str, warehouse: Optional[str], *, years=None, region=None, force=False, use_prefect=True,
         on_document=None) -> RunSummary:
    if use_prefect:
        from flows.etl import run_flow

        return run_flow(source=source, warehouse=warehouse, years=years, region=region, force=force)
    with opened(warehouse_url(warehouse)) as engine:
        return run_items(engine, folder_items(source), prepare_many=prepare_sequentially, years=years,
                         region=region, force=force, on_document=on_document)


@app.command()
def run(
    source: str = typer.Option(..., "--source", "-s", help="Folder (or file) of disclosures"),
    warehouse: Optional[str] = WAREHOUSE,
    strict: bool = typer.Option(False, help="Exit 1 if any document is quarantined"),
    force: bool = typer.Option(False, help="Re-load documents even when their bytes are already loaded"),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="Run as a Prefect flow (default) or inline"),
) -> None:
    """Collect, extract, transform, validate and load one source now."""
    try:
        summary = _run(source, warehouse, force=force, use_prefect=prefect)
    except ContractError as exc:
        console.print(f"[red]contract broken, run stopped: {exc}")
        raise typer.Exit(2)
    except FileNotFoundError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2)
    console.print(_report_table(summary))
    console.print(f"warehouse: {warehouse_url(warehouse)}")
    raise typer.Exit(_exit_code(summary, strict))


@app.command()
def backfill(
    source: str = typer.Option(..., "--source", "-s", help="Folder (or file) of disclosures"),
    years: str = typer.Option(..., "--years", help="Years to load, e.g. 2019-2021"),
    region: Optional[str] = typer.Option(None, "--region", help="Only this region code (e.g. 130127 or 1301)"),
    warehouse: Optional[str] = WAREHOUSE,
    strict: bool = typer.Option(False, help="Exit 1 if any document is quarantined"),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect"),
) -> None:
    """Re-run a source for a range of years, one flow run per year."""
    wanted = parse_years(years)
    summaries: list[RunSummary] = []
    with Progress(console=console) as progress:
        bar = progress.add_task("backfill", total=len(wanted))
        for year in wanted:
            progress.update(bar, description=f"year {year}")
            summaries.append(_run(source, warehouse, years=[year], region=region, force=True, use_prefect=prefect))
            progress.advance(bar)
    merged = RunSummary([r for s in summaries for r in s.reports if r.status != "skipped"])
    console.print(_report_table(merged))
    for year, summary in zip(wanted, summaries):
        console.print(f"{year}: {summary.counts['loaded']} loaded, {summary.counts['quarantined']} quarantined")
    raise typer.Exit(_exit_code(merged, strict))


@app.command()
def serve(
    source: str = typer.Option(..., "--source", "-s", help="Folder the nightly run reads"),
    warehouse: Optional[str] = WAREHOUSE,
    cron: str = typer.Option("0 2 * * *", help="Cron schedule"),
    timezone: str = typer.Option("Asia/Shanghai", help="Time zone of the schedule"),
    name: str = typer.Option("nightly", help="Deployment name"),
) -> None:
    """Register the nightly deployment and serve it (needs a running `prefect server start`)."""
    from prefect import serve as prefect_serve

    from flows.etl import nightly_deployment

    deployment = nightly_deployment(source, warehouse_url(warehouse), cron=cron, timezone=timezone, name=name)
    console.print(f"serving deployment county-budgets-run/{name}: cron '{cron}' ({timezone})")
    prefect_serve(deployment)


from flows.audit import audit_command  # noqa: E402
from flows.sources_cli import sources_app  # noqa: E402

app.add_typer(sources_app, name="sources")
app.command("audit")(audit_command)


def main() -> None:  # pragma: no cover
    app()
