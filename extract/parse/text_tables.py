"""Rows and cells for a table printed without ruling lines, from word positions.

Some disclosures draw no grid (or only a rule under the header), so the reader hands
such a table over as running-text lines. Under a recognised table title those lines
are rebuilt here: the columns are the x-ranges that the words of the figure-bearing
lines occupy (overlapping words merged into one column), and every word of every
line goes to the column its centre falls in, so a blank cell stays a blank cell.
"""

from __future__ import annotations

from extract.read.model import Line, Word

MIN_COLUMNS = 2
COLUMN_GAP = 4.0  # points between two words' extents for them to be separate columns


def _is_figure(word: Word) -> bool:
    text = word.text.replace(",", "").replace(".", "", 1).lstrip("-")
    return text.isdigit()


def column_spans(lines: list[Line]) -> list[tuple[float, float]]:
    """x-ranges of the columns, from the words of the lines that carry figures."""
    spans: list[list[float]] = []
    data = [ln for ln in lines if any(_is_figure(w) for w in ln.words)]
    for word in sorted((w for ln in data for w in ln.words), key=lambda w: w.x0):
        if spans and word.x0 <= spans[-1][1] + COLUMN_GAP:
            spans[-1][1] = max(spans[-1][1], word.x1)
        else:
            spans.append([word.x0, word.x1])
    return [(a, b) for a, b in spans]


def _column_of(word: Word, spans: list[tuple[float, float]]) -> int:
    centre = (word.x0 + word.x1) / 2
    best, distance = 0, float("inf")
    for j, (a, b) in enumerate(spans):
        if a <= centre <= b:
            return j
        d = min(abs(centre - a), abs(centre - b))
        if d < distance:
            best, distance = j, d
    return best


def rows_from_words(lines: list[Line]) -> list[Line]:
    """The lines as table rows, or [] when they do not line up into columns."""
    spans = column_spans(lines)
    if len(spans) < MIN_COLUMNS:
        return []
    rows = []
    for line in lines:
        cells = [""] * len(spans)
        for word in line.words:
            j = _column_of(word, spans)
            cells[j] = f"{cells[j]} {word.text}".strip() if cells[j] else word.text
        if any(cells):
            rows.append(Line(line.page_no, line.line_no, "\t".join(cells), line.words, tuple(cells), line.top))
    return rows
