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

from extract.parse.document import PARSER_VERSION, parse_document
from extract.read.reader import document_id_of, read_document
from extract.parse.staging import stage
from load.documents import write_document
from schemas.errors import DocumentError
from schemas.warehouse import dim_document, fct_data_quality
from transform import transform_document, transform_quarantined


@dataclass
class Prepared:
    """A document ready to load: its frames, or the reason it is quarantined."""

    document_id: str
    source_uri: str
    frames: dict[str, pl.DataFrame]
    status: str  # loaded | quarantined
    reason: str | None = None
    department_name: str | None = None
    fiscal_year: int | None = None
    region_code: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


def prepare(data: bytes, source_uri: str, *, loaded_at: datetime | None = None,
            parser_version: str = PARSER_VERSION) -> Prepared:
    """Read, parse and transform; a DocumentError becomes a quarantine record, never an exception."""
    loaded_at = loaded_at or datetime.now(timezone.utc)
    document_id = document_id_of(data)
    try:
        doc = read_document(data, source_uri)
        result = parse_document(doc)
    except DocumentError as exc:
        frames = transform_quarantined(document_id, source_uri, len(data), exc.reason,
                                       parser_version=parser_version, loaded_at=loaded_at)
        return Prepared(document_id, source_uri, frames, "quarantined", exc.reason)
    staged = stage(doc, result, len(data))
    frames = transform_document(staged.frames, parser_version=parser_version, loaded_at=loaded_at)
    meta = result.meta
    return Prepared(document_id, source_uri, frames, "loaded", None, meta.department_name, meta.fiscal_year,
                    meta.region_code)


def store(engine: Engine, prepared: Prepared) -> Prepared:
    prepared.counts = write_document(engine, prepared.frames)
    return prepared


def already_loaded(engine: Engine, document_id: str, parser_version: str = PARSER_VERSION) -> bool:
    """True when these exact bytes were loaded (or quarantined) by this parser version."""
    with engine.connect() as connection:
        row = connection.execute(
            select(dim_document.c.parser_version).where(dim_document.c.document_id == document_id)
        ).first()
    return row is not None and row[0] == parser_version


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
