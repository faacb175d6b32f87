"""Opening the warehouse and bringing its schema up to date.

The URL comes from ``--warehouse``, else ``COUNTY_BUDGETS_WAREHOUSE``, else a DuckDB
file in the working directory. Migrations are alembic revisions shipped inside the
package (``load/migrations``) and run by the tool itself on every start, so a user
never runs alembic by hand; views are re-created after each upgrade because they are
derived, never stored.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.ddl.impl import DefaultImpl
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine

from schemas.public import PUBLIC_VIEWS as VIEWS

DEFAULT_URL = "duckdb:///warehouse.duckdb"
ENV_VAR = "COUNTY_BUDGETS_WAREHOUSE"
MIGRATIONS = Path(__file__).parent / "migrations"


class DuckDBImpl(DefaultImpl):
    """Lets alembic run against duckdb-engine, which ships no alembic dialect."""

    __dialect__ = "duckdb"
    transactional_ddl = True


def warehouse_url(url: str | None = None) -> str:
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


def connect(url: str | None = None) -> Engine:
    resolved = warehouse_url(url)
    if resolved.startswith("duckdb:///"):
        path = resolved.removeprefix("duckdb:///")
        if path and path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return create_engine(resolved)


@contextmanager
def opened(url: str | None = None, *, migrate: bool = True) -> Iterator[Engine]:
    """An engine that is migrated on open and disposed on close (DuckDB files admit one process)."""
    engine = connect(url)
    try:
        if migrate:
            ensure_schema(engine)
        yield engine
    finally:
        engine.dispose()


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def ensure_schema(engine: Engine) -> None:
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
    create_views(engine)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def create_views(engine: Engine) -> None:
    with engine.begin() as connection:
        for name in reversed(list(VIEWS)):
            connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
        for name, build in VIEWS.items():
            sql = build().compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
            connection.execute(text(f"CREATE VIEW {name} AS {sql}"))
