"""Dialect-specific bulk paths behind one small interface.

SQLAlchemy owns DDL and the transaction; rows travel the fast native way inside that
same transaction: DuckDB reads an Arrow table registered on the connection, PostgreSQL
takes ``COPY … FROM STDIN``. Row-by-row executemany into DuckDB is ~100× slower.
Shared dimensions are inserted only where their key is new (``ON CONFLICT DO NOTHING``,
which both dialects speak), so two documents never fight over a region row.
"""

from __future__ import annotations

from typing import Protocol

import polars as pl
from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection


class BulkWriter(Protocol):
    def insert(self, connection: Connection, table: Table, frame: pl.DataFrame) -> int: ...


def _columns(table: Table) -> list[str]:
    return list(table.columns.keys())


class DuckDBWriter:
    def insert(self, connection: Connection, table: Table, frame: pl.DataFrame) -> int:
        if frame.is_empty():
            return 0
        raw = connection.connection.driver_connection
        view = f"_bulk_{table.name}"
        columns = ", ".join(f'"{c}"' for c in _columns(table))
        raw.register(view, frame.select(_columns(table)).to_arrow())
        try:
            raw.execute(f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM {view}')
        finally:
            raw.unregister(view)
        return frame.height


class PostgresWriter:
    def insert(self, connection: Connection, table: Table, frame: pl.DataFrame) -> int:
        if frame.is_empty():
            return 0
        raw = connection.connection.driver_connection
        columns = ", ".join(f'"{c}"' for c in _columns(table))
        with raw.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                for row in frame.select(_columns(table)).iter_rows():
                    copy.write_row(row)
        return frame.height


class GenericWriter:
    """Any other SQLAlchemy dialect: correct, not fast."""

    def insert(self, connection: Connection, table: Table, frame: pl.DataFrame) -> int:
        if frame.is_empty():
            return 0
        connection.execute(table.insert(), frame.select(_columns(table)).to_dicts())
        return frame.height


def writer_for(connection: Connection) -> BulkWriter:
    name = connection.dialect.name
    if name == "duckdb":
        return DuckDBWriter()
    if name == "postgresql":
        return PostgresWriter()
    return GenericWriter()


def insert_missing(connection: Connection, table: Table, frame: pl.DataFrame) -> None:
    """Insert dimension rows whose primary key is not there yet (the first row of a key wins).

    DuckDB reads them as Arrow in one statement (row by row, a document's projects and
    indicators cost a third of its load); other dialects take ``INSERT … ON CONFLICT DO NOTHING``."""
    if frame.is_empty():
        return
    keys = [c.name for c in table.primary_key.columns]
    if connection.dialect.name == "duckdb":
        raw = connection.connection.driver_connection
        view, columns = f"_missing_{table.name}", ", ".join(f'"{c}"' for c in _columns(table))
        raw.register(view, frame.unique(keys, keep="first", maintain_order=True).select(_columns(table)).to_arrow())
        try:
            raw.execute(f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM {view} ON CONFLICT DO NOTHING')
        finally:
            raw.unregister(view)
        return
    statement = pg_insert(table).on_conflict_do_nothing(index_elements=keys)
    connection.execute(statement, frame.select(_columns(table)).to_dicts())
