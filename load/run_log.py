"""The run log: each document's outcome in a run, written in batches as the run goes, read back in order.

Rows are plain dicts with the columns of :data:`schemas.refresh.ops_run_document` (``quality``
a dict, stored as JSON). :func:`append` writes a batch in one transaction; :func:`update`
rewrites the rows of one document of a run (a volume given its year after its siblings were
stored); :func:`rows` yields a run's rows in ``seq`` order, fetched in partitions (a few
thousand at a time in memory); :func:`prune` deletes runs older than a date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import delete, insert, select, update as sql_update
from sqlalchemy.engine import Engine

from load.backends import backend_of
from schemas.refresh import ops_run_document

FETCH_ROWS = 5_000
FRAME_ROWS = 500  # a batch this large (flows.run_log's full flush) goes in as one frame (Arrow/COPY); a smaller one
# (a run's last, or all of a run of fewer documents) as one executemany INSERT: ~0.08 s for 499 rows on DuckDB
# against ~0.3 s to import polars and Arrow in a run that needs neither


def _stored(row: dict) -> dict:
    return {**row, "quality": json.dumps(row["quality"], sort_keys=True) if row.get("quality") else None}


def append(engine: Engine, rows: list[dict]) -> int:
    """Write ``rows`` (one transaction); returns how many. A large batch (:data:`FRAME_ROWS` or more) goes
    through the backend's bulk path as one frame; a small one — the last of a run, or all of a run whose
    every file was unchanged — as one executemany INSERT, which needs neither polars nor Arrow (their
    imports would be a third of such a run's time)."""
    if not rows:
        return 0
    stored = [_stored(r) for r in rows]
    with engine.begin() as connection:
        if len(stored) < FRAME_ROWS:
            connection.execute(insert(ops_run_document), stored)
            return len(stored)
        import polars as pl

        from schemas.frames import polars_schema

        frame = pl.DataFrame(stored, schema=polars_schema(ops_run_document), orient="row")
        return backend_of(connection).insert(connection, ops_run_document, frame)


def update(engine: Engine, run_id: str, document_id: str, row: dict) -> list[str]:
    """Set ``row``'s values (not ``run_id``/``seq``) on the run's rows of ``document_id``; returns the
    statuses those rows had."""
    values = {k: v for k, v in _stored(row).items() if k not in ("run_id", "seq", "logged_at")}
    t = ops_run_document.c
    where = (t.run_id == run_id) & (t.document_id == document_id)
    with engine.begin() as connection:
        before = list(connection.execute(select(t.status).where(where)).scalars())
        connection.execute(sql_update(ops_run_document).where(where).values(**values))
    return before


def rows(engine: Engine, run_id: str) -> Iterator[dict]:
    """The run's rows in ``seq`` order (``quality`` a dict, ``{}`` when none)."""
    t = ops_run_document
    with engine.connect() as connection:
        result = connection.execute(select(t).where(t.c.run_id == run_id).order_by(t.c.seq))
        for part in result.mappings().partitions(FETCH_ROWS):
            for row in part:
                yield {**row, "quality": json.loads(row["quality"]) if row["quality"] else {}}


def prune(engine: Engine, before: datetime) -> int:
    """Delete the rows of runs logged before ``before``; returns how many."""
    with engine.begin() as connection:
        return connection.execute(delete(ops_run_document).where(ops_run_document.c.logged_at < before)).rowcount or 0
