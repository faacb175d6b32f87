"""Each arrow of the pipeline as a plain function: bytes → document → records → frames → warehouse.

Prefect tasks (``flows.etl``), the inline runner, ``audit`` and the benchmark all call
these, so every step runs and is tested without Prefect. ``prepare`` is pure apart from
reading the clock, and may run in parallel or in a worker process; ``store`` writes one
document in one transaction and runs one at a time per DuckDB file (one writer).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Sequence

import polars as pl
from sqlalchemy.engine import Engine

from extract.parse.document import PARSER_VERSION, NoFiscalYearError, parse_document
from extract.parse.identity.classify import NotADisclosureError, identity_record
from extract.parse.identity.names import levels_of
from extract.parse.seen_only import identify_seen_only, stage_seen_only
from extract.parse.year_hints import DocumentHints
from extract.read.html_reader import HtmlContentError
from extract.parse.staging import stage
from extract.read.model import document_id_of
from extract.read.reader import read_document
from reference.regions import region_rows
from flows.failures import explain, stage_of
from flows.progress import document_done
from load.documents import write_document
from load.review import decision_for
from load.siblings import portal_region
from schemas import table
from schemas.errors import DocumentError
from schemas.vocabulary import HELD, LOADED, PRINTED_YEAR_SOURCES, QUARANTINED, SEEN_ONLY
from schemas.frames import polars_schema
from transform import transform_document, transform_quarantined, transform_seen_only
from transform.dimensions import placed_in
from transform.review import apply_decision


# facts that hold a stated figure: a document with none of them has nothing to compare
FIGURE_TABLES = ("fct_budget_line", "fct_three_public", "fct_project_budget", "fct_asset", "fct_procurement",
                 "fct_expenditure_by_function", "fct_expenditure_by_economic", "fct_performance_target")


OCR_SHARE = 0.75  # of a document's time limit, what OCR of its scanned pages may take


@dataclass
class Prepared:
    """A document ready to store: its warehouse frames, or the reason it is quarantined.

    ``stage`` names where a quarantined document stopped (read | parse | transform |
    check | store | worker); the other fields describe what was recognised, for reports
    and ``audit``. Plain data only, so it crosses process boundaries.
    """

    document_id: str
    source_uri: str
    frames: dict[str, pl.DataFrame]
    status: str  # loaded | seen_only | held | quarantined
    reason: str | None = None
    department_name: str | None = None
    fiscal_year: int | None = None
    region_code: str | None = None
    stage: str | None = None
    doc_kind: str | None = None
    doc_class: str | None = None
    page_count: int = 0
    scanned_pages: list[int] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    needs_year: bool = False  # quarantined only for printing no year: worth a second look with hints
    year_printed: bool = False  # the year was read from the document itself (title, cover, table title, statement)


def region_frame(region_code: str | None) -> pl.DataFrame:
    """``stg_region``: the document's region as the GB/T 2260 reference has it (level, parent)."""
    return pl.DataFrame(region_rows([region_code]), schema=polars_schema(table("dim_region")))


def staged_frames(doc, result, byte_size: int) -> dict[str, pl.DataFrame]:
    """The ``stg_*`` frames transform takes for one read and parsed document: extract's staging
    plus ``stg_region`` from the GB/T 2260 reference."""
    return {**stage(doc, result, byte_size).frames, "stg_region": region_frame(result.meta.region_code)}


def quarantined(data_or_size: bytes | int, source_uri: str, reason: str, stage: str, *,
                document_id: str | None = None, loaded_at: datetime | None = None,
                parser_version: str = PARSER_VERSION, seconds: float = 0.0, identity: dict | None = None) -> Prepared:
    """A quarantine record for a document (its bytes, or its id and size) and why; ``identity``:
    what it states about itself (:func:`~extract.parse.identity.classify.identity_record`)."""
    size = data_or_size if isinstance(data_or_size, int) else len(data_or_size)
    document_id = document_id or document_id_of(data_or_size)  # type: ignore[arg-type]
    frames = transform_quarantined(document_id, source_uri, size, reason, parser_version=parser_version,
                                   loaded_at=loaded_at or datetime.now(timezone.utc), identity=identity)
    return Prepared(document_id, source_uri, frames, QUARANTINED, reason, stage=stage, seconds=seconds)


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


def _apply_review(prepared: Prepared, decision: dict) -> None:
    """A held document a person has decided on (``county-budgets review``): stored as decided."""
    frames = apply_decision(prepared.frames, decision)
    document = frames["dim_document"].row(0, named=True)
    if decision["decision"] == "release":
        levels = levels_of(document["department_name"], document["region_code"], document["doc_kind"])
        frames["dim_document"] = frames["dim_document"].with_columns(pl.lit(v).alias(k) for k, v in levels.items())
    if decision.get("region_code"):
        frames["dim_region"] = pl.concat([frames.get("dim_region", region_frame(None)), region_frame(decision["region_code"])])
    document = frames["dim_document"].row(0, named=True)
    prepared.frames, prepared.status, prepared.reason = frames, document["status"], document["status_reason"]
    prepared.department_name, prepared.fiscal_year = document["department_name"], document["fiscal_year"]


def store(engine: Engine, prepared: Prepared) -> Prepared:
    """Write one prepared document in one transaction (replacing any earlier load of it).

    Rows the warehouse refuses (a value out of range for its column, say) quarantine the
    document instead, with stage ``store``: nothing of it is half-loaded. Errors of the
    warehouse itself (connection lost, disk full) propagate and stop the run.
    """
    if prepared.status == HELD and (decision := decision_for(engine, prepared.document_id)) is not None:
        _apply_review(prepared, decision)
    if prepared.status != QUARANTINED and prepared.region_code is None \
            and (code := portal_region(engine, prepared.source_uri)) is not None:
        prepared.frames, prepared.region_code = placed_in(prepared.frames, code, region_frame(code)), code
        document = prepared.frames["dim_document"].row(0, named=True)
        levels = levels_of(document["department_name"], code, document["doc_kind"])
        prepared.frames["dim_document"] = prepared.frames["dim_document"].with_columns(
            pl.lit(v).alias(k) for k, v in levels.items())
    try:
        prepared.counts = write_document(engine, prepared.frames)
        return prepared
    except DocumentError as exc:
        document = prepared.frames["dim_document"].row(0, named=True)
        refused = quarantined(document["byte_size"] or 0, prepared.source_uri, exc.reason, "store",
                              document_id=prepared.document_id, loaded_at=document["loaded_at"],
                              parser_version=document["parser_version"] or PARSER_VERSION,
                              seconds=prepared.seconds)
        refused.counts = write_document(engine, refused.frames)
        return refused
