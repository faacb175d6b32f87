"""A tiny flowing layout on a reportlab canvas: wrapped paragraphs and ruled tables.

Real disclosures are typeset by office suites; what matters to extraction is that
table cells are ruled boxes with text inside, that long cells wrap onto several
lines, and that tables run on over page breaks (with or without a repeated header).
This draws exactly that with the built-in ``STSong-Light`` CID font, and nothing more.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass(frozen=True)
class LayoutSettings:
    margin: float = 50.0
    body_size: float = 10.5
    table_size: float = 8.5
    leading: float = 1.35  # line height as a multiple of the font size
    padding: float = 3.0

    def __post_init__(self) -> None:
        if self.margin <= 0 or self.body_size <= 0 or self.table_size <= 0 or self.leading < 1:
            raise ValueError("LayoutSettings: sizes must be positive and leading >= 1")


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy character wrap (Chinese has no spaces to break at)."""
    lines, current = [], ""
    for ch in text:
        if current and pdfmetrics.stringWidth(current + ch, FONT, size) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    return [*lines, current] if current else lines or [""]


class Flow:
    """Top-to-bottom writer that starts a new page when the next thing does not fit."""

    def __init__(self, settings: LayoutSettings | None = None):
        self.s = settings or LayoutSettings()
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, pageCompression=0)
        self.width, self.height = A4
        self.y = self.height - self.s.margin
        self.pages = 1
        self._dirty = False

    @property
    def text_width(self) -> float:
        return self.width - 2 * self.s.margin

    def new_page(self) -> None:
        self.c.showPage()
        self.pages += 1
        self.y = self.height - self.s.margin
        self._dirty = False

    def _room(self, height: float) -> bool:
        return self.y - height >= self.s.margin

    def gap(self, points: float) -> None:
        self.y -= points

    def paragraph(self, text: str, size: float | None = None, centred: bool = False) -> None:
        size = size or self.s.body_size
        step = size * self.s.leading
        for line in wrap(text, self.text_width, size):
            if not self._room(step):
                self.new_page()
            self.y -= step
            self.c.setFont(FONT, size)
            if centred:
                self.c.drawCentredString(self.width / 2, self.y + 0.25 * size, line)
            else:
                self.c.drawString(self.s.margin, self.y + 0.25 * size, line)
            self._dirty = True
        self.y -= 0.4 * step

    def table(self, rows: list[list[str]], widths: list[float], header_rows: int = 0,
              repeat_header: bool = False, right_align_from: int | None = None) -> None:
        """Ruled grid; rows never split, a table may continue on the next page."""
        scale = self.text_width / sum(widths)
        widths = [w * scale for w in widths]
        header = rows[:header_rows]
        for index, row in enumerate(rows):
            height = self._row_height(row, widths)
            if not self._room(height):
                self.new_page()
                if repeat_header and index >= header_rows:
                    for head in header:
                        self._row(head, widths, self._row_height(head, widths), None)
            self._row(row, widths, height, right_align_from if index >= header_rows else None)
        self.y -= self.s.body_size

    def break_table_after(self, rows: list[list[str]], widths: list[float], count: int) -> None:
        """Leave room for exactly the first ``count`` rows of the table drawn next, so the
        page breaks after them (a table broken across a page)."""
        scale = self.text_width / sum(widths)
        scaled = [w * scale for w in widths]
        needed = sum(self._row_height(row, scaled) for row in rows[:count]) + 1.0
        if not self._room(needed):
            self.new_page()
        self.gap(self.y - self.s.margin - needed)

    def _cell_lines(self, text: str, width: float) -> list[str]:
        return wrap(text, width - 2 * self.s.padding, self.s.table_size) if text else []

    def _row_height(self, row: list[str], widths: list[float]) -> float:
        most = max([len(self._cell_lines(t, w)) for t, w in zip(row, widths)] + [1])
        return most * self.s.table_size * self.s.leading + 2 * self.s.padding

    def _row(self, row: list[str], widths: list[float], height: float, right_from: int | None) -> None:
        x, size, step = self.s.margin, self.s.table_size, self.s.table_size * self.s.leading
        self.c.setLineWidth(0.6)
        for col, (text, width) in enumerate(zip(row, widths)):
            self.c.rect(x, self.y - height, width, height, stroke=1, fill=0)
            self.c.setFont(FONT, size)
            for k, line in enumerate(self._cell_lines(text, width)):
                baseline = self.y - self.s.padding - (k + 1) * step + 0.25 * size
                if right_from is not None and col >= right_from:
                    self.c.drawRightString(x + width - self.s.padding, baseline, line)
                else:
                    self.c.drawString(x + self.s.padding, baseline, line)
            x += width
        self.y -= height
        self._dirty = True

    def scanned_page(self, seed: int) -> None:
        """A page that is only a raster image (a scan): pixels, no text layer."""
        from PIL import Image, ImageDraw

        if self._dirty:
            self.new_page()
        rng = random.Random(seed)
        img = Image.new("L", (400, 560), 250)
        draw = ImageDraw.Draw(img)
        for row in range(30, 540, 18):  # grey bars where lines of text would be
            draw.rectangle((30, row, rng.randint(200, 370), row + 8), fill=rng.randint(40, 120))
        m = self.s.margin
        self.c.drawImage(ImageReader(img), m, m, self.width - 2 * m, self.height - 2 * m)
        self.new_page()

    def finish(self) -> bytes:
        self.c.save()
        return self.buf.getvalue()
