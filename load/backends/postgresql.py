"""PostgreSQL (``postgresql+psycopg://user@host:5432/database``; ``postgresql://`` and ``postgres://``
mean the same driver): a server several runs may write to at once.

Rows travel by ``COPY … FROM STDIN``; dimension rows whose key is new by ``INSERT … ON CONFLICT DO
NOTHING``. Writers of one document take transaction-scoped advisory locks on its keys, and a block
several processes must not run at once (migrating, rebuilding the conformed tables) a session
advisory lock.
"""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import Table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError

from load.backends.base import Backend, columns_of, lock_key, quoted_columns
from schemas.errors import SetupError
from schemas.redact import mask_url

if TYPE_CHECKING:
    import polars as pl


class PostgreSQLBackend(Backend):
    name = "postgresql"
    aliases = ("postgres",)
    example = "postgresql+psycopg://user@host:5432/database"

    def normalized_url(self, parsed: URL, resolved: str) -> str:
        """The psycopg 3 driver (``postgresql://`` means it); SetupError for another driver or none installed."""
        driver = parsed.drivername.partition("+")[2]
        if driver not in ("", "psycopg"):
            raise SetupError(f"warehouse driver {parsed.drivername!r} is not installed: use postgresql+psycopg://…")
        if importlib.util.find_spec("psycopg") is None:
            raise SetupError("a PostgreSQL warehouse needs the psycopg driver, which is not installed: "
                             "pip install -e '.[postgres]' (or pip install 'psycopg[binary]')")
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)

    def refusal(self, engine: Engine, exc: BaseException, message: str, waited_s: float) -> str | None:
        if not isinstance(exc, DBAPIError):
            return None
        return (f"cannot connect to the PostgreSQL warehouse at {engine.url.host}:{engine.url.port or 5432}/"
                f"{engine.url.database}: {mask_url(message)}. Start the server or fix --warehouse (user, host, port, "
                "database)")

    @contextmanager
    def serialized(self, engine: Engine, key: int) -> Iterator[None]:
        """A session advisory lock on ``key``, held on its own connection."""
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                connection.commit()

    def lock_document(self, connection: Connection, *keys: str) -> None:
        for key in sorted({lock_key(k) for k in keys if k}):
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

    def insert(self, connection: Connection, table: Table, frame: pl.DataFrame) -> int:
        if frame.is_empty():
            return 0
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({quoted_columns(table)}) FROM STDIN') as copy:
                for row in frame.select(columns_of(table)).iter_rows():
                    copy.write_row(row)
        return frame.height

    def insert_missing(self, connection: Connection, table: Table, frame: pl.DataFrame) -> None:
        if frame.is_empty():
            return
        keys = [c.name for c in table.primary_key.columns]
        statement = pg_insert(table).on_conflict_do_nothing(index_elements=keys)
        connection.execute(statement, frame.select(columns_of(table)).to_dicts())

    def view_comments(self, connection: Connection) -> dict[str, str | None]:
        rows = connection.execute(text(
            "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND n.nspname = current_schema()"))
        return {name: comment for name, comment in rows}


BACKEND = PostgreSQLBackend()
