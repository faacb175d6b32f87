"""The one-pass glyph reader gives exactly what pdfplumber's own objects give, on drawn and real PDFs.

:func:`extract.read.pdf_glyphs.interpret` computes each character's five values itself instead of
letting pdfplumber build a full object per glyph; every figure's cell depends on those floats, so
they are compared for equality (not closeness) with ``page.chars``, and the graphics left on the
page (the edges the table finder uses, the images the scan check uses) with a page read the old way:
lines, rectangles and curves keep the keys those steps read (:data:`GRAPHIC_KEYS`), with the same
values, and the table finder finds the same grids on them.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
from extract.read.pdf_glyphs import GRAPHIC_KEYS, interpret
from extract.read.pdf_layout import find_grids
from extract.read.pdf_reader import PdfReaderSettings
from extract.read.sniff import sniff

KEYS = ("text", "x0", "x1", "top", "bottom")
TABLES = PdfReaderSettings().pdfplumber_table_settings()


def _kept(objects: list[dict]) -> list[dict]:
    """What a step reads of each line, rectangle, curve or edge (a curve's points, an edge's orientation)."""
    keys = (*GRAPHIC_KEYS, "pts", "orientation")
    return [{k: o[k] for k in keys if k in o and (k != "pts" or "curve" in o["object_type"])} for o in objects]


def _grids(page) -> list:
    return [(grid.bbox, grid.rows, grid.edges) for grid in find_grids(page, TABLES)]


def _compare(data: bytes) -> int:
    """Pages compared; fails on the first page whose glyphs, graphics or grids differ."""
    with pdfplumber.open(io.BytesIO(data)) as old, pdfplumber.open(io.BytesIO(data)) as new:
        for before, after in zip(old.pages, new.pages):
            expected = [{k: c[k] for k in KEYS} for c in before.chars]
            assert interpret(after) == expected, f"page {before.page_number}"
            for kind in ("edges", "lines", "rects", "curves"):
                assert _kept(getattr(after, kind)) == _kept(getattr(before, kind)), f"page {before.page_number} {kind}"
            assert _grids(after) == _grids(before), f"page {before.page_number}"
            assert repr(after.images) == repr(before.images), f"page {before.page_number}"
            assert after.chars == []  # the glyphs never reach pdfplumber's objects
        return len(old.pages)


def test_synthetic_disclosures_read_to_the_same_glyphs_and_graphics():
    from tests.synthetic import generate_truth
    from tests.synthetic.render_pdf import render_seed_pdf, render_standard_tables_pdf

    truth = generate_truth(1001)
    assert _compare(render_seed_pdf(truth)) >= 1
    assert _compare(render_standard_tables_pdf(truth)) >= 5


def test_real_disclosures_read_to_the_same_glyphs_and_graphics(real_corpus: Path):
    pdfs = sorted((p for p in real_corpus.rglob("*") if p.is_file() and sniff(p.read_bytes()[:4096]).format == "pdf"),
                  key=lambda p: p.stat().st_size)
    assert len(pdfs) >= 20
    assert sum(_compare(p.read_bytes()) for p in pdfs[:2]) >= 4  # the smallest two: seconds, not minutes

