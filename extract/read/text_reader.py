"""Plain-text disclosures (the seed's format) into the page/line model.

County offices publish these as UTF-8 or as GBK/GB18030; the bytes are decoded once,
by :mod:`extract.read.decode` (strict, so a wrong guess fails loudly instead of
producing mojibake), and the dispatch hands the decoded text in. A line with
a tab is a table row: its tab-separated fields become ``Line.cells`` (trailing empty
fields dropped, inner blanks kept, because a blank cell is information).
"""

from __future__ import annotations

import csv
import re
import json

from extract.read.decode import Decoded, decode
from extract.read.model import Document, Line, Page, Word, document_id_of
from schemas.errors import DocumentError

MIN_PRINTABLE_SHARE = 0.98  # below this the "text" is mojibake or binary, not a disclosure
MAX_LINE_CHARS = 100_000  # a disclosure's longest line (a paragraph, a table row) holds a few thousand


def decoded_text(data: bytes, decoded: Decoded | None = None) -> Decoded:
    """The decoded text of a plain-text disclosure; DocumentError saying why there is none.

    ``decoded`` is the sniffer's result when the dispatch already has it; otherwise the
    one decoder runs here. Either way the text must be at least 98 % printable.
    """
    if decoded is None:
        if not data:
            raise DocumentError("empty file (0 bytes)")
        if not data.strip():
            raise DocumentError(f"empty file: only whitespace ({len(data)} bytes)")
        decoded = decode(data)
        if decoded is None and b"\x00" in data[:4096]:
            raise DocumentError("not a text document: it contains binary (NUL) bytes")
        if decoded is None:
            raise DocumentError(
                "not readable as text: not UTF-8, GBK/GB18030 or another encoding "
                "charset-normalizer recognises"
            )
    longest = max(map(len, decoded.text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise DocumentError(
            f"not a disclosure's text: one line holds {longest:,} characters, where a disclosure's lines hold a "
            f"few thousand at most (the cap is {MAX_LINE_CHARS:,}): a data dump, or a file without line breaks"
        )
    if not _looks_like_text(decoded.text):
        raise DocumentError(
            f"not readable as text: decoded as {decoded.encoding}, fewer than "
            f"{MIN_PRINTABLE_SHARE:.0%} of its characters are printable"
        )
    return decoded


def _looks_like_text(text: str) -> bool:
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\r\n\u3000")
    return printable >= MIN_PRINTABLE_SHARE * len(text)


_PIPES = re.compile(r"\s*[|｜]\s*")


def split_cells(raw: str) -> tuple[str, ...] | None:
    """A line's table cells: tab-separated (the seed's export), or separated by two or more pipes
    ("合计 | 18.15 | 22.15 |", a table saved from a web page as text); None for running text."""
    if "\t" in raw:
        cells = [cell.strip() for cell in raw.split("\t")]
    elif raw.count("|") + raw.count("｜") >= 2 and \
            sum(1 for c in _PIPES.split(raw.strip().strip("|｜")) if c.strip()) >= 2:
        cells = [cell.strip() for cell in _PIPES.split(raw.strip().strip("|｜"))]
    else:
        return None
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
        # a lone cell of a table saved as text ("收入总计 |", "…统计表 | ||||") reads as its text
        shown = " ".join(c for c in cells if c) if cells is not None else _PIPES.sub(" ", stripped).strip() or stripped
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
        try:
            widths = [len(row) for row in csv.reader(sample)]
        except csv.Error:  # a field past the csv module's limit: not a table of data either
            return
        if min(widths) >= 3 and len(set(widths)) == 1:
            raise DocumentError(f"not a disclosure: a CSV data table ({widths[0]} columns)")


def read_text(
    data: bytes, document_id: str | None = None, source_uri: str = "", decoded: Decoded | None = None
) -> Document:
    """One page of lines; raises DocumentError for empty, binary, undecodable or data files."""
    found = decoded_text(data, decoded)
    reject_data_files(found.text)
    doc_id = document_id or document_id_of(data)
    page = Page(page_no=1, lines=text_to_lines(found.text), kind="text")
    return Document(doc_id, source_uri, "text", [page], encoding=found.encoding)
