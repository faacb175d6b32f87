"""The run commands — ``run``, ``backfill`` and ``serve`` — and the ``county-budgets`` app they are registered on.

Exit codes: 0 when the run completed (quarantined documents are reported, not fatal);
1 with ``--strict`` when any document was quarantined or failed an error-level data-
quality rule; 2 when the run could not start or go on as set up — a bad or unsupported
warehouse URL, an unreachable server, a DuckDB file another process holds, a missing or
unreadable source, a registry CSV given as a URL manifest, an unknown region — printed as
one line on stderr (``--verbose`` adds the traceback). Nothing is ever half-loaded.

The other commands (queries, audit, review, sources) are registered on the same app by
:mod:`cli.app`; :func:`cli.main.main` imports them only when the command line asks for one of
them, so a nightly ``run`` starts without the query commands' imports.
"""

from __future__ import annotations

import os
from collections import Counter

# Nothing may phone home: Prefect's temporary server would otherwise try to send telemetry.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect's temporary server gives up after 20 s by default, which a busy 2-core machine misses
# (the README's first command failed 2 times in 8 beside the test suite); set it to change the wait
PREFECT_START_TIMEOUT_S = 90
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(PREFECT_START_TIMEOUT_S))
from typing import Optional

import typer
from rich.table import Table

from extract.collect.fetch_policy import FetchSettings
from cli.base import CommandGroup, report_console
from flows import progress
from flows.safe_text import safe_text
from cli.options import PROVINCE, REGION, WAREHOUSE, parse_years as _parse_years
from flows.request import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIME_LIMIT_S, Limits, RunRequest, default_workers
from flows.runner import RunSummary
from flows.runs import RunResult, execute, reprocess_store
from flows.warehouse import resolved_url
from load.warehouse import DEFAULT_LOCK_WAIT_S, LOCK_WAIT_ENV
from load.warehouse_url import hand_password_on
from schemas.errors import SetupError
from schemas.redact import mask_url
from schemas.vocabulary import QUARANTINED

app = typer.Typer(cls=CommandGroup, no_args_is_help=True,
                  help="Chinese county budget disclosures → a comparable data warehouse. "
                       "Add --verbose anywhere to see tracebacks of set-up errors.")
console = report_console()


def parse_years(text: str) -> list[int]:
    """``2019-2021`` → [2019, 2020, 2021]; ``2019,2021`` → [2019, 2021]."""
    try:
        return _parse_years(text)
    except ValueError as exc:
        raise SetupError(f"--years: {exc}") from None


def _report_table(summary: RunSummary) -> Table:
    table = Table(title=summary.line(), show_lines=False)
    for column in ("status", "year", "department", "rows", "checks ✓/✗/?", "source / reason"):
        table.add_column(column)
    for r in summary.reports:
        q = r.quality
        checks = f"{q.get('passed', 0)}/{q.get('failed', 0)}/{q.get('not_evaluated', 0)}" if q else ""
        where = r.source_uri.rsplit("/", 1)[-1]
        reason = f" — {r.stage}: {r.reason}" if r.reason and r.stage else f" — {r.reason}" if r.reason else ""
        # names, file names and reasons are the documents' text: safe for a terminal (flows.safe_text)
        table.add_row(r.status, str(r.fiscal_year or ""), safe_text(r.department_name), str(r.rows or ""), checks,
                      safe_text(where + reason))
    return table


def _exit_code(summary: RunSummary, strict: bool) -> int:
    if not strict:
        return 0
    bad = [r for r in summary.reports if r.status == QUARANTINED or r.quality.get("failed_errors")]
    return 1 if bad else 0


def _execute(request: RunRequest) -> RunResult:
    with progress.shown():
        result = execute(request)
    for note in result.notes:  # URLs and servers' reasons
        console.print(safe_text(note), soft_wrap=True)
    return result


STRICT = typer.Option(False, help="Exit 1 if any document is quarantined or fails an error-level data-quality rule")
SOURCE = typer.Option(None, "--source", "-s",
                      help="Folder (or file) of disclosures, or a .csv of document URLs; "
                           "omitted: crawl every enabled portal in the warehouse's registry")
RAW_STORE = typer.Option(None, "--raw-store", envvar="COUNTY_BUDGETS_RAW_STORE",
                         help="Where fetched bytes are kept by sha256 [default: ./raw_store]")
TIME_LIMIT = typer.Option(DEFAULT_TIME_LIMIT_S, "--time-limit", min=0,
                          help="Seconds one document may take to read and check before it is stopped and "
                               "quarantined (0: no limit, no worker process)")
MEMORY_LIMIT = typer.Option(DEFAULT_MEMORY_LIMIT_MB, "--memory-limit", min=0,
                            help="MB of memory one document's worker may use (0: no limit)")
LOCK_WAIT = typer.Option(DEFAULT_LOCK_WAIT_S, "--lock-wait", envvar=LOCK_WAIT_ENV, min=0,
                         help="Seconds to wait for a DuckDB warehouse file another process holds")
WORKERS = typer.Option(None, "--workers", "-j", min=1,
                       help="Documents prepared at once, each in its own worker process [default: the cores]")
DASK = typer.Option(False, "--dask", help="Prepare on a Dask LocalCluster of --workers processes (prefect-dask)")
DASK_ADDRESS = typer.Option(None, "--dask-address", envvar="COUNTY_BUDGETS_DASK_ADDRESS",
                            help="Prepare on the Dask cluster whose scheduler is here, e.g. tcp://10.0.0.5:8786")
HOST_BUDGET = typer.Option(FetchSettings.host_budget_s, "--host-budget", min=1,
                           help="Seconds of requests one portal host may take of a crawl or URL list; then its "
                                "remaining addresses wait for the next run")
CRAWL_BUDGET = typer.Option(FetchSettings.crawl_budget_s, "--crawl-budget", min=1,
                            help="Seconds a crawl or URL list may spend fetching in all; then the rest waits for "
                                 "the next run")


def _engine(time_limit: float, memory_limit: int, workers: int | None, lock_wait: float, dask: bool,
            dask_address: str | None, host_budget: float, crawl_budget: float) -> dict:
    """The RunRequest fields that say where and under which limits documents are fetched and prepared
    (run, backfill)."""
    return {"limits": Limits(time_limit, memory_limit or None, workers or default_workers()),
            "lock_wait_s": lock_wait, "dask": dask_address or ("local" if dask else None),
            "host_budget_s": host_budget, "crawl_budget_s": crawl_budget}


@app.command()
def run(
    source: Optional[str] = SOURCE,
    warehouse: Optional[str] = WAREHOUSE,
    region: Optional[str] = REGION,
    province: Optional[str] = PROVINCE,
    raw_store: Optional[str] = RAW_STORE,
    strict: bool = STRICT,
    force: bool = typer.Option(False, help="Re-load documents even when their bytes are already loaded"),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="Run as a Prefect flow (default) or inline"),
    time_limit: float = TIME_LIMIT,
    memory_limit: int = MEMORY_LIMIT,
    lock_wait: float = LOCK_WAIT,
    workers: Optional[int] = WORKERS,
    dask: bool = DASK,
    dask_address: Optional[str] = DASK_ADDRESS,
    host_budget: float = HOST_BUDGET,
    crawl_budget: float = CRAWL_BUDGET,
) -> None:
    """Collect, extract, transform, validate and load now."""
    request = RunRequest(source=source, warehouse=warehouse, region=region, province=province, force=force,
                         strict=strict, raw_store=raw_store, use_prefect=prefect,
                         **_engine(time_limit, memory_limit, workers, lock_wait, dask, dask_address, host_budget,
                                   crawl_budget))
    summary = _execute(request).summary
    if summary.reports:
        console.print(_report_table(summary))
    console.print(f"warehouse: {safe_text(mask_url(resolved_url(warehouse)))}", soft_wrap=True)
    raise typer.Exit(_exit_code(summary, strict))


@app.command()
def backfill(
    source: Optional[str] = SOURCE,
    years: Optional[str] = typer.Option(None, "--years", help="Years to load, e.g. 2019-2021"),
    region: Optional[str] = REGION,
    province: Optional[str] = PROVINCE,
    reprocess: bool = typer.Option(False, "--reprocess",
                                   help="Re-extract everything in the raw store with the current parser, no fetching"),
    raw_store: Optional[str] = RAW_STORE,
    warehouse: Optional[str] = WAREHOUSE,
    strict: bool = STRICT,
    prefect: bool = typer.Option(True, "--prefect/--no-prefect"),
    time_limit: float = TIME_LIMIT,
    memory_limit: int = MEMORY_LIMIT,
    lock_wait: float = LOCK_WAIT,
    workers: Optional[int] = WORKERS,
    dask: bool = DASK,
    dask_address: Optional[str] = DASK_ADDRESS,
    host_budget: float = HOST_BUDGET,
    crawl_budget: float = CRAWL_BUDGET,
) -> None:
    """Re-load a range of years (one run: each document read once, loaded when its year is wanted),
    or --reprocess the raw store."""
    wanted = parse_years(years) if years else None
    request = RunRequest(source=source, warehouse=warehouse, years=tuple(wanted) if wanted else None, region=region,
                         province=province, force=True, strict=strict, raw_store=raw_store, use_prefect=prefect,
                         **_engine(time_limit, memory_limit, workers, lock_wait, dask, dask_address, host_budget,
                                   crawl_budget))
    if reprocess:
        with progress.shown():
            summary = reprocess_store(request).summary
        console.print(_report_table(summary))
        raise typer.Exit(_exit_code(summary, strict))
    if wanted is None:
        raise typer.BadParameter("give --years (e.g. 2019-2021), or --reprocess")
    summary = _execute(request).summary
    console.print(_report_table(RunSummary([r for r in summary.reports if r.status != "skipped"])))
    for line in year_lines(summary, wanted):
        console.print(line)
    raise typer.Exit(_exit_code(summary, strict))


def year_lines(summary: RunSummary, years: list[int]) -> list[str]:
    """Per wanted year, what the run loaded and quarantined; then what could not be given a year."""
    lines = []
    for year in years:
        mine = [r for r in summary.reports if r.fiscal_year == year]
        lines.append(f"{year}: {sum(r.status == 'loaded' for r in mine)} loaded, "
                     f"{sum(r.status == 'quarantined' for r in mine)} quarantined")
    other = Counter(r.status for r in summary.reports if r.fiscal_year not in years)
    if other:
        lines.append("other years or no year: " + ", ".join(f"{n} {status}" for status, n in sorted(other.items())))
    return lines


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
    workers: Optional[int] = WORKERS,
    dask_address: Optional[str] = DASK_ADDRESS,
) -> None:
    """Register the nightly deployment and serve it (needs a running `prefect server start`)."""
    from prefect import serve as prefect_serve

    from flows.etl import nightly_deployment
    from flows.prefect_engine import check_api

    check_api(serving=True)

    # the deployment's parameters hold the URL without its password; its runs, started by this process,
    # take the password from the environment it inherits (PGPASSWORD)
    deployment = nightly_deployment(source, hand_password_on(resolved_url(warehouse)), cron=cron,
                                    timezone=timezone, name=name, report=report, workers=workers, dask=dask_address)
    console.print(f"serving deployment county-budgets-nightly/{name}: cron '{cron}' ({timezone})")
    prefect_serve(deployment)
