"""Format sniffing: the bytes decide, never the name."""

from __future__ import annotations

import io
import zipfile

import pytest

from extract.read.decode import decode
from extract.read.sniff import looks_like_html, sniff
from tests.office_inputs import zip_of

SEED_LINE = "高邑县信访局\n项目编码\t130127210XAPPLY3 A5B8\t\t项目名称\t信访经费\n<p>1.正常运行</p>\n"


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_empty_and_whitespace_files_are_empty():
    assert sniff(b"").format == "empty"
    assert sniff(b"").reason == "empty file (0 bytes)"
    found = sniff(b" \r\n\t ")
    assert (found.format, found.reason) == ("empty", "empty file (5 bytes of whitespace only)")


def test_pdf_at_start_and_after_junk():
    assert sniff(b"%PDF-1.7\n...").offset == 0
    found = sniff(b"HTTP/1.1 200 OK\r\n\r\n%PDF-1.4\n1 0 obj")
    assert (found.format, found.offset) == ("pdf", 19)
    assert found.reason == "PDF header after 19 bytes of junk"


def test_pdf_header_too_deep_is_not_a_pdf():
    assert sniff(b"\x00" * 2000 + b"%PDF-1.4").format == "binary"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_plain_text_in_each_encoding(encoding):
    found = sniff(SEED_LINE.encode(encoding))
    assert found.format == "text"
    expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "gbk": "gbk", "gb18030": "gbk"}
    assert found.encoding == expected[encoding]
    assert found.decoded.text == SEED_LINE  # the sniffer hands the whole text on


def test_text_needing_gb18030_beyond_gbk():
    text = "单位：元 𠀀 " * 3  # U+20000 exists only in GB18030's four-byte range
    assert sniff(text.encode("gb18030")).encoding == "gb18030"


def test_quoted_p_tags_in_text_do_not_make_html(seed_bytes):
    assert sniff(seed_bytes).format == "text"


def test_html_detection_and_declared_charset():
    page = '<!DOCTYPE html><html><head><meta charset="gb2312"></head><body>部门预算</body></html>'
    found = sniff(page.encode("gbk"))
    assert (found.format, found.encoding, found.decoded.decoded_by) == ("html", "gbk", "meta")
    found = sniff(("\ufeff  <!-- saved -->\n<html><body>预算</body></html>").encode("utf-8"))
    assert (found.format, found.encoding, found.decoded.decoded_by) == ("html", "utf-8", "bom")
    assert found.decoded.text.startswith("  <!-- saved -->")


def test_html_after_server_junk_and_bare_fragments():
    warning = "Warning: session_start() failed\n<!DOCTYPE html><html><body>预算</body></html>"
    assert sniff(warning.encode()).format == "html"
    fragment = "<div class='con'><p>部门预算</p><table><tr><td>合计</td></tr></table></div>"
    assert sniff(fragment.encode("gbk")).format == "html"
    assert sniff("<p>1.正常运行</p> 其余是正文\n".encode()).format == "text"


def test_html_named_pdf_in_real_corpus(real_corpus):
    files = sorted((real_corpus / "004_重庆").glob("*.pdf.html"))
    assert len(files) == 2
    for path in files:
        found = sniff(path.read_bytes())
        assert (found.format, found.encoding) == ("html", "utf-8")


def test_every_real_pdf_sniffs_as_pdf(real_corpus):
    pdfs = sorted(real_corpus.rglob("*.pdf"))
    assert len(pdfs) == 23
    assert {sniff(p.read_bytes()).format for p in pdfs} == {"pdf"}


@pytest.mark.parametrize(
    ("data", "fmt", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image", "looks like an image (PNG)"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "image", "looks like an image (JPEG)"),
        (b"GIF89a" + b"\x00" * 10, "image", "looks like an image (GIF)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "office",
         "looks like an old Office file (OLE: no Word or Excel stream found)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40 + "WordDocument".encode("utf-16-le"), "doc",
         "looks like an old Office file (OLE: Word 97-2003 (.doc) or WPS (.wps))"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40 + "Workbook".encode("utf-16-le"), "xls",
         "looks like an old Office file (OLE: Excel 97-2003 (.xls) or WPS spreadsheet (.et))"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "encrypted",
         "looks like an old Office file (OLE: a password-protected .docx/.xlsx in its encrypted envelope)"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 10, "archive", "looks like a compressed archive (RAR)"),
        (bytes(range(256)) * 8, "binary", "binary data of an unknown kind (2048 bytes)"),
    ],
)
def test_magic_numbers(data, fmt, reason):
    found = sniff(data)
    assert (found.format, found.reason) == (fmt, reason)


def test_zip_office_file_named_by_kind():
    found = sniff(_docx_bytes())
    assert (found.format, found.reason) == ("docx", "looks like a ZIP/Office file (Word (.docx))")


@pytest.mark.parametrize(("parts", "fmt", "reason"), [
    ({"xl/workbook.xml": b"<workbook/>"}, "xlsx", "looks like a ZIP/Office file (Excel (.xlsx))"),
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "xlsx",
     "looks like a ZIP/Office file (OpenDocument spreadsheet (.ods))"),
    ({"ppt/presentation.xml": b"<p/>"}, "office", "looks like a ZIP/Office file (PowerPoint (.pptx))"),
    ({"OFD.xml": b"<ofd/>", "Doc_0/Document.xml": b"<d/>"}, "office",
     "looks like a ZIP/Office file (OFD (China's fixed-layout format))"),
    ({"附件1.pdf": b"%PDF-1.4", "附件2.xlsx": b"PK"}, "zip", "a ZIP archive of 2 entries"),
])
def test_zip_containers_by_what_they_hold(parts, fmt, reason):
    found = sniff(zip_of(parts))
    assert (found.format, found.reason) == (fmt, reason)


def test_a_zip_with_a_damaged_directory_falls_back_to_its_part_names():
    data = zip_of({"word/document.xml": b"<w:document/>"})
    found = sniff(data[: data.rfind(b"PK\x01\x02")])  # the central directory cut off
    assert (found.format, found.reason) == ("docx", "looks like a ZIP/Office file (Word (.docx)), but its "
                                                    "directory is damaged")


def test_text_starting_with_bm_is_not_a_bitmap():
    assert sniff("BM 部门预算说明".encode("utf-8")).format == "text"


def test_random_junk_is_never_text():
    import random

    rng = random.Random(7)
    for _ in range(50):
        junk = bytes(rng.randrange(256) for _ in range(600))
        assert sniff(junk).format in ("binary", "image", "archive", "zip", "office", "encrypted", "pdf")
        assert decode(junk) is None


def test_one_html_detector_for_text():
    assert looks_like_html("<!DOCTYPE html><html><body>x</body></html>")
    assert not looks_like_html("高邑县信访局\n<p>1.正常运行</p>")
