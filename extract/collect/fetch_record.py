"""What one fetch returned and what is kept about it: the row of ``src_fetch`` and the raw store's JSON.

Separate from :mod:`extract.collect.fetch` (which imports this module, never the other way)
so the store and the registry can speak about fetches without the HTTP client.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone

from extract.read.model import document_id_of
from schemas.redact import mask_url


@dataclass(frozen=True)
class FetchResult:
    """One successful GET: the bytes as served (None after a 304) and the cache validators."""

    url: str
    final_url: str
    status: int
    content: bytes | None  # None when the server said 304 Not Modified
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    attempts: int
    # the Content-Disposition header as sent, its bytes as Latin-1 characters (a GBK name stays
    # recoverable); read by the download_servlet layout
    content_disposition: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def sha256(self) -> str | None:
        """The document id of the content (see :func:`extract.read.model.document_id_of`)."""
        return document_id_of(self.content) if self.content is not None else None

    @property
    def byte_size(self) -> int | None:
        return len(self.content) if self.content is not None else None


@dataclass(frozen=True)
class FetchRecord:
    """What the registry and the raw store keep about one fetch, success or not."""

    url: str
    fetched_at: datetime
    final_url: str | None = None
    document_id: str | None = None
    http_status: int | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    byte_size: int | None = None
    attempts: int = 1
    error_reason: str | None = None
    source_id: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def fetch_id(self) -> str:
        return hashlib.sha256(f"{self.url}\n{self.fetched_at.isoformat()}".encode()).hexdigest()

    @classmethod
    def of_result(cls, result: FetchResult, source_id: str | None = None) -> FetchRecord:
        """The record of a fetch; addresses as :func:`schemas.redact.mask_url` shows them, like every
        address kept."""
        return cls(
            url=mask_url(result.url), fetched_at=result.fetched_at, final_url=mask_url(result.final_url),
            document_id=result.sha256, http_status=result.status, not_modified=result.not_modified,
            etag=result.etag, last_modified=result.last_modified, content_type=result.content_type,
            byte_size=result.byte_size, attempts=result.attempts, source_id=source_id,
        )

    @classmethod
    def of_error(cls, url: str, error: Exception, source_id: str | None = None) -> FetchRecord:
        return cls(
            url=mask_url(url), fetched_at=datetime.now(timezone.utc), error_reason=mask_url(error),
            source_id=source_id, attempts=0,
        )
