"""Collecting from the registry: crawl enabled sources, keep bytes, load only what is new.

Plain functions first (testable without Prefect), Prefect wiring at the bottom. The
nightly shape is: read the enabled sources from the warehouse → crawl them (network
bound, so in parallel, bounded) → record every crawl in the registry tables (one
writer: DuckDB admits one) → hand the new or changed content hashes, once each, to
the document pipeline (:func:`flows.runner.run_items`, idempotent by sha256) → mark
documents that vanished from their portal as withdrawn → publish a summary. A second
run over an unchanged portal finds only 304s and equal hashes, so it extracts and
loads nothing, and its summary says so.
"""

from __future__ import annotations

import os
import uuid
from functools import lru_cache
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from sqlalchemy.engine import Engine

from extract.collect.crawl import CrawlReport, Crawler, KnownDocument
from extract.collect.fetch import Fetcher, FetchRecord, FetchSettings
from extract.collect.manifest import ManifestEntry, ManifestFetch, fetch_entry, manifest_fetcher, read_manifest
from extract.collect.portal_config import PortalConfigs, load_portal_configs
from extract.collect.raw_store import RawStore
from flows.runner import PrepareMany, RunSummary, prepare_sequentially, run_items
from load.registry import (
    document_urls, known_documents, list_sources, mark_withdrawn, missing_documents, record_crawl, record_run,
)

RAW_STORE_ENV = "COUNTY_BUDGETS_RAW_STORE"
DEFAULT_RAW_STORE = "raw_store"

Source = dict  # a src_source row
MapFn = Callable[[Callable[[Source], CrawlReport], Sequence[Source]], list[CrawlReport]]


def raw_store_at(path: str | Path | None = None) -> RawStore:
    return RawStore.local(Path(path or os.environ.get(RAW_STORE_ENV) or DEFAULT_RAW_STORE))


@dataclass(frozen=True)
class RawItem:
    """A stored document as :func:`flows.runner.run_items` wants it: a URI and its bytes."""

    uri: str
    document_id: str
    store: RawStore

    def read(self) -> bytes:
        return self.store.get(self.document_id)


@dataclass
class CollectSummary:
    run_id: str
    started_at: datetime
    reports: list[CrawlReport] = field(default_factory=list)
    load: RunSummary = field(default_factory=RunSummary)
    finished_at: datetime | None = None

    def counts(self) -> dict[str, int]:
        total = {"new": 0, "changed": 0, "unchanged": 0, "failed": 0, "withdrawn": 0}
        for report in self.reports:
            for key, value in report.counts().items():
                total[key] += value
        return total

    def line(self) -> str:
        c = self.counts()
        status = {s: sum(r.status == s for r in self.reports) for s in ("ok", "partial", "failed")}
        head = (f"{len(self.reports)} sources crawled ({status['ok']} ok, {status['partial']} partial, "
                f"{status['failed']} failed); documents: {c['new']} new, {c['changed']} changed, "
                f"{c['unchanged']} unchanged, {c['failed']} failed, {c['withdrawn']} withdrawn")
        if not self.load.reports:
            return head + "; nothing new or changed: no extraction, no loading"
        return f"{head}; extracted {self.load.line()}"

    def markdown(self) -> str:
        lines = [f"## county-budgets collect {self.run_id}", "", self.line(), "",
                 "| source | region | status | new | changed | unchanged | failed | withdrawn | reason |",
                 "|---|---|---|---|---|---|---|---|---|"]
        for r in self.reports:
            c = r.counts()
            lines.append(f"| {r.index_url} | {r.source_id} | {r.status} | {c['new']} | {c['changed']} | "
                         f"{c['unchanged']} | {c['failed']} | {c['withdrawn']} | {r.reason or ''} |")
        failures = [(d.url, d.reason) for r in self.reports for d in r.documents if d.status == "failed"]
        if failures:
            lines += ["", "### failed documents", "", "| url | reason |", "|---|---|"]
            lines += [f"| {url} | {reason} |" for url, reason in failures]
        return "\n".join(lines)

    def run_row(self) -> dict:
        c = self.counts()
        return {"run_id": self.run_id, "started_at": self.started_at, "finished_at": self.finished_at,
                "sources": len(self.reports), "documents_new": c["new"], "documents_changed": c["changed"],
                "documents_unchanged": c["unchanged"], "documents_failed": c["failed"],
                "documents_withdrawn": c["withdrawn"], "summary": self.markdown()}


def select_sources(engine: Engine, *, region: str | None = None, province: str | None = None) -> list[Source]:
    """Enabled sources with a link, narrowed by region code (and everything under it) or province."""
    rows = list_sources(engine, province=province, region_code=region, enabled_only=True)
    return [r for r in rows if r["index_url"]]


def make_fetcher(sources: Sequence[Source], settings: FetchSettings, configs: PortalConfigs) -> Fetcher:
    """One client for the run, allowed onto the sources' hosts and their configured extras."""
    hosts = set(settings.allowed_hosts)
    for s in sources:
        hosts.add(s["host"])
        hosts.update(configs.for_source(s["source_id"], s["host"]).extra_allowed_hosts)
    return Fetcher(replace(settings, allowed_hosts=frozenset(hosts)))


def crawl_one(fetcher: Fetcher, store: RawStore, configs: PortalConfigs, source: Source,
              known: dict[str, KnownDocument], years: set[int] | None = None) -> CrawlReport:
    """Crawl one source; a bug in the crawler fails this source only, with its reason."""
    config = configs.for_source(source["source_id"], source["host"])
    try:
        return Crawler(fetcher, store, config).crawl(source["source_id"], source["index_url"],
                                                     known=known, years=years)
    except Exception as exc:  # noqa: BLE001 - one portal must not end the nightly run
        report = CrawlReport(source["source_id"], source["index_url"], datetime.now(timezone.utc))
        report.degrade("failed", f"crawler error: {type(exc).__name__}: {exc}")
        report.finished_at = datetime.now(timezone.utc)
        return report


def sequential_map(fn: Callable[[Source], CrawlReport], sources: Sequence[Source]) -> list[CrawlReport]:
    return [fn(s) for s in sources]


def items_to_extract(reports: Sequence[CrawlReport], store: RawStore, engine: Engine | None = None) -> list[RawItem]:
    """New or changed content across all sources, one item per sha256.

    With ``engine``, also unchanged content that never reached the warehouse (a run that
    crawled without extracting, or died between crawling and loading).
    """
    items: dict[str, RawItem] = {}
    for report in reports:
        for document_id, doc in report.to_extract().items():
            items.setdefault(document_id, RawItem(doc.url, document_id, store))
    if engine is not None:
        unchanged = {d.document_id: d.url for r in reports for d in r.documents
                     if d.status == "unchanged" and d.document_id not in items}
        for document_id in missing_documents(engine, unchanged):
            if store.exists(document_id):
                items[document_id] = RawItem(unchanged[document_id], document_id, store)
    return list(items.values())


def collect(
    engine: Engine,
    *,
    store: RawStore,
    fetch_settings: FetchSettings | None = None,
    configs: PortalConfigs | None = None,
    region: str | None = None,
    province: str | None = None,
    years: set[int] | None = None,
    map_fn: MapFn = sequential_map,
    prepare_many: PrepareMany = prepare_sequentially,
    extract: bool = True,
) -> CollectSummary:
    summary = CollectSummary(uuid.uuid4().hex, datetime.now(timezone.utc))
    configs = configs or load_portal_configs()
    sources = select_sources(engine, region=region, province=province)
    known = {s["source_id"]: known_documents(engine, s["source_id"]) for s in sources}
    with make_fetcher(sources, fetch_settings or FetchSettings(), configs) as fetcher:
        summary.reports = map_fn(
            lambda s: crawl_one(fetcher, store, configs, s, known[s["source_id"]], years), sources
        )
    for report in summary.reports:
        record_crawl(engine, report)
    if extract:
        summary.load = run_items(engine, items_to_extract(summary.reports, store, engine),
                                 prepare_many=prepare_many)
    mark_withdrawn(engine)
    summary.finished_at = datetime.now(timezone.utc)
    record_run(engine, summary.run_row())
    return summary


def reprocess(engine: Engine, store: RawStore, *, prepare_many: PrepareMany = prepare_sequentially) -> RunSummary:
    """Re-extract the current version of every stored document with today's parser; no network.

    Current means: what the registry last saw at each URL, else what the store got last
    from it. Older versions stay in the store but are not loaded over newer ones.
    """
    current = store.latest_by_url()
    current.update({u["url"]: u["document_id"] for u in document_urls(engine) if u["document_id"]})
    by_document: dict[str, str] = {}
    for url, document_id in sorted(current.items()):
        by_document.setdefault(document_id, url)
    items = [RawItem(url, d, store) for d, url in by_document.items() if store.exists(d)]
    summary = run_items(engine, items, prepare_many=prepare_many, force=True)
    mark_withdrawn(engine)
    return summary


def collect_manifest(
    engine: Engine,
    manifest: Path,
    *,
    store: RawStore,
    fetch_settings: FetchSettings | None = None,
    fetch_all: Callable[[Fetcher, RawStore, list[ManifestEntry]], list[ManifestFetch]] | None = None,
    prepare_many: PrepareMany = prepare_sequentially,
) -> tuple[RunSummary, list[ManifestFetch]]:
    """``--source list.csv``: fetch each URL into the raw store, then load what is new."""
    entries = read_manifest(manifest)
    with manifest_fetcher(entries, fetch_settings) as fetcher:
        if fetch_all is not None:
            fetched = fetch_all(fetcher, store, entries)
        else:
            fetched = [fetch_entry(e, store, fetcher.fetch) for e in entries]
    items = {f.document_id: RawItem(f.url, f.document_id, store) for f in fetched if f.document_id}
    summary = run_items(engine, list(items.values()), prepare_many=prepare_many)
    return summary, [f for f in fetched if f.reason]


def run_registry(warehouse: str | None = None, *, region: str | None = None, province: str | None = None,
                 years: list[int] | None = None, raw_store: str | None = None, portal_config: str | None = None,
                 use_prefect: bool = True, max_parallel_sources: int = 4) -> CollectSummary:
    """What ``county-budgets run`` without ``--source`` does: crawl every enabled source, load the new."""
    if use_prefect:
        return collect_flow(warehouse, region, province, years, raw_store, portal_config, max_parallel_sources)
    from load.warehouse import opened

    configs = load_portal_configs(Path(portal_config) if portal_config else None)
    with opened(warehouse) as engine:
        return collect(engine, store=raw_store_at(raw_store), configs=configs, region=region,
                       province=province, years=set(years) if years else None)


# ------------------------------------------------------------------ Prefect
@lru_cache(maxsize=1)
def prefect_tasks():
    """The tasks, made on first use so importing this module does not import Prefect.

    No Prefect retries: the fetcher is the one retry layer (``FetchSettings.max_attempts``
    with backoff, every attempt under the per-host limits); retrying the task on top
    multiplied the requests for one URL (3 × 3 = 9) and re-crawled whole portals.
    """
    from prefect import task
    from prefect.cache_policies import NONE

    @task(name="crawl-source", cache_policy=NONE)
    def crawl_task(run: Callable[[Source], CrawlReport], source: Source) -> CrawlReport:
        return run(source)

    @task(name="fetch-document", cache_policy=NONE)
    def fetch_task(fetcher: Fetcher, store: RawStore, entry: ManifestEntry) -> ManifestFetch:
        return fetch_entry(entry, store, fetcher.fetch)  # a failure comes back with its reason

    return crawl_task, fetch_task


def _prefect_map(task_, fn, items) -> list:
    from prefect import unmapped

    futures = task_.map(unmapped(fn), list(items)) if items else []
    return [f.result() for f in futures]


def _flow(name: str, max_workers: int):
    from prefect import flow
    from prefect.task_runners import ThreadPoolTaskRunner

    return flow(name=name, log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=max_workers))


def _publish(markdown: str, line: str, key: str) -> None:
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(markdown, key=key, description=line)
    print(line)


def collect_flow(warehouse: str | None = None, region: str | None = None, province: str | None = None,
                 years: list[int] | None = None, raw_store: str | None = None, portal_config: str | None = None,
                 max_parallel_sources: int = 4, fetch_settings: FetchSettings | None = None) -> CollectSummary:
    """:func:`collect` as a Prefect flow: crawls mapped over sources, ``max_parallel_sources`` at a time."""
    from flows.etl import prepare_with_prefect
    from load.warehouse import opened

    crawl_task, _ = prefect_tasks()

    def run() -> CollectSummary:
        configs = load_portal_configs(Path(portal_config) if portal_config else None)
        with opened(warehouse) as engine:
            summary = collect(engine, store=raw_store_at(raw_store), fetch_settings=fetch_settings,
                              configs=configs, region=region, province=province,
                              years=set(years) if years else None,
                              map_fn=lambda fn, sources: _prefect_map(crawl_task, fn, sources),
                              prepare_many=prepare_with_prefect)
        _publish(summary.markdown(), summary.line(), "county-budgets-collect-summary")
        return summary

    return _flow("county-budgets-collect", max_parallel_sources)(run)()


def collect_manifest_flow(manifest: str, warehouse: str | None = None, raw_store: str | None = None,
                          max_parallel: int = 4, fetch_settings: FetchSettings | None = None,
                          ) -> tuple[RunSummary, list[ManifestFetch]]:
    """``--source list.csv`` under Prefect: one fetch task per URL (the fetcher retries), then load."""
    from flows.etl import prepare_with_prefect
    from load.warehouse import opened

    _, fetch_task = prefect_tasks()

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

    def run():
        with opened(warehouse) as engine:
            summary, failures = collect_manifest(engine, Path(manifest), store=raw_store_at(raw_store),
                                                 fetch_settings=fetch_settings, fetch_all=fetch_all,
                                                 prepare_many=prepare_with_prefect)
        lines = [f"## county-budgets manifest {manifest}", "", summary.line(), ""]
        lines += [f"- {f.url}: {f.reason}" for f in failures]
        _publish("\n".join(lines), f"{summary.line()}; {len(failures)} URLs failed",
                 "county-budgets-manifest-summary")
        return summary, failures

    return _flow("county-budgets-manifest", max_parallel)(run)()
