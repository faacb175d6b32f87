"""Reading portal pages for links, and telling from a title what a disclosure is.

Pure functions over bytes and strings (no network), so the crawl rules can be tested on
any page saved from a portal. Titles decide three things: is this a department's budget
or final-account disclosure at all, which fiscal year, and which kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from extract.collect.portal_config import PortalConfig
from extract.read.decode import decode_lenient
from extract.read.sniff import sniff
# a title's year and kind are read as the parsers read them (the crawl imports them from here)
from reference.vocabulary import doc_kind, fiscal_year  # noqa: F401
from schemas.redact import mask_url

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_UNTYPED = ("", "text/plain", "application/octet-stream")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # absolute, without #fragment
    text: str  # link text, else its title attribute


@dataclass(frozen=True, slots=True)
class HtmlPage:
    title: str
    text: str  # visible text, whitespace collapsed
    links: tuple[Link, ...]
    url: str = ""  # the address the page was read from (its links are resolved against it)
    html: str = field(default="", repr=False, compare=False)  # the decoded source, scripts included


def html_text(content_type: str | None, data: bytes) -> str | None:
    """The decoded text of ``data`` when it is an HTML page, else None.

    The bytes decide through the one detector and decoder (:func:`extract.read.sniff.sniff`,
    which honours the header's charset). A server's ``text/html`` also counts when the
    bytes are text or not strictly decodable (a page with a stray broken character
    still has links: it is decoded with replacement characters); any other declared
    type (PDF, Word…) and any bytes the sniffer recognises as a file are never a page.
    """
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype not in _HTML_TYPES + _UNTYPED:
        return None
    found = sniff(data, content_type)
    if found.format == "html" and found.decoded is not None:
        return found.decoded.text
    if ctype in _HTML_TYPES and found.format in ("text", "binary"):
        return (found.decoded or decode_lenient(data, content_type)).text
    return None


def parse_html(text: str, base_url: str, link_xpath: str = "//a[@href]") -> HtmlPage:
    """Title, visible text and links of a page already decoded (see :func:`html_text`)."""
    root = html_root(text)
    if root is None:
        return HtmlPage(title="", text="", links=(), url=base_url, html=text)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    title = clean(" ".join(root.xpath("//title//text()")))
    links = [link for a in root.xpath(link_xpath) if (link := link_of(a, base_url)) is not None]
    body = root.find("body")
    visible = clean((body if body is not None else root).text_content())
    return HtmlPage(title=title, text=visible, links=tuple(dict.fromkeys(links)), url=base_url, html=text)


def html_root(text: str) -> etree._Element | None:
    """The lxml tree of a decoded page, None when lxml cannot read it."""
    try:
        return lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text) or "<html/>")
    except (etree.ParserError, ValueError):
        return None


def link_of(a: etree._Element, base_url: str) -> Link | None:
    """An ``<a href>`` as a :class:`Link`: absolute, password masked, http(s) only, else None."""
    href = (a.get("href") or "").strip()
    if not href or href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    url = mask_url(urldefrag(urljoin(base_url, href)).url)  # a password in a link is never kept
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    # list pages cut long titles ("…2021年部门预…") and keep the whole one in title=""
    return Link(url, _label(clean(a.text_content()), clean(a.get("title") or "")))


def _label(text: str, title: str) -> str:
    cut = text.rstrip(".…。 ")
    if title and (not cut or title.startswith(cut) or len(title) > len(text)):
        return title
    return text


def clean(text: str) -> str:
    """Whitespace (ideographic spaces too) collapsed to one space, trimmed."""
    return _SPACES.sub(" ", text.replace("\u3000", " ")).strip()


def is_disclosure_title(text: str, config: PortalConfig) -> bool:
    return bool(config.document_re.search(text)) and not config.exclude_re.search(text)


def is_next_page(link: Link, config: PortalConfig) -> bool:
    return bool(config.next_page_re.match(link.text)) or bool(config.pagination_re.search(link.url))


def has_document_extension(url: str, config: PortalConfig) -> bool:
    path = urlsplit(url).path.lower()
    return path.endswith(config.document_extensions)


def looks_like_html_disclosure(page: HtmlPage, config: PortalConfig) -> bool:
    """A detail page whose own text is the disclosure (tables inline, as the seed is)."""
    return len(page.text) >= config.html_document_min_chars and all(
        marker in page.text for marker in config.html_document_markers
    )
