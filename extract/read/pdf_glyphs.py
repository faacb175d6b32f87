"""One pass of pdfminer's interpreter per page: glyphs as light records, graphics as layout objects.

pdfplumber reads a page by letting pdfminer build an ``LTChar`` per glyph (font name, colour
spaces, graphic state, matrix …) and then turning each into a dict of some twenty keys; the
PDF reader needs five of them (text, x0, x1, top, bottom). :func:`interpret` runs pdfminer's
interpreter once over a pdfplumber page with a device that records each glyph as exactly those
five values, computed with the same arithmetic as ``LTChar`` and pdfplumber (so every figure
lands where it did), and hands everything else — lines, rectangles, curves, images, form
XObjects — to pdfplumber's own aggregator as before. The page's layout is then set on the
pdfplumber page, so ``page.lines``/``rects``/``curves``/``images``/``edges`` and the table
finder work on the graphics alone and never re-interpret the page or see a glyph. No layout
analysis is run (pdfplumber's default, ``laparams=None``): the reader builds its own lines.
Importing this module also silences the debug calls of pdfminer's tokeniser (:class:`_WithoutDebug`)
unless debug logging is on for it.

Relies on pdfplumber keeping a page's interpreted layout in ``Page._layout`` (0.10 and 0.11);
``tests/extract/read/test_pdf_glyphs.py`` compares these glyphs with ``page.chars``.
"""

from __future__ import annotations

import logging
from typing import Any

import pdfminer.psparser
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import apply_matrix_rect
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

Glyph = tuple[str, float, float, float, float]  # text, x0, y0, x1, y1 in pdfminer's page space


class _WithoutDebug:
    """A logger whose ``debug`` does nothing and costs one call: pdfminer's content-stream parser
    logs every token and object at debug level (four calls per token, about 6% of reading a page
    even though the message is never emitted); everything else goes to the real logger."""

    def __init__(self, logger: logging.Logger):
        self._logger = logger

    def debug(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._logger, name)


if isinstance(getattr(pdfminer.psparser, "log", None), logging.Logger) \
        and not pdfminer.psparser.log.isEnabledFor(logging.DEBUG):  # nobody is debugging pdfminer
    pdfminer.psparser.log = _WithoutDebug(pdfminer.psparser.log)


class GlyphDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's aggregator, except that glyphs go to :attr:`glyphs` instead of the layout."""

    def __init__(self, rsrcmgr: Any, pageno: int):
        super().__init__(rsrcmgr, pageno=pageno, laparams=None)
        self.glyphs: list[Glyph] = []

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:  # type: ignore[override]
        """What ``PDFLayoutAnalyzer.render_char`` and ``LTChar.__init__`` compute of a glyph: its
        text and bounding box (same operations, same order, so the same floats); returns the advance."""
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        adv = font.char_width(cid) * fontsize * scaling
        if font.is_vertical():
            vx, vy = font.char_disp(cid)
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            bbox = (0, descent + rise, adv, descent + rise + fontsize)
        x0, y0, x1, y1 = apply_matrix_rect(matrix, bbox)
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        self.glyphs.append((text, x0, y0, x1, y1))
        return adv


def interpret(page: Any) -> list[dict[str, Any]]:
    """Interpret a pdfplumber ``page`` once: its characters as pdfplumber places them (dicts of
    ``text``, ``x0``, ``x1``, ``top``, ``bottom``; points from the page's top left, in content
    order), its graphics left on the page for ``page.rects``, ``page.edges``, ``find_tables``.
    Raises pdfplumber's PdfminerException for a page pdfminer cannot interpret, as ``page.chars`` does."""
    pdf = page.pdf
    device = GlyphDevice(pdf.rsrcmgr, page.page_number)
    try:
        PDFPageInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as exc:
        raise PdfminerException(exc) from exc
    page._layout = device.get_result()  # the graphics: pdfplumber's objects come from here
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    chars = []
    for text, x0, y0, x1, y1 in device.glyphs:  # pdfplumber's Page.process_object, the five keys
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        chars.append({"text": text, "x0": x0, "x1": x1,
                      "top": (height - y1) + mb_top, "bottom": (height - y0) + mb_top})
    return chars
