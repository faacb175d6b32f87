"""One page/line/word model shared by every reader (plain text, HTML, PDF).

Parsers never look at bytes or file formats: they read lines of a :class:`Document`.
A line carries its words with positions (PDF points; character offsets for plain
text) and, where the reader could tell, the table cells the line splits into. The
seed's tab-separated rows and a PDF table row rebuilt from ruling lines both end up
as ``Line.cells``, so one table parser serves both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

def document_id_of(data: bytes) -> str:
    """A document is identified by its bytes: the sha256 (64 hex digits) of exactly what was
    read or fetched, so the same file under two names or URLs is one document. The one
    helper used by the readers, the raw store and the fetcher."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class PageLink:
    """Where a page's content is when it is not in its text: an ``image`` of a scanned or
    rasterised page, or an ``attachment`` (PDF, Word …) it links; ``label`` is the link text
    (an attachment's printed name), "" for an image."""

    kind: Literal["image", "attachment"]
    url: str
    label: str = ""


PageKind = Literal["text", "blank", "scanned", "cover", "ocr"]  # ocr: a scanned page read by OCR
DocFormat = Literal["text", "html", "pdf", "xlsx", "xls", "docx", "doc"]


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Line:
    """A visual line. ``cells`` is None for running text, a tuple for a table row."""

    page_no: int  # 1-based
    line_no: int  # 1-based within the page
    text: str
    words: tuple[Word, ...] = ()
    cells: tuple[str, ...] | None = None
    top: float = 0.0

    @property
    def is_table_row(self) -> bool:
        return self.cells is not None


@dataclass(slots=True)
class Page:
    page_no: int
    lines: list[Line]
    width: float = 0.0
    height: float = 0.0
    kind: PageKind = "text"
    image_count: int = 0
    ocr_confidence: float | None = None  # a scanned page OCR read: the engine's mean confidence in its text
    ocr_held: int = 0  # figures OCR read with too little confidence, held back (their cells left blank)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(slots=True)
class Document:
    """A read document. ``document_id`` is the sha256 of the source bytes."""

    document_id: str
    source_uri: str
    format: DocFormat
    pages: list[Page]
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)

    def lines(self) -> list[Line]:
        return [line for page in self.pages for line in page.lines]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def scanned_pages(self) -> list[int]:
        """Pages without a text layer: still unread (``scanned``) or read with OCR (``ocr``)."""
        return [p.page_no for p in self.pages if p.kind in ("scanned", "ocr")]

    @property
    def ocr_pages(self) -> list[int]:
        return [p.page_no for p in self.pages if p.kind == "ocr"]
