"""Helpers for revisions: create tables and add columns exactly as ``schemas`` declares them.

Revision 0001 creates tables from today's definitions, so on a fresh warehouse a later
revision finds its columns already there. Each step is therefore idempotent: a table
is created only when missing, a column added only when the table lacks it. Revisions
name what they add; the definitions stay in :mod:`schemas` alone.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateColumn

from load.backends import backend_of
from schemas import table


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
    present = live_columns(bind, name)
    for column_name in columns:
        if column_name in present:
            bind.exec_driver_sql(f'ALTER TABLE "{name}" DROP COLUMN "{column_name}"')


def add_missing_columns_of(bind: Connection, columns: dict[str, list[str]]) -> None:
    """:func:`add_missing_columns` for each table of ``{table: [column, …]}`` (a revision's COLUMNS)."""
    for name, names in columns.items():
        add_missing_columns(bind, name, names)


def drop_columns_of(bind: Connection, columns: dict[str, list[str]]) -> None:
    """:func:`drop_columns` for each table of ``{table: [column, …]}`` (a revision's downgrade)."""
    for name, names in columns.items():
        drop_columns(bind, name, names)
