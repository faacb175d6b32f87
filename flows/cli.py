"""The ``county-budgets`` command line: run now, backfill a range of years, serve nightly.

Exit codes: 0 when the run completed (quarantined documents are reported, not fatal),
1 with ``--strict`` when any document was quarantined or failed an error-level data-
quality rule, 2 when the pipeline itself broke its contract (a bug: nothing was half-loaded).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# Nothing may phone home: Prefect's temporary server would otherwise try to send telemetry.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
from typing import Optional

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from flows.runner import RunSummary, folder_items, prepare_sequentially, run_items
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


def _run(source: Optional[str], warehouse: Optional[str], *, years=None, region=None, province=None, force=False,
         use_prefect=True, raw_store=None) -> RunSummary:
    """Dispatch on the kind of source: none = the registry's portals, a .csv = a URL manifest, else a folder."""
    if source is None:
        from flows.collect import run_registry

        collected = run_registry(warehouse_url(warehouse), region=region, province=province, years=years,
                                 raw_store=raw_store, use_prefect=use_prefect)
        console.print(collected.line(), soft_wrap=True)
        return collected.load
    if source.lower().endswith(".csv") and Path(source).is_file():
        return _run_manifest(source, warehouse, raw_store, use_prefect)
    if use_prefect:
        from flows.etl import run_flow

        return run_flow(source=source, warehouse=warehouse, years=years, region=region, force=force)
    with opened(warehouse_url(warehouse)) as engine:
        return run_items(engine, folder_items(source), prepare_many=prepare_sequentially, years=years,
                         region=region, force=force)


def _run_manifest(manifest: str, warehouse: Optional[str], raw_store: Optional[str], use_prefect: bool) -> RunSummary:
    from flows.collect import collect_manifest, collect_manifest_flow, raw_store_at

    if use_prefect:
        summary, failures = collect_manifest_flow(manifest, warehouse=warehouse_url(warehouse), raw_store=raw_store)
    else:
        with opened(warehouse_url(warehouse)) as engine:
            summary, failures = collect_manifest(engine, Path(manifest), store=raw_store_at(raw_store))
    for failure in failures:
        console.print(f"[yellow]not fetched: {failure.url} — {failure.reason}", soft_wrap=True)
    return summary


SOURCE = typer.Option(None, "--source", "-s",
                      help="Folder (or file) of disclosures, or a .csv of document URLs; "
                           "omitted: crawl every enabled portal in the warehouse's registry")
RAW_STORE = typer.Option(None, "--raw-store", envvar="COUNTY_BUDGETS_RAW_STORE",
                         help="Where fetched bytes are kept by sha256 [default: ./raw_store]")


@app.command()
def run(
    source: Optional[str] = SOURCE,
    warehouse: Optional[str] = WAREHOUSE,
    region: Optional[str] = typer.Option(None, "--region", help="Only this region code (e.g. 130127, 1301xx)"),
    province: Optional[str] = typer.Option(None, "--province", help="Only portals of this province (e.g. 河北省)"),
    raw_store: Optional[str] = RAW_STORE,
    strict: bool = typer.Option(False, help="Exit 1 if any document is quarantined"),
    force: bool = typer.Option(False, help="Re-load documents even when their bytes are already loaded"),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="Run as a Prefect flow (default) or inline"),
) -> None:
    """Collect, extract, transform, validate and load now."""
    try:
        summary = _run(source, warehouse, region=region, province=province, force=force, use_prefect=prefect,
                       raw_store=raw_store)
    except ContractError as exc:
        console.print(f"[red]contract broken, run stopped: {exc}")
        raise typer.Exit(2)
    except FileNotFoundError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2)
    if summary.reports:
        console.print(_report_table(summary))
    console.print(f"warehouse: {warehouse_url(warehouse)}", soft_wrap=True)
    raise typer.Exit(_exit_code(summary, strict))


@app.command()
def backfill(
    source: Optional[str] = SOURCE,
    years: Optional[str] = typer.Option(None, "--years", help="Years to load, e.g. 2019-2021"),
    region: Optional[str] = typer.Option(None, "--region", help="Only this region code (e.g. 130127 or 130100)"),
    province: Optional[str] = typer.Option(None, "--province", help="Only portals of this province"),
    reprocess: bool = typer.Option(False, "--reprocess",
                                   help="Re-extract everything in the raw store with the current parser, no fetching"),
    raw_store: Optional[str] = RAW_STORE,
    warehouse: Optional[str] = WAREHOUSE,
    strict: bool = typer.Option(False, help="Exit 1 if any document is quarantined"),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect"),
) -> None:
    """Re-run for a range of years (one flow run per year), or --reprocess the raw store."""
    if reprocess:
        from flows.collect import raw_store_at, reprocess as reprocess_store

        with opened(warehouse_url(warehouse)) as engine:
            summary = reprocess_store(engine, raw_store_at(raw_store))
        console.print(_report_table(summary))
        raise typer.Exit(_exit_code(summary, strict))
    if years is None:
        raise typer.BadParameter("give --years (e.g. 2019-2021), or --reprocess")
    wanted = parse_years(years)
    summaries: list[RunSummary] = []
    with Progress(console=console) as progress:
        bar = progress.add_task("backfill", total=len(wanted))
        for year in wanted:
            progress.update(bar, description=f"year {year}")
            summaries.append(_run(source, warehouse, years=[year], region=region, province=province, force=True,
                                  use_prefect=prefect, raw_store=raw_store))
            progress.advance(bar)
    merged = RunSummary([r for s in summaries for r in s.reports if r.status != "skipped"])
    console.print(_report_table(merged))
    for year, summary in zip(wanted, summaries):
        console.print(f"{year}: {summary.counts['loaded']} loaded, {summary.counts['quarantined']} quarantined")
    raise typer.Exit(_exit_code(merged, strict))


@app.command()
def serve(
    source: Optional[str] = typer.Option(None, "--source", "-s",
                                         help="Folder the nightly run reads [default: crawl the registry]"),
    warehouse: Optional[str] = WAREHOUSE,
    cron: str = typer.Option("0 2 * * *", help="Cron schedule"),
    timezone: str = typer.Option("Asia/Shanghai", help="Time zone of the schedule"),
    name: str = typer.Option("nightly", help="Deployment name"),
    report: Optional[str] = typer.Option(None, "--report", help="Where each run writes the HTML report "
                                         "[default: report.html beside a DuckDB warehouse]"),
) -> None:
    """Register the nightly deployment and serve it (needs a running `prefect server start`)."""
    from prefect import serve as prefect_serve

    from flows.etl import nightly_deployment

    deployment = nightly_deployment(source, warehouse_url(warehouse), cron=cron, timezone=timezone, name=name,
                                    report=report)
    console.print(f"serving deployment county-budgets-nightly/{name}: cron '{cron}' ({timezone})")
    prefect_serve(deployment)


from flows.audit import audit_command  # noqa: E402
from flows.compare_cli import compare_command, departments_command  # noqa: E402
from flows.coverage_cli import coverage_command  # noqa: E402
from flows.export_cli import export_command  # noqa: E402
from flows.quality_cli import quality_command  # noqa: E402
from flows.report.cli import report_command  # noqa: E402
from flows.rules_cli import rules_command  # noqa: E402
from flows.sources_cli import sources_app  # noqa: E402

app.add_typer(sources_app, name="sources")
app.command("audit")(audit_command)
app.command("export")(export_command)
app.command("compare")(compare_command)
app.command("coverage")(coverage_command)
app.command("quality")(quality_command)
app.command("departments")(departments_command)
app.command("report")(report_command)
app.command("rules")(rules_command)


def main() -> None:  # pragma: no cover
    app()
