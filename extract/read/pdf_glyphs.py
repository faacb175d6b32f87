"""One pass of pdfminer's interpreter per page: glyphs as light records, graphics as layout objects.

pdfplumber reads a page by letting pdfminer build an ``LTChar`` per glyph (font name, colour
spaces, graphic state, matrix …) and then turning each into a dict of some twenty keys; the
PDF reader needs five of them (text, x0, x1, top, bottom). :func:`interpret` runs pdfminer's
interpreter once over a pdfplumber page with a device that records each glyph as exactly those
five values, computed with the same arithmetic as ``LTChar`` and pdfplumber (so every figure
lands where it did), and hands everything else — lines, rectangles, curves, images, form
XObjects — to pdfplumber's own aggregator as before. The page's layout and its objects are then
set on the pdfplumber page, so ``page.lines``/``rects``/``curves``/``images``/``edges`` and the
table finder work on the graphics alone and never re-interpret the page or see a glyph. Lines,
rectangles and curves become dicts of the sixteen keys the table finder and the reader read
(:func:`graphics`; pdfplumber's own have some twenty-five, and it copies each edge whole every
time it snaps or joins one); images stay pdfplumber's objects. No layout
analysis is run (pdfplumber's default, ``laparams=None``): the reader builds its own lines.
Importing this module also silences the debug calls of pdfminer's tokeniser (:class:`_WithoutDebug`)
unless debug logging is on for it.

Relies on pdfplumber keeping a page's interpreted layout in ``Page._layout`` and its objects in
``Page._objects`` (0.10 and 0.11); ``tests/extract/read/test_pdf_glyphs.py`` compares these glyphs
with ``page.chars``, these graphics with pdfplumber's (key by key) and the grids found on both.
"""

from __future__ import annotations

import logging
from typing import Any

import pdfminer.psparser
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.layout import LTContainer, LTCurve, LTLine, LTRect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import apply_matrix_rect
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.pdfinternals import resolve_all

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


_KINDS = {LTLine: "line", LTRect: "rect", LTCurve: "curve"}  # exact classes, pdfplumber's object_type

# what the table finder, the scan check and the reader read of a line, rectangle or curve
GRAPHIC_KEYS = ("x0", "y0", "x1", "y1", "width", "height", "linewidth", "stroke", "fill",
                "stroking_color", "non_stroking_color", "object_type", "page_number", "top", "bottom", "doctop")


def graphics(page: Any, layout: Any) -> dict[str, list[dict[str, Any]]]:
    """The page's objects by kind, as ``pdfplumber.Page.objects`` (``parse_objects``) lists them with no
    layout analysis (the reader's ``laparams=None``: a figure is not an object itself, its contents are),
    from its interpreted ``layout`` (no glyphs: :class:`GlyphDevice` keeps those). Lines, rectangles and
    curves are cut to :data:`GRAPHIC_KEYS` (and ``pts`` for a curve, which its edges are made of) with
    ``process_object``'s arithmetic, so the same floats; images and anything else are pdfplumber's own.
    pdfplumber's full dict also resolves the drawing path, dash pattern and marked-content tags no step
    reads, and every copy the table finder makes of an edge (snapping, joining) copies them all."""
    height, (mb_x0, mb_top) = page.height, page.mediabox[:2]
    doctop, number = page.initial_doctop, page.page_number

    def graphic(obj: Any, kind: str) -> dict[str, Any]:
        top = (height - obj.y1) + mb_top
        x0, x1 = (obj.x0, obj.x1) if mb_x0 == 0 else (obj.x0 + mb_x0, obj.x1 + mb_x0)
        out = {"x0": x0, "y0": obj.y0, "x1": x1, "y1": obj.y1, "width": obj.width, "height": obj.height,
               "linewidth": obj.linewidth, "stroke": obj.stroke, "fill": obj.fill,
               "stroking_color": resolve_all(obj.stroking_color),
               "non_stroking_color": resolve_all(obj.non_stroking_color),
               "object_type": kind, "page_number": number,
               "top": top, "bottom": (height - obj.y0) + mb_top, "doctop": doctop + top}
        if kind == "curve":
            out["pts"] = [page.point2coord(pt) for pt in obj.pts]
        return out

    objects: dict[str, list[dict[str, Any]]] = {}
    stack = [iter(layout._objs)]
    while stack:  # depth first through figures (form XObjects), in content order, like iter_layout_objects
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
        elif isinstance(obj, LTContainer):
            stack.append(iter(obj._objs))
        else:
            kind = _KINDS.get(type(obj))
            made = graphic(obj, kind) if kind else page.process_object(obj)
            if made["object_type"] != "anno":
                objects.setdefault(made["object_type"], []).append(made)
    return objects


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
    page._objects = graphics(page, page._layout)
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    chars = []
    for text, x0, y0, x1, y1 in device.glyphs:  # pdfplumber's Page.process_object, the five keys
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        chars.append({"text": text, "x0": x0, "x1": x1,
                      "top": (height - y1) + mb_top, "bottom": (height - y0) + mb_top})
    return chars
