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
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence

from sqlalchemy.engine import Engine

from extract.collect.folder import list_folder, read_source_file, source_uri
from extract.parse.document import PARSER_VERSION
from extract.read.archive import ArchiveLimits, is_archive, member_bytes, members, split_uri
from extract.read.model import document_id_of
from flows.conform import refresh
from extract.parse.document import NO_FISCAL_YEAR
from flows.isolation import preparer_for
from flows.progress import short_name, tracker
from flows.pipeline import Prepared, prepare_sequentially, quarantined, store  # noqa: F401 (re-exported)
from flows.request import RunRequest
from flows.year_hints import resolve_missing_departments, resolve_missing_years
from load.documents import already_loaded_ids, quality_summary
from load.warehouse import REFRESH_LOCK_KEY, serialized
from schemas.errors import DocumentError

BATCH_SIZE = 16


class Item(Protocol):
    """A document to run: where it came from and how to get its bytes."""

    uri: str

    def read(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class SourceItem:
    """A file of a folder source; ``read`` never blocks and raises DocumentError saying why it cannot."""

    uri: str
    path: Path

    def read(self) -> bytes:
        return read_source_file(self.path)


@dataclass(slots=True)
class DocumentReport:
    source_uri: str
    document_id: str
    status: str  # loaded | seen_only | held | quarantined | unchanged | skipped
    reason: str | None = None
    department_name: str | None = None
    fiscal_year: int | None = None
    rows: int = 0
    quality: dict[str, int] = field(default_factory=dict)
    stage: str | None = None


@dataclass
class RunSummary:
    reports: list[DocumentReport] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(report.status for report in self.reports)

    def line(self) -> str:
        c = self.counts
        seen = f", {c['seen_only']} seen only (no figures)" if c["seen_only"] else ""
        held = f", {c['held']} held for review" if c["held"] else ""
        return (f"{len(self.reports)} documents: {c['loaded']} loaded, {c['quarantined']} quarantined, "
                f"{c['unchanged']} unchanged, {c['skipped']} skipped{seen}{held}")


def folder_items(source: str | Path) -> list[SourceItem]:
    """Every entry of a folder, including those that cannot be read (a dangling link, a FIFO): each
    ends quarantined with its reason instead of vanishing from the run."""
    return [SourceItem(source_uri(path), path) for path in list_folder(source, every_entry=True)]


PrepareMany = Callable[[Sequence[tuple[bytes, str]], datetime], list[Prepared]]


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


def _batches(items: Sequence[Item], size: int) -> Iterator[Sequence[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unreadable_id(uri: str) -> str:
    """A stable id for an entry whose bytes cannot be read (so a re-run replaces its record)."""
    return document_id_of(f"unreadable\n{uri}".encode("utf-8"))


def _read(item: Item) -> bytes | str:
    """The item's bytes, or why they cannot be read."""
    try:
        return item.read()
    except DocumentError as exc:
        return exc.reason
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"


@dataclass
class _Batch:
    """One batch on its way: what was settled on reading (unreadable, unchanged) and what is being prepared."""

    early: list[Prepared | DocumentReport]
    pending: Pending | None


def run_items(engine: Engine, items: Sequence[Item], request: RunRequest | None = None, *,
              prepare_many: PrepareMany | None = None,
              on_document: Callable[[DocumentReport], None] | None = None,
              batch_size: int | None = None, label: str = "run") -> RunSummary:
    """Run ``items`` as ``request`` says (years, region, force, per-document limits).

    Items are read a batch at a time (``batch_size``, else the preparer's, else :data:`BATCH_SIZE`), checked against the warehouse in one
    query per batch (bytes already loaded by this parser are ``unchanged``; the same bytes
    twice in one run are prepared once), and handed to the preparer; while it works on a
    batch the next ones are read and submitted (``prepare_many.in_flight`` more at most,
    when it has a ``submit``), and finished batches are stored in order by this one writer, then
    released. So memory holds at most ``in_flight`` batches of bytes and frames, whatever
    the number of documents, and every engine (this process, worker processes, Dask)
    stores the same documents in the same order. An item that cannot be read at all is
    quarantined at stage ``read`` like any other bad document. Progress goes to
    :mod:`flows.progress` (``label``: what the progress line calls the run).
    """
    request = request or RunRequest()
    prepare_many = prepare_many or preparer_for(request.limits)
    submit = _submitter(prepare_many)
    in_flight = getattr(prepare_many, "in_flight", 0) if hasattr(prepare_many, "submit") else 0
    summary = RunSummary()
    loaded_at = datetime.now(timezone.utc)
    seen: set[str] = set()
    members: set[str] = set()  # an archive's members after its first: progress counts the files read
    needs_year: list[Prepared] = []
    needs_name: list[Prepared] = []

    with tracker(label, len(items)) as progress:
        def record(report: DocumentReport) -> None:
            summary.reports.append(report)
            if report.source_uri not in members:
                progress.advance(short_name(report.source_uri), report.status)
            if on_document:
                on_document(report)

        def finish(batch: _Batch) -> None:
            for early in batch.early:
                record(early if isinstance(early, DocumentReport) else _stored(engine, early))
            for prepared in batch.pending.result() if batch.pending else ():
                record(_store_or_skip(engine, prepared, request))
                if prepared.needs_year:
                    needs_year.append(prepared)
                elif prepared.status == "held" and prepared.department_name is None:
                    needs_name.append(prepared)

        queue: deque[_Batch] = deque()
        for chunk in _batches(items, batch_size or getattr(prepare_many, "batch_size", None) or BATCH_SIZE):
            queue.append(_start(engine, chunk, request, submit, loaded_at, seen, members))
            while len(queue) > in_flight:
                finish(queue.popleft())
        while queue:
            finish(queue.popleft())
    if needs_year:  # volumes that print no year, once their siblings are stored (flows.year_hints)
        by_uri = {item.uri: item for item in items}

        def reread(uri: str) -> bytes:
            outer, path = split_uri(uri)
            data = by_uri[outer].read()
            return member_bytes(data, path) if path else data

        for report in resolve_missing_years(engine, needs_year, reread, loaded_at=loaded_at,
                                            store=lambda p: _store_or_skip(engine, p, request)):
            summary.reports = [report if r.document_id == report.document_id else r for r in summary.reports]
    if needs_name:  # tables-only volumes that print no name, once their siblings are stored
        for report in resolve_missing_departments(engine, needs_name, store=lambda p: _stored(engine, p)):
            summary.reports = [report if r.document_id == report.document_id else r for r in summary.reports]
    if any(r.status in ("loaded", "quarantined", "seen_only", "held") for r in summary.reports):
        with serialized(engine, REFRESH_LOCK_KEY):  # two runs on one PostgreSQL warehouse take turns
            refresh(engine)  # conformed dimensions and cross-document checks follow every load
    return summary


def _start(engine: Engine, chunk: Sequence[Item], request: RunRequest, submit, loaded_at: datetime,
           seen: set[str], members: set[str]) -> _Batch:
    """Read a batch, settle what needs no preparing, and submit the rest."""
    early: list[Prepared | DocumentReport] = []
    readable: list[tuple[bytes, str, str]] = []
    for item in chunk:
        data = _read(item)
        if isinstance(data, str):
            early.append(quarantined(0, item.uri, data, "read", document_id=unreadable_id(item.uri),
                                     loaded_at=loaded_at))
            continue
        found = unpacked(data, item.uri)
        members.update(uri for _, uri, _ in found[1:])
        for body, uri, reason in found:
            if reason is not None:
                early.append(quarantined(body if body else 0, uri, reason, "read", loaded_at=loaded_at,
                                         document_id=None if body else unreadable_id(uri)))
            else:
                readable.append((body, uri, document_id_of(body)))
    loaded = {} if request.force else already_loaded_ids(engine, [d for _, _, d in readable], PARSER_VERSION,
                                                           retry_reasons=(NO_FISCAL_YEAR,))
    pending: list[tuple[bytes, str]] = []
    for data, uri, document_id in readable:
        if document_id in seen:
            early.append(DocumentReport(uri, document_id, "unchanged", "the same bytes as another file of this run"))
            continue
        if document_id in loaded:
            before = loaded[document_id]
            early.append(DocumentReport(uri, document_id, "unchanged",
                                        None if before.status == "loaded" else f"{before.status} by an earlier run",
                                        before.department_name, before.fiscal_year))
            continue
        seen.add(document_id)
        pending.append((data, uri))
    return _Batch(early, submit(pending, loaded_at) if pending else None)


def unpacked(data: bytes, uri: str, limits: ArchiveLimits | None = None) -> list[tuple[bytes, str, str | None]]:
    """``(bytes, uri, reason to quarantine or None)`` per document the item's bytes hold: the item
    itself, or each member of a ZIP archive of a release (``<archive>!/<member path>``,
    :mod:`extract.read.archive`); an archive refused as a whole is quarantined under its own URI."""
    if not is_archive(data):
        return [(data, uri, None)]
    try:
        found = members(data, uri, limits)
    except DocumentError as exc:
        return [(data, uri, exc.reason)]
    if not found:
        return [(data, uri, "the ZIP archive holds no file to read (only folders or macOS resource forks)")]
    return [(m.data, m.uri, m.reason) for m in found]


def _store_or_skip(engine: Engine, prepared: Prepared, request: RunRequest) -> DocumentReport:
    identified = prepared.status in ("loaded", "seen_only", "held")
    skip = request.out_of_scope(prepared.fiscal_year, prepared.region_code) if identified else None
    if skip:
        return DocumentReport(prepared.source_uri, prepared.document_id, "skipped", skip,
                              prepared.department_name, prepared.fiscal_year)
    return _stored(engine, prepared)


def _stored(engine: Engine, prepared: Prepared) -> DocumentReport:
    prepared = store(engine, prepared)
    return DocumentReport(prepared.source_uri, prepared.document_id, prepared.status, prepared.reason,
                          prepared.department_name, prepared.fiscal_year, sum(prepared.counts.values()),
                          quality_summary(engine, prepared.document_id), prepared.stage)
