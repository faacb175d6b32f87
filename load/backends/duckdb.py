"""DuckDB (``duckdb:///path/to/warehouse.duckdb``): one file, one writing process.

A file is never created in a folder that does not exist (:func:`duckdb_file`). Rows travel as Arrow
tables registered on the connection (row-by-row executemany into DuckDB is ~100× slower); the file's
own lock keeps out a second writer, so documents and blocks need no locks of their own.
"""

from __future__ import annotations

import re
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Table, text
from sqlalchemy.engine import URL, Connection, Engine

from load.backends.base import Backend, columns_of, quoted_columns
from schemas.errors import SetupError

if TYPE_CHECKING:
    import polars as pl

LOCK_WAIT_ENV = "COUNTY_BUDGETS_LOCK_WAIT"
_LOCKED = re.compile(r"Could not set lock on file|Conflicting lock is held", re.I)


def duckdb_file(resolved: str, *, read_only: bool) -> Path | None:
    """The DuckDB file a normalized URL names (None for ``:memory:``), checked: its folder must exist;
    read-only, the file itself too. SetupError names the absolute path it resolved to."""
    path = resolved.removeprefix("duckdb:///")
    if not path or path == ":memory:":
        return None
    file = Path(path).expanduser()
    where = f"{resolved} names {file.absolute()}"
    slashes = "" if file.is_absolute() else (": after duckdb:// three slashes begin a path relative to the current "
                                             f"folder, four an absolute one (duckdb:////{path})")
    if read_only and not file.is_file():
        raise SetupError(f"no warehouse file at {file.absolute()} ({where}{slashes}): load documents first "
                         "(county-budgets run --source …) or point --warehouse at an existing one")
    if not file.parent.is_dir():
        raise SetupError(f"the folder of the warehouse file does not exist: {file.parent.absolute()} ({where}"
                         f"{slashes}). Create the folder first, or fix --warehouse")
    return file


class DuckDBBackend(Backend):
    name = "duckdb"
    example = "duckdb:///path/to/warehouse.duckdb"

    def normalized_url(self, parsed: URL, resolved: str) -> str:
        return resolved

    def connect_args(self, resolved: str, *, read_only: bool) -> dict:
        """``read_only`` opens an existing file without its write lock; the folder is checked either way."""
        if resolved.startswith("duckdb:///") and duckdb_file(resolved, read_only=read_only) and read_only:
            return {"read_only": True}
        return {}

    def busy(self, message: str) -> bool:
        return bool(_LOCKED.search(message))

    def refusal(self, engine: Engine, exc: BaseException, message: str, waited_s: float) -> str | None:
        if not self.busy(message):
            return None
        return (f"the warehouse file {engine.url.database} is in use by another process ({message}); waited "
                f"{waited_s:g} s. Let that run finish, or close the program holding it (a DuckDB session, DBeaver, "
                f"a notebook); analysts can query a copy. --lock-wait (or {LOCK_WAIT_ENV}) sets how long to wait")

    def _from_arrow(self, connection: Connection, table: Table, frame: pl.DataFrame, view: str, tail: str) -> None:
        raw = connection.connection.driver_connection
        columns = quoted_columns(table)
        raw.register(view, frame.select(columns_of(table)).to_arrow())
        try:
            raw.execute(f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM {view}{tail}')
        except Exception:
            # the refusal is what the caller must see: unregistering in the aborted transaction fails too
            # ("Current transaction is aborted"), and raised from here it would hide the reason
            with suppress(Exception):
                raw.unregister(view)
            raise
        raw.unregister(view)

    def insert(self, connection: Connection, table: Table, frame: pl.DataFrame) -> int:
        if frame.is_empty():
            return 0
        self._from_arrow(connection, table, frame, f"_bulk_{table.name}", "")
        return frame.height

    def insert_missing(self, connection: Connection, table: Table, frame: pl.DataFrame) -> None:
        """One statement over Arrow (row by row, a document's projects and indicators cost a third of its load),
        for the rows whose key the table lacks. A table with a one-column key is asked first which of the
        frame's keys it has: a document's region, year and department are there already but for the first
        document of each, and asking (0.3 ms, a list of constants) costs a tenth of an INSERT … ON CONFLICT DO
        NOTHING that inserts nothing (about 5 ms a statement, three to five a document)."""
        if frame.is_empty():
            return
        keys = [c.name for c in table.primary_key.columns]
        frame = frame.unique(keys, keep="first", maintain_order=True)
        if len(keys) == 1:
            frame = _without_keys(connection, table.name, keys[0], frame)
            if frame.is_empty():
                return
        self._from_arrow(connection, table, frame, f"_missing_{table.name}", " ON CONFLICT DO NOTHING")

    def view_comments(self, connection: Connection) -> dict[str, str | None]:
        rows = connection.execute(text("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal"))
        return {name: comment for name, comment in rows}


def _without_keys(connection: Connection, table: str, key: str, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` without the rows whose ``key`` the table has (NULL keys kept: the insert refuses them)."""
    wanted = frame.get_column(key).drop_nulls().unique().to_list()
    if not wanted:
        return frame
    raw = connection.connection.driver_connection
    marks = ", ".join("?" * len(wanted))  # a list of constants: answered from the key's index
    query = f'SELECT "{key}" FROM "{table}" WHERE "{key}" IN ({marks})'
    found = {row[0] for row in raw.execute(query, wanted).fetchall()}
    if not found:
        return frame
    import polars as pl

    return frame.filter(~pl.col(key).is_in(list(found)) | pl.col(key).is_null())


BACKEND = DuckDBBackend()
