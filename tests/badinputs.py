"""The bad-input suite: one file for each kind of broken or hostile input a nightly run meets.

API (stable, used by the reader tests and by the end-to-end run test)::

    write_bad_inputs(folder: Path) -> dict[str, str | None]

writes every input into ``folder`` (created if needed) and returns file name → a substring
the quarantine reason must contain. ``None`` means the reason is decided after reading
(parse or transform stage) and is not fixed here; such a file must still end
quarantined. :data:`CATALOGUE` says, per file, which stage refuses it and why it is
there. Every file has distinct bytes (a document is its sha256, so two identical files
would be one document). Nothing is random at run time: the "random" bytes are seeded.

Special entries that cannot be regular files with bad content are written too, where
the filesystem allows: a dangling symlink, a FIFO (reading it naively would block
forever) and a ``chmod 000`` file. As root, ``chmod 000`` does not stop reads; the
returned expectation then describes the file's content (a truncated PDF), not a
permission error — check ``permission_denied_works(folder)`` to know which.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import SEED_PATH
from tests.office_inputs import corrupt_workbook, encrypted_docx, zip_bomb, zip_link, zip_of

# the name with control characters and a (Windows) path separator; "/" is impossible on POSIX
CONTROL_NAME = "名称\x07响铃\t制表\\反斜杠\n换行.pdf"


@dataclass(frozen=True)
class BadInput:
    name: str
    stage: str  # read | parse | transform | list (the folder entry itself cannot be read)
    reason: str | None  # substring of the quarantine reason; None: decided after reading
    why: str


CATALOGUE: tuple[BadInput, ...] = (
    BadInput("zero_bytes.pdf", "read", "empty file (0 bytes)", "a download that wrote nothing"),
    BadInput("truncated.pdf", "read", "PDF is truncated or corrupt", "a download cut in half"),
    BadInput("encrypted.pdf", "read", "the PDF is encrypted", "a user password is set"),
    BadInput("corrupt_xref.pdf", "read", "no document catalogue (/Root)",
             "xref offsets point nowhere and the trailer is gone"),
    BadInput("random_after_header.pdf", "read", "no document catalogue (/Root)",
             "64 KiB of random bytes between %PDF-1.7 and %%EOF"),
    BadInput("decompression_bomb.pdf", "read", "decompression bomb",
             "a 1 KiB page stream that inflates to 400 MiB (Flate inside Flate)"),
    BadInput("deep_nesting.pdf", "read", "nests its objects too deeply",
             "5,000 form XObjects each drawing the next, and a dictionary nested 20,000 deep"),
    BadInput("pages_2001.pdf", "read", "has 2001 pages, more than the 500",
             "2,001 pages sharing one content stream"),
    BadInput("image_only.pdf", "read", "all 1 page(s) with content are scanned images",
             "one page that is only an even grey image: nothing to read, with or without OCR"),
    BadInput("ocr_noise.pdf", "read", "all 1 page(s) with content are scanned images",
             "one scanned page of random noise: OCR (where installed) must find no text it is sure of"),
    BadInput("html_named.pdf", "read", "HTML page '404 Not Found' has no disclosure text",
             "a portal's error page saved under the document's name"),
    BadInput("zip_named.pdf", "read", "PDF is truncated or corrupt",
             "an archive of attachments saved under a .pdf name: opened, its one member a broken PDF"),
    BadInput("zip_bomb.zip", "read", "decompression bomb",
             "a release whose one member inflates to 200 MiB (about 200 KiB on disk)"),
    BadInput("zip_escape.zip", "read", "points outside the archive",
             "a member named ../../etc/… beside an ordinary one"),
    BadInput("zip_link.zip", "read", "is a symbolic link", "a member that is a link to /etc/passwd"),
    BadInput("corrupt_workbook.xlsx", "read", "the workbook (Excel (.xlsx)) is corrupt",
             "an .xlsx whose workbook part is cut off mid-tag"),
    BadInput("encrypted.docx", "read", "encrypted (password protected)",
             "a .docx with an opening password (the encrypted OLE envelope)"),
    BadInput("utf16_export.txt", "parse", "not a budget disclosure",
             "Excel's 'Unicode text' export: UTF-16 with BOM, tab-separated, no title"),
    BadInput("gbk_table.txt", "read", "not a disclosure: a CSV data table (3 columns)",
             "a GBK-encoded CSV table export"),
    BadInput("title_only.txt", "parse", None,
             "a disclosure title with no figures at all (today the parse loads it with no facts)"),
    BadInput("absurd_numbers.txt", "transform", None,
             "the seed with its totals replaced by -99999999999999999999.99 (beyond DECIMAL(18,2))"),
    BadInput(CONTROL_NAME, "read", "PDF is truncated or corrupt",
             "a name with BEL, TAB, newline and a backslash; content a PDF header only"),
    BadInput("unreadable.pdf", "read", "permission denied", "chmod 000 (see permission_denied_works)"),
    BadInput("dangling_link.pdf", "list", "a symbolic link to a missing file", "target deleted"),
    BadInput("fifo.pdf", "list", "not a regular file (a FIFO",
             "a named pipe nobody writes to: a plain open() would block"),
    BadInput("long_line.txt", "read", "one line holds 120,010 characters",
             "a disclosure's title, then one line of 120,010 characters with commas (was: the csv module's "
             "'field larger than field limit', named a bug)"),
    BadInput("nested_divs.html", "read", "the HTML parser stopped at one of its limits (Excessive depth",
             "a disclosure's text inside 1,000 nested <div> (was: '0 Chinese characters', the text being there)"),
)


def write_bad_inputs(folder: Path) -> dict[str, str | None]:
    """Write every input of :data:`CATALOGUE` into ``folder``; file name → reason substring."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}
    for item in CATALOGUE:
        path = folder / item.name
        if path.is_symlink() or path.exists():
            path.chmod(0o600) if path.is_file() and not path.is_symlink() else None
            path.unlink()
        reason = item.reason
        if item.name == "dangling_link.pdf":
            path.symlink_to(folder / "deleted_target.pdf")
        elif item.name == "fifo.pdf":
            os.mkfifo(path)
        else:
            path.write_bytes(_CONTENT[item.name]())
            if item.name == "unreadable.pdf":
                path.chmod(0)
                if not permission_denied_works(folder):
                    reason = "PDF is truncated or corrupt"  # root reads it: its content decides
        expected[item.name] = reason
    return expected


def permission_denied_works(folder: Path) -> bool:
    """False where ``chmod 000`` does not stop this process reading (root, CAP_DAC_OVERRIDE)."""
    path = Path(folder) / "unreadable.pdf"
    try:
        with path.open("rb"):
            return False
    except PermissionError:
        return True


# --------------------------------------------------------------------------- PDFs by hand
def pdf_file(objects: list[bytes], root: int = 1, trailer: bool = True) -> bytes:
    """A PDF from object bodies (object n = objects[n-1]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    if trailer:
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _pages_pdf(contents: bytes, count: int = 1, resources: bytes = b"<< >>", extra: bytes = b"") -> bytes:
    """Catalogue, page tree of ``count`` pages sharing one content stream (object 3)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        _stream(contents, extra),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                b"/Resources %s >>" % resources] * count
    return pdf_file(objects)


def _text_pdf(text: bytes = b"Budget 2021") -> bytes:
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    return _pages_pdf(b"BT /F1 12 Tf 72 760 Td (%s) Tj ET" % text, resources=font)


def _truncated() -> bytes:
    data = _text_pdf(b"A budget cut off while downloading")
    return data[: len(data) // 2]


def _encrypted() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret", invariant=1)
    c.drawString(72, 760, "2021 budget (password protected)")
    c.showPage()
    c.save()
    return buf.getvalue()


def _corrupt_xref() -> bytes:
    data = bytearray(_text_pdf(b"xref damaged"))
    start = data.index(b"xref\n")
    table = data[start:].replace(b" 00000 n", b" 00000 x").replace(b"0000000", b"9999999")
    data[start:] = table.replace(b"trailer\n", b"traile_\n").replace(b"/Root", b"/Rot_")
    return bytes(data)


def _random_after_header() -> bytes:
    rng = random.Random(20210101)
    return b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(65536)) + b"\n%%EOF\n"


def _bomb() -> bytes:
    packer, chunk = zlib.compressobj(9), b" " * (1024 * 1024)
    inner = b"".join(packer.compress(chunk) for _ in range(400)) + packer.flush()  # never 400 MiB at once
    outer = zlib.compress(inner, 9)
    return _pages_pdf(outer, extra=b"/Filter [/FlateDecode /FlateDecode]")


def _deep_nesting() -> bytes:
    """A chain of 5,000 form XObjects, each drawing the next, under a 20,000-deep dictionary."""
    depth, forms = 20_000, 5_000
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        _stream(b"/X0 Do"),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /XObject << /X0 5 0 R >> /Deep " + b"<< /A " * depth + b"1" + b" >>" * depth + b" >> >>",
    ]
    for i in range(forms):
        body = b"/X0 Do" if i + 1 < forms else b"BT ET"
        nxt = b"/Resources << /XObject << /X0 %d 0 R >> >>" % (6 + i) if i + 1 < forms else b""
        objects.append(_stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + nxt))
    return pdf_file(objects)


def _image_only() -> bytes:
    return _image_pdf(bytes([200]) * (100 * 100), 100)


def _noise() -> bytes:
    rng = random.Random(18)
    return _image_pdf(bytes(rng.choice((0, 255)) for _ in range(400 * 400)), 400)


def _image_pdf(gray: bytes, side: int) -> bytes:
    """One A4 page that is only a ``side`` × ``side`` greyscale image."""
    image = _stream(zlib.compress(gray), b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                                         b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode" % (side, side))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        image,
    ]
    return pdf_file(objects)


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("附件1.pdf", b"%PDF-1.4 inside a zip")
    return buf.getvalue()


def _absurd() -> bytes:
    seed = SEED_PATH.read_text(encoding="utf-8")
    absurd = seed.replace("242.24", "-99999999999999999999.99")  # the seed's 收入/支出 totals, in 万元
    assert absurd != seed, "the seed no longer prints 242.24: pick another of its totals"
    return absurd.encode("utf-8")


_CONTENT = {
    "zero_bytes.pdf": lambda: b"",
    "truncated.pdf": _truncated,
    "encrypted.pdf": _encrypted,
    "corrupt_xref.pdf": _corrupt_xref,
    "random_after_header.pdf": _random_after_header,
    "decompression_bomb.pdf": _bomb,
    "deep_nesting.pdf": _deep_nesting,
    "pages_2001.pdf": lambda: _pages_pdf(b"BT ET", count=2001),
    "image_only.pdf": _image_only,
    "html_named.pdf": lambda: (b"<html><head><title>404 Not Found</title></head>"
                               b"<body><h1>404 Not Found</h1><p>nginx</p></body></html>"),
    "zip_named.pdf": _zip,
    "ocr_noise.pdf": _noise,
    "zip_bomb.zip": zip_bomb,
    "zip_escape.zip": lambda: zip_of({"部门预算.txt": b"ordinary", "../../etc/cron.d/预算.txt": b"escape"}),
    "zip_link.zip": zip_link,
    "corrupt_workbook.xlsx": corrupt_workbook,
    "encrypted.docx": encrypted_docx,
    "utf16_export.txt": lambda: "科目编码\t科目名称\t金额\n201\t一般公共服务支出\t100.00\n".encode("utf-16"),
    "gbk_table.txt": lambda: "科目编码,科目名称,金额\n201,一般公共服务支出,100.00\n202,外交支出,3\n".encode("gbk"),
    "title_only.txt": lambda: "某某县审计局2022年部门预算信息公开\n".encode("utf-8"),
    "absurd_numbers.txt": _absurd,
    CONTROL_NAME: lambda: b"%PDF-1.4\n% only a header, under a name with control characters\n",
    "unreadable.pdf": lambda: b"%PDF-1.4\n% chmod 000\n",
    "long_line.txt": lambda: ("高邑县信访局2021年部门预算\n一、部门职责\n" + "收入总计,一般公共预算," * 10_000
                              + "2422400.00\n").encode("utf-8"),
    "nested_divs.html": lambda: ("<html><head><title>高邑县信访局2021年部门预算</title></head><body>" + "<div>" * 1000
                                 + "高邑县信访局2021年部门预算 收入总计 242.24万元" + "</div>" * 1000
                                 + "</body></html>").encode("utf-8"),
}
