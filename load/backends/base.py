"""What every warehouse backend does, behind one interface: :class:`Backend`.

The rest of ``load`` never asks which database it talks to: it asks the backend of its URL
(:func:`load.backends.backend_for`) or of its engine or connection (:func:`load.backends.backend_of`)
to check and complete the URL, connect, explain a refused connection, serialise a block across
processes, lock a document, insert rows in bulk, insert dimension rows whose key is new, read the
views' comments and list a live table's columns (for the migration helpers). One module of
``load/backends`` per SQLAlchemy dialect; its ``BACKEND`` is the instance.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import Table, text
from sqlalchemy.engine import URL, Connection, Engine

if TYPE_CHECKING:
    import polars as pl


def columns_of(table: Table) -> list[str]:
    return list(table.columns.keys())


def quoted_columns(table: Table) -> str:
    return ", ".join(f'"{c}"' for c in columns_of(table))


def lock_key(value: str) -> int:
    """A signed 64-bit key for ``value`` (the first 8 bytes of its sha256): an advisory lock's key."""
    return int.from_bytes(hashlib.sha256(value.encode("utf-8")).digest()[:8], "big", signed=True)


class Backend(ABC):
    """One SQL database as a warehouse. ``name`` is SQLAlchemy's dialect name (``engine.dialect.name``),
    ``aliases`` other URL schemes meaning it, ``example`` the URL shown in messages."""

    name: str
    aliases: tuple[str, ...] = ()
    example: str

    # ------------------------------------------------------------ the URL and the connection
    @abstractmethod
    def normalized_url(self, parsed: URL, resolved: str) -> str:
        """The URL to connect with (``parsed`` is ``resolved`` parsed); SetupError when it cannot be used."""

    def connect_args(self, resolved: str, *, read_only: bool) -> dict:
        """Driver arguments of :func:`sqlalchemy.create_engine` for a normalized URL."""
        return {}

    def busy(self, message: str) -> bool:
        """True when a refused connection's ``message`` says another process holds the warehouse for now
        (worth waiting for)."""
        return False

    def refusal(self, engine: Engine, exc: BaseException, message: str, waited_s: float) -> str | None:
        """The one-line explanation of a refused connection this backend recognises, else None."""
        return None

    # ------------------------------------------------------------ several processes at once
    @contextmanager
    def serialized(self, engine: Engine, key: int) -> Iterator[None]:
        """One process at a time runs the block (where several processes may write at once)."""
        yield

    def lock_document(self, connection: Connection, *keys: str) -> None:
        """Hold transaction-scoped locks on ``keys`` (sorted: no deadlock), where several writers may
        write one document at once; a backend with one writing process does nothing."""

    # ------------------------------------------------------------ rows
    @abstractmethod
    def insert(self, connection: Connection, table: Table, frame: pl.DataFrame) -> int:
        """Append ``frame``'s rows (columns named as ``table``'s) in the connection's transaction;
        returns the rows written."""

    @abstractmethod
    def insert_missing(self, connection: Connection, table: Table, frame: pl.DataFrame) -> None:
        """Insert the rows whose primary key the table lacks (the first row of a key in ``frame`` wins)."""

    # ------------------------------------------------------------ views and migrations
    @abstractmethod
    def view_comments(self, connection: Connection) -> dict[str, str | None]:
        """Each existing view of the current schema → its comment (None without one)."""

    def live_columns(self, bind: Connection, table_name: str) -> set[str]:
        """Columns the live table has (``information_schema``: SQLAlchemy's reflection fails on DuckDB)."""
        rows = bind.execute(text("SELECT column_name FROM information_schema.columns WHERE table_name = :t"),
                            {"t": table_name})
        return {row[0] for row in rows}
