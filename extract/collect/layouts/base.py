"""The shared base of portal layouts: what the crawler loop asks of a portal's pages.

A layout is a small class that answers a few questions about one portal's pages — which
links of a list page are entries, which lead to further pages of the same list, which
links of a detail page are attachments, whether a detail page is itself a list (a column
page), what to call a fetched document — and nothing else: fetching, politeness (robots,
rate limits, deadlines, the allow-list) and the report stay in the crawler loop
(:mod:`extract.collect.crawl`). This base answers as a plain site does (every link an entry,
no further pages, attachments by file extension); each CMS habit is a subclass in a module
of its own, overriding a hook and calling ``super()`` so habits combine (a portal's
``layout = ["gkml_table", "download_servlet"]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from extract.collect.fetch_record import FetchResult
from extract.collect.links import HtmlPage, Link, has_document_extension, is_disclosure_title
from extract.collect.portal_config import PortalConfig


@dataclass(frozen=True)
class Entry:
    """A link a list page offers, with what its row says beside the link text (when it says)."""

    url: str
    text: str
    publisher: str | None = None  # the publishing body (发布机构)
    published: str | None = None  # ISO date of the row (成文日期), "2021-03-01"

    @classmethod
    def of(cls, link: Link) -> Entry:
        return cls(link.url, link.text)


@dataclass(frozen=True)
class Listing:
    """What a column page lists: its entries and the further pages of the same list."""

    entries: tuple[Entry, ...]
    pages: tuple[str, ...]


class Layout:
    """How a plain site is read; subclasses add one CMS habit each (see the module docstring)."""

    name: ClassVar[str] = ""

    def __init__(self, config: PortalConfig):
        self.config = config

    def is_disclosure(self, text: str) -> bool:
        """Link text naming a department's budget or final account (the config's patterns)."""
        return is_disclosure_title(text, self.config)

    def entries(self, page: HtmlPage) -> list[Entry]:
        """The links of a list page, in page order (each judged by :meth:`is_disclosure`)."""
        return [Entry.of(link) for link in page.links]

    def list_pages(self, page: HtmlPage) -> list[str]:
        """Addresses of further pages of the same list, in page order (none on a plain site)."""
        return []

    def is_document(self, link: Link | Entry) -> bool:
        """A link straight to a file (fetched as a document, never read as a page)."""
        return has_document_extension(link.url, self.config)

    def attachments(self, page: HtmlPage) -> list[Link]:
        """The files a detail page attaches."""
        return [link for link in page.links if self.is_document(link)]

    def column(self, page: HtmlPage, url: str, depth: int) -> Listing | None:
        """A detail page that is itself a list, read as one; None: it is not (never, here)."""
        return None

    def document_title(self, title: str, got: FetchResult) -> str:
        """The title a fetched document is recorded under (its year and kind are read from it)."""
        return title
