"""Writing one document: everything of it or nothing, in one transaction.

Re-loading a document (same sha256) first deletes every row it owns, so a re-run
leaves identical row counts, and a crash half-way (even SIGKILL) rolls the whole
document back. A *changed* file is a new sha256; the old version's rows are replaced
when the same ``source_uri`` now points at different bytes (``supersede=True``).

On PostgreSQL, where several runs may write at once, the transaction first takes
advisory locks on the document's id and its source URI (in a fixed order, so two runs
cannot deadlock): a second writer of the same document waits for the first to commit,
then replaces its rows, so documents are never duplicated or interleaved.

Rows the warehouse refuses for what they hold (a value out of range or too long, a
broken constraint) raise :class:`~schemas.errors.DocumentError`: the document is
quarantined, not the run stopped. Anything else (a lost connection, a full disk)
propagates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from load.backends import backend_of
from load.refresh import note_documents
from schemas import table
from schemas.errors import DocumentError
from schemas.warehouse import DOCUMENT_FACT_TABLES, dim_document, fct_data_quality

if TYPE_CHECKING:
    import polars as pl

SHARED_DIMENSIONS = ("dim_region", "dim_fiscal_year", "dim_department", "dim_project", "dim_indicator")


def _delete_documents(connection, document_ids: list[str]) -> None:
    for fact in DOCUMENT_FACT_TABLES:
        connection.execute(delete(fact).where(fact.c.document_id.in_(document_ids)))
    connection.execute(delete(dim_document).where(dim_document.c.document_id.in_(document_ids)))


def _stored_ids(connection, document_id: str, source_uri: str | None) -> list[str]:
    """This document's id if it is stored, and (given ``source_uri``) older versions of the same source.
    Rows of a document are written and deleted with its ``dim_document`` row, in one transaction, so a
    document absent from ``dim_document`` has no rows anywhere."""
    where = dim_document.c.document_id == document_id
    if source_uri is not None:
        where = where | (dim_document.c.source_uri == source_uri)
    return [row[0] for row in connection.execute(select(dim_document.c.document_id).where(where))]


# What the drivers raise when the *rows* are at fault (DuckDB's and psycopg's own classes,
# and SQLAlchemy's wrappers of them), by class name so no driver must be importable.
_REJECTED = {"DataError", "IntegrityError", "ConversionException", "ConstraintException", "OutOfRangeException",
             "InvalidInputException", "TypeMismatchException"}


def _rejected(exc: BaseException) -> bool:
    return any(cls.__name__ in _REJECTED for cls in type(exc).__mro__)


def write_document(engine: Engine, frames: dict[str, pl.DataFrame], *, supersede: bool = True) -> dict[str, int]:
    """Replace one document's rows by ``frames`` (table name → conformed frame); returns row counts.

    Raises DocumentError when the warehouse refuses the rows themselves (nothing is written).
    """
    try:
        return _write(engine, frames, supersede)
    except Exception as exc:
        if not _rejected(exc):
            raise
        detail = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DocumentError(f"the warehouse refused its rows ({type(exc).__name__}: {detail[:300]})") from exc


def _write(engine: Engine, frames: dict[str, pl.DataFrame], supersede: bool) -> dict[str, int]:
    document = frames["dim_document"].row(0, named=True)
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        backend = backend_of(connection)
        backend.lock_document(connection, document["document_id"], document["source_uri"])
        doomed = _stored_ids(connection, document["document_id"], document["source_uri"] if supersede else None)
        note_documents(connection, doomed, also=[document])  # what the comparison refresh owes (load.refresh)
        if doomed:  # a new document owns no rows yet: no delete needs to scan the fact tables
            _delete_documents(connection, doomed)
        for name in SHARED_DIMENSIONS:
            if name in frames:
                backend.insert_missing(connection, table(name), frames[name])
        counts["dim_document"] = backend.insert(connection, dim_document, frames["dim_document"])
        for fact in DOCUMENT_FACT_TABLES:
            if fact.name in frames:
                counts[fact.name] = backend.insert(connection, fact, frames[fact.name])
    return counts


@dataclass(frozen=True)
class LoadedBefore:
    """What ``dim_document`` holds for bytes loaded by an earlier run."""

    fiscal_year: int | None
    department_name: str | None
    status: str


def already_loaded_ids(engine: Engine, document_ids: list[str], parser_version: str,
                       retry_reasons: tuple[str, ...] = ()) -> dict[str, LoadedBefore]:
    """The ids among ``document_ids`` whose exact bytes were loaded (or quarantined) by ``parser_version``
    (``dim_document``), unless their quarantine reason starts with one of ``retry_reasons`` (worth another
    look now: a volume quarantined for printing no year may have a sibling since), each with what its
    earlier run recorded (year, department, status): one query for a whole batch."""
    if not document_ids:
        return {}
    d = dim_document.c
    with engine.connect() as connection:
        rows = connection.execute(
            select(d.document_id, d.status_reason, d.fiscal_year, d.department_name, d.status)
            .where(d.document_id.in_(sorted(set(document_ids))), d.parser_version == parser_version)
        )
        return {row[0]: LoadedBefore(row[2], row[3], row[4]) for row in rows
                if not (retry_reasons and (row[1] or "").startswith(retry_reasons))}


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
