"""The one-pass glyph reader gives exactly what pdfplumber's own objects give, on drawn and real PDFs.

:func:`extract.read.pdf_glyphs.interpret` computes each character's five values itself instead of
letting pdfplumber build a full object per glyph; every figure's cell depends on those floats, so
they are compared for equality (not closeness) with ``page.chars``, and the graphics left on the
page (the edges the table finder uses, the images the scan check uses) with a page read the old way.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
from extract.read.pdf_glyphs import interpret
from extract.read.sniff import sniff

KEYS = ("text", "x0", "x1", "top", "bottom")


def _compare(data: bytes) -> int:
    """Pages compared; fails on the first page whose glyphs or graphics differ."""
    with pdfplumber.open(io.BytesIO(data)) as old, pdfplumber.open(io.BytesIO(data)) as new:
        for before, after in zip(old.pages, new.pages):
            expected = [{k: c[k] for k in KEYS} for c in before.chars]
            assert interpret(after) == expected, f"page {before.page_number}"
            assert repr(after.edges) == repr(before.edges), f"page {before.page_number}"
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

