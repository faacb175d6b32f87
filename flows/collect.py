"""Collecting from the registry: crawl enabled sources, keep bytes, load only what is new.

Plain functions first (testable without Prefect), Prefect wiring at the bottom. The
nightly shape is: read the enabled sources from the warehouse → crawl them (network
bound, so in parallel, bounded) → record every crawl in the registry tables (one
writer: DuckDB admits one) → hand the new or changed content hashes, once each, to
the document pipeline (:func:`flows.runner.run_items`, idempotent by sha256) → mark
documents that vanished from their portal as withdrawn → publish a summary. A second
run over an unchanged portal finds only 304s and equal hashes, so it extracts and
loads nothing, and its summary says so. Every path takes the run's
:class:`~flows.request.RunRequest` (years, region, province, force) and hands it on to
:func:`flows.runner.run_items`, so a manifest or a registry run honours the same options
as a folder. Prefect wiring lives in :mod:`flows.etl` only.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from sqlalchemy.engine import Engine

from extract.collect.crawl import CrawlReport, Crawler, KnownDocument
from extract.collect.fetch import Fetcher, FetchSettings
from extract.collect.manifest import ManifestEntry, ManifestFetch, fetch_entry, manifest_fetcher, read_manifest
from extract.collect.portal_config import PortalConfigs, load_portal_configs
from extract.collect.raw_store import RawStore
from flows.registry import Source, crawl_rows, known_for, select_sources
from flows.request import RunRequest
from flows.runner import PrepareMany, RunSummary, run_items
from flows.safe_text import safe_markdown as md
from load.registry import document_urls, mark_withdrawn, missing_documents, record_crawl, record_run

RAW_STORE_ENV = "COUNTY_BUDGETS_RAW_STORE"
DEFAULT_RAW_STORE = "raw_store"

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

    def size(self) -> int:
        return self.store.size(self.document_id)


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
            lines.append(f"| {md(r.index_url)} | {md(r.source_id)} | {r.status} | {c['new']} | {c['changed']} | "
                         f"{c['unchanged']} | {c['failed']} | {c['withdrawn']} | {md(r.reason)} |")
        failures = [(d.url, d.reason) for r in self.reports for d in r.documents if d.status == "failed"]
        if failures:
            lines += ["", "### failed documents", "", "| url | reason |", "|---|---|"]
            lines += [f"| {md(url)} | {md(reason)} |" for url, reason in failures]
        return "\n".join(lines)

    def run_row(self) -> dict:
        c = self.counts()
        return {"run_id": self.run_id, "started_at": self.started_at, "finished_at": self.finished_at,
                "sources": len(self.reports), "documents_new": c["new"], "documents_changed": c["changed"],
                "documents_unchanged": c["unchanged"], "documents_failed": c["failed"],
                "documents_withdrawn": c["withdrawn"], "summary": self.markdown()}


def make_fetcher(sources: Sequence[Source], settings: FetchSettings, configs: PortalConfigs) -> Fetcher:
    """One client for the run, allowed onto the sources' portals (scheme, host and port of each
    index address) and their configured extra hosts."""
    allowed = set(settings.allowed_hosts)
    for s in sources:
        allowed.add(s["index_url"])
        allowed.update(configs.for_source(s["source_id"], s["host"]).extra_allowed_hosts)
    return Fetcher(replace(settings, allowed_hosts=frozenset(allowed)))


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
    request: RunRequest | None = None,
    map_fn: MapFn = sequential_map,
    prepare_many: PrepareMany | None = None,
    extract: bool = True,
) -> CollectSummary:
    """Crawl the enabled sources the request covers, record every crawl, then run what is new.

    Region and province choose the portals; what those portals publish is theirs, so the
    documents are not filtered again by the region their text names (a document whose region
    could not be read would otherwise be dropped). Years apply to links and documents alike.
    """
    request = request or RunRequest()
    years = set(request.years) if request.years else None
    summary = CollectSummary(uuid.uuid4().hex, datetime.now(timezone.utc))
    configs = configs or load_portal_configs()
    sources = select_sources(engine, request)
    known = {s["source_id"]: known_for(engine, s["source_id"]) for s in sources}
    with make_fetcher(sources, request.fetch_settings(fetch_settings), configs) as fetcher:
        summary.reports = map_fn(
            lambda s: crawl_one(fetcher, store, configs, s, known[s["source_id"]], years), sources
        )
    for report in summary.reports:
        record_crawl(engine, crawl_rows(report))
    if extract:
        summary.load = run_items(engine, items_to_extract(summary.reports, store, engine),
                                 replace(request, region=None, province=None), prepare_many=prepare_many)
    mark_withdrawn(engine)
    summary.finished_at = datetime.now(timezone.utc)
    record_run(engine, summary.run_row())
    return summary


def reprocess(engine: Engine, store: RawStore, request: RunRequest | None = None, *,
              prepare_many: PrepareMany | None = None) -> RunSummary:
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
    summary = run_items(engine, items, replace(request or RunRequest(), force=True), prepare_many=prepare_many)
    mark_withdrawn(engine)
    return summary


def collect_manifest(
    engine: Engine,
    manifest: Path,
    request: RunRequest | None = None,
    *,
    store: RawStore,
    fetch_settings: FetchSettings | None = None,
    fetch_all: Callable[[Fetcher, RawStore, list[ManifestEntry]], list[ManifestFetch]] | None = None,
    prepare_many: PrepareMany | None = None,
) -> tuple[RunSummary, list[ManifestFetch]]:
    """``--source list.csv``: fetch each URL into the raw store, then run what is new (or, with
    ``force``, everything fetched) within the request's years and region."""
    entries = read_manifest(manifest)
    with manifest_fetcher(entries, (request or RunRequest()).fetch_settings(fetch_settings)) as fetcher:
        if fetch_all is not None:
            fetched = fetch_all(fetcher, store, entries)
        else:
            fetched = [fetch_entry(e, store, fetcher.fetch) for e in entries]
    items = {f.document_id: RawItem(f.url, f.document_id, store) for f in fetched if f.document_id}
    summary = run_items(engine, list(items.values()), request, prepare_many=prepare_many)
    return summary, [f for f in fetched if f.reason]
