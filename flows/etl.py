"""All Prefect wiring, in one style: module-level ``@task`` and ``@flow`` over plain functions.

Nothing else in the project imports Prefect; :mod:`flows.runs` imports this module only
when a run asks for Prefect, so ``--no-prefect`` runs never pay Prefect's import and
start-up. Tasks wrap :mod:`flows.pipeline` (prepare a batch of documents) and
:mod:`flows.collect` (crawl one source, fetch one manifest URL); storing stays in the
flow, one document at a time, because a DuckDB file admits one writer. Task caching is
off (``NONE``): inputs are bytes and engines, and re-running must re-check the
warehouse, not a cache. Every flow takes the fields of one
:class:`~flows.request.RunRequest` as its parameters.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

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
from flows.pipeline import Prepared
from flows.registry import Source
from flows.isolation import preparer_for
from flows.request import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIME_LIMIT_S, Limits, RunRequest
from flows.report.publish import publish_report
from flows.runner import PrepareMany, RunSummary, folder_items, run_items
from load.warehouse import opened, warehouse_url

MAX_PARALLEL_DOCUMENTS = 4


# ------------------------------------------------------------------ tasks
@task(name="prepare-documents", cache_policy=NONE, retries=0)
def prepare_task(batch: Sequence[tuple[bytes, str]], loaded_at: datetime, limits: Limits | None) -> list[Prepared]:
    """Prepare a batch of documents, each in a worker process under ``limits`` (flows.isolation)."""
    return preparer_for(limits)(batch, loaded_at)


def prefect_preparer(limits: Limits | None) -> PrepareMany:
    """A PrepareMany mapping :func:`prepare_task` over documents, ``MAX_PARALLEL_DOCUMENTS`` at a time."""
    def prepare_many(items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> list[Prepared]:
        results: list[Prepared] = []
        for start in range(0, len(items), MAX_PARALLEL_DOCUMENTS):
            batch = items[start : start + MAX_PARALLEL_DOCUMENTS]
            futures = [prepare_task.submit([item], loaded_at, limits) for item in batch]
            results.extend(p for future in futures for p in future.result())
        return results
    return prepare_many


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


def _request(**params) -> RunRequest:
    years = params.pop("years", None)
    limits = Limits(params.pop("time_limit_s"), params.pop("memory_limit_mb"))
    return RunRequest(**params, years=tuple(years) if years is not None else None, use_prefect=True,
                      limits=limits if limits.isolated else None)


# ------------------------------------------------------------------ flows
def summary_markdown(summary: RunSummary) -> str:
    lines = [f"## county-budgets run\n\n{summary.line()}\n", "| status | year | department | source | reason |",
             "|---|---|---|---|---|"]
    for r in summary.reports:
        lines.append(f"| {r.status} | {r.fiscal_year or ''} | {r.department_name or ''} | {r.source_uri} | {r.reason or ''} |")
    return "\n".join(lines)


@flow(name="county-budgets-run", log_prints=True)
def run_flow(source: str, warehouse: str | None = None, years: list[int] | None = None, region: str | None = None,
             province: str | None = None, force: bool = False, raw_store: str | None = None,
             portal_config: str | None = None, time_limit_s: float = DEFAULT_TIME_LIMIT_S,
             memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB, lock_wait_s: float | None = None) -> RunSummary:
    """collect → extract → transform → validate → load, for one source folder."""
    request = _request(source=source, warehouse=warehouse, years=years, region=region, province=province,
                       force=force, raw_store=raw_store, portal_config=portal_config, time_limit_s=time_limit_s,
                       memory_limit_mb=memory_limit_mb, lock_wait_s=lock_wait_s)
    with opened(warehouse_url(warehouse), lock_wait_s=lock_wait_s) as engine:
        summary = run_items(engine, folder_items(source), request, prepare_many=prefect_preparer(request.limits))
    _publish(summary_markdown(summary), summary.line(), "county-budgets-run-summary")
    return summary


@flow(name="county-budgets-collect", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=4))
def collect_flow(source: str | None = None, warehouse: str | None = None, years: list[int] | None = None,
                 region: str | None = None, province: str | None = None, force: bool = False,
                 raw_store: str | None = None, portal_config: str | None = None,
                 time_limit_s: float = DEFAULT_TIME_LIMIT_S, memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
                 lock_wait_s: float | None = None, fetch_settings: FetchSettings | None = None) -> CollectSummary:
    """:func:`flows.collect.collect` as a flow: crawls mapped over sources, in parallel, bounded."""
    request = _request(source=source, warehouse=warehouse, years=years, region=region, province=province,
                       force=force, raw_store=raw_store, portal_config=portal_config, time_limit_s=time_limit_s,
                       memory_limit_mb=memory_limit_mb, lock_wait_s=lock_wait_s)
    configs = load_portal_configs(Path(portal_config) if portal_config else None)
    with opened(warehouse_url(warehouse), lock_wait_s=lock_wait_s) as engine:
        summary = collect(engine, store=raw_store_at(raw_store), fetch_settings=fetch_settings, configs=configs,
                          request=request, map_fn=lambda fn, sources: _prefect_map(crawl_task, fn, sources),
                          prepare_many=prefect_preparer(request.limits))
    _publish(summary.markdown(), summary.line(), "county-budgets-collect-summary")
    return summary


@flow(name="county-budgets-manifest", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=4))
def collect_manifest_flow(source: str, warehouse: str | None = None, years: list[int] | None = None,
                          region: str | None = None, province: str | None = None, force: bool = False,
                          raw_store: str | None = None, portal_config: str | None = None,
                          time_limit_s: float = DEFAULT_TIME_LIMIT_S,
                          memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB, lock_wait_s: float | None = None,
                          fetch_settings: FetchSettings | None = None) -> tuple[RunSummary, list[ManifestFetch]]:
    """``--source list.csv`` under Prefect: one fetch task per URL (the fetcher retries), then load."""
    request = _request(source=source, warehouse=warehouse, years=years, region=region, province=province,
                       force=force, raw_store=raw_store, portal_config=portal_config, time_limit_s=time_limit_s,
                       memory_limit_mb=memory_limit_mb, lock_wait_s=lock_wait_s)
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

    with opened(warehouse_url(warehouse), lock_wait_s=lock_wait_s) as engine:
        summary, failures = collect_manifest(engine, Path(source), request, store=raw_store_at(raw_store),
                                             fetch_settings=fetch_settings, fetch_all=fetch_all,
                                             prepare_many=prefect_preparer(request.limits))
    lines = [f"## county-budgets manifest {source}", "", summary.line(), ""]
    lines += [f"- {f.url}: {f.reason}" for f in failures]
    _publish("\n".join(lines), f"{summary.line()}; {len(failures)} URLs failed", "county-budgets-manifest-summary")
    return summary, failures


@flow(name="county-budgets-nightly", log_prints=True)
def nightly_flow(source: str | None = None, warehouse: str | None = None, region: str | None = None,
                 province: str | None = None, report: str | None = None) -> RunSummary:
    """The scheduled job: a folder when one is configured, else every enabled portal of the registry
    (incremental: unchanged portals fetch 304s and load nothing); then the HTML report is written to
    ``report`` (default: ``report.html`` beside a DuckDB warehouse) and summarised as an artifact."""
    if source:
        summary = run_flow(source=source, warehouse=warehouse, region=region, province=province)
    else:
        summary = collect_flow(warehouse=warehouse, region=region, province=province).load
    publish_report(warehouse, report)
    return summary


def nightly_deployment(source: str | None, warehouse: str, *, cron: str = "0 2 * * *",
                       timezone: str = "Asia/Shanghai", name: str = "nightly", report: str | None = None):
    """The scheduled deployment ``county-budgets serve`` registers (02:00 Beijing time by default)."""
    from prefect.schedules import Cron

    parameters = {"source": source, "warehouse": warehouse} | ({"report": report} if report else {})
    return nightly_flow.to_deployment(name=name, schedules=[Cron(cron, timezone=timezone)], parameters=parameters)
