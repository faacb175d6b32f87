"""Prefect wiring: the ``county-budgets-run`` flow and the nightly deployment.

Tasks only wrap :mod:`flows.pipeline` functions. ``prepare`` is mapped over documents
in parallel; storing stays in the flow, one document at a time, because a DuckDB
file admits one writer. Task caching is off (``NONE``): inputs are bytes and
engines, and re-running must re-check the warehouse, not a cache.
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

from flows.pipeline import Prepared, prepare
from flows.report.publish import publish_report
from flows.runner import RunSummary, folder_items, run_items
from load.warehouse import opened, warehouse_url

MAX_PARALLEL_DOCUMENTS = 4


@task(name="prepare-document", cache_policy=NONE, retries=0)
def prepare_task(data: bytes, uri: str, loaded_at: datetime) -> Prepared:
    return prepare(data, uri, loaded_at=loaded_at)


def prepare_with_prefect(items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> list[Prepared]:
    results: list[Prepared] = []
    for start in range(0, len(items), MAX_PARALLEL_DOCUMENTS):
        batch = items[start : start + MAX_PARALLEL_DOCUMENTS]
        futures = [prepare_task.submit(data, uri, loaded_at) for data, uri in batch]
        results.extend(future.result() for future in futures)
    return results


def summary_markdown(summary: RunSummary) -> str:
    lines = [f"## county-budgets run\n\n{summary.line()}\n", "| status | year | department | source | reason |",
             "|---|---|---|---|---|"]
    for r in summary.reports:
        lines.append(f"| {r.status} | {r.fiscal_year or ''} | {r.department_name or ''} | {r.source_uri} | {r.reason or ''} |")
    return "\n".join(lines)


@flow(name="county-budgets-run", log_prints=True)
def run_flow(source: str, warehouse: str | None = None, years: list[int] | None = None,
             region: str | None = None, force: bool = False) -> RunSummary:
    """collect → extract → transform → validate → load, for one source folder."""
    items = folder_items(source)
    with opened(warehouse_url(warehouse)) as engine:
        summary = run_items(engine, items, prepare_many=prepare_with_prefect, years=years, region=region,
                            force=force)
    create_markdown_artifact(summary_markdown(summary), key="county-budgets-run-summary",
                             description=summary.line())
    print(summary.line())
    return summary


@flow(name="county-budgets-nightly", log_prints=True)
def nightly_flow(source: str | None = None, warehouse: str | None = None, region: str | None = None,
                 province: str | None = None, report: str | None = None) -> RunSummary:
    """The scheduled job: a folder when one is configured, else every enabled portal of the registry
    (incremental: unchanged portals fetch 304s and load nothing); then the HTML report is written to
    ``report`` (default: ``report.html`` beside a DuckDB warehouse) and summarised as an artifact."""
    if source:
        summary = run_flow(source=source, warehouse=warehouse)
    else:
        from flows.collect import run_registry

        summary = run_registry(warehouse_url(warehouse), region=region, province=province).load
    publish_report(warehouse, report)
    return summary


def nightly_deployment(source: str | None, warehouse: str, *, cron: str = "0 2 * * *",
                       timezone: str = "Asia/Shanghai", name: str = "nightly", report: str | None = None):
    """The scheduled deployment ``county-budgets serve`` registers (02:00 Beijing time by default)."""
    from prefect.schedules import Cron

    parameters = {"source": source, "warehouse": warehouse} | ({"report": report} if report else {})
    return nightly_flow.to_deployment(name=name, schedules=[Cron(cron, timezone=timezone)], parameters=parameters)
