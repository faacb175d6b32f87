"""What is kept about one fetch, success or failure: the row of ``src_fetch`` and the raw store's JSON.

Separate from :mod:`extract.collect.fetch` so the store and the registry can speak about fetches
without the HTTP client.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extract.collect.fetch import FetchResult


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
    def of_result(cls, result: "FetchResult", source_id: str | None = None) -> FetchRecord:
        return cls(
            url=result.url, fetched_at=result.fetched_at, final_url=result.final_url,
            document_id=result.sha256, http_status=result.status, not_modified=result.not_modified,
            etag=result.etag, last_modified=result.last_modified, content_type=result.content_type,
            byte_size=result.byte_size, attempts=result.attempts, source_id=source_id,
        )

    @classmethod
    def of_error(cls, url: str, error: Exception, source_id: str | None = None) -> FetchRecord:
        return cls(
            url=url, fetched_at=datetime.now(timezone.utc), error_reason=str(error),
            source_id=source_id, attempts=0,
        )
