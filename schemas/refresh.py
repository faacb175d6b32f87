"""What the comparison refresh still owes: the regions and years changed since it last ran.

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

REFRESH_TABLES = [ops_refresh_pending, ops_refresh_state]
