"""Helpers for revisions: create tables and add columns exactly as ``schemas`` declares them.

Revision 0001 creates tables from today's definitions, so on a fresh warehouse a later
revision finds its columns already there. Each step is therefore idempotent: a table
is created only when missing, a column added only when the table lacks it. Revisions
name what they add; the definitions stay in :mod:`schemas` alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateColumn, CreateTable

from load.backends import backend_of
from load.duckdb_settings import MIGRATION_MEMORY
from schemas import table
from schemas.base import WRITER_KEYED


def create_tables(bind: Connection, names: list[str]) -> None:
    for name in names:
        table(name).create(bind, checkfirst=True)


def drop_tables(bind: Connection, names: list[str]) -> None:
    for name in reversed(names):
        table(name).drop(bind, checkfirst=True)


def live_columns(bind: Connection, name: str) -> set[str]:
    """Columns the live table has, as the bind's backend lists them (:meth:`load.backends.base.Backend.live_columns`)."""
    return backend_of(bind).live_columns(bind, name)


def add_missing_columns(bind: Connection, name: str, columns: list[str]) -> list[str]:
    """``ALTER TABLE … ADD COLUMN`` for each of ``columns`` the live table lacks; returns those added."""
    present = live_columns(bind, name)
    added = []
    for column_name in columns:
        if column_name in present:
            continue
        column = table(name).c[column_name]
        ddl = CreateColumn(column).compile(dialect=bind.dialect)
        bind.exec_driver_sql(f'ALTER TABLE "{name}" ADD COLUMN {ddl}')
        added.append(column_name)
    return added


def drop_columns(bind: Connection, name: str, columns: list[str]) -> None:
    """``ALTER TABLE … DROP COLUMN`` for each of ``columns`` the live table has. DuckDB alters no table an
    index depends on: the table's indexes are dropped first and built again after."""
    doomed = [c for c in columns if c in live_columns(bind, name)]
    if not doomed:
        return
    rebuilt = duckdb_indexes(bind, name, present=False)
    for column_name in doomed:
        bind.exec_driver_sql(f'ALTER TABLE "{name}" DROP COLUMN "{column_name}"')
    if rebuilt:
        duckdb_indexes(bind, name, present=True)


def add_missing_columns_of(bind: Connection, columns: dict[str, list[str]]) -> None:
    """:func:`add_missing_columns` for each table of ``{table: [column, …]}`` (a revision's COLUMNS)."""
    for name, names in columns.items():
        add_missing_columns(bind, name, names)


def drop_columns_of(bind: Connection, columns: dict[str, list[str]]) -> None:
    """:func:`drop_columns` for each table of ``{table: [column, …]}`` (a revision's downgrade)."""
    for name, names in columns.items():
        drop_columns(bind, name, names)


def duckdb_has_primary_key(bind: Connection, name: str) -> bool:
    """Whether the live DuckDB table ``name`` has a PRIMARY KEY constraint."""
    return bool(bind.exec_driver_sql(
        "SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
        (name,)).scalar())


def set_duckdb_key(bind: Connection, name: str, *, keyed: bool) -> bool:
    """On DuckDB, rebuild table ``name`` with (``keyed``) or without its PRIMARY KEY when the live table
    differs; returns whether it was rebuilt (never on another dialect). DuckDB cannot drop or add a
    table's key in place, so the rows are copied into a table made from ``schemas`` (the columns both
    have, by name), the old one dropped and the new one renamed, in the caller's transaction. The views
    name the table, not its storage: DuckDB binds them when they are queried."""
    if bind.dialect.name != "duckdb" or duckdb_has_primary_key(bind, name) == keyed:
        return False
    rebuilt = table(name).to_metadata(MetaData(), name=f"{name}__rebuilt")
    if keyed:
        rebuilt.info.pop(WRITER_KEYED, None)
    live = live_columns(bind, name)
    columns = ", ".join(f'"{c.name}"' for c in rebuilt.columns if c.name in live)
    bind.execute(CreateTable(rebuilt))
    bind.exec_driver_sql(f'INSERT INTO "{rebuilt.name}" ({columns}) SELECT {columns} FROM "{name}"')
    bind.exec_driver_sql(f'DROP TABLE "{name}"')
    bind.exec_driver_sql(f'ALTER TABLE "{rebuilt.name}" RENAME TO "{name}"')
    return True


def duckdb_indexes(bind: Connection, name: str, *, present: bool) -> list[str]:
    """On DuckDB, create (``present``) or drop the indexes ``schemas`` declares on table ``name`` where the
    live table differs; returns their names. (The document facts' indexes are DuckDB's alone:
    ``Index(…).ddl_if(dialect="duckdb")``.)"""
    if bind.dialect.name != "duckdb":
        return []
    live = set(bind.exec_driver_sql("SELECT index_name FROM duckdb_indexes() WHERE table_name = ?", (name,)).scalars())
    changed = []
    for index in table(name).indexes:
        if (index.name in live) == present:
            continue
        if present:
            index.create(bind)
        else:
            index.drop(bind)
        changed.append(index.name)
    return changed


@contextmanager
def roomy(bind: Connection) -> Iterator[Connection]:
    """On DuckDB, :data:`load.duckdb_settings.MIGRATION_MEMORY` for the block (rebuilding a table with its
    key, or an index over every row, needs more than the 512 MB the tool sets), then the limit it had;
    elsewhere nothing."""
    if bind.dialect.name != "duckdb":
        yield bind
        return
    before = bind.exec_driver_sql("SELECT current_setting('memory_limit')").scalar()
    bind.exec_driver_sql(f"SET memory_limit = '{MIGRATION_MEMORY}'")
    try:
        yield bind
    finally:
        bind.exec_driver_sql(f"SET memory_limit = '{before}'")
