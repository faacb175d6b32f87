"""The warehouse backends: one module per SQLAlchemy dialect, chosen from the URL or the engine.

Each module of this package but ``base`` defines ``BACKEND``, an instance of
:class:`load.backends.base.Backend`; adding a database is adding one module. A URL or an engine
of a dialect no module serves is refused with a :class:`~schemas.errors.SetupError` that names
the dialect and the supported URLs — never served by another dialect's SQL.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from sqlalchemy.engine import Connection, Engine

from load.backends.base import Backend
from schemas.errors import SetupError


@cache
def backends() -> tuple[Backend, ...]:
    """Every backend of the package, in module-name order."""
    found = []
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if module != "base":
            found.append(importlib.import_module(f"{__name__}.{module}").BACKEND)
    return tuple(found)


def supported() -> str:
    """The URLs a person may give, for messages: ``use duckdb:///… or postgresql+psycopg://…``."""
    return "use " + " or ".join(b.example for b in backends())


def backend_named(name: str) -> Backend:
    """The backend of a dialect name or URL scheme (``postgres`` is ``postgresql``); SetupError for none."""
    for backend in backends():
        if name == backend.name or name in backend.aliases:
            return backend
    raise SetupError(f"no warehouse backend for the dialect {name!r}: {supported()}")


def backend_of(bind: Engine | Connection) -> Backend:
    """The backend of an engine's or a connection's dialect; SetupError when no module serves it."""
    return backend_named(bind.dialect.name)


def backend_for(url: str) -> Backend:
    """The backend of a URL's scheme (``postgresql+psycopg://…`` → PostgreSQL); SetupError for none."""
    return backend_named(url.partition("://")[0].partition("+")[0])
