"""The run's warehouse: its URL resolved in one place, and opened once per run.

:func:`resolved_url` is where the URL of a run or a command comes from (``--warehouse``, else
``COUNTY_BUDGETS_WAREHOUSE``, else the DuckDB file in the working directory:
:func:`load.warehouse_url.warehouse_url`). :func:`run_warehouse` opens it (checked, then migrated)
for a run; a flow or a path of that run that asks for the same warehouse again, in the same
process, shares the engine already open instead of opening the file or the server a second time
(a Prefect flow called by ``county-budgets run`` shares the one ``execute`` opened; the same flow
started by a deployment opens its own).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.engine import Engine

from flows.request import RunRequest
from load.warehouse import ensure_schema, is_current, opened, warehouse_url
from load.warehouse_url import without_password

_OPEN: dict[str, list] = {}  # URL without its password → [the engine a run holds open, migrated yet]
_GUARD = threading.Lock()


def resolved_url(warehouse: str | None) -> str:
    """The warehouse URL a run or a command uses: ``warehouse`` if given, else the environment's, else
    the default DuckDB file."""
    return warehouse_url(warehouse)


def _key(url: str) -> str:
    return without_password(url.strip())[0] or url


@contextmanager
def run_warehouse(request: RunRequest, *, migrate: bool = True) -> Iterator[Engine]:
    """The engine of ``request``'s warehouse for the length of the block: the one this process already
    holds open for that URL (migrated first if ``migrate`` and not yet), else opened here (checked, and
    migrated unless ``migrate`` is False). SetupError as :func:`load.warehouse.opened` raises it."""
    url = resolved_url(request.warehouse)
    with _GUARD:
        shared = _OPEN.get(_key(url))
    if shared is not None:
        if migrate and not shared[1]:
            ensure_schema(shared[0])
            shared[1] = True
        yield shared[0]
        return
    with opened(url, migrate=migrate, lock_wait_s=request.lock_wait_s) as engine:
        with _GUARD:
            _OPEN[_key(url)] = [engine, migrate]
        try:
            yield engine
        finally:
            with _GUARD:
                _OPEN.pop(_key(url), None)


@contextmanager
def queried(url: str | None) -> Iterator[Engine]:
    """The warehouse opened read-only for a query command, so an analyst's DuckDB session (or a
    second query) may stay open beside it. Only a warehouse an older version wrote, or one whose
    comparison tables were never built, is first opened once for writing (migrated, refreshed:
    :func:`flows.conform.ensure_conformed`)."""
    from flows.conform import ensure_conformed
    from load.conformed import conformed_missing

    with opened(url, read_only=True) as engine:
        ready = is_current(engine) and not conformed_missing(engine)
    if not ready:
        with opened(url) as engine:
            ensure_conformed(engine)
    with opened(url, read_only=True) as engine:
        yield engine
