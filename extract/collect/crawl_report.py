"""What a crawl knows and tells: links it will follow, documents it collected, the report of a run.

Plain data shared by the crawler loop (:mod:`extract.collect.crawl`), the portal layouts
(:mod:`extract.collect.layouts`) and the flows that record a crawl in the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from extract.collect.links import doc_kind, fiscal_year
from extract.collect.fetch_record import FetchRecord

STATUSES = ("new", "changed", "unchanged", "failed")


@dataclass(frozen=True)
class KnownDocument:
    document_id: str | None
    etag: str | None = None
    last_modified: str | None = None
    fiscal_year: int | None = None


@dataclass(frozen=True)
class Candidate:
    url: str
    title: str
    found_on: str
    depth: int = 1  # links followed from the index to get here
    publisher: str | None = None  # the body a listing row names (政府信息公开 tables: 发布机构)
    published: str | None = None  # the row's date, ISO "2021-03-01" (成文日期)

    @property
    def fiscal_year(self) -> int | None:
        return fiscal_year(self.title)

    @property
    def doc_kind(self) -> str | None:
        return doc_kind(self.title)


@dataclass(frozen=True)
class CollectedDocument:
    url: str
    title: str
    fiscal_year: int | None
    doc_kind: str | None
    status: str  # new | changed | unchanged | failed
    found_on: str
    document_id: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None
    publisher: str | None = None
    published: str | None = None


@dataclass
class CrawlReport:
    source_id: str
    index_url: str
    started_at: datetime
    finished_at: datetime | None = None
    status: str = "ok"  # ok | partial | failed
    listing_complete: bool = True  # every index and detail page was read
    reasons: list[str] = field(default_factory=list)
    pages_fetched: int = 0
    documents: list[CollectedDocument] = field(default_factory=list)
    fetches: list[FetchRecord] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, why not followed)
    withdrawn: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) or None

    def degrade(self, status: str, reason: str, *, listing: bool = True) -> None:
        """Worsen the status; ``listing`` says links may have been missed because of it."""
        if listing:
            self.listing_complete = False
        order = {"ok": 0, "partial": 1, "failed": 2}
        if order[status] > order[self.status]:
            self.status = status
        self.reasons.append(reason)

    def counts(self) -> dict[str, int]:
        counts = {s: sum(d.status == s for d in self.documents) for s in STATUSES}
        counts["withdrawn"] = len(self.withdrawn)
        return counts

    def to_extract(self) -> dict[str, CollectedDocument]:
        """New or changed content, one entry per document id (a duplicate URL adds nothing)."""
        out: dict[str, CollectedDocument] = {}
        for doc in self.documents:
            if doc.status in ("new", "changed") and doc.document_id not in out:
                out[doc.document_id] = doc
        return out
