"""One run over a set of documents, independent of Prefect and of where the bytes came from.

Every source kind (a folder, a URL manifest, the registry's portals, the raw store on
``--reprocess``) hands this module a list of items with a URI and a ``read()``; the
Prefect flow and the ``--no-prefect`` path differ only in how ``prepare`` is mapped over
documents. Unchanged bytes are skipped before any parsing (unless the request says
``force``), documents outside the requested years or region are counted as skipped,
and every other document ends loaded or quarantined: none is dropped silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence

from sqlalchemy.engine import Engine

from extract.collect.folder import list_folder, read_source_file, source_uri
from extract.parse.document import PARSER_VERSION
from extract.read.model import document_id_of
from flows.conform import refresh
from extract.parse.document import NO_FISCAL_YEAR
from flows.isolation import preparer_for
from flows.pipeline import Prepared, prepare_sequentially, quarantined, store  # noqa: F401 (re-exported)
from flows.request import RunRequest
from flows.year_hints import resolve_missing_years
from load.documents import already_loaded, quality_summary
from load.warehouse import REFRESH_LOCK_KEY, serialized
from schemas.errors import DocumentError

BATCH_SIZE = 16


class Item(Protocol):
    """A document to run: where it came from and how to get its bytes."""

    uri: str

    def read(self) -> bytes: ...


@dataclass(frozen=True)
class SourceItem:
    """A file of a folder source; ``read`` never blocks and raises DocumentError saying why it cannot."""

    uri: str
    path: Path

    def read(self) -> bytes:
        return read_source_file(self.path)


@dataclass
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
    reports: list[DocumentReport] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(report.status for report in self.reports)

    def line(self) -> str:
        c = self.counts
        seen = f", {c['seen_only']} seen only (no figures)" if c["seen_only"] else ""
        return (f"{len(self.reports)} documents: {c['loaded']} loaded, {c['quarantined']} quarantined, "
                f"{c['unchanged']} unchanged, {c['skipped']} skipped{seen}")


def folder_items(source: str | Path) -> list[SourceItem]:
    """Every entry of a folder, including those that cannot be read (a dangling link, a FIFO): each
    ends quarantined with its reason instead of vanishing from the run."""
    return [SourceItem(source_uri(path), path) for path in list_folder(source, every_entry=True)]


PrepareMany = Callable[[Sequence[tuple[bytes, str]], datetime], list[Prepared]]


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


def run_items(engine: Engine, items: Sequence[Item], request: RunRequest | None = None, *,
              prepare_many: PrepareMany | None = None,
              on_document: Callable[[DocumentReport], None] | None = None,
              batch_size: int = BATCH_SIZE) -> RunSummary:
    """Run ``items`` as ``request`` says (years, region, force, per-document limits); batches bound
    memory: only ``batch_size`` documents' bytes and frames are held at once. An item that
    cannot be read at all is quarantined at stage ``read`` like any other bad document."""
    request = request or RunRequest()
    prepare_many = prepare_many or preparer_for(request.limits)
    summary = RunSummary()
    loaded_at = datetime.now(timezone.utc)
    needs_year: list[Prepared] = []

    def record(report: DocumentReport) -> None:
        summary.reports.append(report)
        if on_document:
            on_document(report)

    for batch in _batches(items, batch_size):
        pending: list[tuple[bytes, str]] = []
        for item in batch:
            data = _read(item)
            if isinstance(data, str):
                record(_stored(engine, quarantined(0, item.uri, data, "read", document_id=unreadable_id(item.uri),
                                                   loaded_at=loaded_at)))
                continue
            if not request.force and already_loaded(engine, document_id_of(data), PARSER_VERSION,
                                                    retry_reasons=(NO_FISCAL_YEAR,)):
                summary.reports.append(DocumentReport(item.uri, document_id_of(data), "unchanged"))
                continue
            pending.append((data, item.uri))
        for prepared in prepare_many(pending, loaded_at):
            record(_store_or_skip(engine, prepared, request))
            if prepared.needs_year:
                needs_year.append(prepared)
    if needs_year:  # volumes that print no year, once their siblings are stored (flows.year_hints)
        by_uri = {item.uri: item for item in items}
        for report in resolve_missing_years(engine, needs_year, lambda uri: by_uri[uri].read(), loaded_at=loaded_at,
                                            store=lambda p: _store_or_skip(engine, p, request)):
            summary.reports = [report if r.document_id == report.document_id else r for r in summary.reports]
    if any(r.status in ("loaded", "quarantined", "seen_only") for r in summary.reports):
        with serialized(engine, REFRESH_LOCK_KEY):  # two runs on one PostgreSQL warehouse take turns
            refresh(engine)  # conformed dimensions and cross-document checks follow every load
    return summary


def _store_or_skip(engine: Engine, prepared: Prepared, request: RunRequest) -> DocumentReport:
    identified = prepared.status in ("loaded", "seen_only")
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
