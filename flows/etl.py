"""The Prefect flows and the nightly deployment, in one style: module-level ``@task`` and ``@flow``
over plain functions.

Prefect is imported by this module and :mod:`flows.prefect_engine` (the batch task, its
preparers and task runners, the progress artifact), and by the report's nightly hook; :mod:`flows.runs`
imports them only when a run asks for Prefect, so ``--no-prefect`` runs never pay Prefect's import
and start-up. Tasks wrap :mod:`flows.pipeline` (through :mod:`flows.prefect_engine`) and
:mod:`flows.collect` (crawl one source, fetch one manifest URL); storing stays in the flow, one
document at a time, because a DuckDB file admits one writer. Every run flow takes one
:class:`~flows.request.RunRequest` as its parameter — its warehouse URL without its password
(:func:`load.warehouse_url.hand_password_on`), opened through :func:`flows.warehouse.run_warehouse`
(shared with the run that called the flow) — and publishes its summary as a markdown artifact
whose document-derived text passes :func:`flows.safe_text.safe_text`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from prefect import flow, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.task_runners import ThreadPoolTaskRunner

from extract.collect.crawl import CrawlReport
from extract.collect.fetch import Fetcher, FetchRecord, FetchSettings
from extract.collect.manifest import ManifestEntry, ManifestFetch, fetch_entry
from extract.collect.portal_config import load_portal_configs
from extract.collect.raw_store import RawStore
from flows.collect import CollectSummary, collect, collect_manifest, raw_store_at
from flows.prefect_engine import ArtifactProgress, on_engine, prefect_preparer  # noqa: F401 (on_engine re-exported)
from flows.progress import reporting
from flows.registry import Source
from flows.report.publish import publish_report
from flows.request import Limits, RunRequest, default_workers
from flows.runner import RunSummary, folder_items, run_items
from flows.safe_text import safe_markdown as md
from flows.warehouse import run_warehouse

# ------------------------------------------------------------------ tasks
# No Prefect retries: the fetcher is the one retry layer (``FetchSettings.max_attempts`` with
# backoff, every attempt under the per-host limits); retrying the task on top multiplied the
# requests for one URL (3 × 3 = 9) and re-crawled whole portals.
@task(name="crawl-source", cache_policy=NONE)
def crawl_task(run: Callable[[Source], CrawlReport], source: Source) -> CrawlReport:
    return run(source)


@task(name="fetch-document", cache_policy=NONE)
def fetch_task(fetcher: Fetcher, store: RawStore, entry: ManifestEntry) -> ManifestFetch:
    return fetch_entry(entry, store, fetcher.fetch)  # a failure comes back with its reason


def _prefect_map(task_, fn, items) -> list:
    futures = task_.map(unmapped(fn), list(items)) if items else []
    return [f.result() for f in futures]


def _publish(markdown: str, line: str, key: str) -> None:
    create_markdown_artifact(markdown, key=key, description=line)
    print(line)


def _flow_request(request: RunRequest) -> RunRequest:
    """``request`` as a flow runs it: through Prefect (a request without limits prepares in this process)."""
    return replace(request, use_prefect=True)


# ------------------------------------------------------------------ flows
def summary_markdown(summary: RunSummary) -> str:
    lines = [f"## county-budgets run\n\n{summary.line()}\n", "| status | year | department | source | reason |",
             "|---|---|---|---|---|"]
    for r in summary.reports:
        lines.append(f"| {r.status} | {r.fiscal_year or ''} | {md(r.department_name)} | {md(r.source_uri)} | "
                     f"{md(r.reason)} |")
    return "\n".join(lines)


@flow(name="county-budgets-run", log_prints=True)
def run_flow(request: RunRequest) -> RunSummary:
    """collect → extract → transform → validate → load, for one source folder (``request.source``; see
    :func:`on_engine` for running its tasks on Dask)."""
    request = _flow_request(request)
    with run_warehouse(request) as engine, reporting(ArtifactProgress("county-budgets-run-progress")):
        summary = run_items(engine, folder_items(request.source), request,
                            prepare_many=prefect_preparer(request.limits))
    _publish(summary_markdown(summary), summary.line(), "county-budgets-run-summary")
    return summary


@flow(name="county-budgets-collect", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=4))
def collect_flow(request: RunRequest, fetch_settings: FetchSettings | None = None) -> CollectSummary:
    """:func:`flows.collect.collect` as a flow: crawls mapped over the registry's sources, in parallel, bounded."""
    request = _flow_request(request)
    configs = load_portal_configs(Path(request.portal_config) if request.portal_config else None)
    with run_warehouse(request) as engine:
        summary = collect(engine, store=raw_store_at(request.raw_store), fetch_settings=fetch_settings,
                          configs=configs, request=request,
                          map_fn=lambda fn, sources: _prefect_map(crawl_task, fn, sources),
                          prepare_many=prefect_preparer(request.limits))
    _publish(summary.markdown(), summary.line(), "county-budgets-collect-summary")
    return summary


@flow(name="county-budgets-manifest", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=4))
def collect_manifest_flow(request: RunRequest,
                          fetch_settings: FetchSettings | None = None) -> tuple[RunSummary, list[ManifestFetch]]:
    """``--source list.csv`` under Prefect: one fetch task per URL (the fetcher retries), then load."""
    request = _flow_request(request)

    def fetch_all(fetcher: Fetcher, store: RawStore, entries: list[ManifestEntry]) -> list[ManifestFetch]:
        futures = [fetch_task.submit(fetcher, store, e) for e in entries]
        out = []
        for entry, future in zip(entries, futures):
            result = future.result(raise_on_failure=False)
            if not isinstance(result, ManifestFetch):  # the task itself broke: keep the reason
                store.record_fetch(FetchRecord.of_error(entry.url, result))
                result = ManifestFetch(entry.url, None, str(result))
            out.append(result)
        return out

    with run_warehouse(request) as engine:
        summary, failures = collect_manifest(engine, Path(request.source), request,
                                             store=raw_store_at(request.raw_store), fetch_settings=fetch_settings,
                                             fetch_all=fetch_all, prepare_many=prefect_preparer(request.limits))
    lines = [f"## county-budgets manifest {md(request.source)}", "", summary.line(), ""]
    lines += [f"- {md(f.url)}: {md(f.reason)}" for f in failures]
    _publish("\n".join(lines), f"{summary.line()}; {len(failures)} URLs failed", "county-budgets-manifest-summary")
    return summary, failures


@flow(name="county-budgets-nightly", log_prints=True)
def nightly_flow(source: str | None = None, warehouse: str | None = None, region: str | None = None,
                 province: str | None = None, report: str | None = None, workers: int | None = None,
                 dask: str | None = None) -> RunSummary:
    """The scheduled job: a folder when one is configured, else every enabled portal of the registry
    (incremental: unchanged portals fetch 304s and load nothing); then the HTML report is written to
    ``report`` (default: ``report.html`` beside a DuckDB warehouse) and summarised as an artifact.
    ``workers`` documents are prepared at once (default: the cores); ``dask`` ("local" or a
    scheduler address) prepares a folder's documents on Dask."""
    request = RunRequest(source=source or None, warehouse=warehouse, region=region, province=province, dask=dask,
                         limits=Limits(workers=workers or default_workers()))
    with run_warehouse(request):  # opened once: the run and the report share it
        if source:
            summary = on_engine(run_flow, dask, workers)(request)
        else:
            summary = collect_flow(request).load
        publish_report(warehouse, report)
    return summary


def nightly_deployment(source: str | None, warehouse: str, *, cron: str = "0 2 * * *",
                       timezone: str = "Asia/Shanghai", name: str = "nightly", report: str | None = None,
                       workers: int | None = None, dask: str | None = None):
    """The scheduled deployment ``county-budgets serve`` registers (02:00 Beijing time by default)."""
    from prefect.schedules import Cron

    parameters = {"source": source, "warehouse": warehouse} | ({"report": report} if report else {})
    parameters |= {k: v for k, v in (("workers", workers), ("dask", dask)) if v}
    return nightly_flow.to_deployment(name=name, schedules=[Cron(cron, timezone=timezone)], parameters=parameters)
