"""Word documents (.docx) into the one page/line model: paragraphs and tables in reading order.

Read with python-docx (the package, its relationships and XML parts); the body is walked
in document order so a table stays between the paragraphs around it, as it is printed.
A paragraph is a line of running text; a table row is a line with ``cells``. A cell
merged across columns (``gridSpan``) keeps its text in its first column and leaves the
rest of its span blank, a cell merged down (``vMerge``) is blank in the rows below —
the convention of the HTML reader and of a PDF grid, so a figure stays in its column.
A cell's paragraphs are joined without a break, like a PDF cell's wrapped lines.

Word has no fixed pages: a hard page break or a section break starts a new page, so
provenance names the page the author made; lines are numbered within their page.
"""

from __future__ import annotations

import io
import zipfile

from extract.read.model import Document, Line, Page, Word
from extract.read.sheet_reader import MAX_INFLATED_BYTES
from schemas.errors import DocumentError

MAX_PARTS_BYTES = MAX_INFLATED_BYTES
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, document_id: str, source_uri: str) -> Document:
    """Read a .docx; DocumentError saying why it cannot be read."""
    import docx

    _check_parts(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on damaged files
        raise DocumentError(f"the Word file (.docx) is corrupt and cannot be read ({type(exc).__name__}: "
                            f"{str(exc)[:160]})") from None
    builder = _Pages()
    for element in _blocks(document.element.body):
        if element.tag == _W + "p":
            builder.paragraph(element)
        else:
            builder.table(element)
    pages = builder.finish()
    if not any(page.lines for page in pages):
        raise DocumentError("the Word file (.docx) is empty: it has no paragraph or table with text")
    return Document(document_id, source_uri, "docx", pages)


def _blocks(parent):
    """Paragraphs and tables in document order, looking inside content controls (``w:sdt``)."""
    for child in parent.iterchildren():
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)


def paragraph_text(p) -> str:
    """The visible text of a ``w:p``: runs, hyperlinks and fields' results; tabs as spaces."""
    parts: list[str] = []
    for node in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "delText"):
        if node.tag == _W + "t":
            parts.append(node.text or "")
        elif node.tag == _W + "tab":
            parts.append(" ")
        elif node.tag == _W + "cr" or (node.tag == _W + "br" and node.get(_W + "type") in (None, "textWrapping")):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _breaks_page(p) -> bool:
    if any(br.get(_W + "type") == "page" for br in p.iter(_W + "br")):
        return True
    ppr = p.find(_W + "pPr")
    return ppr is not None and ppr.find(_W + "sectPr") is not None


def _starts_page(p) -> bool:
    ppr = p.find(_W + "pPr")
    flag = ppr.find(_W + "pageBreakBefore") if ppr is not None else None
    return flag is not None and flag.get(_W + "val") not in ("0", "false")


def _row_cells(tr) -> list[str]:
    cells: list[str] = []
    trpr = tr.find(_W + "trPr")
    before = trpr.find(_W + "gridBefore") if trpr is not None else None
    if before is not None:
        cells.extend([""] * _int(before.get(_W + "val"), 0))
    for tc in tr.iterchildren(_W + "tc"):
        tcpr = tc.find(_W + "tcPr")
        span = tcpr.find(_W + "gridSpan") if tcpr is not None else None
        vmerge = tcpr.find(_W + "vMerge") if tcpr is not None else None
        continued = vmerge is not None and vmerge.get(_W + "val") in (None, "continue")
        text = "" if continued else "".join(paragraph_text(p) for p in tc.iter(_W + "p"))
        cells.append(text)
        cells.extend([""] * (max(_int(span.get(_W + "val"), 1), 1) - 1 if span is not None else 0))
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Pages:
    """Collects lines into pages, a new page at each hard page or section break."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.lines: list[Line] = []

    def _add(self, text: str, cells: tuple[str, ...] | None) -> None:
        n = len(self.lines) + 1
        page_no = len(self.pages) + 1
        if cells is None:
            words = (Word(text, 0.0, float(len(text)), float(n), float(n)),)
        else:
            words = tuple(Word(c, float(i), float(i + 1), float(n), float(n)) for i, c in enumerate(cells) if c)
        self.lines.append(Line(page_no, n, text, words, cells, top=float(n)))

    def new_page(self) -> None:
        if self.lines:
            self.pages.append(Page(len(self.pages) + 1, self.lines, kind="text"))
            self.lines = []

    def paragraph(self, p) -> None:
        if _starts_page(p):
            self.new_page()
        text = paragraph_text(p)
        if text:
            self._add(text, None)
        if _breaks_page(p):
            self.new_page()

    def table(self, tbl) -> None:
        for tr in tbl.iterchildren(_W + "tr"):
            cells = _row_cells(tr)
            if any(cells):
                self._add(" ".join(c for c in cells if c), tuple(cells))

    def finish(self) -> list[Page]:
        self.new_page()
        return self.pages or [Page(1, [], kind="blank")]


def _check_parts(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except Exception:  # noqa: BLE001 - damage is python-docx's to report
        return
    if total > MAX_PARTS_BYTES:
        raise DocumentError(f"the Word file looks like a decompression bomb: its parts inflate to {total:,} bytes, "
                            f"more than the {MAX_PARTS_BYTES // (1024 * 1024)} MiB cap: not read")
