"""Each arrow of the pipeline as a plain function: bytes → document → records → frames → warehouse.

Prefect tasks (``flows.etl``) only wrap these, so every step runs and is tested
without Prefect. ``prepare`` is pure apart from reading the clock, and may run in
parallel; ``store`` writes one document in one transaction and runs one at a time
(a DuckDB file has one writer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import polars as pl
from sqlalchemy import select
from sqlalchemy.engine import Engine

from extract.parse.document import NO_FISCAL_YEAR, PARSER_VERSION, NoFiscalYearError, parse_document
from extract.parse.seen_only import identify_seen_only, stage_seen_only
from extract.parse.year_hints import DocumentHints
from extract.read.html_reader import HtmlContentError
from extract.read.reader import document_id_of, read_document
from extract.parse.staging import stage
from load.documents import write_document
from schemas.errors import DocumentError
from schemas.warehouse import dim_document, fct_data_quality
from transform import transform_document, transform_quarantined, transform_seen_only


@dataclass
class Prepared:
    """A document ready to load: its frames, or the reason it is quarantined."""

    document_id: str
    source_uri: str
    frames: dict[str, pl.DataFrame]
    status: str  # loaded | seen_only | quarantined
    reason: str | None = None
    department_name: str | None = None
    fiscal_year: int | None = None
    region_code: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    needs_year: bool = False  # quarantined only for printing no year: worth a second look with hints


def prepare(data: bytes, source_uri: str, *, loaded_at: datetime | None = None,
            parser_version: str = PARSER_VERSION, hints: DocumentHints | None = None) -> Prepared:
    """Read, parse and transform; a DocumentError becomes a quarantine record, never an exception.
    An image-only or attachment-only page whose title names a disclosure is ``seen_only``;
    ``hints`` give a year to a volume that prints none (:mod:`flows.year_hints`)."""
    loaded_at = loaded_at or datetime.now(timezone.utc)
    document_id = document_id_of(data)
    try:
        doc = read_document(data, source_uri)
        result = parse_document(doc, hints)
    except HtmlContentError as exc:
        return _seen_only_or_quarantined(exc, document_id, source_uri, len(data), hints, parser_version, loaded_at)
    except DocumentError as exc:
        frames = transform_quarantined(document_id, source_uri, len(data), exc.reason,
                                       parser_version=parser_version, loaded_at=loaded_at)
        return _quarantined(document_id, source_uri, frames, exc)
    staged = stage(doc, result, len(data))
    frames = transform_document(staged.frames, parser_version=parser_version, loaded_at=loaded_at)
    meta = result.meta
    return Prepared(document_id, source_uri, frames, "loaded", None, meta.department_name, meta.fiscal_year,
                    meta.region_code)


def _quarantined(document_id: str, source_uri: str, frames: dict[str, pl.DataFrame], exc: DocumentError) -> Prepared:
    meta = getattr(exc, "meta", None)
    return Prepared(document_id, source_uri, frames, "quarantined", exc.reason, meta and meta.department_name,
                    needs_year=isinstance(exc, NoFiscalYearError))


def _seen_only_or_quarantined(exc: HtmlContentError, document_id: str, source_uri: str, size: int,
                              hints: DocumentHints | None, parser_version: str, loaded_at: datetime) -> Prepared:
    try:
        seen = identify_seen_only(exc, hints)
    except NoFiscalYearError as no_year:
        exc = no_year
        seen = None
    if seen is None:
        frames = transform_quarantined(document_id, source_uri, size, exc.reason, parser_version=parser_version,
                                       loaded_at=loaded_at, format="html")
        return _quarantined(document_id, source_uri, frames, exc)
    frames = transform_seen_only(stage_seen_only(seen, document_id, source_uri, size), seen.reason,
                                 parser_version=parser_version, loaded_at=loaded_at)
    m = seen.meta
    return Prepared(document_id, source_uri, frames, "seen_only", seen.reason, m.department_name, m.fiscal_year,
                    m.region_code)


def store(engine: Engine, prepared: Prepared) -> Prepared:
    prepared.counts = write_document(engine, prepared.frames)
    return prepared


def already_loaded(engine: Engine, document_id: str, parser_version: str = PARSER_VERSION) -> bool:
    """True when these exact bytes were loaded (or quarantined) by this parser version; a volume
    quarantined only for printing no year is looked at again (a sibling may have come since)."""
    with engine.connect() as connection:
        row = connection.execute(
            select(dim_document.c.parser_version, dim_document.c.status_reason)
            .where(dim_document.c.document_id == document_id)
        ).first()
    return row is not None and row[0] == parser_version and not (row[1] or "").startswith(NO_FISCAL_YEAR)


def quality_summary(engine: Engine, document_id: str) -> dict[str, int]:
    """Counts of data-quality results for one document: passed / failed / not evaluated."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(fct_data_quality.c.passed, fct_data_quality.c.severity)
            .where(fct_data_quality.c.document_id == document_id)
        ).all()
    values = [row[0] for row in rows]
    return {"passed": values.count(True), "failed": values.count(False), "not_evaluated": values.count(None),
            "failed_errors": sum(1 for passed, severity in rows if passed is False and severity == "error")}
