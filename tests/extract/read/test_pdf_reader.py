"""The PDF reader on small PDFs drawn here with reportlab, so every cell is known."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("reportlab")

from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from extract.read.pdf_reader import PdfReaderSettings, classify_page, read_pdf  # noqa: E402
from schemas.errors import DocumentError  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

# a 4-column ruled table: header spanning two rows in column 0, blank cells, a wrapped cell
COLS = [50, 130, 330, 430, 530]
ROWS = [700, 680, 660, 640, 610, 590]


def _grid(c: canvas.Canvas) -> None:
    for y in ROWS:
        c.line(COLS[0], y, COLS[-1], y)
    for x in COLS:
        c.line(x, ROWS[0], x, ROWS[-1])


def _table_page(c: canvas.Canvas) -> None:
    c.setFont(FONT, 14)
    c.drawString(200, 740, "一般公共预算支出表")
    c.setFont(FONT, 9)
    c.drawString(430, 715, "单位：万元")
    # merged header: erase the inner horizontal line of col 0..1 header rows by redrawing
    _grid(c)
    cells = {
        (0, 0): "科目编码", (0, 1): "科目名称", (0, 2): "合计", (0, 3): "基本支出",
        (1, 0): "201", (1, 1): "一般公共服务支出", (1, 2): "1,234.50", (1, 3): "",
        (2, 0): "2010101", (2, 1): "行政运行", (2, 2): "34.00", (2, 3): "34.00",
        (4, 0): "合计", (4, 2): "1,268.50", (4, 3): "34.00",
    }
    for (r, k), text in cells.items():
        c.drawString(COLS[k] + 3, ROWS[r] - 14, text)
    # row 3 is tall: its name cell wraps onto two lines
    c.drawString(COLS[0] + 3, ROWS[3] - 12, "2010102")
    c.drawString(COLS[1] + 3, ROWS[3] - 12, "一般行政管理")
    c.drawString(COLS[1] + 3, ROWS[3] - 24, "事务")
    c.drawString(COLS[2] + 3, ROWS[3] - 12, "0.00")


def _pdf(*pages) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    for draw in pages:
        draw(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def _text_page(c: canvas.Canvas) -> None:
    c.setFont(FONT, 11)
    c.drawString(60, 760, "一、收支预算总体情况")
    c.drawString(60, 740, "2026年收入预算1,268.50万元，支出预算1,268.50万元。")
    for i in range(10):
        c.drawString(60, 700 - 16 * i, f"第{i + 1}行说明文字")


def _scan_page(c: canvas.Canvas) -> None:
    from PIL import Image

    img = Image.new("L", (60, 80), color=200)
    c.drawImage(ImageReader(img), 0, 0, width=595, height=842)


def _blank_page(c: canvas.Canvas) -> None:
    c.setFont(FONT, 9)
    c.drawString(290, 30, "- 3 -")


def test_table_rows_keep_blank_and_wrapped_cells():
    doc = read_pdf(_pdf(_table_page), "id1", "mem://t.pdf")
    rows = [ln.cells for ln in doc.lines() if ln.is_table_row]
    assert rows == [
        ("科目编码", "科目名称", "合计", "基本支出"),
        ("201", "一般公共服务支出", "1,234.50", ""),
        ("2010101", "行政运行", "34.00", "34.00"),
        ("2010102", "一般行政管理事务", "0.00", ""),
        ("合计", "", "1,268.50", "34.00"),
    ]
    texts = [ln.text for ln in doc.lines() if not ln.is_table_row]
    assert texts[:2] == ["一般公共预算支出表", "单位：万元"]
    assert doc.format == "pdf" and doc.document_id == "id1" and doc.page_count == 1


def test_lines_are_in_reading_order_with_positions():
    doc = read_pdf(_pdf(_table_page), "id", "mem://t.pdf")
    tops = [ln.top for ln in doc.pages[0].lines]
    assert tops == sorted(tops)
    assert [ln.line_no for ln in doc.pages[0].lines] == list(range(1, len(tops) + 1))
    title = doc.pages[0].lines[0]
    assert title.words[0].x0 == pytest.approx(200, abs=0.5)


def test_scanned_page_among_text_pages_is_reported():
    doc = read_pdf(_pdf(_text_page, _scan_page, _table_page, _blank_page), "id", "mem://s.pdf")
    assert [p.kind for p in doc.pages] == ["text", "scanned", "text", "blank"]
    assert doc.scanned_pages == [2]
    assert any("scanned" in note and "2" in note for note in doc.notes)
    assert "收入预算1,268.50万元" in doc.pages[0].text.replace(" ", "")


def test_cover_page_has_few_lines_and_no_table():
    def cover(c):
        c.setFont(FONT, 24)
        c.drawString(150, 600, "2026年部门预算")
        c.drawString(150, 560, "某某县财政局")

    doc = read_pdf(_pdf(cover, _text_page), "id", "mem://c.pdf")
    assert [p.kind for p in doc.pages] == ["cover", "text"]


def test_encrypted_pdf_is_refused_with_reason():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    _text_page(c)
    c.save()
    with pytest.raises(DocumentError, match="encrypted"):
        read_pdf(buf.getvalue(), "id", "mem://e.pdf")


def test_truncated_pdf_is_refused_with_reason():
    data = _pdf(_text_page, _table_page)
    with pytest.raises(DocumentError, match="truncated|corrupt"):
        read_pdf(data[: len(data) // 3], "id", "mem://t.pdf")


@pytest.mark.parametrize("data", [b"", b"<html><body>x</body></html>", b"%PDF-1.4\nnonsense"])
def test_non_pdf_or_garbage_is_refused(data):
    with pytest.raises(DocumentError) as err:
        read_pdf(data, "id", "mem://g.pdf")
    assert "PDF" in err.value.reason


def test_settings_are_validated():
    with pytest.raises(ValueError, match="line_tolerance"):
        PdfReaderSettings(line_tolerance=0)
    with pytest.raises(ValueError, match="coverage"):
        PdfReaderSettings(scanned_image_coverage=1.5)


def test_classify_page_folio_only_is_blank():
    from extract.read.model import Line

    settings = PdfReaderSettings()
    assert classify_page(3, [Line(1, 1, "- 3 -")], 0.0, settings) == "blank"
    assert classify_page(3, [Line(1, 1, "\t\t", cells=("", "", ""))], 0.0, settings) == "blank"
    assert classify_page(0, [], 0.9, settings) == "scanned"


def test_white_cell_background_does_not_merge_the_table_into_one_cell():
    def page(c):
        c.setFillColorRGB(1, 1, 1)
        c.rect(50, 650, 480, 120, stroke=0, fill=1)  # invisible box over title and header (Excel export)
        c.setFillColorRGB(0, 0, 0)
        _table_page(c)

    doc = read_pdf(_pdf(page), "id", "mem://w.pdf")
    rows = [ln.cells for ln in doc.lines() if ln.is_table_row]
    assert rows[1] == ("201", "一般公共服务支出", "1,234.50", "")
    assert rows[3] == ("2010102", "一般行政管理事务", "0.00", "")
    assert [ln.text for ln in doc.lines()][:2] == ["一般公共预算支出表", "单位：万元"]


def test_digits_set_lower_than_cjk_text_stay_on_its_line():
    def page(c):
        c.setFont(FONT, 12)
        c.drawString(72, 760, "机关运行经费支出")
        c.setFont("Helvetica", 12)
        c.drawString(168, 755.1, "184.65")  # Latin digits sit ~5pt lower in some exports
        c.setFont(FONT, 12)
        c.drawString(204, 760, "万元，比上年增加。")
        c.drawString(72, 746, "下一行文字")

    lines = [ln.text.replace(" ", "") for ln in read_pdf(_pdf(page), "id", "mem://d.pdf").lines()]
    assert lines == ["机关运行经费支出184.65万元，比上年增加。", "下一行文字"]


def test_a_printed_space_separates_words_even_when_narrow():
    def page(c):
        c.setFont(FONT, 9)
        c.drawString(72, 760, "534001 某某县卫生健康局本级")

    line = read_pdf(_pdf(page), "id", "mem://s.pdf").lines()[0]
    assert [w.text for w in line.words] == ["534001", "某某县卫生健康局本级"]
    assert line.text == "534001 某某县卫生健康局本级"


def test_all_scanned_pdf_is_refused_by_the_reader_saying_what_ocr_did(monkeypatch):
    """Scans only, none read: without the ocr extra the reason says to install it; with OCR off, that it is off."""
    from extract.read import ocr_page
    from extract.read.ocr_engine import OcrSettings

    monkeypatch.setattr(ocr_page, "available", lambda: False)
    with pytest.raises(DocumentError) as caught:
        read_pdf(_pdf(_scan_page, _scan_page), "id", "mem://scan.pdf")
    assert caught.value.reason == (
        "no text to read: all 2 page(s) with content are scanned images; scanned pages: install the ocr extra "
        "(pip install -e '.[ocr]') to read them with OCR")
    with pytest.raises(DocumentError, match="scanned images; scanned pages not read: OCR is turned off$"):
        read_pdf(_pdf(_scan_page), "id", "mem://scan.pdf", PdfReaderSettings(ocr=OcrSettings(enabled=False)))


def test_a_scanned_page_among_text_pages_is_kept_and_named(monkeypatch):
    from extract.parse.metadata import detect_meta
    from extract.read import ocr_page

    monkeypatch.setattr(ocr_page, "available", lambda: False)
    doc = read_pdf(_pdf(_scan_page, lambda c: (c.setFont(FONT, 12), c.drawString(72, 700, "某某局2026年部门预算"))),
                   "id", "mem://scan.pdf")
    assert [p.kind for p in doc.pages] == ["scanned", "cover"] and doc.scanned_pages == [1]
    assert doc.notes == ["pages without a text layer (scanned images): 1",
                         "scanned pages: install the ocr extra (pip install -e '.[ocr]') to read them with OCR: "
                         "pages 1"]
    doc.pages = doc.pages[:1]  # a Document of scans only still cannot pass the parse
    with pytest.raises(DocumentError, match="scanned images without a text layer"):
        detect_meta(doc)


def test_table_cut_by_the_page_end_keeps_its_last_row():
    def page(c):
        c.setFont(FONT, 9)
        for y in ROWS[:-1]:  # no bottom border: the table continues on the next page
            c.line(COLS[0], y, COLS[-1], y)
        for x in COLS:
            c.line(x, ROWS[0], x, ROWS[-1])
        for k, text in enumerate(("2010301", "行政运行", "34.00", "34.00")):
            c.drawString(COLS[k] + 3, ROWS[0] - 14, text)
        for k, text in enumerate(("2010302", "一般行政管理事务", "1.00", "")):
            c.drawString(COLS[k] + 3, ROWS[-2] - 14, text)

    rows = [ln.cells for ln in read_pdf(_pdf(page), "id", "mem://open.pdf").lines() if ln.is_table_row]
    assert rows[0] == ("2010301", "行政运行", "34.00", "34.00")
    assert rows[-1] == ("2010302", "一般行政管理事务", "1.00", "")
