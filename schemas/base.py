"""Shared MetaData and column helpers, so every table spells money and provenance alike."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Numeric, String, Text

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
