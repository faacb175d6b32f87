"""One run over a set of documents, independent of Prefect and of where the bytes came from.

Every source kind (a folder, a URL manifest, the registry's portals, the raw store on
``--reprocess``) hands this module a list of items with a URI and a ``read()``; the
Prefect flow and the ``--no-prefect`` path differ only in how ``prepare`` is mapped over
documents. Unchanged bytes are skipped before any parsing (unless the request says
``force``), documents outside the requested years or region are counted as skipped,
and every other document ends loaded or quarantined: none is dropped silently.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterable, Protocol, Sequence

from sqlalchemy.engine import Engine

from extract.parse.version import NO_FISCAL_YEAR, PARSER_VERSION
from extract.read.archive import member_bytes, split_uri
from extract.read.model import document_id_of
from extract.read.pages import expected_pages
from flows.run_log import RunLog
from flows.isolation import preparer_for
from flows.items import (Item, SourceItem, batches, folder_items, item_size, read_item,  # noqa: F401
                         unpacked, unreadable_id)
from flows.progress import Tracker, short_name, tracker
from flows.request import RunRequest
from load.documents import already_loaded_ids, quality_summary
from schemas.vocabulary import HELD, LOADED, QUARANTINED, SEEN_ONLY

if TYPE_CHECKING:
    from flows.refresh_report import RefreshReport
    from flows.prepared import Prepared

# The parser, the transform and the refresh are imported where a document needs them, not with this module:
# a run whose every file is unchanged imports none of them (its start is most of what such a run costs). The
# writer itself needs only flows.prepared (store, quarantined); flows.pipeline, which reads and parses, only
# where documents are prepared in this process (--time-limit 0).
_PIPELINE_NAMES = {"Prepared": "flows.prepared", "quarantined": "flows.prepared", "store": "flows.prepared",
                   "prepare_sequentially": "flows.pipeline"}


def _prepared():
    """:mod:`flows.prepared`, imported the first time a document needs it."""
    from flows import prepared

    return prepared


def __getattr__(name: str):
    """``flows.runner.store`` and the other names of the pipeline this module once re-exported."""
    if name in _PIPELINE_NAMES:
        import importlib

        return getattr(importlib.import_module(_PIPELINE_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


BATCH_SIZE = 16


@dataclass(slots=True)
class DocumentReport:
    source_uri: str
    document_id: str
    status: str  # loaded | seen_only | quarantined | unchanged | skipped
    reason: str | None = None
    department_name: str | None = None
    fiscal_year: int | None = None
    rows: int = 0
    quality: dict[str, int] = field(default_factory=dict)
    stage: str | None = None


@dataclass
class RunSummary:
    reports: list[DocumentReport] | RunLog = field(default_factory=list)  # run_items: a RunLog (streamed)
    refreshed: RefreshReport | None = None  # what the comparison refresh wrote after the run (flows.refresh)

    @property
    def counts(self) -> Counter:
        kept = getattr(self.reports, "counts", None)  # a RunLog counts as reports come (flows.run_log)
        return Counter(kept) if kept is not None else Counter(report.status for report in self.reports)

    def line(self) -> str:
        c = self.counts
        seen = f", {c[SEEN_ONLY]} seen only (no figures)" if c[SEEN_ONLY] else ""
        held = f", {c[HELD]} held for review" if c[HELD] else ""
        return (f"{len(self.reports)} documents: {c[LOADED]} loaded, {c[QUARANTINED]} quarantined, "
                f"{c['unchanged']} unchanged, {c['skipped']} skipped{seen}{held}")


PrepareMany = Callable[[Sequence[tuple[bytes, str]], datetime], "list[Prepared]"]


class Pending(Protocol):
    """A batch handed to a preparer; ``result`` waits for its documents (never raises for their sake)."""

    def result(self) -> list[Prepared]: ...


@dataclass
class _Done:
    prepared: list[Prepared]

    def result(self) -> list[Prepared]:
        return self.prepared


def _submitter(prepare_many: PrepareMany) -> Callable[[Sequence[tuple[bytes, str]], datetime], Pending]:
    """``prepare_many.submit`` when it has one (it returns at once), else the call wrapped as done."""
    submit = getattr(prepare_many, "submit", None)
    return submit if submit is not None else (lambda items, loaded_at: _Done(prepare_many(items, loaded_at)))


@dataclass
class _Batch:
    """One batch on its way: what was settled on reading (unreadable, unchanged), what is being prepared,
    and the bytes it holds."""

    early: list[Prepared | DocumentReport]
    pending: Pending | None
    sizes: dict[str, int] = field(default_factory=dict)  # bytes of each document being prepared, by URI

    @property
    def held(self) -> int:
        return sum(self.sizes.values())


def run_items(engine: Engine, items: Sequence[Item], request: RunRequest | None = None, *,
              prepare_many: PrepareMany | None = None,
              on_document: Callable[[DocumentReport], None] | None = None,
              batch_size: int | None = None, label: str = "run") -> RunSummary:
    """Run ``items`` as ``request`` says (years, region, force, per-document limits).

    Items are read a batch at a time (``batch_size``, else the preparer's, else :data:`BATCH_SIZE`), checked
    against the warehouse in one query per batch (bytes already loaded by this parser are ``unchanged``; the
    same bytes twice in one run are prepared once), and handed to the preparer; while it works on a batch
    the next ones are read and submitted (``prepare_many.in_flight`` more at most, when it has a
    ``submit``), and their documents are stored by this one writer — each as soon as it is prepared (worker
    processes), else a batch at once — and a batch released when its last is stored. The bytes
    held at once stay within half of ``--memory-limit`` (:meth:`flows.request.Limits.bytes_in_flight`):
    batches are cut by bytes as well as by count, and older batches are stored before a new one is read
    that would pass it. So memory holds a bounded share of the inputs, whatever their number and size,
    and every engine (this process, worker processes, Dask) reports the same documents in the same order
    (a batch's reports are recorded in its order once all of it is stored; each document is its own
    transaction, so the order they are stored in changes no row).
    An item that cannot be read at all is quarantined at stage ``read`` like any other bad document.
    Progress goes to :mod:`flows.progress` (``label``: what the progress line calls the run) as each
    document is settled or prepared.
    """
    request = request or RunRequest()
    prepare_many = prepare_many or preparer_for(request.limits)
    submit = _submitter(prepare_many)
    in_flight = getattr(prepare_many, "in_flight", 0) if hasattr(prepare_many, "submit") else 0
    budget = request.limits.bytes_in_flight if request.limits else None
    count = batch_size or getattr(prepare_many, "batch_size", None) or BATCH_SIZE
    sizes = [item_size(item) for item in items]
    summary = RunSummary(RunLog(engine, DocumentReport))  # reports streamed to the warehouse, not kept here
    loaded_at = datetime.now(timezone.utc)
    seen: set[str] = set()
    needs_year: list[Prepared] = []
    needs_name: list[Prepared] = []

    with tracker(label, len(items), sum(sizes)) as progress:
        def record(report: DocumentReport) -> None:
            summary.reports.append(report)
            if on_document:
                on_document(report)

        def finish(batch: _Batch) -> None:
            for early in batch.early:  # told to the progress when read
                record(early if isinstance(early, DocumentReport) else _stored(engine, early))
            settled: list[tuple[int, DocumentReport, Prepared | None]] = []
            for place, prepared in _outcomes(batch.pending) if batch.pending else ():
                report = _store_or_skip(engine, prepared, request)
                # a no-op where the worker's outcome was told already (flows.isolation, prepare_sequentially)
                progress.advance(short_name(report.source_uri), report.status, key=report.source_uri,
                                 pages=prepared.page_count, size=batch.sizes.get(prepared.source_uri, 0), final=True)
                later = prepared.needs_year or (prepared.status == HELD and prepared.department_name is None)
                settled.append((place, report, prepared if later else None))
            for _, report, prepared in sorted(settled, key=lambda s: s[0]):  # reports in the batch's order
                record(report)
                if prepared is not None:
                    (needs_year if prepared.needs_year else needs_name).append(prepared)

        queue: deque[_Batch] = deque()
        for chunk, held in batches(items, sizes, count, budget):
            while queue and budget is not None and sum(b.held for b in queue) + held > budget:
                finish(queue.popleft())  # room for the next batch's bytes before it is read
            queue.append(_start(engine, chunk, request, submit, loaded_at, seen, progress))
            while len(queue) > in_flight:
                finish(queue.popleft())
        while queue:
            finish(queue.popleft())
    if needs_year:  # volumes that print no year, once their siblings are stored (flows.year_hints)
        from flows.year_hints import resolve_missing_years

        by_uri = {item.uri: item for item in items}

        def reread(uri: str) -> bytes:
            outer, path = split_uri(uri)
            data = by_uri[outer].read()
            return member_bytes(data, path) if path else data

        for report in resolve_missing_years(engine, needs_year, reread, loaded_at=loaded_at,
                                            store=lambda p: _store_or_skip(engine, p, request)):
            summary.reports.replace(report)
    if needs_name:  # tables-only volumes that print no name, once their siblings are stored
        from flows.year_hints import resolve_missing_departments

        for report in resolve_missing_departments(engine, needs_name, store=lambda p: _stored(engine, p)):
            summary.reports.replace(report)
    summary.reports.flush()
    # conformed dimensions and cross-document checks follow every load: of what changed only, nothing when
    # nothing did (notes a crashed run left are settled too); two runs on one PostgreSQL warehouse take turns
    from flows.refresh import refresh_changed

    summary.refreshed = refresh_changed(engine)
    return summary


def _outcomes(pending: Pending) -> Iterable[tuple[int, Prepared]]:
    """A batch's documents with their places in it: each as soon as it is done where the preparer can say so
    (:meth:`flows.isolation._Batch.as_done`), else the whole batch at once, in order."""
    as_done = getattr(pending, "as_done", None)
    return as_done() if as_done is not None else enumerate(pending.result())


def _start(engine: Engine, chunk: Sequence[Item], request: RunRequest, submit, loaded_at: datetime,
           seen: set[str], progress: Tracker) -> _Batch:
    """Read a batch, settle what needs no preparing (told to ``progress`` at once), and submit the rest."""
    early: list[Prepared | DocumentReport] = []
    readable: list[tuple[bytes, str, str]] = []
    for item in chunk:
        data = read_item(item)
        if isinstance(data, str):
            early.append(_prepared().quarantined(0, item.uri, data, "read", document_id=unreadable_id(item.uri),
                                     loaded_at=loaded_at))
            progress.advance(short_name(item.uri), QUARANTINED, size=item_size(item))
            continue
        found = unpacked(data, item.uri)
        progress.grow(len(found) - 1)  # an archive's members are counted as the documents they are
        for body, uri, reason in found:
            if reason is not None:
                early.append(_prepared().quarantined(body if body else 0, uri, reason, "read", loaded_at=loaded_at,
                                         document_id=None if body else unreadable_id(uri)))
                progress.advance(short_name(uri), QUARANTINED, size=len(body))
            else:
                readable.append((body, uri, document_id_of(body)))
    loaded = {} if request.force else already_loaded_ids(engine, [d for _, _, d in readable], PARSER_VERSION,
                                                           retry_reasons=(NO_FISCAL_YEAR,))
    pending: list[tuple[bytes, str]] = []
    for data, uri, document_id in readable:
        if document_id in seen:
            early.append(DocumentReport(uri, document_id, "unchanged", "the same bytes as another file of this run"))
        elif document_id in loaded:
            before = loaded[document_id]
            early.append(DocumentReport(uri, document_id, "unchanged",
                                        None if before.status == LOADED else f"{before.status} by an earlier run",
                                        before.department_name, before.fiscal_year))
        else:
            seen.add(document_id)
            pending.append((data, uri))
            progress.expect(uri, expected_pages(data), len(data))
            continue
        progress.advance(short_name(uri), "unchanged", size=len(data))
    return _Batch(early, submit(pending, loaded_at) if pending else None, {uri: len(data) for data, uri in pending})


def _store_or_skip(engine: Engine, prepared: Prepared, request: RunRequest) -> DocumentReport:
    identified = prepared.status in (LOADED, SEEN_ONLY, HELD)
    skip = request.out_of_scope(prepared.fiscal_year, prepared.region_code) if identified else None
    if skip:
        return DocumentReport(prepared.source_uri, prepared.document_id, "skipped", skip,
                              prepared.department_name, prepared.fiscal_year)
    return _stored(engine, prepared)


def _stored(engine: Engine, prepared: Prepared) -> DocumentReport:
    prepared = _prepared().store(engine, prepared)
    return DocumentReport(prepared.source_uri, prepared.document_id, prepared.status, prepared.reason,
                          prepared.department_name, prepared.fiscal_year, sum(prepared.counts.values()),
                          quality_summary(engine, prepared.document_id), prepared.stage)
