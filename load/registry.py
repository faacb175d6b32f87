"""Writing and reading the source registry tables (:mod:`schemas.registry`).

Plain SQLAlchemy Core that both DuckDB and PostgreSQL speak: rows are replaced by key
(delete, then insert) inside one transaction, so re-importing a registry or recording a
crawl twice never duplicates anything. Volumes are small (thousands of sources, a few
hundred fetches per source), so executemany is fast enough here; fetch records go
through the bulk writer of :mod:`load.bulk` because a nightly run makes many.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timezone
from typing import Iterable

import polars as pl
from sqlalchemy import and_, delete, select, update
from sqlalchemy.engine import Connection, Engine

from extract.collect.crawl import CrawlReport, KnownDocument
from extract.reference.regions import RegionRef
from extract.collect.registry_csv import RegistryImport, SourceRow
from load.bulk import writer_for
from schemas.frames import polars_schema
from schemas.registry import src_crawl_run, src_document_url, src_fetch, src_source
from schemas.warehouse import dim_document, dim_region

_CHUNK = 500


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def region_frame(regions: Iterable[RegionRef]) -> pl.DataFrame:
    rows = [
        {"region_code": r.code, "region_name": r.name, "level": r.level, "parent_code": r.parent_code,
         "province_name": r.province_name, "city_name": r.city_name, "county_name": r.county_name}
        for r in regions
    ]
    return pl.DataFrame(rows, schema=polars_schema(dim_region))


def write_regions(connection: Connection, regions: Iterable[RegionRef]) -> int:
    """Regions into ``dim_region`` where new (the document loader may have put some there)."""
    frame = region_frame(regions)
    existing = {r[0] for r in connection.execute(select(dim_region.c.region_code))}
    frame = frame.filter(~pl.col("region_code").is_in(list(existing)))
    return writer_for(connection).insert(connection, dim_region, frame)


def write_sources(engine: Engine, result: RegistryImport, imported_at: datetime | None = None) -> int:
    """Upsert the imported sources (crawl status of existing rows is kept)."""
    imported_at = imported_at or datetime.now(timezone.utc)
    with engine.begin() as connection:
        write_regions(connection, result.regions())
        ids = [r.source_id for r in result.rows]
        previous = {}
        for chunk in _chunks(ids):
            for row in connection.execute(
                select(src_source.c.source_id, src_source.c.last_crawl_status, src_source.c.last_crawl_at,
                       src_source.c.last_crawl_reason).where(src_source.c.source_id.in_(chunk))
            ):
                previous[row.source_id] = row._asdict()
            connection.execute(delete(src_source).where(src_source.c.source_id.in_(chunk)))
        rows = [_source_dict(r, imported_at, previous.get(r.source_id)) for r in result.rows]
        writer_for(connection).insert(connection, src_source, pl.DataFrame(rows, schema=_SOURCE_SCHEMA))
    return len(rows)


_SOURCE_SCHEMA = polars_schema(src_source)


def _source_dict(row: SourceRow, imported_at: datetime, previous: dict | None) -> dict:
    data = asdict(row)
    data["imported_at"] = imported_at
    keep = previous or {}
    for col in ("last_crawl_status", "last_crawl_at", "last_crawl_reason"):
        data[col] = keep.get(col)
    return data


def list_sources(
    engine: Engine,
    *,
    province: str | None = None,
    region_code: str | None = None,
    enabled_only: bool = False,
) -> list[dict]:
    """Sources ordered by region code; ``region_code`` also matches everything under it."""
    query = select(src_source).order_by(src_source.c.region_code, src_source.c.region_name)
    if province:
        query = query.where(src_source.c.province_name == province)
    if region_code:
        prefix = region_code.rstrip("0") if region_code.endswith("00") else region_code
        query = query.where(src_source.c.region_code.like(prefix + "%"))
    if enabled_only:
        query = query.where(src_source.c.enabled.is_(True))
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def known_documents(engine: Engine, source_id: str) -> dict[str, KnownDocument]:
    """What earlier crawls saw at this source and the portal has not withdrawn."""
    query = select(src_document_url).where(
        and_(src_document_url.c.source_id == source_id, src_document_url.c.withdrawn_at.is_(None))
    )
    with engine.connect() as connection:
        return {
            r.url: KnownDocument(r.document_id, r.etag, r.last_modified, r.fiscal_year)
            for r in connection.execute(query)
            if r.document_id
        }


def record_crawl(engine: Engine, report: CrawlReport) -> None:
    """Fetch records, document URLs (seen / changed / withdrawn) and the source's status."""
    now = report.finished_at or datetime.now(timezone.utc)
    with engine.begin() as connection:
        _write_fetches(connection, report)
        for doc in report.documents:
            _upsert_document_url(connection, report.source_id, doc, now)
        for url in report.withdrawn:
            connection.execute(
                update(src_document_url)
                .where(and_(src_document_url.c.source_id == report.source_id, src_document_url.c.url == url))
                .values(withdrawn_at=now)
            )
        connection.execute(
            update(src_source).where(src_source.c.source_id == report.source_id).values(
                last_crawl_status=report.status, last_crawl_at=now, last_crawl_reason=report.reason,
            )
        )


def _write_fetches(connection: Connection, report: CrawlReport) -> None:
    rows = []
    for f in report.fetches:
        row = {c: getattr(f, c, None) for c in src_fetch.columns.keys()}
        row["fetch_id"] = f.fetch_id
        row["source_id"] = report.source_id
        rows.append(row)
    if not rows:
        return
    ids = [r["fetch_id"] for r in rows]
    for chunk in _chunks(ids):
        connection.execute(delete(src_fetch).where(src_fetch.c.fetch_id.in_(chunk)))
    frame = pl.DataFrame(rows, schema=_FETCH_SCHEMA)
    writer_for(connection).insert(connection, src_fetch, frame)


_FETCH_SCHEMA = polars_schema(src_fetch)


def _upsert_document_url(connection: Connection, source_id: str, doc, now: datetime) -> None:
    key = and_(src_document_url.c.source_id == source_id, src_document_url.c.url == doc.url)
    old = connection.execute(select(src_document_url).where(key)).first()
    values = {"title": doc.title, "fiscal_year": doc.fiscal_year, "doc_kind": doc.doc_kind,
              "last_seen": now, "withdrawn_at": None}
    if doc.status == "failed":
        values["last_error"] = doc.reason
    else:
        values.update(document_id=doc.document_id, content_type=doc.content_type, etag=doc.etag,
                      last_modified=doc.last_modified, last_error=None)
        if doc.status in ("new", "changed"):
            values["last_changed"] = now
    if old is None:
        connection.execute(src_document_url.insert().values(source_id=source_id, url=doc.url, first_seen=now, **values))
    else:
        connection.execute(update(src_document_url).where(key).values(**values))


def document_urls(engine: Engine, source_id: str | None = None) -> list[dict]:
    query = select(src_document_url).order_by(src_document_url.c.source_id, src_document_url.c.url)
    if source_id:
        query = query.where(src_document_url.c.source_id == source_id)
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def record_run(engine: Engine, run: dict) -> None:
    with engine.begin() as connection:
        connection.execute(delete(src_crawl_run).where(src_crawl_run.c.run_id == run["run_id"]))
        connection.execute(src_crawl_run.insert().values(**run))


def missing_documents(engine: Engine, document_ids: Iterable[str]) -> list[str]:
    """The ids among ``document_ids`` that ``dim_document`` does not have."""
    ids = sorted(set(document_ids))
    present: set[str] = set()
    with engine.connect() as connection:
        for chunk in _chunks(ids):
            present.update(r[0] for r in connection.execute(
                select(dim_document.c.document_id).where(dim_document.c.document_id.in_(chunk))))
    return [i for i in ids if i not in present]


def mark_withdrawn(engine: Engine) -> int:
    """Documents no portal links any more become ``withdrawn`` in ``dim_document`` (rows kept).

    A document still linked from any URL stays (or becomes again) ``loaded``; only
    documents the loader loaded are touched, never quarantined ones.
    """
    live = select(src_document_url.c.document_id).where(
        src_document_url.c.withdrawn_at.is_(None), src_document_url.c.document_id.is_not(None)
    )
    gone = select(src_document_url.c.document_id).where(src_document_url.c.withdrawn_at.is_not(None))
    with engine.begin() as connection:
        withdrawn = connection.execute(
            update(dim_document)
            .where(dim_document.c.status == "loaded", dim_document.c.document_id.in_(gone),
                   dim_document.c.document_id.not_in(live))
            .values(status="withdrawn", status_reason="no longer linked from its disclosure portal")
        ).rowcount
        connection.execute(
            update(dim_document)
            .where(dim_document.c.status == "withdrawn", dim_document.c.document_id.in_(live))
            .values(status="loaded", status_reason=None)
        )
    return withdrawn or 0
