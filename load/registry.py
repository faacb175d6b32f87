"""Writing and reading the source registry tables (:mod:`schemas.registry`).

Plain SQLAlchemy Core that both DuckDB and PostgreSQL speak: rows are replaced by key
(delete, then insert) inside one transaction, so re-importing a registry or recording a
crawl twice never duplicates anything. Volumes are small (thousands of sources, a few
hundred fetches per source), so executemany is fast enough here; fetch records go
through the bulk insert of the backend (:mod:`load.backends`) because a nightly run makes many.

Everything here takes and returns plain rows (dicts keyed by column name), never the
crawler's objects: ``flows`` turns a crawl report into rows before it gets here.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Collection, Iterable

import polars as pl
from sqlalchemy import and_, delete, select, update
from sqlalchemy.engine import Connection, Engine

from load.backends import backend_of
from load.refresh import note_documents, note_regions
from schemas.frames import polars_schema
from schemas.registry import src_crawl_run, src_document_url, src_fetch, src_source
from schemas.vocabulary import LOADED, WITHDRAWN
from schemas.warehouse import dim_document, dim_region

_CHUNK = 500


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def write_regions(connection: Connection, regions: Iterable[dict]) -> int:
    """``dim_region`` rows (dicts with its columns) where their code is new; returns rows written."""
    frame = pl.DataFrame(list(regions), schema=polars_schema(dim_region))
    existing = {r[0] for r in connection.execute(select(dim_region.c.region_code))}
    frame = frame.filter(~pl.col("region_code").is_in(list(existing)))
    return backend_of(connection).insert(connection, dim_region, frame)


def write_sources(engine: Engine, sources: list[dict], regions: Iterable[dict] = (),
                  imported_at: datetime | None = None) -> int:
    """Upsert sources (dicts with the ``src_source`` columns up to ``registry_page_title``) and
    their ``dim_region`` rows; the crawl status of sources already there is kept."""
    imported_at = imported_at or datetime.now(timezone.utc)
    with engine.begin() as connection:
        write_regions(connection, regions)
        ids = [r["source_id"] for r in sources]
        previous = {}
        for chunk in _chunks(ids):
            for row in connection.execute(
                select(src_source.c.source_id, src_source.c.last_crawl_status, src_source.c.last_crawl_at,
                       src_source.c.last_crawl_reason).where(src_source.c.source_id.in_(chunk))
            ):
                previous[row.source_id] = row._asdict()
            connection.execute(delete(src_source).where(src_source.c.source_id.in_(chunk)))
        rows = [_source_row(r, imported_at, previous.get(r["source_id"])) for r in sources]
        backend_of(connection).insert(connection, src_source, pl.DataFrame(rows, schema=polars_schema(src_source)))
    return len(rows)


def _source_row(source: dict, imported_at: datetime, previous: dict | None) -> dict:
    data = {c: source.get(c) for c in src_source.columns.keys()}
    data["imported_at"] = imported_at
    keep = previous or {}
    for col in ("last_crawl_status", "last_crawl_at", "last_crawl_reason"):
        data[col] = keep.get(col)
    return data


def list_sources(
    engine: Engine,
    *,
    province: str | None = None,
    region_codes: Collection[str] | None = None,
    enabled_only: bool = False,
) -> list[dict]:
    """``src_source`` rows ordered by region code, narrowed to a province name and/or to the
    ``region_codes`` given (the caller expands a city or province to every code under it)."""
    query = select(src_source).order_by(src_source.c.region_code, src_source.c.region_name)
    if province:
        query = query.where(src_source.c.province_name == province)
    if region_codes is not None:
        query = query.where(src_source.c.region_code.in_(sorted(region_codes)))
    if enabled_only:
        query = query.where(src_source.c.enabled.is_(True))
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def known_documents(engine: Engine, source_id: str) -> dict[str, dict]:
    """What earlier crawls saw at this source and the portal has not withdrawn:
    url → {document_id, etag, last_modified, fiscal_year}."""
    query = select(src_document_url).where(
        and_(src_document_url.c.source_id == source_id, src_document_url.c.withdrawn_at.is_(None))
    )
    with engine.connect() as connection:
        return {
            r.url: {"document_id": r.document_id, "etag": r.etag, "last_modified": r.last_modified,
                    "fiscal_year": r.fiscal_year}
            for r in connection.execute(query)
            if r.document_id
        }


def record_crawl(engine: Engine, crawl: dict) -> None:
    """Record one source's crawl: its fetch records, document URLs (seen / changed / withdrawn)
    and the source's last status.

    ``crawl`` is plain data: ``source_id``, ``status`` (ok | partial | failed), ``reason``,
    ``finished_at``, ``fetches`` (dicts with the ``src_fetch`` columns), ``documents`` (dicts:
    url, title, fiscal_year, doc_kind, status new|changed|unchanged|failed, reason,
    document_id, content_type, etag, last_modified) and ``withdrawn`` (URLs gone from the portal).
    """
    now = crawl.get("finished_at") or datetime.now(timezone.utc)
    source_id = crawl["source_id"]
    with engine.begin() as connection:
        _note_crawl(connection, source_id, crawl)
        _write_fetches(connection, source_id, crawl.get("fetches", []))
        for doc in crawl.get("documents", []):
            _upsert_document_url(connection, source_id, doc, now)
        for url in crawl.get("withdrawn", []):
            connection.execute(
                update(src_document_url)
                .where(and_(src_document_url.c.source_id == source_id, src_document_url.c.url == url))
                .values(withdrawn_at=now)
            )
        connection.execute(
            update(src_source).where(src_source.c.source_id == source_id).values(
                last_crawl_status=crawl["status"], last_crawl_at=now, last_crawl_reason=crawl.get("reason"),
            )
        )


def _note_crawl(connection: Connection, source_id: str, crawl: dict) -> None:
    """Note for the comparison refresh (:mod:`load.refresh`) the source's region (its links' observations)
    and the documents whose links the crawl saw or withdrew (their observations' ``seen_at``, status)."""
    region = connection.execute(select(src_source.c.region_code).where(src_source.c.source_id == source_id)).scalar()
    urls = [d["url"] for d in crawl.get("documents", [])] + list(crawl.get("withdrawn", []))
    ids = {d.get("document_id") for d in crawl.get("documents", []) if d.get("document_id")}
    for chunk in _chunks(urls):
        ids.update(r[0] for r in connection.execute(select(src_document_url.c.document_id).where(
            src_document_url.c.source_id == source_id, src_document_url.c.url.in_(chunk),
            src_document_url.c.document_id.is_not(None))))
    note_regions(connection, [region])
    note_documents(connection, ids)


def _write_fetches(connection: Connection, source_id: str, fetches: list[dict]) -> None:
    rows = [{**{c: f.get(c) for c in src_fetch.columns.keys()}, "source_id": source_id} for f in fetches]
    if not rows:
        return
    ids = [r["fetch_id"] for r in rows]
    for chunk in _chunks(ids):
        connection.execute(delete(src_fetch).where(src_fetch.c.fetch_id.in_(chunk)))
    backend_of(connection).insert(connection, src_fetch, pl.DataFrame(rows, schema=polars_schema(src_fetch)))


def _upsert_document_url(connection: Connection, source_id: str, doc: dict, now: datetime) -> None:
    key = and_(src_document_url.c.source_id == source_id, src_document_url.c.url == doc["url"])
    old = connection.execute(select(src_document_url).where(key)).first()
    values = {"title": doc.get("title"), "fiscal_year": doc.get("fiscal_year"), "doc_kind": doc.get("doc_kind"),
              "last_seen": now, "withdrawn_at": None}
    if doc["status"] == "failed":
        values["last_error"] = doc.get("reason")
    else:
        values.update(document_id=doc.get("document_id"), content_type=doc.get("content_type"),
                      etag=doc.get("etag"), last_modified=doc.get("last_modified"), last_error=None)
        if doc["status"] in ("new", "changed"):
            values["last_changed"] = now
    if old is None:
        connection.execute(src_document_url.insert().values(source_id=source_id, url=doc["url"], first_seen=now,
                                                            **values))
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
        changing = (select(dim_document.c.document_id).where(
            dim_document.c.status == LOADED, dim_document.c.document_id.in_(gone),
            dim_document.c.document_id.not_in(live)).union(select(dim_document.c.document_id).where(
                dim_document.c.status == WITHDRAWN, dim_document.c.document_id.in_(live))))
        note_documents(connection, [r[0] for r in connection.execute(changing)])  # load.refresh
        withdrawn = connection.execute(
            update(dim_document)
            .where(dim_document.c.status == LOADED, dim_document.c.document_id.in_(gone),
                   dim_document.c.document_id.not_in(live))
            .values(status=WITHDRAWN, status_reason="no longer linked from its disclosure portal")
        ).rowcount
        connection.execute(
            update(dim_document)
            .where(dim_document.c.status == WITHDRAWN, dim_document.c.document_id.in_(live))
            .values(status=LOADED, status_reason=None)
        )
    return withdrawn or 0
