"""Writing one document: everything of it or nothing, in one transaction.

Re-loading a document (same sha256) first deletes every row it owns, so a re-run
leaves identical row counts, and a crash half-way rolls the whole document back.
A *changed* file is a new sha256; the old version's rows are replaced when the same
``source_uri`` now points at different bytes (``supersede=True``).
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from load.bulk import insert_missing, writer_for
from schemas import table
from schemas.warehouse import DOCUMENT_FACT_TABLES, dim_document, fct_data_quality

SHARED_DIMENSIONS = ("dim_region", "dim_fiscal_year", "dim_department", "dim_project", "dim_indicator")


def _delete_documents(connection, document_ids: list[str]) -> None:
    for fact in DOCUMENT_FACT_TABLES:
        connection.execute(delete(fact).where(fact.c.document_id.in_(document_ids)))
    connection.execute(delete(dim_document).where(dim_document.c.document_id.in_(document_ids)))


def superseded_ids(connection, source_uri: str, document_id: str) -> list[str]:
    """Older versions of the same source: same URI, other bytes."""
    rows = connection.execute(
        select(dim_document.c.document_id).where(
            dim_document.c.source_uri == source_uri, dim_document.c.document_id != document_id
        )
    )
    return [row[0] for row in rows]


def write_document(engine: Engine, frames: dict[str, pl.DataFrame], *, supersede: bool = True) -> dict[str, int]:
    """Replace one document's rows by ``frames`` (table name → conformed frame); returns row counts."""
    document = frames["dim_document"].row(0, named=True)
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        doomed = [document["document_id"]]
        if supersede:
            doomed += superseded_ids(connection, document["source_uri"], document["document_id"])
        _delete_documents(connection, doomed)
        for name in SHARED_DIMENSIONS:
            if name in frames:
                insert_missing(connection, table(name), frames[name])
        writer = writer_for(connection)
        counts["dim_document"] = writer.insert(connection, dim_document, frames["dim_document"])
        for fact in DOCUMENT_FACT_TABLES:
            if fact.name in frames:
                counts[fact.name] = writer.insert(connection, fact, frames[fact.name])
    return counts


def already_loaded(engine: Engine, document_id: str, parser_version: str) -> bool:
    """True when these exact bytes were loaded (or quarantined) by ``parser_version`` (``dim_document``)."""
    with engine.connect() as connection:
        row = connection.execute(
            select(dim_document.c.parser_version).where(dim_document.c.document_id == document_id)
        ).first()
    return row is not None and row[0] == parser_version


def quality_summary(engine: Engine, document_id: str) -> dict[str, int]:
    """Counts of one document's ``fct_data_quality`` rows: passed / failed / not evaluated,
    and ``failed_errors`` (failed rules of severity ``error``)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(fct_data_quality.c.passed, fct_data_quality.c.severity)
            .where(fct_data_quality.c.document_id == document_id)
        ).all()
    values = [row[0] for row in rows]
    return {"passed": values.count(True), "failed": values.count(False), "not_evaluated": values.count(None),
            "failed_errors": sum(1 for passed, severity in rows if passed is False and severity == "error")}
