"""Carrying out a :class:`~flows.request.RunRequest`: one dispatch for every source kind.

``county-budgets run`` and ``backfill`` (and anything else that wants a run) call
:func:`execute`; it picks the path by the request's source kind — the registry's portals,
a URL manifest, a folder — and by ``use_prefect``, and hands every path the same request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.collect import collect, collect_manifest, raw_store_at, reprocess
from flows.request import RunRequest
from flows.runner import RunSummary, folder_items, run_items
from load.warehouse import opened, warehouse_url


@dataclass
class RunResult:
    """The documents' outcomes plus lines worth showing beside them (crawl summary, URLs not fetched)."""

    summary: RunSummary
    notes: list[str] = field(default_factory=list)


def execute(request: RunRequest) -> RunResult:
    kind = request.source_kind
    if request.use_prefect:
        return _with_prefect(request, kind)
    from extract.collect.portal_config import load_portal_configs

    with opened(warehouse_url(request.warehouse)) as engine:
        if kind == "registry":
            configs = load_portal_configs(Path(request.portal_config) if request.portal_config else None)
            collected = collect(engine, store=raw_store_at(request.raw_store), configs=configs, request=request)
            return RunResult(collected.load, [collected.line()])
        if kind == "manifest":
            summary, failures = collect_manifest(engine, Path(request.source), request,
                                                 store=raw_store_at(request.raw_store))
            return RunResult(summary, _not_fetched(failures))
        return RunResult(run_items(engine, folder_items(request.source), request))


def _with_prefect(request: RunRequest, kind: str) -> RunResult:
    from flows import etl

    params = request.flow_parameters()
    if kind == "registry":
        collected = etl.collect_flow(**params)
        return RunResult(collected.load, [collected.line()])
    if kind == "manifest":
        summary, failures = etl.collect_manifest_flow(**params)
        return RunResult(summary, _not_fetched(failures))
    return RunResult(etl.run_flow(**params))


def reprocess_store(request: RunRequest) -> RunResult:
    """``backfill --reprocess``: every stored document again with today's parser, no network."""
    with opened(warehouse_url(request.warehouse)) as engine:
        return RunResult(reprocess(engine, raw_store_at(request.raw_store), request))


def _not_fetched(failures) -> list[str]:
    return [f"not fetched: {f.url} — {f.reason}" for f in failures]
