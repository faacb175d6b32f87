"""Plain-text disclosures: encodings, table rows as cells, refusal of non-text."""

import pytest

from extract.read.text_reader import read_text
from schemas.errors import DocumentError


def test_seed_utf8_and_gbk_read_to_the_same_lines(seed_bytes):
    utf8 = read_text(seed_bytes)
    gbk = read_text(seed_bytes.decode("utf-8").encode("gb18030"))
    assert utf8.encoding == "utf-8" and gbk.encoding == "gbk"  # the narrowest GB codec that decodes
    assert [line.text for line in utf8.lines()] == [line.text for line in gbk.lines()]
    assert len(utf8.lines()) == 254


def test_utf8_bom_is_accepted(seed_bytes):
    doc = read_text(b"\xef\xbb\xbf" + seed_bytes)
    assert doc.lines()[0].text == "高邑县信访局"


def test_tab_rows_become_cells_keeping_inner_blanks(seed_bytes):
    rows = [line for line in read_text(seed_bytes).lines() if line.cells]
    header = next(line for line in rows if line.cells[0] == "项目编码")
    assert header.cells == ("项目编码", "130127210XAPPLY3 A5B8", "", "项目名称", "信访经费")
    assert header.line_no == 108  # provenance points at the file's own line number


def test_trailing_tabs_still_make_a_table_row(seed_bytes):
    lines = read_text(seed_bytes).lines()
    building = next(line for line in lines if line.text.startswith("1、房屋"))
    assert building.cells == ("1、房屋（平方米）",)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file (0 bytes)"),
        (b"  \n\n ", "empty file: only whitespace (5 bytes)"),
        (b"\x00\x01\x02binary", "not a text document: it contains binary (NUL) bytes"),
        (bytes(range(128, 256)) * 4,
         "not readable as text: not UTF-8, GBK/GB18030 or another encoding charset-normalizer recognises"),
    ],
)
def test_unreadable_input_raises_a_readable_reason(data, reason):
    with pytest.raises(DocumentError) as caught:
        read_text(data)
    assert caught.value.reason == reason


def test_data_files_quoting_a_title_are_not_disclosures():
    # regression: the corpus MANIFEST.csv and LABELS.json were loaded as disclosures
    manifest = "file,sha256,kind\n2026年上海市公安局_部门预算.pdf,d795,unit_budget\n北京市审计局部门预算.pdf,cc6b,dept_budget\n"
    with pytest.raises(DocumentError, match="a CSV data table \\(3 columns\\)"):
        read_text(manifest.encode("utf-8"))
    labels = '[{"file": "2026年上海市公安局_部门预算.pdf", "fiscal_year": 2026}]'
    with pytest.raises(DocumentError, match="a JSON data file"):
        read_text(labels.encode("utf-8"))
