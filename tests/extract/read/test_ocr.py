"""Scanned pages read with OCR into the same lines and cells as a text layer (the optional ``ocr`` extra).

The layout half (cleaning, characters spread over a box, the grid found in the scan's
ruling lines) runs everywhere; the engine half skips, saying so, where the extra is not
installed. Scans are made here from a shared real PDF (pdftoppm at 200 dpi, back into an
image-only PDF), so the text layer of the original says what OCR must read.
"""

from __future__ import annotations

import time

import pytest

from extract.read import ocr_engine, ocr_page
from extract.read.ocr_engine import Box, OcrSettings, OcrTimeout, available
from extract.read.ocr_page import box_chars, clean, is_figure, ruled_grids
from extract.read.pdf_layout import layout_lines
from extract.read.pdf_reader import PdfReaderSettings, read_pdf
from extract.read.reader import read_document
from schemas.errors import DocumentError
from tests.conftest import require_shared
from tests.office_inputs import image_only_pdf

needs_ocr = pytest.mark.skipif(not available(), reason="the ocr extra is not installed (pip install -e '.[ocr]'): "
                                                       "scanned pages are not read, and these OCR tests skip")
SHANGHAI = ("001_上海", "2026年上海市公安局_部门预算.pdf")


@pytest.mark.parametrize(("raw", "cleaned", "figure"), [
    ("66,716, 064", "66,716,064", True), ("70, 716, 064", "70,716,064", True), ("1 .70", "1.70", True),
    ("１２３．４５", "123.45", True), ("4,000，000", "4,000,000", True), ("25.00%", "25.00%", True),
    ("一、财政拨款收入", "一、财政拨款收入", False), ("2026年预算", "2026年预算", False), (" ", "", False),
])
def test_ocr_text_is_cleaned_only_where_scans_break_print(raw, cleaned, figure):
    assert clean(raw) == cleaned
    assert is_figure(clean(raw)) is figure


def test_a_box_is_spread_over_its_width_wide_characters_twice_as_wide():
    chars = box_chars(Box("合计12", 100, 10, 160, 30, 0.99), "合计12", scale=0.5)
    assert [(c["text"], c["x0"], c["x1"]) for c in chars] == [
        ("合", 50.0, 60.0), ("计", 60.0, 70.0), ("1", 70.0, 75.0), ("2", 75.0, 80.0)]
    assert {(c["top"], c["bottom"]) for c in chars} == {(5.0, 15.0)}


def _ruled_image():
    """A 3-row × 2-column table drawn as a scan would show it: 3-pixel lines, a merged top row."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (800, 600), 255)
    draw = ImageDraw.Draw(image)
    for y in (100, 200, 300, 400):
        draw.line([(100, y), (700, y)], fill=0, width=3)
    draw.line([(100, 100), (100, 400)], fill=0, width=3)
    draw.line([(700, 100), (700, 400)], fill=0, width=3)
    draw.line([(400, 200), (400, 400)], fill=0, width=3)  # the first row spans both columns
    draw.text((120, 140), "x", fill=0)  # print inside a cell is no ruling line
    return image


def test_the_grid_comes_from_the_ruling_lines_printed_on_the_scan():
    [grid] = ruled_grids(_ruled_image(), scale=0.5)
    assert [[c is not None for c in row] for row in grid.rows] == [[True, False], [True, True], [True, True]]
    x0, top, x1, bottom = grid.bbox
    assert (round(x0), round(top), round(x1), round(bottom)) == (50, 50, 350, 200)
    boxes = [Box("收入总计", 220, 130, 420, 170, 0.99), Box("70,716,064", 120, 330, 380, 370, 0.98),
             Box("3,465,480 20,682,584", 250, 230, 550, 270, 0.97)]  # one box run across a ruling line
    chars = [c for b in boxes for c in box_chars(b, b.text, 0.5)]
    lines = layout_lines(chars, [grid], 1, 3.0, 3.0)
    assert [ln.cells for ln in lines] == [("收入总计", ""), ("3,465,480", "20,682,584"), ("70,716,064", "")]


def test_a_blank_scan_is_not_sent_to_the_engine_but_a_page_of_one_heading_is():
    from PIL import Image, ImageDraw

    from extract.read.ocr_page import has_ink

    page = Image.new("L", (1654, 2339), 230)  # an A4 sheet at 200 dpi, evenly grey
    assert not has_ink(page)
    ImageDraw.Draw(page).rectangle([(300, 200), (1300, 240)], fill=0)  # a heading's worth of ink: 0.1 %
    assert has_ink(page)


def test_without_the_extra_a_scan_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(ocr_page, "available", lambda: False)
    scan = image_only_pdf(require_shared("corpus", "real", *SHANGHAI), tmp_path / "scan.pdf", dpi=50, first=19, last=19)
    with pytest.raises(DocumentError) as caught:
        read_document(scan.read_bytes(), str(scan))
    assert caught.value.reason == (
        "no text to read: all 1 page(s) with content are scanned images; scanned pages: install the ocr extra "
        "(pip install -e '.[ocr]') to read them with OCR")


class _LikeOnnxruntime:
    """An engine that works until interrupted and, as onnxruntime does with an exception raised by a signal
    handler while it runs the model, re-raises it as its own error; ``fails`` makes it fail by itself."""

    def __init__(self, fails: bool = False):
        self.fails = fails

    def __call__(self, pixels):
        if self.fails:
            raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : bad input")
        try:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                time.sleep(0.005)
        except OcrTimeout as exc:
            raise RuntimeError(f"[ONNXRuntimeError] : 1 : FAIL : {type(exc).__module__}.{type(exc).__name__}") from None
        return [], None


def test_a_timeout_that_comes_inside_the_engine_is_a_timeout_and_an_engine_error_stays_one(monkeypatch):
    """Found on the restarted CI machine: the page alarm went off inside onnxruntime, which re-raised it as
    ``ONNXRuntimeError: …OcrTimeout``, so the page was reported as "OCR failed" instead of "took longer"."""
    np = pytest.importorskip("numpy")
    pixels = np.zeros((8, 8, 3), dtype=np.uint8)
    monkeypatch.setattr(ocr_engine, "engine", lambda max_side: _LikeOnnxruntime())
    started = time.monotonic()
    with pytest.raises(OcrTimeout):
        ocr_engine.recognise(pixels, OcrSettings(page_seconds=0.05))
    assert time.monotonic() - started < 2
    monkeypatch.setattr(ocr_engine, "engine", lambda max_side: _LikeOnnxruntime(fails=True))
    with pytest.raises(RuntimeError, match="bad input"):
        ocr_engine.recognise(pixels, OcrSettings(page_seconds=5))


@pytest.fixture(scope="module")
def shanghai_pages(tmp_path_factory):
    """Pages 7 (收支总表, 元) and 19 (三公, 万元) of a real PDF as a 200-dpi scan, and the original's read."""
    source = require_shared("corpus", "real", *SHANGHAI)
    folder = tmp_path_factory.mktemp("scan")
    scans = [image_only_pdf(source, folder / f"p{n}.pdf", first=n, last=n) for n in (7, 19)]
    original = read_document(source.read_bytes(), str(source))
    return scans, [original.pages[6], original.pages[18]]


def _figures(page):
    return [[c for c in ln.cells if is_figure(c)] for ln in page.lines if ln.is_table_row]


@needs_ocr
@pytest.mark.slow  # OCR of a 200-dpi scan: minutes on 2 cores (full suite only)
def test_a_scanned_table_reads_into_the_same_cells_as_its_text_layer(shanghai_pages):
    scans, originals = shanghai_pages
    for scan, original in zip(scans, originals):
        [page] = read_document(scan.read_bytes(), str(scan)).pages
        assert page.kind == "ocr" and page.ocr_held == 0 and page.ocr_confidence > 0.9
        assert len([ln for ln in page.lines if ln.is_table_row]) == len([ln for ln in original.lines if ln.is_table_row])
        assert _figures(page) == _figures(original)
    assert _figures(originals[0])[4] == ["66,716,064", "69,733,764", "2,483,180", "20,682,584", "46,568,000"]


@needs_ocr
@pytest.mark.slow  # OCR of a 200-dpi scan: minutes on 2 cores (full suite only)
def test_figures_read_with_too_little_confidence_are_held_back(shanghai_pages):
    scans, _ = shanghai_pages
    strict = PdfReaderSettings(ocr=OcrSettings(min_figure_confidence=0.9999))
    doc = read_pdf(scans[0].read_bytes(), "id", "scan.pdf", strict)
    [page] = doc.pages
    assert page.ocr_held > 0
    total = next(ln for ln in page.lines if ln.cells and ln.cells[0] == "收入总计")
    assert sum(1 for c in total.cells if is_figure(c)) < 5  # held figures leave their cells blank
    assert any(f"{page.ocr_held} figure(s) held back, read with confidence below 0.9999" in n for n in doc.notes)


@needs_ocr
@pytest.mark.slow  # OCR of a 200-dpi scan: minutes on 2 cores (full suite only)
def test_the_page_time_limit_page_cap_and_document_budget_bound_ocr(shanghai_pages, tmp_path):
    both = image_only_pdf(require_shared("corpus", "real", *SHANGHAI), tmp_path / "both.pdf", first=18, last=19)
    capped = read_pdf(both.read_bytes(), "id", "b.pdf", PdfReaderSettings(ocr=OcrSettings(max_pages=1)))
    assert [p.kind for p in capped.pages] == ["ocr", "scanned"]
    assert "scanned pages not read: past the cap of 1 OCR'd pages per document: pages 2" in capped.notes
    scans, _ = shanghai_pages
    with pytest.raises(DocumentError, match="OCR took longer than 0 s a page$"):
        read_pdf(scans[1].read_bytes(), "id", "s.pdf", PdfReaderSettings(ocr=OcrSettings(page_seconds=0.05)))
    with pytest.raises(DocumentError, match="the 0 s of OCR one document may take .* were spent$"):
        read_pdf(both.read_bytes(), "id", "b.pdf", PdfReaderSettings(ocr=OcrSettings(document_seconds=0.2)))
