"""The DuckDB settings the tool sets on every connection it opens, so the writer's memory stays flat.

DuckDB lives inside the writing process: left to itself its buffer pool may take 80% of the
machine's memory and a thread per core, and the writer's resident memory grows with the
warehouse (330 MB at 1,000 documents, 577 MB at 10,000: BENCHMARKS.md). Every connection of an
engine made by :func:`load.warehouse.connect` on a DuckDB file therefore runs:

- ``SET memory_limit`` — :data:`MEMORY_ENV` (a DuckDB size, ``512MB``, ``2GB``), else
  :data:`DEFAULT_MEMORY`; beyond it DuckDB evicts buffers and spills large operators to its
  temporary folder beside the file instead of growing;
- ``SET threads`` — :data:`THREADS_ENV`, else :data:`DEFAULT_THREADS` (the worker processes
  parse; the writer needs few threads);
- ``SET checkpoint_threshold`` — :data:`DEFAULT_CHECKPOINT` (the write-ahead log is folded
  into the file, and its memory released, at this size);
- ``SET preserve_insertion_order = false`` — no ordered buffering of inserted rows.

A value DuckDB refuses raises :class:`schemas.errors.SetupError` naming the variable.
"""

from __future__ import annotations

import os

from sqlalchemy import event
from sqlalchemy.engine import Engine

from schemas.errors import SetupError

MEMORY_ENV = "COUNTY_BUDGETS_DUCKDB_MEMORY"
THREADS_ENV = "COUNTY_BUDGETS_DUCKDB_THREADS"
DEFAULT_MEMORY = "512MB"
MIGRATION_MEMORY = "1GB"  # while a migration rebuilds a table or builds an index over every row
DEFAULT_THREADS = 2
DEFAULT_CHECKPOINT = "64MB"


def settings() -> dict[str, str]:
    """The settings as ``SET`` would take them (values from the environment where given)."""
    return {"memory_limit": os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY,
            "threads": str(int(os.environ.get(THREADS_ENV) or DEFAULT_THREADS)),
            "checkpoint_threshold": DEFAULT_CHECKPOINT,
            "preserve_insertion_order": "false"}


def tune(engine: Engine) -> Engine:
    """Run the settings on every new DBAPI connection of ``engine`` (a DuckDB engine); returns it."""
    chosen = settings()

    def apply(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            for name, value in chosen.items():
                quoted = value if name in ("threads", "preserve_insertion_order") else f"'{value}'"
                try:
                    cursor.execute(f"SET {name} = {quoted}")
                except Exception as exc:  # noqa: BLE001 - DuckDB's own message, named
                    where = {"memory_limit": MEMORY_ENV, "threads": THREADS_ENV}.get(name, name)
                    raise SetupError(f"DuckDB refused {name} = {value} ({str(exc).splitlines()[0]}); fix {where}"
                                     ) from None
        finally:
            cursor.close()

    event.listen(engine, "connect", apply)
    return engine
