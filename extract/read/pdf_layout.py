"""Characters into words, lines and ruled-table cells: the geometry behind the PDF reader.

Kept apart from :mod:`extract.read.pdf_reader` (which owns pages, kinds and errors) so the
placement rules can be read, and tested, on their own: which chars share a line,
where a word ends, which ruled cell a char belongs to.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from extract.read.model import Line, Word

Char = dict[str, Any]
BBox = tuple[float, float, float, float]


# --------------------------------------------------------------------------- chars


def dedupe(chars: list[Char]) -> list[Char]:
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


def visible(c: Char) -> bool:
    return bool(c["text"].strip())


def centre(c: Char) -> tuple[float, float]:
    return (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2


def cluster_lines(chars: list[Char], tol: float) -> list[list[Char]]:
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


def words_of(line: list[Char], gap: float) -> list[Word]:
    words: list[Word] = []
    run: list[Char] = []
    for c in line:
        if not c["text"].strip():  # a printed space separates words whatever its width
            if run:
                words.append(make_word(run))
                run = []
            continue
        if run and c["x0"] - run[-1]["x1"] > gap:
            words.append(make_word(run))
            run = []
        run.append(c)
    if run:
        words.append(make_word(run))
    return words


def make_word(run: list[Char]) -> Word:
    return Word(
        text="".join(c["text"] for c in run),
        x0=run[0]["x0"],
        x1=max(c["x1"] for c in run),
        top=min(c["top"] for c in run),
        bottom=max(c["bottom"] for c in run),
    )


def join_words(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


# --------------------------------------------------------------------------- tables


@dataclass
class Grid:
    """A found table: its rows of cell boxes and a band index to place chars fast."""

    bbox: BBox
    rows: list[list[BBox | None]]
    edges: list[float]  # sorted distinct cell tops/bottoms
    bands: list[list[tuple[BBox, int, int]]]  # band -> cells covering it

    @classmethod
    def from_table(cls, table: Any) -> Grid:
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


def is_white(colour: Any) -> bool:
    if colour is None:
        return False
    values = colour if isinstance(colour, (list, tuple)) else (colour,)
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False
    if len(values) == 4:  # CMYK: no ink is white
        return all(v == 0 for v in values)
    return all(v == 1 for v in values)


def invisible(obj: Char) -> bool:
    """A white, unstroked box (a cell background) draws no ruling line, so it must not cut cells."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return False
    return not obj.get("fill") or is_white(obj.get("non_stroking_color"))


def find_grids(page: Any, table_settings: dict[str, Any]) -> list[Grid]:
    if not (page.lines or page.rects or page.curves):
        return []
    if any(invisible(r) for r in page.rects):
        page = page.filter(lambda obj: not invisible(obj))
    tables = page.find_tables(table_settings=_closing_open_ends(page, table_settings))
    return [Grid.from_table(t) for t in tables if t.rows]


def _closing_open_ends(page: Any, table_settings: dict[str, Any]) -> dict[str, Any]:
    """A table cut by a page break has no border where the page ends, so the cells of its
    first and last rows are never closed and their text is lost to the grid. A rule at the
    top and at the bottom of the page's vertical lines closes them; it only meets the
    vertical lines that reach that far, so it cannot cut through a table."""
    vertical = [e for e in page.edges if e["orientation"] == "v"]
    if not vertical:
        return table_settings
    ends = [min(e["top"] for e in vertical), max(e["bottom"] for e in vertical)]
    explicit = list(table_settings.get("explicit_horizontal_lines", [])) + ends
    return {**table_settings, "explicit_horizontal_lines": explicit}


def cell_text(chars: list[Char], line_tol: float, word_gap: float) -> str:
    """A cell's text; a cell wrapped onto several lines is joined without a break."""
    parts = []
    for line in cluster_lines(chars, line_tol):
        parts.append(" ".join(w.text for w in words_of(line, word_gap)))
    return "".join(parts).strip()


def grid_lines(
    grid: Grid, cell_chars: dict[tuple[int, int], list[Char]], line_tol: float, word_gap: float
) -> list[tuple[float, Line]]:
    out = []
    for i, row in enumerate(grid.rows):
        texts = []
        row_chars: list[Char] = []
        for j, bb in enumerate(row):
            chars = cell_chars.get((i, j), []) if bb else []
            row_chars.extend(chars)
            texts.append(cell_text(chars, line_tol, word_gap) if chars else "")
        tops = [bb[1] for bb in row if bb]
        top = min(tops) if tops else grid.bbox[1]
        words: list[Word] = []
        for line in cluster_lines(row_chars, line_tol):
            words.extend(words_of(line, word_gap))
        cells = tuple(texts)
        line = Line(0, 0, "\t".join(cells), tuple(words), cells, top)
        out.append((top, line))
    return out


def layout_lines(chars: list[Char], grids: list[Grid], page_no: int, line_tol: float, word_gap: float) -> list[Line]:
    """A page's lines, top to bottom: each grid row one line with its cells (every char dropped
    into the cell that holds its centre), the chars outside every grid as lines of words."""
    placed: list[dict[tuple[int, int], list[Char]]] = [{} for _ in grids]
    loose: list[Char] = []
    for c in chars:
        x, y = centre(c)
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
        items.extend(grid_lines(grid, cell_chars, line_tol, word_gap))
    for line in cluster_lines(loose, line_tol):
        words = words_of(line, word_gap)
        if not words:
            continue
        top = min(w.top for w in words)
        items.append((top, Line(0, 0, join_words(words), tuple(words), None, top)))
    items.sort(key=lambda item: item[0])
    return [Line(page_no, n, ln.text, ln.words, ln.cells, ln.top) for n, (_, ln) in enumerate(items, start=1)]
