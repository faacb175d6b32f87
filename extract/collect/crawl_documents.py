"""What a crawl's fetches become: documents in the raw store, failures with their reason, skips.

The half of a crawl run (:mod:`extract.collect.crawl`) that talks to the fetcher and the raw
store: every request goes through the one polite :class:`~extract.collect.fetch.Fetcher`
(robots.txt, rate limits, deadlines, the source's allow-list), conditionally when an earlier
run knows the URL; a 304 or an identical hash is ``unchanged``, a new hash at a known URL
``changed``; a URL robots.txt disallows is skipped, never failed nor withdrawn; and the run's
end records each document's fetch beside its bytes and lists what was withdrawn.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from extract.collect.crawl_report import Candidate, CollectedDocument, CrawlReport, KnownDocument
from extract.collect.fetch import Fetcher, FetchRecord, FetchResult
from extract.collect.layouts import Layout
from extract.collect.raw_store import RawStore
from extract.collect.robots import RobotsDisallowed
from schemas.errors import FetchError


class CrawlFetches:
    """Fetching and recording for one crawl run; the run (a subclass) sets these attributes."""

    fetcher: Fetcher
    store: RawStore
    layout: Layout
    source_id: str
    allowed: frozenset[str]
    known: dict[str, KnownDocument]
    years: set[int] | None
    report: CrawlReport
    seen: set[str]  # document URLs the portal still links to
    last_error: FetchError | None

    def _finish(self) -> CrawlReport:
        failed = sum(d.status == "failed" for d in self.report.documents)
        if failed:
            self.report.degrade("partial", f"{failed} document(s) could not be fetched", listing=False)
        documents = {d.url for d in self.report.documents}
        for record in self.report.fetches:  # beside the bytes: where and when each came from
            if record.url in documents:
                self.store.record_fetch(record)
        if self.report.listing_complete:
            self.report.withdrawn = sorted(u for u in set(self.known) - self.seen if self._in_scope(u))
        self.report.finished_at = datetime.now(timezone.utc)
        return self.report

    def _in_scope(self, url: str) -> bool:
        """A year-filtered crawl does not look at other years, so cannot see them go."""
        return not self.years or self.known[url].fiscal_year in self.years

    def _collect(self, cand: Candidate) -> None:
        got = self._get(cand.url, conditional=True)
        if got is None and self._disallowed(cand.url):
            self.seen.add(cand.url)  # still linked: not withdrawn, just not ours to fetch
        elif got is None:
            self._failed(cand, self._last_error())
        else:
            self._record_document(cand, got)

    def _disallowed(self, url: str) -> bool:
        """After a failed fetch: was it robots.txt? Then the URL is skipped, not failed."""
        if not isinstance(self.last_error, RobotsDisallowed):
            return False
        self.report.skipped.append((url, str(self.last_error)))
        return True

    def _record_document(self, cand: Candidate, got: FetchResult) -> None:
        self.seen.add(cand.url)
        known = self.known.get(cand.url)
        if got.not_modified and known and known.document_id and not got.content_disposition:
            meta = self.store.meta(known.document_id) or {}  # a 304 rarely repeats the file's name
            got = replace(got, content_disposition=meta.get("content_disposition"))
        cand = replace(cand, title=self.layout.document_title(cand.title, got))
        common = dict(
            url=cand.url, title=cand.title, fiscal_year=cand.fiscal_year, doc_kind=cand.doc_kind,
            found_on=cand.found_on, content_type=got.content_type, etag=got.etag,
            last_modified=got.last_modified, publisher=cand.publisher, published=cand.published,
        )
        if got.not_modified and known and known.document_id:
            doc = CollectedDocument(status="unchanged", document_id=known.document_id, **common)
        else:
            content = self._content(got)
            if not content:
                self._failed(cand, f"{cand.url}: empty body (HTTP {got.status})")
                return
            document_id, _ = self.store.put(content, url=cand.url, content_type=got.content_type,
                                            content_disposition=got.content_disposition)
            if known is None:
                status = "new"
            else:
                status = "unchanged" if known.document_id == document_id else "changed"
            doc = CollectedDocument(status=status, document_id=document_id, **common)
        self.report.documents.append(doc)

    def _failed(self, cand: Candidate, reason: str) -> None:
        self.seen.add(cand.url)
        self.report.documents.append(CollectedDocument(
            url=cand.url, title=cand.title, fiscal_year=cand.fiscal_year, doc_kind=cand.doc_kind,
            status="failed", found_on=cand.found_on, reason=reason, publisher=cand.publisher,
            published=cand.published,
        ))

    # ------------------------------------------------------------ fetching
    def _get(self, url: str, *, conditional: bool) -> FetchResult | None:
        known = self.known.get(url) if conditional else None
        if known and known.document_id and not self.store.exists(known.document_id):
            known = None  # cannot serve a 304 from the store: fetch in full
        try:
            result = self.fetcher.fetch(
                url, etag=known and known.etag, last_modified=known and known.last_modified,
                allowed=self.allowed,
            )
        except FetchError as exc:
            self.last_error = exc
            self.report.fetches.append(FetchRecord.of_error(url, exc, self.source_id))
            return None
        self.last_error = None
        self.report.fetches.append(FetchRecord.of_result(result, self.source_id))
        return result

    def _last_error(self) -> str:
        return self.report.fetches[-1].error_reason or "unknown fetch error"

    def _content(self, got: FetchResult) -> bytes | None:
        if got.content is not None:
            return got.content
        known = self.known.get(got.url)
        return self.store.get(known.document_id) if known and known.document_id else None
