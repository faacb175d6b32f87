"""Read an HTML disclosure page into the shared page/line model.

A portal page wraps the disclosure in navigation, search boxes and footers. The
reader keeps only the article body (the element a content-management system marks
as the body, else the densest block of non-link text), turns block elements into
lines and every innermost ``<table>`` row into a :class:`~extract.read.model.Line` with
``cells``. Merged cells are expanded the way the seed's tab-separated export shows
them — a ``colspan`` leaves empty cells after it, a ``rowspan`` leaves an empty cell
in the rows below — so one table parser reads both.

Many pages carry no text at all: the disclosure is a set of scanned images or a link
to a PDF/Word attachment. Those cannot be read here; they raise
:class:`HtmlContentError` (a :class:`~schemas.errors.DocumentError`) whose reason names
the attachment or image addresses, so a person can go and fetch them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from extract.read.decode import Decoded, decode_lenient
from extract.read.html_lines import body_lines, clean
from extract.read.model import Document, Line, Page, PageLink
from schemas.errors import DocumentError
from schemas.redact import mask_url

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "form", "select", "button",
    "input", "textarea", "svg", "nav", "header", "footer", "aside", "head", "object", "embed",
)
_BODY_HINT = re.compile(
    r"trs_?editor|trs_?ueditor|article|content|zoom|artcon|detail|zwnr|zw_?con|"
    r"main_?text|news_?con|pages?_?con|text_?con|conTxt|editor", re.I,
)
_BOILERPLATE_HINT = re.compile(
    r"\b(?:nav|menu|head(?:er)?|foot(?:er)?|side(?:bar)?|breadcrumb|dqwz|share|"
    r"search|copyright|login|toolbar|relList|xglj|fujian)\b|^(?:top|bottom)$", re.I,
)
_ATTACHMENT_EXT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z)(?:[?#].*)?$", re.I)
_CONTENT_CHAR = re.compile(r"[\u4e00-\u9fff0-9]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE_HINT = re.compile(r"\btitle\b|^bt$", re.I)


@dataclass(frozen=True, slots=True)
class HtmlSettings:
    """``min_content_chars``: Chinese characters and digits a body needs to count as text."""

    min_content_chars: int = 200
    max_named_links: int = 5

    def __post_init__(self) -> None:
        if self.min_content_chars < 1 or self.max_named_links < 1:
            raise ValueError("HtmlSettings needs min_content_chars >= 1 and max_named_links >= 1")


class HtmlContentError(DocumentError):
    """The page has no readable disclosure text; ``links`` are where the content is (their
    addresses; ``page_links`` the same with their kind and label), ``title`` what the page
    calls itself (its heading, else its <title>) — enough to tell which disclosure it is."""

    def __init__(self, reason: str, links: tuple[str, ...] = (), *, title: str = "",
                 page_links: tuple[PageLink, ...] = ()):
        super().__init__(reason)
        self.links = links
        self.title = title
        self.page_links = page_links


def read_html(
    data: bytes,
    document_id: str,
    source_uri: str,
    decoded: Decoded | None = None,
    settings: HtmlSettings | None = None,
) -> Document:
    """Parse HTML ``data`` into a one-page :class:`Document`.

    ``decoded`` is the sniffer's text (the dispatch passes it on); without it the one
    decoder (:mod:`extract.read.decode`) runs here, replacing what cannot be decoded.
    """
    decoded = decoded or decode_lenient(data)
    return HtmlReader(settings or HtmlSettings()).read(decoded, document_id, source_uri)


class HtmlReader:
    def __init__(self, settings: HtmlSettings):
        self.settings = settings

    def read(self, decoded: Decoded, document_id: str, source_uri: str) -> Document:
        root = _parse(decoded.text)
        attachments = _attachment_links(root, source_uri)
        head_title = _head_title(root)
        _drop_boilerplate(root)
        title = _page_title(root) or head_title
        body = _find_body(root)
        images = _image_links(body, source_uri)
        lines = body_lines(body)
        content_chars = sum(len(_CONTENT_CHAR.findall(line.text)) for line in lines)
        if content_chars < self.settings.min_content_chars:
            raise self._no_text_error(title, content_chars, attachments, images)
        if title and not any(title in line.text for line in lines[:5]):
            lines.insert(0, Line(page_no=1, line_no=0, text=title))
        lines = [_renumber(line, i) for i, line in enumerate(lines, start=1)]
        notes = [f"HTML page links {len(attachments)} attachment(s)"] if attachments else []
        page = Page(page_no=1, lines=lines, kind="text", image_count=len(images))
        return Document(
            document_id=document_id, source_uri=source_uri, format="html", pages=[page],
            encoding=decoded.encoding, notes=notes, attachments=list(attachments),
        )

    def _no_text_error(
        self, title: str, chars: int, attachments: dict[str, str], images: tuple[str, ...]
    ) -> HtmlContentError:
        named = f"'{title}' " if title else ""
        if attachments:
            shown = tuple(f"{label} <{url}>" if label and label != url else url
                          for url, label in attachments.items())
            return HtmlContentError(
                f"HTML page {named}has no disclosure text, only a link to its attachment(s): "
                f"{self._name(shown)}",
                tuple(attachments), title=title,
                page_links=tuple(PageLink("attachment", url, label) for url, label in attachments.items()),
            )
        if images:
            return HtmlContentError(
                f"HTML page {named}carries its content only as {len(images)} image(s), "
                f"no text to read: {self._name(images)}",
                images, title=title, page_links=tuple(PageLink("image", url) for url in images),
            )
        return HtmlContentError(
            f"HTML page {named}has no disclosure text ({chars} Chinese characters or digits "
            "in its body): not a budget disclosure"
        )

    def _name(self, links: tuple[str, ...]) -> str:
        shown = ", ".join(links[: self.settings.max_named_links])
        more = len(links) - self.settings.max_named_links
        return shown + (f" and {more} more" if more > 0 else "")


def _parse(text: str) -> etree._Element:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding decl
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"HTML page cannot be parsed: {exc}") from exc
    limits = [e.message.split(", use ")[0] for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if limits:  # libxml2 stopped reading there (100,000 nested <div>): what follows is lost, not absent
        raise DocumentError(f"HTML page cannot be read whole: the HTML parser stopped at one of its limits "
                            f"({limits[0]}); a disclosure's page nests its elements a few dozen deep")
    return root


def _attachment_links(root: etree._Element, source_uri: str) -> dict[str, str]:
    """Document-like links anywhere on the page (anchors, embedded viewers): address -> text.

    Portals serve attachments through download scripts (``downfile.jsp?filename=x.pdf``)
    or name them only in the link text, so either the address or the text may say PDF.
    """
    found: dict[str, str] = {}
    for el in root.iter("a", "iframe", "embed", "object"):
        href = (el.get("href") or el.get("src") or el.get("data") or "").strip()
        label = clean(el.text_content()) if el.tag == "a" else ""
        if href and not href.lower().startswith(("javascript:", "#", "mailto:")) and (
            _ATTACHMENT_EXT.search(href) or _ATTACHMENT_EXT.search(label)
        ):
            found.setdefault(_resolve(href, source_uri), label)
    return found


def _image_links(body: etree._Element, source_uri: str) -> tuple[str, ...]:
    urls = (_resolve((img.get("src") or "").strip(), source_uri) for img in body.iter("img"))
    return tuple(dict.fromkeys(url for url in urls if url))


def _resolve(href: str, source_uri: str) -> str:
    """The address a link names, with any password in it as ``***`` (it is stored and shown)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", source_uri, re.I):
        return mask_url(urljoin(source_uri, href))
    return mask_url(href)


def _page_title(root: etree._Element) -> str:
    """The article's own heading; run after boilerplate is gone, so a logo <h1> is not it."""
    for el in root.iter("h1"):
        if text := clean(el.text_content()):
            return text
    for el in root.iter():
        if isinstance(el.tag, str) and _TITLE_HINT.search(el.get("class") or ""):
            if text := clean(el.text_content()):
                return text
    return ""


def _head_title(root: etree._Element) -> str:
    """<title> without the site name portals append ('标题_重庆市民政局')."""
    title = root.find(".//title")
    text = clean(title.text_content()) if title is not None else ""
    return re.split(r"\s*[_|｜]\s*|\s+-\s+", text)[0] if text else ""


def _drop_boilerplate(root: etree._Element) -> None:
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)
    doomed = [
        el for el in root.iter()
        if isinstance(el.tag, str) and el.tag not in ("body", "html")
        and (el.tag in _DROP_TAGS or _hidden(el) or (_BOILERPLATE_HINT.search(_hints(el)) and not _in_table(el)))
    ]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _in_table(el: etree._Element) -> bool:
    """Class names inside data tables ('header' rows) describe cells, not page furniture."""
    return el.tag in ("table", "thead", "tbody", "tfoot", "tr", "td", "th") or next(
        el.iterancestors("table"), None) is not None


def _hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _hints(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _find_body(root: etree._Element) -> etree._Element:
    """The CMS-marked body, unless an unmarked block holds far more text.

    A marked container is trusted when it holds at least half the text of the densest
    block (image-only bodies hold none, so their images decide); among marked ones the
    innermost with nearly the most text wins, so a wrapper's metadata is left out.
    """
    body = root.find(".//body")
    body = root if body is None else body
    dense = _densest_block(body)
    marked = [el for el in body.iter() if isinstance(el.tag, str) and _BODY_HINT.search(_hints(el))]
    if not marked:
        return dense
    heaviest = max(_text_weight(el) for el in marked)
    has_images = any(True for el in marked for _ in el.iter("img"))
    if heaviest < 0.5 * _text_weight(dense) and not has_images:
        return dense
    near = [el for el in marked if _text_weight(el) >= 0.8 * heaviest]
    return max(near, key=lambda el: (_depth(el), len(list(el.iter("img")))))


def _densest_block(body: etree._Element) -> etree._Element:
    blocks = list(body.iter("div", "td", "article", "section", "main"))
    best = max(blocks, key=_text_weight, default=body)
    return best if _text_weight(best) >= 0.5 * _text_weight(body) else body


def _text_weight(el: etree._Element) -> int:
    """Content characters outside links: navigation is all links, a body hardly any."""
    total = len(_CONTENT_CHAR.findall(el.text_content()))
    linked = sum(len(_CONTENT_CHAR.findall(a.text_content())) for a in el.iter("a"))
    return total - linked


def _depth(el: etree._Element) -> int:
    return sum(1 for _ in el.iterancestors())


def _renumber(line: Line, line_no: int) -> Line:
    return Line(page_no=line.page_no, line_no=line_no, text=line.text, words=line.words,
                cells=line.cells, top=float(line_no))
