"""Between the crawler's objects and the registry tables: ``load`` takes plain rows only.

The collect side produces :class:`~extract.collect.registry_csv.RegistryImport` and
:class:`~extract.collect.crawl.CrawlReport` objects; :mod:`load.registry` stores and
returns dicts keyed by column name. These functions translate both ways, and choose
the sources a request covers (region scope from the GB/T 2260 reference table).
"""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.engine import Engine

from extract.collect.crawl import CrawlReport, KnownDocument
from extract.collect.registry_csv import RegistryImport
from reference.regions import codes_within, region_row
from flows.request import RunRequest
from load.registry import known_documents, list_sources, write_sources
from schemas.registry import src_fetch

Source = dict  # a src_source row


def save_registry(engine: Engine, result: RegistryImport) -> int:
    """Upsert an imported registry's sources and their regions (with ancestors) in ``dim_region``."""
    return write_sources(engine, [asdict(row) for row in result.rows], [region_row(r) for r in result.regions()])


def crawl_rows(report: CrawlReport) -> dict:
    """A crawl report as the plain data :func:`load.registry.record_crawl` takes."""
    fetches = [{**{c: getattr(f, c, None) for c in src_fetch.columns.keys()}, "fetch_id": f.fetch_id}
               for f in report.fetches]
    documents = [{"url": d.url, "title": d.title, "fiscal_year": d.fiscal_year, "doc_kind": d.doc_kind,
                  "status": d.status, "reason": d.reason, "document_id": d.document_id,
                  "content_type": d.content_type, "etag": d.etag, "last_modified": d.last_modified}
                 for d in report.documents]
    return {"source_id": report.source_id, "status": report.status, "reason": report.reason,
            "finished_at": report.finished_at, "fetches": fetches, "documents": documents,
            "withdrawn": list(report.withdrawn)}


def known_for(engine: Engine, source_id: str) -> dict[str, KnownDocument]:
    """What earlier crawls saw at a source, as the crawler's conditional-request hints."""
    return {url: KnownDocument(**row) for url, row in known_documents(engine, source_id).items()}


def region_scope(region: str | None) -> frozenset[str] | None:
    """Registry codes a ``--region`` selects: the code and everything under it, or None for all."""
    return codes_within(region) if region else None


def select_sources(engine: Engine, request: RunRequest) -> list[Source]:
    """Enabled sources with a link, narrowed by the request's region (and everything under it)
    and province."""
    rows = list_sources(engine, province=request.province, region_codes=region_scope(request.region),
                        enabled_only=True)
    return [r for r in rows if r["index_url"]]
