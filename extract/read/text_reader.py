"""Plain-text disclosures (the seed's format) into the page/line model.

County offices publish these as UTF-8 or as GBK/GB18030; we try strict decodes in
that order so a wrong guess fails loudly instead of producing mojibake. A line with
a tab is a table row: its tab-separated fields become ``Line.cells`` (trailing empty
fields dropped, inner blanks kept, because a blank cell is information).
"""

from __future__ import annotations

import csv
import hashlib
import json

from extract.read.model import Document, Line, Page, Word
from schemas.errors import DocumentError

ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding); DocumentError when no candidate decodes strictly."""
    if not data:
        raise DocumentError("empty file (0 bytes)")
    if not data.strip():
        raise DocumentError(f"empty file: only whitespace ({len(data)} bytes)")
    if b"\x00" in data[:4096]:
        raise DocumentError("not a text document: it contains binary (NUL) bytes")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        if _looks_like_text(text):
            return text, name
    raise DocumentError("not readable as UTF-8 or GBK/GB18030 text")


def _looks_like_text(text: str) -> bool:
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\r\n\u3000")
    return printable >= 0.98 * len(text)


def split_cells(raw: str) -> tuple[str, ...] | None:
    if "\t" not in raw:
        return None
    cells = [cell.strip() for cell in raw.split("\t")]
    while cells and cells[-1] == "":
        cells.pop()
    return tuple(cells)


def text_to_lines(text: str, page_no: int = 1) -> list[Line]:
    """Non-blank lines, numbered by their line number in the file (so provenance points at it)."""
    lines: list[Line] = []
    for index, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        cells = split_cells(raw.rstrip("\r\n "))
        shown = " ".join(c for c in cells if c) if cells is not None else stripped
        words = (Word(stripped, 0.0, float(len(stripped)), float(index), float(index)),)
        lines.append(Line(page_no, index, shown, words, cells, top=float(index)))
    return lines


def reject_data_files(text: str) -> None:
    """A JSON or CSV data file can quote a title ("2026年…部门预算") but is not a disclosure."""
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped[:1] in "[{":
        try:
            json.loads(stripped)
        except ValueError:
            pass
        else:
            raise DocumentError("not a disclosure: a JSON data file")
    sample = [line for line in stripped.splitlines()[:20] if line.strip()]
    if len(sample) >= 3 and "\t" not in sample[0]:
        widths = [len(row) for row in csv.reader(sample)]
        if min(widths) >= 3 and len(set(widths)) == 1:
            raise DocumentError(f"not a disclosure: a CSV data table ({widths[0]} columns)")


def read_text(data: bytes, document_id: str | None = None, source_uri: str = "") -> Document:
    text, encoding = decode_text(data)
    reject_data_files(text)
    doc_id = document_id or hashlib.sha256(data).hexdigest()
    page = Page(page_no=1, lines=text_to_lines(text), kind="text")
    return Document(doc_id, source_uri, "text", [page], encoding=encoding)
