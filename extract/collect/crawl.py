"""Crawl one portal: index pages → pagination → detail pages → documents in the raw store.

This is the crawler loop only; how a portal's pages are read (which links are entries and
further pages, what a detail page attaches, whether it is a column, what a document is
called) is its layout's (:mod:`extract.collect.layouts`, named in ``portals.toml``), what a
fetch becomes (a document, a failure, a skip) is :mod:`extract.collect.crawl_documents`'s, and
the report's types are in :mod:`extract.collect.crawl_report`.

A crawl never raises for what a portal does: every failure becomes a recorded reason in
the :class:`CrawlReport`, and the run moves on. What is known from earlier runs (URL →
document id, ETag, Last-Modified) makes the crawl incremental: documents are fetched
conditionally, a 304 or an identical hash is ``unchanged``, a new hash at a known URL
is ``changed``; a known URL no longer linked is ``withdrawn``, but only when every page
of the portal was read, since a failed page hides links rather than removing them.
A URL the host's robots.txt disallows is never requested: it is listed in ``skipped``
with the reason, recorded as a fetch that did not happen, and never counted as withdrawn.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from datetime import datetime, timezone
from typing import Mapping

from extract.collect.crawl_documents import CrawlFetches
from extract.collect.crawl_report import Candidate, CollectedDocument, CrawlReport, KnownDocument
from extract.collect.fetch import Fetcher, FetchResult
from extract.collect.fetch_policy import admits, allow_entry, refusal
from extract.collect.layouts import Entry, layout_for
from extract.collect.links import HtmlPage, Link, html_text, looks_like_html_disclosure, parse_html
from extract.collect.portal_config import PortalConfig
from extract.collect.raw_store import RawStore
from extract.collect.robots import RobotsDisallowed
from schemas.errors import FetchError

__all__ = ["Candidate", "CollectedDocument", "CrawlReport", "Crawler", "KnownDocument"]


class Crawler:
    def __init__(self, fetcher: Fetcher, store: RawStore, config: PortalConfig | None = None):
        self.fetcher, self.store = fetcher, store
        self.config = config or PortalConfig()

    def crawl(
        self,
        source_id: str,
        index_url: str,
        *,
        known: Mapping[str, KnownDocument] | None = None,
        years: set[int] | None = None,
    ) -> CrawlReport:
        return _CrawlRun(self, source_id, index_url, dict(known or {}), years).run()


class _CrawlRun(CrawlFetches):
    def __init__(self, crawler: Crawler, source_id: str, index_url: str, known, years):
        self.fetcher, self.store, self.config = crawler.fetcher, crawler.store, crawler.config
        self.layout = layout_for(self.config)
        self.source_id, self.index_url, self.known, self.years = source_id, index_url, known, years
        # the portal's own origin (scheme, host, port), and the hosts its config adds
        self.allowed = frozenset(allow_entry(e) for e in (index_url, *self.config.extra_allowed_hosts))
        self.report = CrawlReport(source_id, index_url, datetime.now(timezone.utc))
        self.candidates: dict[str, Candidate] = {}
        self.details: deque[Candidate] = deque()
        self.detail_urls: set[str] = set()
        self.seen: set[str] = set()  # document URLs the portal still links to
        self.last_error: FetchError | None = None

    def run(self) -> CrawlReport:
        self._walk_index()
        read = 0
        while self.details:
            if read >= self.config.max_detail_pages:
                self.report.degrade("partial", f"more than {self.config.max_detail_pages} detail pages; rest skipped")
                break
            self._read_detail(self.details.popleft())
            read += 1
        for cand in list(self.candidates.values()):
            if len(self.report.documents) >= self.config.max_documents:
                self.report.degrade(
                    "partial", f"more than {self.config.max_documents} documents; rest skipped"
                )
                break
            if cand.url not in {d.url for d in self.report.documents}:
                self._collect(cand)
        return self._finish()

    # ------------------------------------------------------------- pages
    def _walk_index(self) -> None:
        queue, queued = deque([self.index_url]), {self.index_url}
        asked = 0  # pages requested, read or not: a failing page costs a request too
        while queue:
            url = queue.popleft()
            if asked >= self.config.max_index_pages:
                self.report.degrade("partial", f"more than {self.config.max_index_pages} index pages; rest skipped")
                return
            asked += 1
            got = self._get(url, conditional=False)
            if got is None:
                status = "failed" if url == self.index_url else "partial"
                why = f": {self.last_error}" if isinstance(self.last_error, RobotsDisallowed) else ""
                self.report.degrade(status, f"index page {url} could not be read{why}")
                continue
            self.report.pages_fetched += 1
            page = self._parse(got)
            if page is None:
                self.report.degrade("failed" if url == self.index_url else "partial",
                                    f"index page {url} is not an HTML page ({got.content_type})")
                continue
            for entry in self.layout.entries(page):
                if self.layout.is_disclosure(entry.text):
                    self._add_candidate(entry, url)
            for next_url in self.layout.list_pages(page):
                if next_url not in queued and self._follow_ok(next_url):
                    queued.add(next_url)
                    queue.append(next_url)

    def _add_candidate(self, link: Link | Entry, page_url: str, depth: int = 1) -> None:
        if not self._follow_ok(link.url):
            return
        entry = link if isinstance(link, Entry) else Entry.of(link)
        cand = Candidate(entry.url, entry.text, page_url, depth, entry.publisher, entry.published)
        if self.years and cand.fiscal_year is not None and cand.fiscal_year not in self.years:
            self.seen.add(link.url)  # still listed: not withdrawn, just not wanted now
            return
        if self.layout.is_document(entry):
            self.candidates.setdefault(link.url, cand)
        elif link.url not in self.detail_urls:
            self.detail_urls.add(link.url)
            self.details.append(cand)

    def _follow_ok(self, url: str) -> bool:
        if admits(self.allowed, url):
            return True
        reason = f"not followed: {refusal(self.allowed, url)} for this source"
        if (url, reason) not in self.report.skipped:
            self.report.skipped.append((url, reason))
        return False

    def _read_detail(self, cand: Candidate) -> None:
        got = self._get(cand.url, conditional=True)
        if got is None and self._disallowed(cand.url):
            self.report.listing_complete = False  # its links are unknown, not gone
            return
        if got is None:
            self._failed(cand, self._last_error())
            self.report.degrade("partial", f"detail page {cand.url} could not be read")
            return
        page = self._parse(got)
        if page is None:  # the "detail" link pointed straight at a document
            self._record_document(cand, got)
            return
        # the link text named the disclosure; a page <title> is often just the site's name
        title = cand.title if self.layout.is_disclosure(cand.title) else (page.title or cand.title)
        attachments = self.layout.attachments(page)
        for link in attachments:  # "附件1.pdf" says little: the page title leads
            label = f"{title} / {link.text}" if link.text else title
            self._add_candidate(Entry(link.url, label, cand.publisher, cand.published), cand.url)
        if looks_like_html_disclosure(page, self.config):
            self._record_document(replace(cand, title=title), got)
        elif not attachments and not self._read_as_list(cand, page):
            self.report.skipped.append((cand.url, "detail page has neither attachments nor a disclosure in its text"))

    def _read_as_list(self, cand: Candidate, page: HtmlPage) -> bool:
        """A column page ("2021年部门预算" → one link per department): follow its links one level down."""
        listing = self.layout.column(page, cand.url, cand.depth)
        if listing is None:
            return False
        for entry in listing.entries:
            self._add_candidate(entry, cand.url, cand.depth + 1)
        for url in sorted(set(listing.pages) - self.detail_urls):  # its further pages: the same column
            self._add_candidate(Link(url, cand.title), cand.url, cand.depth)
        return True

    def _parse(self, got: FetchResult) -> HtmlPage | None:
        content = self._content(got)
        text = html_text(got.content_type, content) if content is not None else None
        if text is None:
            return None
        return parse_html(text, got.final_url, self.config.link_xpath)
