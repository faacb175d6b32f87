"""Held documents and people's decisions on them (``county-budgets review``).

:func:`held_documents` lists what waits for a person; :func:`decide` records a decision and
applies it to the stored document in one transaction (its ``dim_document`` row, and for a
release the department, year and region dimensions it now belongs to); :func:`decision_for`
is read when a held document is stored again, so the decision outlives a re-run.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from load.backends import backend_of
from load.refresh import note_documents
from schemas import table
from schemas.review import fct_review_decision
from schemas.vocabulary import HELD, QUARANTINED
from schemas.warehouse import DOCUMENT_FACT_TABLES, dim_document

HELD_COLUMNS = ("document_id", "source_uri", "fiscal_year", "doc_kind", "doc_class", "department_name",
                "region_code", "status_reason", "class_evidence", "document_title", "loaded_at")


def held_documents(engine: Engine) -> pl.DataFrame:
    """Every held document with why it is held and the evidence its identity rests on, oldest first."""
    d = dim_document.c
    with engine.connect() as connection:
        rows = connection.execute(select(*[d[c] for c in HELD_COLUMNS]).where(d.status == HELD)
                                  .order_by(d.loaded_at, d.source_uri)).all()
    return pl.DataFrame([dict(zip(HELD_COLUMNS, row)) for row in rows],
                        schema={c: pl.Utf8 for c in HELD_COLUMNS} | {"fiscal_year": pl.Int64,
                                                                     "loaded_at": pl.Datetime("us", "UTC")},
                        orient="row")


def stored_document(engine: Engine, document_id_prefix: str) -> dict | None:
    """The one ``dim_document`` row whose id starts with ``document_id_prefix`` (ids are shown
    shortened), or None; ValueError when the prefix is ambiguous."""
    d = dim_document.c
    with engine.connect() as connection:
        rows = connection.execute(select(dim_document).where(d.document_id.startswith(document_id_prefix))
                                  .limit(2)).mappings().all()
    if len(rows) > 1:
        raise ValueError(f"{document_id_prefix!r} names more than one document: give more of its sha256")
    return dict(rows[0]) if rows else None


def decision_for(engine: Engine, document_id: str) -> dict | None:
    """The decision a person recorded for this document, or None."""
    with engine.connect() as connection:
        row = connection.execute(select(fct_review_decision).where(
            fct_review_decision.c.document_id == document_id)).mappings().first()
    return dict(row) if row else None


def decide(engine: Engine, decision: dict, document_values: dict, dimensions: dict[str, pl.DataFrame]) -> None:
    """Record ``decision`` and set ``document_values`` on the held document (one transaction);
    ``dimensions``: rows of ``dim_department``/``dim_fiscal_year``/``dim_region`` it now needs."""
    document_id = decision["document_id"]
    with engine.begin() as connection:
        backend = backend_of(connection)
        backend.lock_document(connection, document_id)
        note_documents(connection, [document_id])  # what the comparison refresh owes (load.refresh)
        connection.execute(delete(fct_review_decision).where(fct_review_decision.c.document_id == document_id))
        connection.execute(insert(fct_review_decision).values(**decision))
        connection.execute(update(dim_document).where(dim_document.c.document_id == document_id)
                           .values(**document_values))
        note_documents(connection, [document_id])  # … and where the decision puts the document
        if document_values.get("status") == QUARANTINED:  # rejected: a quarantined document owns no facts
            for fact in DOCUMENT_FACT_TABLES:
                connection.execute(delete(fact).where(fact.c.document_id == document_id))
        for name, frame in dimensions.items():
            backend.insert_missing(connection, table(name), frame)
