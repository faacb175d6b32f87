"""An HTML body element into lines: block elements cut lines, table rows become cells.

Merged cells are expanded the way the seed's tab-separated export shows them: a
``colspan`` leaves empty cells after its text, a ``rowspan`` leaves an empty cell in
the rows below, so a row keeps its column positions and one table parser reads text,
HTML and PDF rows alike. A table that holds other tables is page layout: only its
innermost tables are data.
"""

from __future__ import annotations

import re

from lxml import etree

from extract.read.model import Line, Word

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article main blockquote pre "
    "center address caption figure figcaption hr".split()
)
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


def body_lines(body: etree._Element) -> list[Line]:
    builder = _LineBuilder()
    builder.walk(body)
    builder.flush()
    return builder.lines


class _LineBuilder:
    """Walks the body in document order, cutting lines at block boundaries."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._parts: list[str] = []

    def walk(self, el: etree._Element) -> None:
        if not isinstance(el.tag, str):
            self._text(el.tail)
            return
        if el.tag == "table":
            self.flush()
            self._table(el)
        elif el.tag == "br":
            self.flush()
        else:
            block = el.tag in _BLOCK_TAGS
            if block:
                self.flush()
            self._text(el.text)
            for child in el:
                self.walk(child)
            if block:
                self.flush()
        self._text(el.tail)

    def _text(self, text: str | None) -> None:
        if text:
            self._parts.append(text)

    def flush(self) -> None:
        text = clean("".join(self._parts))
        self._parts = []
        if text:
            self.lines.append(Line(page_no=1, line_no=len(self.lines) + 1, text=text))

    def _table(self, table: etree._Element) -> None:
        rows = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
        if any(_nearest_table(t) is table for t in table.iter("table") if t is not table):
            for inner in (t for t in table.iter("table") if t is not table and _nearest_table(t) is table):
                self._table(inner)  # a layout table: only its inner tables hold data
            return
        for cells in _table_grid(rows):
            if any(cells):
                words = tuple(
                    Word(text=c, x0=float(i), x1=float(i + 1), top=0.0, bottom=0.0)
                    for i, c in enumerate(cells) if c
                )
                self.lines.append(
                    Line(page_no=1, line_no=len(self.lines) + 1, text="\t".join(cells),
                         words=words, cells=tuple(cells))
                )


def _nearest_table(el: etree._Element) -> etree._Element | None:
    return next(el.iterancestors("table"), None)


def _table_grid(rows: list[etree._Element]) -> list[list[str]]:
    """Rows of cell texts with colspan/rowspan expanded into empty cells."""
    grid: list[list[str]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    for tr in rows:
        row: list[str] = []
        col = 0
        for cell in (c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")):
            while pending.get(col, 0) > 0:
                row.append("")
                pending[col] -= 1
                col += 1
            span = _span(cell, "colspan")
            down = _span(cell, "rowspan") - 1
            row.append(clean(cell.text_content()))
            row.extend([""] * (span - 1))
            for c in range(col, col + span):
                if down > 0:
                    pending[c] = down
            col += span
        while pending.get(col, 0) > 0:
            row.append("")
            pending[col] -= 1
            col += 1
        grid.append(row)
    return grid


def _span(cell: etree._Element, attr: str) -> int:
    try:
        return max(1, min(int((cell.get(attr) or "1").strip()), 100))
    except ValueError:
        return 1


def clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip(" \u3000")
