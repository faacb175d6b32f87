"""Operations tables: what the comparison refresh still owes, and what each document of a run came to.

Every write that changes what the conformed tables are derived from (a document stored or
replaced, a document withdrawn, a crawl recorded) notes, in its own transaction, the region,
fiscal year and kind of each document it touched in ``ops_refresh_pending``. The refresh
(``flows.refresh.refresh_changed``) rebuilds only those regions and years and deletes exactly
the notes it read, in the transaction that writes the rebuilt rows: a note is never lost to a
crash, and a note written while the refresh runs waits for the next one.
``ops_refresh_state`` holds the version of the derivation (reference data and the code deriving)
the conformed tables were last rebuilt whole with: another version rebuilds everything once.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from schemas.base import metadata

ops_refresh_pending = Table(
    "ops_refresh_pending",
    metadata,
    Column("change_id", String(32), primary_key=True),  # a uuid4 hex: two writers never collide
    Column("region_code", String(6)),  # NULL: documents naming no region
    Column("fiscal_year", Integer),
    Column("doc_kind", String(24)),
    Column("noted_at", DateTime(timezone=True), nullable=False),
)

ops_refresh_state = Table(
    "ops_refresh_state",
    metadata,
    Column("name", String(32), primary_key=True),  # "derivation"
    Column("value", Text, nullable=False),
)


# What each document of a run came to, streamed here as the run goes (flows.run_log.RunLog) instead
# of being kept in the writer's memory; the run's closing table and exit code read it back.
# Kept for RUN_LOG_DAYS days (older runs' rows are deleted when a run starts).
RUN_LOG_DAYS = 14
ops_run_document = Table(
    "ops_run_document",
    metadata,
    Column("run_id", String(32), primary_key=True),  # a uuid4 hex per run
    Column("seq", Integer, primary_key=True, autoincrement=False),  # the order documents were settled in
    Column("logged_at", DateTime(timezone=True), nullable=False),
    Column("source_uri", Text, nullable=False),
    Column("document_id", String(64)),
    Column("status", String(16), nullable=False),  # loaded | seen_only | quarantined | unchanged | skipped | held
    Column("reason", Text),
    Column("department_name", Text),
    Column("fiscal_year", Integer),
    Column("rows", Integer, nullable=False),
    Column("quality", Text),  # the quality counts as JSON ({"passed": 3, …}); NULL: none
    Column("stage", String(16)),
)

REFRESH_TABLES = [ops_refresh_pending, ops_refresh_state, ops_run_document]
