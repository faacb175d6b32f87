"""Each arrow of the pipeline as a plain function: bytes → document → records → frames → warehouse.

Prefect tasks (``flows.etl``), the inline runner, ``audit`` and the benchmark all call
these, so every step runs and is tested without Prefect. ``prepare`` is pure apart from
reading the clock, and may run in parallel or in a worker process; ``store`` (:mod:`flows.prepared`,
re-exported here) writes one document in one transaction and runs one at a time per DuckDB file
(one writer).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Sequence

import polars as pl

from extract.parse.document import PARSER_VERSION, NoFiscalYearError, parse_document
from extract.parse.identity.classify import NotADisclosureError, identity_record
from extract.parse.seen_only import identify_seen_only, stage_seen_only
from extract.parse.year_hints import DocumentHints
from extract.read.html_reader import HtmlContentError
from extract.parse.staging import stage
from extract.read.model import document_id_of
from extract.read.reader import read_document
from flows.failures import explain, stage_of
from flows.prepared import Prepared, quarantined, region_frame, store  # noqa: F401  (re-exported)
from flows.progress import document_done
from schemas.errors import DocumentError
from schemas.vocabulary import HELD, LOADED, PRINTED_YEAR_SOURCES, SEEN_ONLY
from transform import transform_document, transform_seen_only


# facts that hold a stated figure: a document with none of them has nothing to compare
FIGURE_TABLES = ("fct_budget_line", "fct_three_public", "fct_project_budget", "fct_asset", "fct_procurement",
                 "fct_expenditure_by_function", "fct_expenditure_by_economic", "fct_performance_target")


OCR_SHARE = 0.75  # of a document's time limit, what OCR of its scanned pages may take


def staged_frames(doc, result, byte_size: int) -> dict[str, pl.DataFrame]:
    """The ``stg_*`` frames transform takes for one read and parsed document: extract's staging
    plus ``stg_region`` from the GB/T 2260 reference."""
    return {**stage(doc, result, byte_size).frames, "stg_region": region_frame(result.meta.region_code)}


def prepare(data: bytes, source_uri: str, *, loaded_at: datetime | None = None,
            parser_version: str = PARSER_VERSION, memory_limit_mb: int | None = None,
            hints: DocumentHints | None = None, time_limit_s: float | None = None) -> Prepared:
    """Read, parse, transform and check one document; never raises for the document's sake.

    Whatever goes wrong — a DocumentError the readers foresaw, or any other error while
    reading, parsing, transforming or checking — becomes a quarantine record naming the
    stage and a reason (:mod:`flows.failures`). An image-only or attachment-only page whose
    title names a disclosure is ``seen_only``; ``hints`` give a year to a volume that prints
    none (:mod:`flows.year_hints`), and a volume quarantined only for that is marked
    ``needs_year`` for a second look. ``time_limit_s`` (the worker's) leaves OCR of scanned pages
    :data:`OCR_SHARE` of it, so a long scan is read in part instead of being stopped whole.
    """
    started = time.perf_counter()
    loaded_at = loaded_at or datetime.now(timezone.utc)
    step = "read"
    try:
        doc = read_document(data, source_uri, ocr_seconds=time_limit_s * OCR_SHARE if time_limit_s else None)
        step = "parse"
        result = parse_document(doc, hints)
        meta = result.meta
        staged = staged_frames(doc, result, len(data))
        step = "transform"
        frames = transform_document(staged, parser_version=parser_version, loaded_at=loaded_at,
                                    hold_reason=meta.hold_reason)
        step = "check"
        if not any(frames[name].height for name in FIGURE_TABLES if name in frames):
            raise DocumentError("states no budget figures: a title was recognised, but no table or sentence with "
                                "an amount was found (an empty or placeholder disclosure)")
    except HtmlContentError as exc:
        return _seen_only_or_quarantined(exc, data, source_uri, hints, parser_version, loaded_at, started)
    except Exception as exc:  # noqa: BLE001 - one document must never stop the run
        where = stage_of(exc, step)
        meta = getattr(exc, "meta", None) or (result.meta if step in ("transform", "check") else None)
        out = quarantined(data, source_uri, explain(exc, where, memory_limit_mb=memory_limit_mb), where,
                          loaded_at=loaded_at, parser_version=parser_version, seconds=time.perf_counter() - started,
                          identity=identity_record(meta) if meta is not None else None)
        out.needs_year = isinstance(exc, NoFiscalYearError)
        if meta is not None:
            out.department_name, out.fiscal_year, out.doc_kind = meta.department_name, meta.fiscal_year, meta.doc_kind
            out.doc_class = meta.doc_class
        return out
    status = HELD if meta.hold_reason else LOADED
    return Prepared(doc.document_id, source_uri, frames, status, meta.hold_reason, meta.department_name, meta.fiscal_year,
                    meta.region_code, doc_kind=meta.doc_kind, doc_class=meta.doc_class, page_count=doc.page_count,
                    year_printed=meta.fiscal_year_source in PRINTED_YEAR_SOURCES,
                    scanned_pages=doc.scanned_pages, tables=list(dict.fromkeys(result.tables_found)),
                    sections=list(result.sections_found), seconds=time.perf_counter() - started)


def _seen_only_or_quarantined(exc: HtmlContentError, data: bytes, source_uri: str, hints: DocumentHints | None,
                              parser_version: str, loaded_at: datetime, started: float) -> Prepared:
    """A page with no text of its own: ``seen_only`` when its title identifies a disclosure, else quarantined."""
    reason: DocumentError = exc
    try:
        seen = identify_seen_only(exc, hints)
    except (NoFiscalYearError, NotADisclosureError) as not_seen:
        reason, seen = not_seen, None
    if seen is None:
        meta = getattr(reason, "meta", None)
        out = quarantined(data, source_uri, reason.reason, "read", loaded_at=loaded_at,
                          parser_version=parser_version, seconds=time.perf_counter() - started,
                          identity=identity_record(meta) if meta is not None else None)
        out.needs_year = isinstance(reason, NoFiscalYearError)
        return out
    document_id = document_id_of(data)
    m = seen.meta
    staged = {**stage_seen_only(seen, document_id, source_uri, len(data)), "stg_region": region_frame(m.region_code)}
    frames = transform_seen_only(staged, seen.reason, parser_version=parser_version, loaded_at=loaded_at)
    return Prepared(document_id, source_uri, frames, SEEN_ONLY, seen.reason, m.department_name, m.fiscal_year,
                    m.region_code, doc_kind=m.doc_kind, seconds=time.perf_counter() - started)


def prepare_sequentially(items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> list[Prepared]:
    """Prepare documents one after another in this process (no time or memory limit), each reported to
    the run's progress as it is done."""
    out = []
    for data, uri in items:
        out.append(prepare(data, uri, loaded_at=loaded_at))
        document_done(uri, out[-1].status, out[-1].page_count, len(data))
    return out


