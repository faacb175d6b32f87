"""read_document: the right reader by content, and a readable reason for every bad file."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from extract.read.reader import read_document
from schemas.errors import DocumentError

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def _pdf(lines: list[str], font: str = "STSong-Light", **canvas_kw) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, **canvas_kw)
    c.setFont(font, 12)
    for i, text in enumerate(lines):
        c.drawString(72, 760 - 20 * i, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def _reason(data: bytes, uri: str = "file.pdf") -> str:
    with pytest.raises(DocumentError) as err:
        read_document(data, uri)
    return err.value.reason


def test_seed_text_goes_to_the_text_reader(seed_bytes):
    doc = read_document(seed_bytes, "samples/gaoyi_xinfang_2021.txt")
    assert doc.format == "text"
    assert doc.document_id == hashlib.sha256(seed_bytes).hexdigest()
    assert doc.lines()[0].text == "高邑县信访局"


def test_gbk_text_named_pdf_is_read_as_text(seed_bytes):
    data = seed_bytes.decode("utf-8").encode("gb18030")
    doc = read_document(data, "misnamed.pdf")
    assert (doc.format, doc.encoding) == ("text", "gbk")
    assert "高邑县信访局" in doc.text


def test_utf16_text_with_bom_is_read(seed_bytes):
    data = seed_bytes.decode("utf-8").encode("utf-16")
    doc = read_document(data, "export.txt")
    assert (doc.format, doc.encoding) == ("text", "utf-16-le")
    assert doc.document_id == hashlib.sha256(data).hexdigest()
    assert [line.text for line in doc.lines()] == [line.text for line in read_document(seed_bytes, "s").lines()]


def test_text_pdf_goes_to_the_pdf_reader():
    data = _pdf(["某某县审计局2024年部门预算", "单位：万元"])
    doc = read_document(data, "a.doc")
    assert doc.format == "pdf" and doc.page_count == 1
    assert "某某县审计局2024年部门预算" in doc.text


def test_pdf_after_junk_is_read_and_noted():
    data = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n" + _pdf(["预算说明"])
    doc = read_document(data, "x.pdf")
    assert "预算说明" in doc.text
    assert doc.document_id == hashlib.sha256(data).hexdigest()
    assert doc.notes[-1] == "50 bytes of junk before the %PDF header were skipped"


def test_html_page_goes_to_the_html_reader():
    body = "一般公共预算拨款收入1200万元，比上年增加3.5%。" * 10
    html = f"<html><body><div class='content'><p>{body}</p></div></body></html>".encode()
    doc = read_document(html, "page.pdf")
    assert doc.format == "html" and doc.lines()[0].text == body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file (0 bytes)"),
        (b"\n\n  \n", "empty file (5 bytes of whitespace only)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100),
         "not a text, HTML, PDF or Office document: looks like an image (PNG) (a picture on its own; scanned "
         "pages are read with OCR inside a PDF only)"),
        (bytes(range(256)) * 4,
         "not a text, HTML, PDF or Office document: binary data of an unknown kind (1024 bytes)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
         "not a format this tool reads: looks like an old Office file (OLE: no Word or Excel stream found) (it "
         "reads text, HTML, PDF, Excel .xlsx/.xls/.et and Word .docx/.doc/.wps)"),
    ],
)
def test_unreadable_inputs_are_quarantined_with_a_reason(data, reason):
    assert _reason(data) == reason


def test_damaged_xlsx_attachment_is_quarantined_as_a_corrupt_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert _reason(buf.getvalue(), "tables.xlsx").startswith(
        "the workbook (Excel (.xlsx)) is corrupt or not a workbook calamine can read (")


def test_encrypted_pdf_is_quarantined():
    reason = _reason(_pdf(["机密"], encrypt="pw"))
    assert "PDF is encrypted (password protected)" in reason


def test_owner_password_only_pdf_is_still_read():
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption(userPassword="", ownerPassword="owner", canPrint=1, canCopy=0)
    doc = read_document(_pdf(["Budget 2024: 1,234.56"], font="Helvetica", encrypt=enc), "x.pdf")
    assert "Budget 2024: 1,234.56" in doc.text


def test_truncated_pdf_is_quarantined():
    data = _pdf(["预算"] * 30)
    reason = _reason(data[: len(data) // 2])
    assert reason.startswith("PDF is truncated or corrupt: the file ends without the %%EOF marker")


def test_corrupt_pdf_is_quarantined():
    reason = _reason(b"%PDF-1.4\n" + b"garbage " * 200 + b"\n%%EOF\n")
    assert reason == ("the PDF is corrupt: its cross-reference table and trailer are damaged and no "
                      "document catalogue (/Root) can be found")


def test_html_error_page_is_quarantined():
    page = b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"
    assert _reason(page, "budget.pdf").startswith("HTML page '404 Not Found' has no disclosure text")


def test_real_chongqing_html_pages_quarantined_with_their_links(real_corpus):
    folder = real_corpus / "004_重庆"
    images = next(folder.glob("民政局_*.pdf.html"))
    reason = _reason(images.read_bytes(), str(images))
    assert reason.startswith(
        "HTML page '重庆市社会福利指导中心2026年单位预算情况说明' carries its content only as 17 image(s)"
    )
    assert "./W020260302291474350908_ORIGIN.jpg" in reason
    link = next(folder.glob("气象局_*.pdf.html"))
    assert _reason(link.read_bytes(), str(link)) == (
        "HTML page '重庆市气象局2026年部门预算情况' has no disclosure text, only a link to its "
        "attachment(s): 重庆市气象局2026年部门预算情况说明.pdf <./W020260302425669825391.pdf>"
    )
