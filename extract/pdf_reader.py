"""Text-layer PDFs into the one page/line/word model, tables rebuilt from ruling lines.

pdfminer's plain text loses what matters in budget tables: a blank cell vanishes and
neighbouring cells run together, so a figure lands in the wrong column. Here each
page's characters are read once (pdfplumber on pdfminer.six, positions kept), the
table grid is found from the ruling lines, every character is dropped into the grid
cell that holds its centre, and each grid row becomes one :class:`Line` whose
``cells`` keep blank cells as ``""`` and join a cell's wrapped lines. Characters
outside any table become ordinary lines of words. Pages are classified
(text / blank / cover / scanned) so image-only pages are reported, never dropped.
"""

from __future__ import annotations

import io
import logging
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from extract.model import Document, Line, Page, PageKind, Word
from schemas.errors import DocumentError

Char = dict[str, Any]
BBox = tuple[float, float, float, float]

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
    table_settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("line_tolerance", "word_gap", "snap_tolerance", "intersection_tolerance"):
            if getattr(self, name) <= 0:
                raise ValueError(f"PdfReaderSettings.{name} must be positive")
        if not 0 < self.scanned_image_coverage <= 1:
            raise ValueError("PdfReaderSettings.scanned_image_coverage must be in (0, 1]")
        if self.scanned_max_chars < 0 or self.cover_max_lines < 0:
            raise ValueError("PdfReaderSettings counts must not be negative")

    def pdfplumber_table_settings(self) -> dict[str, Any]:
        base = {
            "vertical_strategy": "lines",
            "horizontal_strategy": "lines",
            "snap_tolerance": self.snap_tolerance,
            "intersection_tolerance": self.intersection_tolerance,
        }
        base.update(self.table_settings)
        return base


# --------------------------------------------------------------------------- chars


def _dedupe(chars: list[Char]) -> list[Char]:
    """Drop over-printed duplicates (fake bold draws each glyph two or three times)."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for c in chars:
        key = (c["text"], round(c["x0"]), round(c["top"]))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def _visible(c: Char) -> bool:
    return bool(c["text"].strip())


def _centre(c: Char) -> tuple[float, float]:
    return (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2


def _cluster_lines(chars: list[Char], tol: float) -> list[list[Char]]:
    """Group chars into visual lines, each sorted left to right.

    A char joins the line when its centre is within ``tol`` of the line's first char or
    when the two boxes overlap by at least half a char height: digits set in a Latin
    font sit a few points lower than the CJK text around them yet belong to its line.
    """
    lines: list[list[Char]] = []
    top = bottom = mid = 0.0
    for c in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        c_mid = (c["top"] + c["bottom"]) / 2
        if lines:
            overlap = min(bottom, c["bottom"]) - max(top, c["top"])
            height = min(bottom - top, c["bottom"] - c["top"]) or 1.0
            if c_mid - mid <= tol or overlap >= height / 2:
                lines[-1].append(c)
                continue
        lines.append([c])
        top, bottom, mid = c["top"], c["bottom"], c_mid
    for line in lines:
        line.sort(key=lambda c: c["x0"])
    return lines


def _words(line: list[Char], gap: float) -> list[Word]:
    words: list[Word] = []
    run: list[Char] = []
    for c in line:
        if not c["text"].strip():  # a printed space separates words whatever its width
            if run:
                words.append(_word(run))
                run = []
            continue
        if run and c["x0"] - run[-1]["x1"] > gap:
            words.append(_word(run))
            run = []
        run.append(c)
    if run:
        words.append(_word(run))
    return words


def _word(run: list[Char]) -> Word:
    return Word(
        text="".join(c["text"] for c in run),
        x0=run[0]["x0"],
        x1=max(c["x1"] for c in run),
        top=min(c["top"] for c in run),
        bottom=max(c["bottom"] for c in run),
    )


def _join_words(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


# --------------------------------------------------------------------------- tables


@dataclass
class _Grid:
    """A found table: its rows of cell boxes and a band index to place chars fast."""

    bbox: BBox
    rows: list[list[BBox | None]]
    edges: list[float]  # sorted distinct cell tops/bottoms
    bands: list[list[tuple[BBox, int, int]]]  # band -> cells covering it

    @classmethod
    def from_table(cls, table: Any) -> _Grid:
        rows = [list(r.cells) for r in table.rows]
        cells = [(bb, i, j) for i, r in enumerate(rows) for j, bb in enumerate(r) if bb]
        edges = sorted({bb[1] for bb, _, _ in cells} | {bb[3] for bb, _, _ in cells})
        bands: list[list[tuple[BBox, int, int]]] = [[] for _ in range(max(len(edges) - 1, 0))]
        for bb, i, j in cells:
            lo = edges.index(bb[1])
            hi = edges.index(bb[3])
            for k in range(lo, hi):
                bands[k].append((bb, i, j))
        return cls(bbox=tuple(table.bbox), rows=rows, edges=edges, bands=bands)

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        k = bisect_right(self.edges, y) - 1
        if k < 0 or k >= len(self.bands):
            return None
        for bb, i, j in self.bands[k]:
            if bb[0] <= x <= bb[2]:
                return i, j
        return None


def _is_white(colour: Any) -> bool:
    if colour is None:
        return False
    values = colour if isinstance(colour, (list, tuple)) else (colour,)
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False
    if len(values) == 4:  # CMYK: no ink is white
        return all(v == 0 for v in values)
    return all(v == 1 for v in values)


def _invisible(obj: Char) -> bool:
    """A white, unstroked box (a cell background) draws no ruling line, so it must not cut cells."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return False
    return not obj.get("fill") or _is_white(obj.get("non_stroking_color"))


def _find_grids(page: Any, settings: PdfReaderSettings) -> list[_Grid]:
    if not (page.lines or page.rects or page.curves):
        return []
    if any(_invisible(r) for r in page.rects):
        page = page.filter(lambda obj: not _invisible(obj))
    tables = page.find_tables(table_settings=settings.pdfplumber_table_settings())
    return [_Grid.from_table(t) for t in tables if t.rows]


def _cell_text(chars: list[Char], settings: PdfReaderSettings) -> str:
    """A cell's text; a cell wrapped onto several lines is joined without a break."""
    parts = []
    for line in _cluster_lines(chars, settings.line_tolerance):
        parts.append(" ".join(w.text for w in _words(line, settings.word_gap)))
    return "".join(parts).strip()


def _grid_lines(
    grid: _Grid, cell_chars: dict[tuple[int, int], list[Char]], settings: PdfReaderSettings
) -> list[tuple[float, Line]]:
    out = []
    for i, row in enumerate(grid.rows):
        texts = []
        row_chars: list[Char] = []
        for j, bb in enumerate(row):
            chars = cell_chars.get((i, j), []) if bb else []
            row_chars.extend(chars)
            texts.append(_cell_text(chars, settings) if chars else "")
        tops = [bb[1] for bb in row if bb]
        top = min(tops) if tops else grid.bbox[1]
        words: list[Word] = []
        for line in _cluster_lines(row_chars, settings.line_tolerance):
            words.extend(_words(line, settings.word_gap))
        cells = tuple(texts)
        line = Line(0, 0, "\t".join(cells), tuple(words), cells, top)
        out.append((top, line))
    return out


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
    chars = _dedupe(page.chars)
    grids = _find_grids(page, settings)
    placed: list[dict[tuple[int, int], list[Char]]] = [{} for _ in grids]
    loose: list[Char] = []
    for c in chars:
        x, y = _centre(c)
        for g, grid in enumerate(grids):
            x0, top, x1, bottom = grid.bbox
            if x0 <= x <= x1 and top <= y <= bottom:
                where = grid.locate(x, y)
                if where is not None:
                    placed[g].setdefault(where, []).append(c)
                    break
        else:
            loose.append(c)
    items: list[tuple[float, Line]] = []
    for grid, cell_chars in zip(grids, placed):
        items.extend(_grid_lines(grid, cell_chars, settings))
    for line in _cluster_lines(loose, settings.line_tolerance):
        words = _words(line, settings.word_gap)
        if not words:
            continue
        top = min(w.top for w in words)
        items.append((top, Line(0, 0, _join_words(words), tuple(words), None, top)))
    items.sort(key=lambda item: item[0])
    lines = [
        Line(page_no, n, ln.text, ln.words, ln.cells, ln.top)
        for n, (_, ln) in enumerate(items, start=1)
    ]
    kind = classify_page(sum(1 for c in chars if _visible(c)), lines, _image_coverage(page), settings)
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
        try:
            pages = self._pages(data)
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
        if all(p.kind in ("blank", "scanned") for p in pages):
            doc.notes.append("no page of this PDF has a text layer")
        return doc

    def _pages(self, data: bytes) -> list[Page]:
        out = []
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for n, page in enumerate(pdf.pages, start=1):
                out.append(_read_page(page, n, self.settings))
                page.close()
        return out


def read_pdf(
    data: bytes, document_id: str, source_uri: str, settings: PdfReaderSettings | None = None
) -> Document:
    """Read a text-layer PDF; raises DocumentError for encrypted/corrupt/truncated files."""
    return PdfReader(settings).read(data, document_id, source_uri)
