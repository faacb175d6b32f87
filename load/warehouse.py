"""Opening the warehouse and bringing its schema up to date.

Which URL, what it may be and how it is shown: :mod:`load.warehouse_url`. A server that
cannot be reached, a DuckDB file another process holds or a damaged file is a
:class:`~schemas.errors.SetupError` whose one-line message names the problem and the fix.

A DuckDB file admits one writing process: the first connection takes its lock and the
engine keeps it until ``opened`` closes, so a second run waits up to ``lock_wait_s``
seconds for the first to finish, then refuses. On PostgreSQL, migrations run under an
advisory lock, so two runs starting on a fresh database do not both create tables.

Migrations are alembic revisions shipped inside the package (``load/migrations``) and
run by the tool itself on every start, so a user never runs alembic by hand; views are
derived, never stored: they are re-created when their compiled SQL or the schema revision
changed (a fingerprint kept as each view's comment), and left alone otherwise.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import NoSuchModuleError

import schemas
from load.backends import backend_for, backend_of
from load.backends.duckdb import LOCK_WAIT_ENV
from load.warehouse_url import (  # noqa: F401  (re-exported: the URL's one home is load.warehouse_url)
    DEFAULT_URL, ENV_VAR, SUPPORTED, duckdb_file, normalized_url, warehouse_url,
)
from load.duckdb_settings import tune
from schemas.errors import SetupError
from schemas.public import PUBLIC_VIEWS as VIEWS
from schemas.redact import mask_url

DEFAULT_LOCK_WAIT_S = 30.0
MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK_KEY = 2260_0001  # pg_advisory_lock key held while one process migrates
REFRESH_LOCK_KEY = 2260_0002  # … while one process rebuilds the conformed tables
_DAMAGED = re.compile(r"Corrupt database file|checksum|Could not read enough bytes|not a valid DuckDB database"
                      r"|database file .* is (?:corrupt|truncated)", re.I)


def connect(url: str | None = None, *, read_only: bool = False) -> Engine:
    """An engine for the URL (not yet connected). ``read_only`` opens a DuckDB file without its
    write lock (an analyst's session may stay open); the file must exist then. A DuckDB file's
    folder must exist (:func:`load.warehouse_url.duckdb_file`): it is never created."""
    resolved = normalized_url(url)
    connect_args = backend_for(resolved).connect_args(resolved, read_only=read_only)
    try:
        engine = create_engine(resolved, connect_args=connect_args)
        return tune(engine) if engine.dialect.name == "duckdb" else engine  # flat memory (load.duckdb_settings)
    except NoSuchModuleError as exc:
        raise SetupError(f"cannot use the warehouse URL {mask_url(resolved)!r} ({exc}): {SUPPORTED}") from None


def damage(exc: BaseException, where: str = "warehouse file") -> str | None:
    """The one-line explanation when ``exc`` says the warehouse file is damaged (a checksum that does
    not match, a file cut short), else None."""
    message = _first_line(exc)
    if not _DAMAGED.search(message):
        return None
    return (f"the {where} is damaged ({message}). Restore it from a backup, or point --warehouse at a new file "
            "and load the documents again (their folders and the raw store are untouched)")


def lock_wait_seconds() -> float:
    return float(os.environ.get(LOCK_WAIT_ENV) or DEFAULT_LOCK_WAIT_S)


_SAME_PROCESS = re.compile(r"same database file with a different configuration")


def _first_line(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc
    return (str(inner).strip().splitlines() or [type(inner).__name__])[0]


def check_connection(engine: Engine, lock_wait_s: float | None = None) -> None:
    """Connect once (keeping the connection pooled, so a DuckDB file stays ours), or raise SetupError.

    A DuckDB file locked by another process is retried for ``lock_wait_s`` seconds.
    """
    wait = lock_wait_seconds() if lock_wait_s is None else lock_wait_s
    deadline = time.monotonic() + wait
    backend = backend_of(engine)
    while True:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return
        except Exception as exc:  # noqa: BLE001 - every driver's way of refusing becomes one clear line
            message = _first_line(exc)
            if backend.busy(message) and time.monotonic() < deadline:
                time.sleep(0.25)
                continue
            refused = backend.refusal(engine, exc, message, wait)
            if refused:
                raise SetupError(refused) from exc
            damaged = damage(exc, f"warehouse file {engine.url.database}")
            if damaged:
                raise SetupError(damaged) from exc
            raise SetupError(f"cannot open the warehouse {mask_url(engine.url.render_as_string())}: {message}. "
                             f"Fix --warehouse ({SUPPORTED})") from exc


@contextmanager
def opened(url: str | None = None, *, migrate: bool = True, lock_wait_s: float | None = None,
           read_only: bool = False) -> Iterator[Engine]:
    """An engine that is checked and migrated on open and disposed on close. ``read_only``
    (query commands) neither migrates nor takes a DuckDB file's write lock: see :func:`is_current`."""
    engine = connect(url, read_only=read_only)
    try:
        try:
            check_connection(engine, lock_wait_s)
        except SetupError as exc:
            if not (read_only and _SAME_PROCESS.search(str(exc))):
                raise
            # this process already holds the file for writing (a library user, a test): share that
            engine.dispose()
            engine = connect(url)
            check_connection(engine, lock_wait_s)
        if migrate and not read_only:
            ensure_schema(engine)
        yield engine
    finally:
        engine.dispose()


def is_current(engine: Engine) -> bool:
    """True when the warehouse's schema is at this version's head revision (a read-only open can
    query it as it is); False for a new file or one an older version wrote."""
    head = head_revision()
    with engine.connect() as connection:
        has_version = connection.execute(text(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'alembic_version'")).scalar()
        if not has_version:
            return False
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head


_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*(?:"([^"]*)"|None)\s*$', re.M)


def head_revision() -> str:
    """The newest revision of ``load/migrations/versions``: the one no other revision names as its
    ``down_revision``. Read from the revision files' two assignments, without importing alembic (whose
    import costs a run's start a quarter of a second); ``tests/load/test_warehouse.py`` checks it equals
    alembic's own head."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((m.group(1), m.group(2)) for m in _REVISION.finditer(path.read_text(encoding="utf-8")))
        if found.get("revision"):
            revisions.add(found["revision"])
            parents.add(found.get("down_revision"))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"load/migrations/versions has {len(heads)} heads ({sorted(heads)}): merge them")
    return heads.pop()


def _alembic_config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def serialized(engine: Engine, key: int):
    """One process at a time runs the block (on PostgreSQL a session advisory lock on ``key``, held on
    its own connection; DuckDB has one writing process anyway): the backend's
    :meth:`~load.backends.base.Backend.serialized`."""
    return backend_of(engine).serialized(engine, key)


def ensure_schema(engine: Engine) -> None:
    """Migrate the warehouse to the head revision (alembic, under the migration lock) and re-create the
    views if their fingerprint changed. A warehouse already at the head is not handed to alembic: the
    common case of every run costs one query, not alembic's import and environment."""
    with serialized(engine, MIGRATION_LOCK_KEY):
        if not is_current(engine):
            from alembic import command

            with engine.begin() as connection:
                command.upgrade(_alembic_config(connection), "head")
        create_views(engine)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


_VIEW_SQL: dict[str, dict[str, str]] = {}  # dialect name → view name → compiled SELECT (compiling costs ~1 s)


def view_sql(engine: Engine) -> dict[str, str]:
    """Every public view's SELECT compiled for the engine's dialect, once per process."""
    name = engine.dialect.name
    if name not in _VIEW_SQL:
        _VIEW_SQL[name] = {view: str(build().compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
                           for view, build in VIEWS.items()}
    return _VIEW_SQL[name]


SCHEMAS_DIR = Path(schemas.__file__).parent


def views_fingerprint(engine: Engine, revision: str | None) -> str:
    """What the views' compiled SQL depends on, hashed: the schema revision, the dialect and
    SQLAlchemy's version, and the source of the ``schemas`` package that builds every view (a few
    ms to read, where compiling the 16 views costs about a second). Equal fingerprints, equal views."""
    digest = hashlib.sha256(f"{revision}|{engine.dialect.name}|{sqlalchemy.__version__}|"
                            f"{getattr(engine.dialect, 'server_version_info', None)}\n".encode())
    for path in sorted(SCHEMAS_DIR.rglob("*.py")):
        digest.update(path.relative_to(SCHEMAS_DIR).as_posix().encode() + b"\n" + path.read_bytes())
    return digest.hexdigest()


def create_views(engine: Engine) -> bool:
    """(Re-)create every public view unless each already carries this fingerprint (kept as the view's
    comment: ``COMMENT ON VIEW``, so it disappears with the view). An unchanged open then drops nothing —
    on PostgreSQL dropping a view waits for every query reading it. Returns True when views were made."""
    with engine.begin() as connection:
        fingerprint = views_fingerprint(engine, connection.execute(text("SELECT version_num FROM alembic_version"))
                                        .scalar())
        existing = backend_of(connection).view_comments(connection)
        if all(existing.get(name) == fingerprint for name in VIEWS):
            return False
        compiled = view_sql(engine)
        for name in reversed(list(VIEWS)):
            connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
        for name in VIEWS:
            connection.execute(text(f"CREATE VIEW {name} AS {compiled[name]}"))
            connection.execute(text(f"COMMENT ON VIEW {name} IS '{fingerprint}'"))
    return True
