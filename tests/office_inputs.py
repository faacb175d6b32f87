"""Office files, archives and scans built at test time from the seed and the shared real PDFs.

No real county workbook, Word file or scan is shared, so the tests write them with the
libraries an office would (openpyxl for .xlsx, xlwt for .xls, python-docx for .docx,
LibreOffice for .doc; pdftoppm + Pillow for an image-only PDF) and assert the same figures
as the text or text-layer original. Nothing here is committed as a file.

The seed is written as a workbook the way a county exports one: a sheet per table (its
title and unit rows above the grid, the title merged across the table's width), the
narrative on the first sheet, numbers as numeric cells, and one table's title left out
so its sheet name carries it. The .docx keeps the seed's order: paragraphs, and a Word
table for each run of tab-separated rows.
"""

from __future__ import annotations

import io
import re
import shutil
import stat
import struct
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.conftest import SEED_PATH

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_TITLE = "高邑县县直部门固定资产占用情况表"  # the seed table whose title row is left out of its sheet


def seed_blocks(text: str | None = None) -> list[tuple[str, list[list[str]]]]:
    """The seed as (kind, rows): ``("text", [[line]])`` or ``("table", [[cell, …], …])`` runs."""
    text = text if text is not None else SEED_PATH.read_text(encoding="utf-8")
    blocks: list[tuple[str, list[list[str]]]] = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        kind = "table" if "\t" in raw else "text"
        row = [c.strip() for c in raw.rstrip("\r\n").split("\t")] if kind == "table" else [raw.strip()]
        if blocks and blocks[-1][0] == kind == "table":
            blocks[-1][1].append(row)
        else:
            blocks.append((kind, [row]))
    return blocks


def _value(cell: str):
    """A number as a numeric cell (the way a workbook holds it), anything else as text."""
    if _NUMBER.match(cell) and not (len(cell) > 1 and cell.startswith("0") and "." not in cell):
        return float(cell) if "." in cell or len(cell) > 15 else int(cell)
    return cell


def seed_sheets(text: str | None = None) -> list[tuple[str, list[list[str]]]]:
    """Sheets of (name, rows): the lines before the first table on "说明", then a sheet per table
    with the short lines just above it (its title, owner, unit) as its head rows and the
    lines after it up to the next table's head below it."""
    sheets: list[tuple[str, list[list[str]]]] = [("说明", [])]
    for kind, rows in seed_blocks(text):
        if kind == "text":
            sheets[-1][1].extend(rows)
            continue
        head = _head(sheets[-1][1])
        titled = [r[0] for r in head if "表" in r[0]] or [r[0] for r in head] or [f"表{len(sheets)}"]
        sheets.append((_sheet_name(titled[0], len(sheets)), head + rows))
    return [(name, rows) for name, rows in sheets if rows]


def _head(rows: list[list[str]]) -> list[list[str]]:
    """Short one-cell lines at the end of the previous sheet move to the next as its head (title, unit)."""
    head: list[list[str]] = []
    while rows and len(rows[-1]) == 1 and len(rows[-1][0]) <= 40 and not head_is_prose(rows[-1][0]):
        head.insert(0, rows.pop())
        if len(head) == 3:
            break
    return head


def head_is_prose(line: str) -> bool:
    return line.endswith(("。", "；", ":", "：")) and "单位" not in line


def _sheet_name(title: str, index: int) -> str:
    name = _SHEET_BAD.sub("", title)[:28] or f"表{index}"
    return f"{name}{index}" if len(name) < 2 else name


def write_xlsx(path: Path, text: str | None = None, *, sheet_title: str | None = SHEET_NAME_TITLE) -> Path:
    """The seed as an .xlsx (openpyxl); the sheet whose title is ``sheet_title`` loses its title row
    and is named after it instead."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for name, rows in seed_sheets(text):
        rows = [list(r) for r in rows]
        if sheet_title and [sheet_title] in rows:
            rows = [r for r in rows if r != [sheet_title]]
            name = sheet_title
        name = _unique(name, used)
        sheet = workbook.create_sheet(name)
        width = max((len(r) for r in rows), default=1)
        for i, row in enumerate(rows, start=1):
            for j, cell in enumerate(row, start=1):
                if cell:
                    sheet.cell(i, j, _value(cell))
            if len(row) == 1 and width > 1:
                sheet.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    workbook.save(path)
    return path


def write_xls(path: Path, text: str | None = None) -> Path:
    """The seed as an Excel 97-2003 .xls (xlwt), one sheet per table, titles merged across."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    used: set[str] = set()
    for name, rows in seed_sheets(text):
        sheet = workbook.add_sheet(_unique(name, used)[:31])
        width = max((len(r) for r in rows), default=1)
        for i, row in enumerate(rows):
            if len(row) == 1 and width > 1:
                sheet.write_merge(i, i, 0, width - 1, _value(row[0]))
                continue
            for j, cell in enumerate(row):
                if cell:
                    sheet.write(i, j, _value(cell))
    workbook.save(str(path))
    return path


def _unique(name: str, used: set[str]) -> str:
    base, n = name[:28], 2
    while name in used:
        name, n = f"{base}{n}", n + 1
    used.add(name)
    return name


def write_docx(path: Path, text: str | None = None) -> Path:
    """The seed as a .docx (python-docx): its lines as paragraphs, each run of rows as a table."""
    import docx

    document = docx.Document()
    for kind, rows in seed_blocks(text):
        if kind == "text":
            document.add_paragraph(rows[0][0])
            continue
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                if cell:
                    table.cell(i, j).text = cell
    document.save(path)
    return path


def soffice_or_skip(required: bool = True) -> str | None:
    """LibreOffice's soffice; where it is absent, skip (``required``) or None."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None and required:
        pytest.skip("LibreOffice (soffice) is not installed: it writes the .doc test input and reads .doc files "
                    "(.ci/run installs Debian's libreoffice-writer-nogui)")
    return soffice


def write_doc(path: Path, text: str | None = None) -> Path:
    """The seed as a Word 97-2003 .doc: the .docx converted by LibreOffice (skips where it is absent)."""
    soffice = soffice_or_skip()
    with tempfile.TemporaryDirectory(prefix="cb-soffice-") as work:
        source = write_docx(Path(work) / "seed.docx", text)
        subprocess.run([soffice, f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}", "--headless",
                        "--convert-to", "doc", "--outdir", work, str(source)],
                       check=True, capture_output=True, timeout=120, env={"HOME": work, "PATH": "/usr/bin:/bin"})
        shutil.move(str(Path(work) / "seed.doc"), path)
    return path


def zip_of(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def image_only_pdf(source: Path, out: Path, *, dpi: int = 200, first: int | None = None,
                   last: int | None = None) -> Path:
    """``source`` rendered page by page to images (pdftoppm, ``dpi``) and put back together as a PDF
    of images only (img2pdf, lossless): a scan with no text layer, of a document whose text is known."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm is not installed: it renders the scanned test pages (.ci/run installs Debian's "
                    "poppler-utils)")
    img2pdf = pytest.importorskip("img2pdf", reason="img2pdf puts the rendered pages back into a PDF")
    frames = out.parent / f"{out.stem}-pages"
    frames.mkdir(parents=True, exist_ok=True)
    command = [pdftoppm, "-r", str(dpi), "-png"]
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    subprocess.run([*command, str(source), str(frames / "p")], check=True, capture_output=True, timeout=600)
    pages = sorted(frames.glob("p-*.png"))
    out.write_bytes(img2pdf.convert([str(p) for p in pages], layout_fun=img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))))
    shutil.rmtree(frames)
    return out


# --------------------------------------------------------------------------- hostile inputs (tests/badinputs.py)
def zip_bomb() -> bytes:
    """200 MiB of zeros deflated once, written as a stored-size-correct member without inflating it again."""
    size = 200 * 1024 * 1024
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1024 * 1024)
    body = b"".join(packer.compress(chunk) for _ in range(200)) + packer.flush()
    crc = 0
    for _ in range(200):
        crc = zlib.crc32(chunk, crc)
    info = zipfile.ZipInfo("预算公开.pdf")
    info.compress_type = zipfile.ZIP_DEFLATED
    info.CRC, info.compress_size, info.file_size = crc, len(body), size
    info.flag_bits |= 0x800  # the name is UTF-8
    buf = io.BytesIO()
    header = info.FileHeader()
    buf.write(header + body)
    central = (b"PK\x01\x02" + struct.pack("<HHHHHHLLLHHHHHLL", 20, 20, info.flag_bits, 8, 0, 0, crc, len(body), size,
                                              len(info.filename.encode("utf-8")), 0, 0, 0, 0, 0, 0)
               + info.filename.encode("utf-8"))
    end = b"PK\x05\x06" + struct.pack("<HHHHLLH", 0, 0, 1, 1, len(central), len(header) + len(body), 0)
    buf.write(central + end)
    return buf.getvalue()


def zip_link() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        link = zipfile.ZipInfo("2026年部门预算.pdf")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    return buf.getvalue()


def corrupt_workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                           'package/2006/content-types"/>')
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                                       'spreadsheetml/2006/main"><sheets><sheet name="收支总表" sheetId="1" r:id=')
    return buf.getvalue()


def encrypted_docx() -> bytes:
    import docx
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("某某县财政局2026年部门预算")
    document.save(plain)
    plain.seek(0)
    sealed = io.BytesIO()
    OOXMLFile(plain).encrypt("county", sealed)
    return sealed.getvalue()
