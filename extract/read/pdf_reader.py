"""Text-layer PDFs into the one page/line/word model, tables rebuilt from ruling lines.

pdfminer's plain text loses what matters in budget tables: a blank cell vanishes and
neighbouring cells run together, so a figure lands in the wrong column. Here each
page is interpreted once (pdfminer.six, :mod:`extract.read.pdf_glyphs`: characters as light
records with their positions, graphics as pdfplumber's objects), the
table grid is found from the ruling lines, every character is dropped into the grid
cell that holds its centre, and each grid row becomes one :class:`Line` whose
``cells`` keep blank cells as ``""`` and join a cell's wrapped lines. Characters
outside any table become ordinary lines of words. Pages are classified
(text / blank / cover / scanned) so image-only pages are reported, never dropped.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from extract.read.model import Document, Line, Page, PageKind
from extract.read.ocr_engine import OcrSettings
from extract.read.ocr_page import OcrPass
from extract.read.pdf_glyphs import interpret
from extract.read.pdf_guard import MIB, check_pdf_limits, too_many_pages
from extract.read.pdf_layout import dedupe, find_grids, layout_lines, visible
from schemas.errors import DocumentError

for _noisy in ("pdfminer", "pdfplumber"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfReaderSettings:
    """Tolerances in PDF points; defaults fit the A4 disclosures seen so far."""

    line_tolerance: float = 3.0  # char centres closer than this share a visual line
    word_gap: float = 3.0  # a horizontal gap wider than this starts a new word
    snap_tolerance: float = 3.0  # ruling lines this close are one line
    intersection_tolerance: float = 3.0
    scanned_image_coverage: float = 0.5  # share of the page an image must cover
    scanned_max_chars: int = 20  # a "scan" may carry a stray folio number or so
    cover_max_lines: int = 8  # a cover/section page has a few lines and no table
    # bounds against hostile or broken files (see extract.read.pdf_guard): the longest real
    # disclosures have under 200 pages; 500 pages read in about 15-25 s at 20-40 pages/s
    max_pages: int = 500
    max_stream_bytes: int = 64 * MIB  # one content stream inflated; real ones are under 1 MiB
    max_total_stream_bytes: int = 256 * MIB  # all non-image streams of one document inflated
    table_settings: dict[str, Any] = field(default_factory=dict)
    ocr: OcrSettings = field(default_factory=OcrSettings)  # scanned pages, where the ocr extra is installed

    def __post_init__(self) -> None:
        for name in ("line_tolerance", "word_gap", "snap_tolerance", "intersection_tolerance"):
            if getattr(self, name) <= 0:
                raise ValueError(f"PdfReaderSettings.{name} must be positive")
        if not 0 < self.scanned_image_coverage <= 1:
            raise ValueError("PdfReaderSettings.scanned_image_coverage must be in (0, 1]")
        if self.scanned_max_chars < 0 or self.cover_max_lines < 0:
            raise ValueError("PdfReaderSettings counts must not be negative")
        if min(self.max_pages, self.max_stream_bytes, self.max_total_stream_bytes) < 1:
            raise ValueError("PdfReaderSettings limits must be positive")

    def pdfplumber_table_settings(self) -> dict[str, Any]:
        base = {
            "vertical_strategy": "lines",
            "horizontal_strategy": "lines",
            "snap_tolerance": self.snap_tolerance,
            "intersection_tolerance": self.intersection_tolerance,
        }
        base.update(self.table_settings)
        return base


# --------------------------------------------------------------------------- pages


def _image_coverage(page: Any) -> float:
    area = float(page.width * page.height) or 1.0
    best = 0.0
    for im in page.images:
        w = max(0.0, min(im["x1"], page.width) - max(im["x0"], 0))
        h = max(0.0, min(im["bottom"], page.height) - max(im["top"], 0))
        best = max(best, w * h / area)
    return best


_FOLIO_CHARS = frozenset(" \t-—–/第页")


def classify_page(
    n_chars: int, lines: list[Line], image_coverage: float, settings: PdfReaderSettings
) -> PageKind:
    """Why per page: a scan among text pages must be reported, a blank one must not."""
    if image_coverage >= settings.scanned_image_coverage and n_chars <= settings.scanned_max_chars:
        return "scanned"
    meaningful = [ln for ln in lines if any(not ch.isdigit() and ch not in _FOLIO_CHARS for ch in ln.text)]
    if not meaningful:
        return "blank"
    if len(lines) <= settings.cover_max_lines and not any(ln.is_table_row for ln in lines):
        return "cover"
    return "text"


def _read_page(page: Any, page_no: int, settings: PdfReaderSettings) -> Page:
    chars = dedupe(interpret(page))  # the page's one pass of pdfminer; graphics stay on the page
    grids = find_grids(page, settings.pdfplumber_table_settings())
    lines = layout_lines(chars, grids, page_no, settings.line_tolerance, settings.word_gap)
    kind = classify_page(sum(1 for c in chars if visible(c)), lines, _image_coverage(page), settings)
    return Page(
        page_no=page_no,
        lines=lines,
        width=float(page.width),
        height=float(page.height),
        kind=kind,
        image_count=len(page.images),
    )


# --------------------------------------------------------------------------- document


def _reason(exc: BaseException) -> str:
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    name = type(inner).__name__
    text = str(inner)
    if "Password" in name or "Encrypt" in name or "password" in text.lower():
        return "the PDF is encrypted (password protected), so its text cannot be read"
    if isinstance(inner, RecursionError):
        return ("the PDF nests its objects too deeply to be read (deeper than Python's recursion "
                "limit): a damaged or hostile file")
    if "No /Root object" in text:
        return ("the PDF is corrupt: its cross-reference table and trailer are damaged and no "
                "document catalogue (/Root) can be found")
    if "EOF" in text or "startxref" in text.lower() or "xref" in text.lower():
        return f"the PDF is truncated or its cross-reference table is damaged ({text})"
    return f"the PDF is corrupt and cannot be parsed ({name}: {text})"


class PdfReader:
    """Reads one PDF's bytes into a :class:`Document`; knobs live in the settings."""

    def __init__(self, settings: PdfReaderSettings | None = None):
        self.settings = settings or PdfReaderSettings()

    def read(self, data: bytes, document_id: str, source_uri: str) -> Document:
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise DocumentError("the file is not a PDF (it does not start with %PDF)")
        ocr = OcrPass(self.settings.ocr)
        try:
            pages = self._pages(data, ocr)
        except DocumentError:
            raise
        except Exception as exc:  # pdfminer raises many unrelated types on bad input
            raise DocumentError(_reason(exc)) from exc
        if not pages:
            raise DocumentError("the PDF has no pages")
        doc = Document(document_id=document_id, source_uri=source_uri, format="pdf", pages=pages)
        if doc.scanned_pages:
            doc.notes.append(
                "pages without a text layer (scanned images): "
                + ", ".join(str(n) for n in doc.scanned_pages)
            )
            doc.notes.extend(ocr.notes(pages))
        if all(p.kind in ("blank", "scanned") for p in pages):
            if doc.scanned_pages:  # scans only, none read: nothing for the parsers
                raise DocumentError(ocr.refusal(doc.scanned_pages))
            doc.notes.append("no page of this PDF has a text layer")
        return doc

    def _pages(self, data: bytes, ocr: OcrPass) -> list[Page]:
        out = []
        s = self.settings
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            check_pdf_limits(pdf.doc, s.max_pages, s.max_stream_bytes, s.max_total_stream_bytes)
            for n, page in enumerate(pdf.pages, start=1):
                if n > s.max_pages:  # the catalogue's /Count understated the tree
                    raise too_many_pages(len(pdf.pages), s.max_pages)
                read = _read_page(page, n, s)
                if read.kind == "scanned":
                    read = ocr.read(page, read, s.line_tolerance, s.word_gap)
                out.append(read)
                page.close()
        return out


def read_pdf(
    data: bytes, document_id: str, source_uri: str, settings: PdfReaderSettings | None = None
) -> Document:
    """Read a PDF (scanned pages with OCR where the extra is installed); DocumentError for
    encrypted/corrupt/truncated files and for scans that give no text."""
    return PdfReader(settings).read(data, document_id, source_uri)
