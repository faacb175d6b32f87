"""What a person decided about a held document (``county-budgets review``).

A document is held when it was read but its identity needs a person: it names no
department or unit, or neither 预算 nor 决算 (:mod:`extract.parse.identity`). Its facts are
stored and kept out of every view until a decision says what it is. The decision is kept
here, by the document's sha256, apart from the document's own rows, so a re-run with a newer
parser (which replaces those rows) applies it again; a document read anew with the same
bytes is never held twice.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from schemas.base import SHA256, metadata

fct_review_decision = Table(
    "fct_review_decision",
    metadata,
    Column("document_id", SHA256, primary_key=True),
    Column("decision", String(16), nullable=False),  # release | reject
    Column("department_name", Text),  # as the person gave it (release)
    Column("fiscal_year", Integer),  # given, else the year the document states
    Column("doc_kind", String(24)),  # given, else the kind the document states
    Column("region_code", String(6)),  # given, else from the department's name (GB/T 2260)
    Column("note", Text),  # why (reject: the reason the document is quarantined with)
    Column("decided_at", DateTime(timezone=True), nullable=False),
)
