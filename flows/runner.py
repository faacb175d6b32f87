"""One run over a set of documents, independent of Prefect.

The Prefect flow and the ``--no-prefect`` path share this code; they differ only in
how ``prepare`` is mapped over documents (Prefect tasks in parallel, or a loop).
Unchanged bytes are skipped before any parsing, documents outside the requested
years or region are counted as skipped, and every other document ends loaded or
quarantined: none is dropped silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from sqlalchemy.engine import Engine

from extract.collect.folder import list_folder, source_uri
from extract.read.reader import document_id_of
from flows.conform import refresh
from flows.pipeline import Prepared, already_loaded, prepare, quality_summary, store
from flows.year_hints import resolve_missing_years
from transform.dimensions import region_level

BATCH_SIZE = 16


@dataclass(frozen=True)
class SourceItem:
    uri: str
    path: Path

    def read(self) -> bytes:
        return self.path.read_bytes()


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
    return [SourceItem(source_uri(path), path) for path in list_folder(source)]


PrepareMany = Callable[[Sequence[tuple[bytes, str]], datetime], list[Prepared]]


def prepare_sequentially(items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> list[Prepared]:
    return [prepare(data, uri, loaded_at=loaded_at) for data, uri in items]


def region_prefix(code: str) -> str:
    """A province matches its 2-digit prefix, a city its 4 digits, a county its whole code."""
    level = region_level(code)
    return code[:2] if level == "province" else code[:4] if level == "city" else code


def _out_of_scope(prepared: Prepared, years: Iterable[int] | None, region: str | None) -> str | None:
    """Why a prepared document is out of scope for this run, or None when it is in scope."""
    if prepared.status not in ("loaded", "seen_only"):
        return None
    if years is not None and prepared.fiscal_year not in set(years):
        return f"fiscal year {prepared.fiscal_year} outside the requested years"
    if region and not (prepared.region_code or "").startswith(region_prefix(region)):
        return f"region {prepared.region_code} outside the requested region {region}"
    return None


def _batches(items: Sequence[SourceItem], size: int) -> Iterator[Sequence[SourceItem]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def run_items(engine: Engine, items: Sequence[SourceItem], *, prepare_many: PrepareMany = prepare_sequentially,
              years: Iterable[int] | None = None, region: str | None = None, force: bool = False,
              on_document: Callable[[DocumentReport], None] | None = None,
              batch_size: int = BATCH_SIZE) -> RunSummary:
    """Batches bound memory: only ``batch_size`` documents' bytes and frames are held at once."""
    summary = RunSummary()
    loaded_at = datetime.now(timezone.utc)
    needs_year: list[Prepared] = []
    for batch in _batches(items, batch_size):
        pending: list[tuple[bytes, str]] = []
        for item in batch:
            data = item.read()
            if not force and already_loaded(engine, document_id_of(data)):
                summary.reports.append(DocumentReport(item.uri, document_id_of(data), "unchanged"))
                continue
            pending.append((data, item.uri))
        for prepared in prepare_many(pending, loaded_at):
            report = _store_or_skip(engine, prepared, years, region)
            summary.reports.append(report)
            needs_year += [prepared] if prepared.needs_year else []
            if on_document:
                on_document(report)
    if needs_year:  # volumes that print no year, once their siblings are stored (flows.year_hints)
        by_uri = {item.uri: item for item in items}
        for report in resolve_missing_years(engine, needs_year, lambda uri: by_uri[uri].read(), loaded_at=loaded_at,
                                            store=lambda p: _store_or_skip(engine, p, years, region)):
            summary.reports = [report if r.document_id == report.document_id else r for r in summary.reports]
    if any(r.status in ("loaded", "quarantined", "seen_only") for r in summary.reports):
        refresh(engine)  # conformed dimensions and cross-document checks follow every load
    return summary


def _store_or_skip(engine: Engine, prepared: Prepared, years, region) -> DocumentReport:
    skip = _out_of_scope(prepared, years, region)
    if skip:
        return DocumentReport(prepared.source_uri, prepared.document_id, "skipped", skip,
                              prepared.department_name, prepared.fiscal_year)
    store(engine, prepared)
    return DocumentReport(prepared.source_uri, prepared.document_id, prepared.status, prepared.reason,
                          prepared.department_name, prepared.fiscal_year, sum(prepared.counts.values()),
                          quality_summary(engine, prepared.document_id))
