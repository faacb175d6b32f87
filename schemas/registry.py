"""Source registry: where disclosures are published, what was fetched, which URLs were seen.

Owned by the collection side. Regions themselves live in ``dim_region``
(:mod:`schemas.warehouse`); these tables point at it by ``region_code`` but carry no
foreign key, because a registry row whose name resolves to no GB/T 2260 code (大兴安岭's
districts, the 兵团) is still a source worth keeping and reporting.

Keys are natural or hashed (duckdb-engine cannot make sequences):

- ``src_source.source_id``: first 16 hex of sha256 over the registry's region names and
  index URL, so re-importing the same CSV updates rows instead of duplicating them;
- ``src_fetch.fetch_id``: sha256 over URL and fetch time;
- ``src_document_url``: ``(source_id, url)``; ``document_id`` is the sha256 of the bytes
  last fetched there, the same id the warehouse facts carry.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, Text

from schemas.base import SHA256, metadata

SOURCE_ID = String(16)

src_source = Table(
    "src_source",
    metadata,
    Column("source_id", SOURCE_ID, primary_key=True),
    Column("region_code", String(6), index=True),  # NULL when the name did not resolve
    Column("region_level", String(16)),  # province | city | county, from the registry
    Column("province_name", Text),
    Column("city_name", Text),
    Column("county_name", Text),
    Column("region_name", Text, nullable=False),  # as the registry spells it
    Column("index_url", Text),  # NULL: the registry names the region but has no link (kept, disabled)
    Column("host", Text),
    Column("kind", String(32), nullable=False),  # disclosure_index | statutory_disclosure | …
    Column("enabled", Boolean, nullable=False),
    Column("needs_review", Boolean, nullable=False),
    Column("registry_note", Text),  # the registry's own diagnosis, kept verbatim
    Column("registry_http_status", Integer),
    Column("registry_page_title", Text),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("last_crawl_status", String(16)),  # ok | partial | failed
    Column("last_crawl_at", DateTime(timezone=True)),
    Column("last_crawl_reason", Text),
)

src_fetch = Table(
    "src_fetch",
    metadata,
    Column("fetch_id", SHA256, primary_key=True),
    Column("source_id", SOURCE_ID, index=True),
    Column("url", Text, nullable=False),
    Column("final_url", Text),  # after redirects
    Column("document_id", SHA256),  # sha256 of the body; NULL on failure or 304
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Column("http_status", Integer),
    Column("not_modified", Boolean, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("content_type", Text),
    Column("byte_size", Integer),
    Column("attempts", Integer, nullable=False),
    Column("error_reason", Text),  # a sentence a person understands; NULL when it worked
)

src_document_url = Table(
    "src_document_url",
    metadata,
    Column("source_id", SOURCE_ID, primary_key=True),
    Column("url", Text, primary_key=True),
    Column("document_id", SHA256, index=True),
    Column("title", Text),
    Column("fiscal_year", Integer),
    Column("doc_kind", String(24)),  # department_budget | unit_budget | final_account | …
    Column("content_type", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("last_changed", DateTime(timezone=True)),
    Column("withdrawn_at", DateTime(timezone=True)),  # gone from the portal; rows are kept
    Column("last_error", Text),
)

src_crawl_run = Table(
    "src_crawl_run",
    metadata,
    Column("run_id", String(32), primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("sources", Integer, nullable=False),
    Column("documents_new", Integer, nullable=False),
    Column("documents_changed", Integer, nullable=False),
    Column("documents_unchanged", Integer, nullable=False),
    Column("documents_failed", Integer, nullable=False),
    Column("documents_withdrawn", Integer, nullable=False),
    Column("summary", Text),  # the markdown published as the Prefect artifact
)
