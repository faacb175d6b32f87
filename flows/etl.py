"""All Prefect wiring, in one style: module-level ``@task`` and ``@flow`` over plain functions.

Nothing else in the project imports Prefect; :mod:`flows.runs` imports this module only
when a run asks for Prefect, so ``--no-prefect`` runs never pay Prefect's import and
start-up. Tasks wrap :mod:`flows.pipeline` (prepare a batch of documents, named after its
first and last file, on this machine's isolated worker processes or on Dask:
:func:`on_engine`) and :mod:`flows.collect` (crawl one source, fetch one manifest URL);
storing stays in the flow, one document at a time, because a DuckDB file admits one
writer. A run's progress is a Prefect progress artifact (:class:`ArtifactProgress`). Task caching is
off (``NONE``): inputs are bytes and engines, and re-running must re-check the
warehouse, not a cache. Every flow takes the fields of one
:class:`~flows.request.RunRequest` as its parameters.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

from prefect import flow, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact
from prefect.context import FlowRunContext
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
from flows.parallel import Recovering, batch_label, prepare_batch
from flows.progress import reporting
from flows.request import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIME_LIMIT_S, Limits, RunRequest, default_workers
from flows.report.publish import publish_report
from flows.runner import RunSummary, folder_items, run_items
from load.warehouse import opened, warehouse_url

PROGRESS_EVERY_S = 5.0  # at most one progress artifact update per this many seconds
LOCAL_TASK_BATCH = 32  # documents per task run when the task feeds this machine's isolated workers


# ------------------------------------------------------------------ tasks
@task(name="prepare-documents", task_run_name="prepare {label}", cache_policy=NONE, retries=0)
def prepare_task(batch: Sequence[tuple[bytes, str]], loaded_at: datetime, limits: Limits | None,
                 label: str) -> list[Prepared]:
    """Prepare a batch of documents, each in a worker process under ``limits`` (flows.isolation); on a
    Dask worker, with as many isolated worker processes as that Dask worker has threads."""
    return prepare_batch(batch, loaded_at, limits, _dask_threads())


def _dask_threads() -> int | None:
    try:
        from distributed import get_worker

        return get_worker().state.nthreads
    except (ImportError, ValueError):  # not on a Dask worker
        return None


class Forgetting:
    """A task's future whose result, once taken, is no longer tracked by the flow run: Prefect keeps
    every task result's state in ``FlowRunContext.run_results`` until the flow ends, which
    would grow with the number of batches of a long run."""

    def __init__(self, future):
        self.future = future

    def result(self) -> list[Prepared]:
        prepared = self.future.result()
        context = FlowRunContext.get()
        if context is not None:
            for obj in (prepared, *prepared):
                context.run_results.pop(id(obj), None)
        return prepared


class PrefectPreparer:
    """A PrepareMany submitting one :func:`prepare_task` per batch to the flow's task runner (threads
    here, whose tasks feed this process's isolated workers, or Dask); ``in_flight`` batches are
    kept submitted so every worker has the next batch waiting. A lost batch is re-run here
    (:class:`flows.parallel.Recovering`)."""

    def __init__(self, limits: Limits | None, in_flight: int = 2, batch_size: int | None = None):
        self.limits, self.in_flight, self.batch_size = limits, in_flight, batch_size

    def submit(self, items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> Recovering:
        items = list(items)
        future = Forgetting(prepare_task.submit(items, loaded_at, self.limits, batch_label(items)))
        return Recovering(future, items, loaded_at, self.limits)

    def __call__(self, items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> list[Prepared]:
        return self.submit(items, loaded_at).result()


def prefect_preparer(limits: Limits | None) -> PrefectPreparer:
    """The preparer for the current flow run: on Dask, two batches in flight per Dask worker thread
    (``limits.workers`` of them); here, the isolated workers' own lookahead."""
    workers = limits.workers if limits else 1
    if _on_dask():
        return PrefectPreparer(limits, 2 * workers)
    # here one task feeds every isolated worker (each document is its own unit of work there), so a
    # task may carry a bigger batch: fewer task runs, the same documents in flight as without Prefect
    return PrefectPreparer(limits, in_flight=1, batch_size=LOCAL_TASK_BATCH)


def _on_dask() -> bool:
    context = FlowRunContext.get()
    return context is not None and type(context.task_runner).__name__ == "DaskTaskRunner"


def task_runner_for(dask: str | None, workers: int):
    """None (the flow's own threads) without ``dask``; a DaskTaskRunner on a ``LocalCluster`` of
    ``workers`` single-threaded processes for ``"local"``; else one connected to the scheduler at
    that address. Dask workers must not be daemonic, since each starts the isolated worker
    processes of :mod:`flows.isolation` (a LocalCluster is set up so; see the README for a cluster)."""
    if not dask:
        return None
    from dask import config as dask_config
    from prefect_dask import DaskTaskRunner

    from flows.dask_worker import CloseIsolatedWorkers

    if dask == "local":
        dask_config.set({"distributed.worker.daemon": False})
        logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO lines would drown the run's own
        return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                              cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None, "silence_logs": logging.ERROR,
                                              "plugins": {CloseIsolatedWorkers()}})
    return DaskTaskRunner(address=dask)


def on_engine(flow_, dask: str | None, workers: int | None):
    """``flow_`` with the task runner the request asks for."""
    runner = task_runner_for(dask, workers or default_workers())
    return flow_.with_options(task_runner=runner) if runner is not None else flow_


class ArtifactProgress:
    """A Prefect progress artifact (0–100 %) for a run's documents, updated at most every
    :data:`PROGRESS_EVERY_S` seconds: what a deployment's run page shows while it works."""

    def __init__(self, key: str):
        self.key, self.artifact_id, self.total, self.done, self.last = key, None, 0, 0, 0.0

    def start(self, label: str, total: int) -> None:
        self.total, self.done, self.last = total, 0, time.monotonic()
        self.artifact_id = create_progress_artifact(0.0, key=self.key, description=f"{label}: {total} documents")

    def advance(self, name: str, status: str) -> None:
        self.done += 1
        if time.monotonic() - self.last >= PROGRESS_EVERY_S:
            self._update(f"{self.done}/{self.total} documents; last: {name} {status}")

    def _update(self, description: str) -> None:
        self.last = time.monotonic()
        share = 100.0 * self.done / self.total if self.total else 100.0
        update_progress_artifact(self.artifact_id, share, description=description)

    def finish(self) -> None:
        if self.artifact_id is not None:
            self._update(f"{self.done}/{self.total} documents done")


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
    limits = Limits(params.pop("time_limit_s"), params.pop("memory_limit_mb"),
                    params.pop("workers", None) or default_workers())
    return RunRequest(**params, years=tuple(years) if years is not None else None, use_prefect=True, limits=limits)


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
             memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB, lock_wait_s: float | None = None,
             workers: int | None = None, dask: str | None = None) -> RunSummary:
    """collect → extract → transform → validate → load, for one source folder (see :func:`on_engine`
    for running its tasks on Dask)."""
    request = _request(source=source, warehouse=warehouse, years=years, region=region, province=province,
                       force=force, raw_store=raw_store, portal_config=portal_config, time_limit_s=time_limit_s,
                       memory_limit_mb=memory_limit_mb, lock_wait_s=lock_wait_s, workers=workers, dask=dask)
    with opened(warehouse_url(warehouse), lock_wait_s=lock_wait_s) as engine, \
            reporting(ArtifactProgress("county-budgets-run-progress")):
        summary = run_items(engine, folder_items(source), request, prepare_many=prefect_preparer(request.limits))
    _publish(summary_markdown(summary), summary.line(), "county-budgets-run-summary")
    return summary


@flow(name="county-budgets-collect", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=4))
def collect_flow(source: str | None = None, warehouse: str | None = None, years: list[int] | None = None,
                 region: str | None = None, province: str | None = None, force: bool = False,
                 raw_store: str | None = None, portal_config: str | None = None,
                 time_limit_s: float = DEFAULT_TIME_LIMIT_S, memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
                 lock_wait_s: float | None = None, fetch_settings: FetchSettings | None = None,
                 workers: int | None = None) -> CollectSummary:
    """:func:`flows.collect.collect` as a flow: crawls mapped over sources, in parallel, bounded."""
    request = _request(source=source, warehouse=warehouse, years=years, region=region, province=province,
                       force=force, raw_store=raw_store, portal_config=portal_config, time_limit_s=time_limit_s,
                       memory_limit_mb=memory_limit_mb, lock_wait_s=lock_wait_s, workers=workers)
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
                          fetch_settings: FetchSettings | None = None,
                          workers: int | None = None) -> tuple[RunSummary, list[ManifestFetch]]:
    """``--source list.csv`` under Prefect: one fetch task per URL (the fetcher retries), then load."""
    request = _request(source=source, warehouse=warehouse, years=years, region=region, province=province,
                       force=force, raw_store=raw_store, portal_config=portal_config, time_limit_s=time_limit_s,
                       memory_limit_mb=memory_limit_mb, lock_wait_s=lock_wait_s, workers=workers)

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
                 province: str | None = None, report: str | None = None, workers: int | None = None,
                 dask: str | None = None) -> RunSummary:
    """The scheduled job: a folder when one is configured, else every enabled portal of the registry
    (incremental: unchanged portals fetch 304s and load nothing); then the HTML report is written to
    ``report`` (default: ``report.html`` beside a DuckDB warehouse) and summarised as an artifact.
    ``workers`` documents are prepared at once (default: the cores); ``dask`` ("local" or a
    scheduler address) prepares a folder's documents on Dask."""
    if source:
        summary = on_engine(run_flow, dask, workers)(source=source, warehouse=warehouse, region=region,
                                                     province=province, workers=workers, dask=dask)
    else:
        summary = collect_flow(warehouse=warehouse, region=region, province=province, workers=workers).load
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
