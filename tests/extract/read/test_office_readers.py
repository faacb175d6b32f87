"""Excel (.xlsx, .xls), Word (.docx, .doc) into the one Document model: cells, merges, titles, reasons.

Inputs are written here with the libraries an office uses (openpyxl, xlwt, python-docx,
LibreOffice for .doc); the seed written in every format must read into the same records
as the seed's text (tests/flows/test_office_formats.py checks the warehouse views).
"""

from __future__ import annotations

import io
import zipfile

import pytest

from extract.parse.document import parse_document
from extract.read.reader import read_document
from extract.read.sheet_reader import printed, sheet_page
from schemas.errors import DocumentError
from tests.conftest import SEED_PATH
from tests.office_inputs import SHEET_NAME_TITLE, write_doc, write_docx, write_xls, write_xlsx


def _reason(data: bytes) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(data, "upload")
    return caught.value.reason


@pytest.mark.parametrize(("value", "text"), [
    (66716064.0, "66716064"), (0.30000000000000004, "0.3"), (1.7, "1.7"), (1698.15146, "1698.15146"),
    (-0.0, "0"), (12, "12"), (1e-05, "0.00001"), (True, "TRUE"), (None, ""), ("", ""),
    (" 基本\n支出 ", "基本 支出"), (float("nan"), ""),
])
def test_numbers_are_printed_as_a_table_prints_them(value, text):
    assert printed(value) == text


def test_title_rows_become_running_text_and_merged_cells_keep_their_column():
    rows = [["2026年收支预算总表", "", "", ""], ["单位：元", "", "", ""], ["项目", "预算数", "项目", "预算数"],
            ["合并", 0.3, "", ""], ["", "", "一、支出", 1.7], ["一、财政拨款", "", "", ""]]
    page = sheet_page(1, "收支总表", rows, [((0, 0), (0, 3)), ((3, 0), (4, 0))])
    assert [(ln.line_no, ln.cells, ln.text) for ln in page.lines] == [
        (1, None, "2026年收支预算总表"),
        (2, None, "单位：元"),
        (3, ("项目", "预算数", "项目", "预算数"), "项目 预算数 项目 预算数"),
        (4, ("合并", "0.3"), "合并 0.3"),
        (5, ("", "", "一、支出", "1.7"), "一、支出 1.7"),  # the merged cell's span below is blank
        (6, ("一、财政拨款",), "一、财政拨款"),  # a label row inside the table stays a row
    ]


def test_a_sheet_without_a_title_takes_its_name_but_not_excels_default_name():
    rows = [["项目", "金额"], ["合计", 5.0]]
    named = sheet_page(2, "一般公共预算支出表", rows, [])
    assert [(ln.page_no, ln.line_no, ln.cells, ln.text) for ln in named.lines[:2]] == [
        (2, 0, None, "一般公共预算支出表"), (2, 1, ("项目", "金额"), "项目 金额")]
    assert sheet_page(2, "Sheet1", rows, []).lines[0].text == "项目 金额"
    titled = sheet_page(2, "表3", [["部门收支总表"], *rows], [])
    assert titled.lines[0].text == "部门收支总表"  # a title above the table: the name is not added


@pytest.fixture(scope="module")
def seed_reads(tmp_path_factory):
    """The seed read as text, and as each format written from it."""
    folder = tmp_path_factory.mktemp("office")
    text = read_document(SEED_PATH.read_bytes(), "seed.txt")
    made = {"xlsx": write_xlsx(folder / "seed.xlsx"), "xls": write_xls(folder / "seed.xls"),
            "docx": write_docx(folder / "seed.docx")}
    return text, {fmt: read_document(path.read_bytes(), str(path)) for fmt, path in made.items()}


def _rows(doc):
    return [ln.cells for ln in doc.lines() if ln.is_table_row]


def _texts(doc):
    return [ln.text for ln in doc.lines() if not ln.is_table_row]


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "docx"])
def test_the_seed_in_each_format_reads_as_the_same_rows_and_lines(seed_reads, fmt):
    text, others = seed_reads
    doc = others[fmt]
    assert doc.format == fmt
    strip = [tuple(c for c in row) for row in _rows(text)]
    got = _rows(doc)
    assert len(got) == len(strip) == 154
    # the same cells, a workbook's numbers printed without trailing zeros ("300000.00" → "300000")
    assert [tuple(_num(c) for c in row) for row in got] == [tuple(_num(c) for c in row) for row in strip]
    expected_texts = _texts(text)
    if fmt == "xlsx":  # the one sheet that lost its title row names it instead, on line 0
        assert SHEET_NAME_TITLE in _texts(doc) and SHEET_NAME_TITLE in expected_texts
    assert _texts(doc) == expected_texts


def _num(cell: str) -> str:
    try:
        return str(float(cell))
    except ValueError:
        return cell


def test_each_sheet_is_a_page_with_rows_numbered_as_excel_shows_them(seed_reads):
    _, others = seed_reads
    doc = others["xlsx"]
    assert len(doc.pages) == 14
    assets = doc.pages[-1]
    assert (assets.lines[0].line_no, assets.lines[0].text) == (0, SHEET_NAME_TITLE)
    row = next(ln for ln in assets.lines if ln.cells and ln.cells[0].startswith("2、车辆"))
    assert (row.line_no, row.cells) == (7, ("2、车辆（台、辆）", "1", "9.19"))  # rows 1-2: 编制部门, 截止时间


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "docx"])
def test_the_seed_in_each_format_parses_to_the_same_records(seed_reads, fmt):
    text, others = seed_reads
    expected, got = parse_document(text), parse_document(others[fmt])
    assert (got.meta.department_name, got.meta.fiscal_year, got.meta.doc_kind) == (
        "高邑县信访局", 2021, expected.meta.doc_kind)
    assert [(r.statement, r.item, r.column, r.amount_text, r.unit) for r in got.amounts] == [
        (r.statement, r.item, r.column, r.amount_text, r.unit) for r in expected.amounts]
    assert len(got.indicators) == len(expected.indicators) == 70
    assert [(a.category, a.measure, a.value_text) for a in got.assets] == [
        (a.category, a.measure, a.value_text) for a in expected.assets]


def test_docx_keeps_reading_order_merges_and_page_breaks():
    import docx

    document = docx.Document()
    document.add_paragraph("某某局2026年部门预算")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "收入"
    table.cell(0, 2).text = "支出"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "财政拨款"
    table.cell(1, 1).text, table.cell(1, 2).text = "1,000.00", "2"
    table.cell(2, 1).text = "3"
    document.add_page_break()
    document.add_paragraph("第二页的说明。")
    buf = io.BytesIO()
    document.save(buf)
    doc = read_document(buf.getvalue(), "a.docx")
    assert [(ln.page_no, ln.line_no, ln.cells, ln.text) for ln in doc.lines()] == [
        (1, 1, None, "某某局2026年部门预算"),
        (1, 2, ("收入", "", "支出"), "收入 支出"),
        (1, 3, ("财政拨款", "1,000.00", "2"), "财政拨款 1,000.00 2"),
        (1, 4, ("", "3"), "3"),  # the cell merged down is blank below its first row
        (2, 1, None, "第二页的说明。"),
    ]


@pytest.mark.slow
def test_doc_reads_like_the_docx_it_is_saved_as(tmp_path):
    path = write_doc(tmp_path / "seed.doc")
    doc = read_document(path.read_bytes(), str(path))
    twin = read_document(write_docx(tmp_path / "seed.docx").read_bytes(), "seed.docx")
    assert doc.format == "doc"
    assert [(ln.cells, ln.text) for ln in doc.lines()] == [(ln.cells, ln.text) for ln in twin.lines()]


def test_doc_without_libreoffice_says_what_to_install(monkeypatch):
    import extract.read.doc_reader as doc_reader

    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64) + "WordDocument".encode("utf-16-le")
    assert _reason(data) == (
        "a Word 97-2003 (.doc) or WPS (.wps) file: the old binary Word format is read through LibreOffice, which "
        "is not installed here (Debian package libreoffice-writer-nogui; .ci/run installs it)")


def test_broken_word_and_excel_files_are_refused_with_their_format():
    assert _reason(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64) + "Workbook".encode("utf-16-le")).startswith(
        "the workbook (Excel 97-2003 (.xls) or WPS spreadsheet (.et)) is corrupt or not a workbook calamine can read")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document")
    assert _reason(buf.getvalue()).startswith("the Word file (.docx) is corrupt and cannot be read (")


def test_encrypted_docx_is_refused_as_encrypted():
    pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool writes the encrypted .docx")
    from tests.office_inputs import encrypted_docx

    assert _reason(encrypted_docx()) == (
        "the Office file is encrypted (password protected), so it cannot be read without its password (looks like "
        "an old Office file (OLE: a password-protected .docx/.xlsx in its encrypted envelope))")


def test_hidden_sheets_are_not_read_and_an_empty_workbook_is_refused():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["部门收支总表"])
    hidden = workbook.create_sheet("草稿")
    hidden.append(["旧数字", 1])
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    workbook.save(buf)
    doc = read_document(buf.getvalue(), "a.xlsx")
    assert [page.lines[0].text for page in doc.pages] == ["部门收支总表"]
    assert doc.notes == ["hidden sheet '草稿' not read (a printed disclosure does not show it)"]
    empty = io.BytesIO()
    openpyxl.Workbook().save(empty)
    assert _reason(empty.getvalue()) == "the workbook (Excel (.xlsx)) is empty: no sheet has a filled cell"
