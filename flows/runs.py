"""Carrying out a :class:`~flows.request.RunRequest`: one dispatch for every source kind.

``county-budgets run`` and ``backfill`` (and anything else that wants a run) call
:func:`execute`; it checks the set-up first (:func:`preflight`: the source exists and is
what its name says, the warehouse opens, is migrated and is not locked), so a set-up
problem is one :class:`~schemas.errors.SetupError` before any work, then picks the path
by the request's source kind — the registry's portals, a URL manifest, a folder — and by
``use_prefect``, and hands every path the same request.
"""

from __future__ import annotations

import csv
import io
import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from sqlalchemy.engine import Engine

from extract.read.decode import decode_text_file
from flows.isolation import preparer_for
from flows.request import RunRequest
from flows.runner import RunSummary, folder_items, run_items
from flows.warehouse import run_warehouse
from load.warehouse_url import hand_password_on
from schemas.errors import SetupError

_REGION_FIELDS = {"region_name", "county", "province"}


@dataclass
class RunResult:
    """The documents' outcomes plus lines worth showing beside them (crawl summary, URLs not fetched)."""

    summary: RunSummary
    notes: list[str] = field(default_factory=list)


def _csv_fields(path: Path) -> list[str]:
    try:
        text = decode_text_file(path.read_bytes(), str(path))
    except ValueError:
        return []
    first = next(csv.reader(io.StringIO(text)), [])
    from extract.collect.registry_csv import HEADERS as REGISTRY_HEADERS

    return [REGISTRY_HEADERS.get(h.strip(), h.strip()) for h in first]


def check_source(request: RunRequest) -> None:
    """SetupError unless the source exists, can be read, and is the kind of source its name says."""
    if request.source is None:
        return
    path = Path(request.source)
    if not path.exists():
        raise SetupError(f"source not found: {path}. Give an existing folder or file of disclosures, or a .csv "
                         "of document URLs (or no --source to crawl the registry's portals)")
    wanted = os.R_OK | (os.X_OK if path.is_dir() else 0)
    if not os.access(path, wanted):
        raise SetupError(f"cannot read the source {path}: permission denied for this user. Fix its permissions "
                         "or run as a user who may read it")
    if request.source_kind != "manifest":
        return
    fields = set(_csv_fields(path))
    if "index_url" in fields and fields & _REGION_FIELDS:
        raise SetupError(f"{path} is a registry of disclosure portals, not a list of document URLs. Import it with "
                         f"`county-budgets sources import {path}`, then run `county-budgets run` without --source "
                         "to crawl those portals")
    from extract.collect.manifest import read_manifest

    try:
        read_manifest(path)
    except ValueError as exc:
        raise SetupError(f"cannot use {path} as a list of document URLs: {exc}") from None


def check_engine(request: RunRequest) -> None:
    """SetupError when Dask is asked for where it does not apply."""
    if not request.dask:
        return
    if not request.use_prefect:
        raise SetupError("Dask runs through Prefect (prefect-dask): drop --no-prefect, or drop --dask/--dask-address "
                         "to prepare documents in this machine's worker processes (--workers)")
    if request.source_kind != "folder":
        raise SetupError("Dask prepares the documents of a folder source; a registry or URL-manifest run prepares "
                         "them in this machine's worker processes (--workers): drop --dask/--dask-address")


@contextmanager
def preflight(request: RunRequest) -> Iterator[Engine]:
    """Every set-up check, before any document is touched: the source, the engine, the warehouse (its URL,
    the server, the DuckDB file's lock; migrating is left to the run itself), then Prefect's API. Yields
    the warehouse, open (:func:`flows.warehouse.run_warehouse`), for the run to share."""
    check_source(request)
    check_engine(request)
    with run_warehouse(request, migrate=False) as engine:
        if request.use_prefect:  # Prefect's API answers (a running server, or the temporary one it starts)
            from flows.prefect_engine import check_api

            check_api()
        yield engine


def execute(request: RunRequest) -> RunResult:
    """The run ``request`` asks for, the warehouse opened once (the Prefect flows share it)."""
    if not request.dask:  # the workers' forkserver imports the pipeline while the set-up is checked
        getattr(preparer_for(request.limits), "warm", lambda: None)()
    with preflight(request), run_warehouse(request) as engine:
        if request.use_prefect:
            return _with_prefect(request, request.source_kind)
        return _here(engine, request)


def _here(engine: Engine, request: RunRequest) -> RunResult:
    kind = request.source_kind  # a folder run imports neither the crawler nor the fetcher
    if kind == "registry":
        from extract.collect.portal_config import load_portal_configs
        from flows.collect import collect, raw_store_at

        configs = load_portal_configs(Path(request.portal_config) if request.portal_config else None)
        collected = collect(engine, store=raw_store_at(request.raw_store), configs=configs, request=request)
        return RunResult(collected.load, [collected.line()])
    if kind == "manifest":
        from flows.collect import collect_manifest, raw_store_at

        summary, failures = collect_manifest(engine, Path(request.source), request,
                                             store=raw_store_at(request.raw_store))
        return RunResult(summary, _not_fetched(failures))
    return RunResult(run_items(engine, folder_items(request.source), request))


def _with_prefect(request: RunRequest, kind: str) -> RunResult:
    from flows import etl

    # what a flow run records carries no password: libpq finds it in the environment
    request = replace(request, warehouse=hand_password_on(request.warehouse))
    if kind == "registry":
        collected = etl.collect_flow(request)
        return RunResult(collected.load, [collected.line()])
    if kind == "manifest":
        summary, failures = etl.collect_manifest_flow(request)
        return RunResult(summary, _not_fetched(failures))
    return RunResult(etl.on_engine(etl.run_flow, request.dask, request.limits and request.limits.workers)(request))


def reprocess_store(request: RunRequest) -> RunResult:
    """``backfill --reprocess``: every stored document again with today's parser, no network."""
    from flows.collect import raw_store_at, reprocess

    with run_warehouse(request) as engine:
        return RunResult(reprocess(engine, raw_store_at(request.raw_store), request))


def _not_fetched(failures) -> list[str]:
    return [f"not fetched: {f.url} — {f.reason}" for f in failures]
