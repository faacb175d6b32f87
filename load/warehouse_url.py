"""The warehouse URL: where it comes from, what it may be, and how it is shown and handed on.

The URL comes from ``--warehouse``, else ``COUNTY_BUDGETS_WAREHOUSE``, else a DuckDB file in the
working directory. Two backends are supported: DuckDB (``duckdb:///path``) and PostgreSQL
(``postgresql+psycopg://user@host/db``; ``postgresql://`` and ``postgres://`` mean the same
driver). Every refusal is a :class:`~schemas.errors.SetupError` naming the problem and the fix,
and shows the URL through :func:`schemas.redact.mask_url` (the password as ``***``).

A DuckDB file is never created in a folder that does not exist: ``duckdb:///data/x.duckdb``
(three slashes) is ``./data/x.duckdb``, relative to the current folder, and a missing ``./data``
is refused with the absolute path it resolved to, where creating it would hide a typo for
``duckdb:////data/x.duckdb`` (four slashes: ``/data/x.duckdb``).

A password leaves the URL before it is handed to anything that records it (Prefect's flow-run
and deployment parameters): :func:`without_password` splits it off, and libpq takes it from the
environment instead (``PGPASSWORD``, or ``~/.pgpass``), where psycopg looks for it by itself.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from schemas.errors import SetupError
from schemas.redact import mask_url

DEFAULT_URL = "duckdb:///warehouse.duckdb"
ENV_VAR = "COUNTY_BUDGETS_WAREHOUSE"
PASSWORD_ENV = "PGPASSWORD"  # libpq's own: psycopg reads it when the URL holds no password
SUPPORTED = "use duckdb:///path/to/warehouse.duckdb or postgresql+psycopg://user@host:5432/database"
_PORT = re.compile(r"^[^:/]+://(?:[^@/]*@)?[^:/?#]*:(?P<port>[^/?#]*)")


def warehouse_url(url: str | None = None) -> str:
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


def _parsed(resolved: str) -> URL:
    port = _PORT.match(resolved)
    if port and port["port"] and not port["port"].isdigit():
        raise SetupError(f"cannot parse the warehouse URL {mask_url(resolved)!r}: its port {port['port']!r} is "
                         f"not a number; {SUPPORTED}")
    try:
        parsed = make_url(resolved)
    except (ArgumentError, ValueError):
        raise SetupError(f"cannot parse the warehouse URL {mask_url(resolved)!r}: {SUPPORTED}") from None
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise SetupError(f"the warehouse URL {mask_url(resolved)!r} names port {parsed.port}, outside 1–65535; "
                         f"fix --warehouse ({SUPPORTED})")
    return parsed


def normalized_url(url: str | None = None) -> str:
    """The URL to connect with: checked, with ``postgresql://`` meaning the psycopg 3 driver."""
    resolved = warehouse_url(url).strip()
    parsed = _parsed(resolved)
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise SetupError(f"warehouse driver {parsed.drivername!r} is not installed: use postgresql+psycopg://…")
        if importlib.util.find_spec("psycopg") is None:
            raise SetupError("a PostgreSQL warehouse needs the psycopg driver, which is not installed: "
                             "pip install -e '.[postgres]' (or pip install 'psycopg[binary]')")
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend != "duckdb":
        raise SetupError(f"unsupported warehouse {parsed.drivername!r} in {mask_url(resolved)!r}: {SUPPORTED}")
    return resolved


def duckdb_file(resolved: str, *, read_only: bool) -> Path | None:
    """The DuckDB file a normalized URL names (None for ``:memory:``), checked: its folder must exist;
    read-only, the file itself too."""
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


def without_password(url: str | None) -> tuple[str | None, str | None]:
    """``(the URL without its password, the password)``: what may be recorded, and what may not."""
    if url is None:
        return None, None
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return url, None  # refused with its reason when opened
    if parsed.password is None:
        return url, None
    bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
    return bare.render_as_string(hide_password=False), str(parsed.password)


def hand_password_on(url: str | None) -> str | None:
    """The URL without its password, the password moved to :data:`PASSWORD_ENV` of this process,
    where psycopg finds it (and a flow run this process starts or serves inherits it)."""
    bare, password = without_password(url)
    if password is not None:
        os.environ[PASSWORD_ENV] = password
    return bare
