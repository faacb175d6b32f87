"""The warehouse URL: where it comes from, what it may be, and how it is shown and handed on.

The URL comes from ``--warehouse``, else ``COUNTY_BUDGETS_WAREHOUSE``, else a DuckDB file in the
working directory. Its scheme picks the backend (:mod:`load.backends`): DuckDB
(``duckdb:///path``) or PostgreSQL (``postgresql+psycopg://user@host/db``; ``postgresql://`` and
``postgres://`` mean the same driver). Every refusal is a :class:`~schemas.errors.SetupError` naming the problem and the fix,
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

import os
import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from load.backends import backend_named, supported
from load.backends.duckdb import duckdb_file  # noqa: F401  (re-exported: a DuckDB URL's file)
from schemas.errors import SetupError
from schemas.redact import mask_url

DEFAULT_URL = "duckdb:///warehouse.duckdb"
ENV_VAR = "COUNTY_BUDGETS_WAREHOUSE"
PASSWORD_ENV = "PGPASSWORD"  # libpq's own: psycopg reads it when the URL holds no password
SUPPORTED = supported()  # "use duckdb:///path/to/warehouse.duckdb or postgresql+psycopg://…"
_PORT = re.compile(r"^[^:/]+://(?:[^@/]*@)?[^:/?#@]*:(?P<port>[^/?#@]*)(?:[/?#]|$)")


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
    """The URL to connect with, checked and completed by its backend (``postgresql://`` means the
    psycopg 3 driver); SetupError naming the supported URLs for a scheme no backend serves."""
    resolved = warehouse_url(url).strip()
    parsed = _parsed(resolved)
    scheme = parsed.drivername.partition("+")[0]
    try:
        backend = backend_named(scheme)
    except SetupError:
        raise SetupError(f"unsupported warehouse {parsed.drivername!r} in {mask_url(resolved)!r}: {SUPPORTED}") from None
    return backend.normalized_url(parsed, resolved)


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
