"""A scanned PDF page read with OCR into the same lines and table cells as a text page.

The page is rendered (pdfplumber's pdfium renderer, at ``OcrSettings.dpi``), the engine
(:mod:`extract.read.ocr_engine`) finds its text boxes, and the page is laid out exactly as a
text-layer page (:func:`extract.read.pdf_layout.layout_lines`):

- the table grid comes from the ruling lines printed on the scan, found in the image
  (OpenCV morphology: long thin runs of dark pixels) and joined into cells by
  pdfplumber's own edge → intersection → cell → table steps;
- each text box becomes characters spread over its width (a CJK character twice as wide
  as a digit), so a box is placed into the grid cell that holds it, and a box the
  detector ran across two cells is split at the ruling line between them.

OCR text is cleaned only where a scan reliably breaks print: spaces the recogniser puts
after a thousands comma ("66,716, 064" → "66,716,064") and full-width digits. A box the
engine is unsure of (below ``min_box_confidence``), or one taller than an inch (a stamp or a
drawing read as letters), is dropped as noise; a figure it is
unsure of (below ``min_figure_confidence``) is held back: its cell stays blank, so a
misread amount is missing rather than wrong, and the page counts it (``Page.ocr_held``).
"""

from __future__ import annotations

import re
import time
import unicodedata
from statistics import fmean
from typing import Any

from extract.read.model import Page
from extract.read.ocr_engine import ENGINE_NAME, OCR_MISSING, Box, OcrSettings, OcrTimeout, available, recognise
from extract.read.pdf_layout import Char, Grid, layout_lines

_SPACED_SEPARATOR = re.compile(r"(?<=\d)\s*([,，.．])\s*(?=\d)")
_FIGURE = re.compile(r"^[-−(（]?[\d,，.．\s]*\d[\d,，.．\s]*%?[)）]?$")
_WIDE = ("W", "F")
MAX_LINE_POINTS = 72.0  # one inch: a text box taller than this is a picture the engine read as letters


def clean(text: str) -> str:
    """Full-width digits and separators folded; no space around a separator inside a number."""
    text = unicodedata.normalize("NFKC", text) if any("０" <= ch <= "９" for ch in text) else text
    return _SPACED_SEPARATOR.sub(lambda m: {"，": ",", "．": "."}.get(m.group(1), m.group(1)), text).strip()


def is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text))


def box_chars(box: Box, text: str, scale: float) -> list[Char]:
    """The box's characters, each given a slice of its width (wide characters two units)."""
    units = [2 if unicodedata.east_asian_width(ch) in _WIDE else 1 for ch in text]
    total = sum(units) or 1
    step = (box.x1 - box.x0) / total
    chars, at = [], box.x0
    for ch, unit in zip(text, units):
        chars.append({"text": ch, "x0": at * scale, "x1": (at + unit * step) * scale,
                      "top": box.top * scale, "bottom": box.bottom * scale})
        at += unit * step
    return chars


def has_ink(image: Any, share: float = 0.00005) -> bool:
    """Whether at least ``share`` of the page is dark (print); a blank or evenly grey scan is not."""
    import numpy as np

    gray = np.asarray(image.convert("L"))
    return bool((gray < 128).mean() >= share)


def ruled_grids(image: Any, scale: float) -> list[Grid]:
    """Tables from the ruling lines printed on a scan, as grids in PDF points."""
    import cv2
    import numpy as np
    from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    gray = np.asarray(image.convert("L"))
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    height, width = ink.shape
    edges = []
    for orientation, kernel in (("h", (max(width // 30, 40), 1)), ("v", (1, max(height // 60, 30)))):
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        count, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        for x, y, w, h, _area in stats[1:count]:
            if orientation == "h":
                mid = (y + h / 2) * scale
                edges.append(_edge(x * scale, (x + w) * scale, mid, mid, "h"))
            else:
                mid = (x + w / 2) * scale
                edges.append(_edge(mid, mid, y * scale, (y + h) * scale, "v"))
    if not edges:
        return []
    merged = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(merged, 3, 3))
    return [Grid.from_table(table) for table in (Table(None, group) for group in cells_to_tables(cells))
            if table.rows]


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str) -> dict[str, Any]:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line"}


def read_scanned_page(page: Any, scanned: Page, settings: OcrSettings, line_tol: float, word_gap: float,
                      seconds: float | None = None) -> Page:
    """``scanned`` (a pdfplumber page's model with no text layer) read with OCR; OcrTimeout past the limit.

    Returns the page with kind ``ocr`` and its lines, or the scanned page unchanged (with
    ``ocr_confidence`` 0.0) when the engine finds no text on it."""
    image = page.to_image(resolution=settings.dpi).original
    scale = 72.0 / settings.dpi
    if not has_ink(image):  # a blank sheet scanned (a separator page): nothing to recognise
        scanned.ocr_confidence, scanned.ocr_held = 0.0, 0
        return scanned
    boxes = recognise(image, settings, seconds)
    chars: list[Char] = []
    confidences: list[float] = []
    held = 0
    for box in boxes:
        text = clean(box.text)
        if not text or box.confidence < settings.min_box_confidence or (box.bottom - box.top) * scale > MAX_LINE_POINTS:
            continue  # noise, or a "line" taller than any printed text: a stamp, a drawing, a photo
        if is_figure(text) and box.confidence < settings.min_figure_confidence:
            held += 1
            continue
        confidences.append(box.confidence)
        chars.extend(box_chars(box, text, scale))
    if not chars:
        scanned.ocr_confidence, scanned.ocr_held = 0.0, held
        return scanned
    lines = layout_lines(chars, ruled_grids(image, scale), scanned.page_no, line_tol, word_gap)
    return Page(scanned.page_no, lines, scanned.width, scanned.height, "ocr", scanned.image_count,
                ocr_confidence=round(fmean(confidences), 3), ocr_held=held)




class OcrPass:
    """OCR over one document's scanned pages, within its page cap; says what it did in notes."""

    def __init__(self, settings: OcrSettings):
        self.settings = settings
        self.read_pages: list[int] = []
        self.unread: dict[str, list[int]] = {}
        self.seconds = 0.0
        self.failure = ""

    def read(self, page: Any, scanned: Page, line_tol: float, word_gap: float) -> Page:
        s = self.settings
        left = None if s.document_seconds is None else s.document_seconds - self.seconds
        why = ("off" if not s.enabled else "missing" if not available()
               else "capped" if len(self.read_pages) >= s.max_pages
               else "spent" if left is not None and left <= 0 else None)
        if why:
            self.unread.setdefault(why, []).append(scanned.page_no)
            return scanned
        started = time.perf_counter()
        try:
            out = read_scanned_page(page, scanned, s, line_tol, word_gap, left)
        except OcrTimeout:
            self.unread.setdefault("timeout" if left is None or left > s.page_seconds else "spent",
                                   []).append(scanned.page_no)
            return scanned
        except Exception as exc:  # noqa: BLE001 - the engine failing on one page must not lose the document
            self.failure = self.failure or _failure(exc)
            self.unread.setdefault("failed", []).append(scanned.page_no)
            return scanned
        finally:
            self.seconds += time.perf_counter() - started
        self.read_pages.append(scanned.page_no)
        if out.kind != "ocr":
            self.unread.setdefault("empty", []).append(scanned.page_no)
        return out

    def notes(self, pages: list[Page]) -> list[str]:
        out = []
        read = [p for p in pages if p.kind == "ocr"]
        if read:
            held = sum(p.ocr_held for p in read)
            out.append(f"pages read with OCR ({ENGINE_NAME}, {self.settings.dpi} dpi): {_numbers(read)} in "
                       f"{self.seconds:.1f} s; mean confidence {fmean(p.ocr_confidence or 0 for p in read):.3f}"
                       + (f"; {held} figure(s) held back, read with confidence below "
                          f"{self.settings.min_figure_confidence}" if held else ""))
        out.extend(f"{self.explain(why)}: pages {', '.join(map(str, numbers))}"
                   for why, numbers in self.unread.items())
        return out

    def explain(self, why: str) -> str:
        s = self.settings
        return {"off": "scanned pages not read: OCR is turned off", "missing": OCR_MISSING,
                "capped": f"scanned pages not read: past the cap of {s.max_pages} OCR'd pages per document",
                "timeout": f"scanned pages not read: OCR took longer than {s.page_seconds:.0f} s a page",
                "spent": f"scanned pages not read: the {s.document_seconds or 0:.0f} s of OCR one document may take "
                         "(from the run's --time-limit) were spent",
                "failed": f"scanned pages not read: OCR failed ({self.failure})",
                "empty": f"OCR ({ENGINE_NAME}) found no text it was sure of"}[why]

    def refusal(self, scanned: list[int]) -> str:
        """Why a document whose every page with content is a scan gives no text."""
        whys = "; ".join(self.explain(why) for why in self.unread) or OCR_MISSING
        return f"no text to read: all {len(scanned)} page(s) with content are scanned images; {whys}"


def _failure(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, MemoryError) or "bad_alloc" in text or "Failed to allocate" in text:
        return ("out of memory: the OCR engine needs about 2 GB of address space, more than the worker's memory "
                "limit left it (raise --memory-limit)")
    return f"{type(exc).__name__}: {text.strip().splitlines()[-1][:160] if text.strip() else ''}"


def _numbers(pages: list[Page]) -> str:
    return ", ".join(str(p.page_no) for p in pages)
