"""Shared MetaData and column helpers, so every table spells money and provenance alike."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Numeric, String, Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import PrimaryKeyConstraint

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# Exact money: DECIMAL(18,2) yuan. Never Float (duckdb-engine maps Float to 32 bits).
MONEY = Numeric(18, 2)
RATE = Numeric(12, 4)  # percentages as printed: 33.20 means 33.20 %
SHA256 = String(64)


def money(name: str, **kw) -> Column:
    return Column(name, MONEY, nullable=True, **kw)


def provenance() -> list[Column]:
    """Where a fact came from: document (sha256 of the bytes), page, line, printed text."""
    return [
        # first column of every fact's primary key (document_id, <fact>_seq)
        Column("document_id", SHA256, primary_key=True),
        Column("page_no", Integer, nullable=False),
        Column("line_no", Integer, nullable=False),
        Column("source_text", Text, nullable=False),
    ]


# ------------------------------------------------------------------ keys the writer keeps (issue 21)
WRITER_KEYED = "writer_keyed"  # Table.info flag


def keys_kept_by_writer(tables: list) -> list:
    """Flag ``tables`` (SQLAlchemy Tables; returned as given) as keyed by the writer, not the database.

    Their rows are only ever replaced as a whole — a document's rows (``load.documents``), a region's
    conformed rows (``load.refresh``) — by one writer in one transaction, after the frame's key was
    checked unique (:func:`schemas.frames.check_frame`). DuckDB creates them without their PRIMARY KEY:
    to insert into a keyed table DuckDB loads the parts of that key's index (ART) the new keys fall in
    into the writer's memory: random hash keys touch a part each, so the writer's memory grew with the
    warehouse (52 MB to refresh one region's 405 rows of ``fct_cross_document_evidence`` at 100,000
    documents, 1 MB at 1,000). PostgreSQL keeps the key (a b-tree on disk). The key stays declared
    here: frame contracts and every dialect's queries read it from ``Table.primary_key``.
    """
    for t in tables:
        t.info[WRITER_KEYED] = True
    return tables


@compiles(PrimaryKeyConstraint, "duckdb")
def _duckdb_primary_key(constraint, compiler, **kw):
    """DuckDB DDL: a writer-keyed table's PRIMARY KEY is left out (None: no constraint clause)."""
    if constraint.table is not None and constraint.table.info.get(WRITER_KEYED):
        return None
    return compiler.visit_primary_key_constraint(constraint, **kw)
