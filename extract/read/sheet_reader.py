"""Excel workbooks (.xlsx, .xls, and an .et or .ods that is one) into the one page/line model.

Read with python-calamine (the Rust calamine engine polars uses), never a hand-written XML
parser: it reads the cached value of every cell, formulas included, of both the XML and
the binary (BIFF) formats, and states each sheet's merged ranges. Each visible sheet
becomes one page; each non-empty row one :class:`~extract.read.model.Line` whose number is
the row number Excel shows, so provenance points at the row.

- A merged range keeps its value in its top-left cell and leaves the rest of its span
  blank, the way the HTML reader expands ``colspan``/``rowspan`` and a PDF grid leaves a
  merged cell's other columns empty: a figure stays in its column.
- Numbers become text as they would be printed, without exponent or float noise
  (66716064.0 → "66716064", 0.30000000000000004 → "0.3"), so the table's unit line
  (单位：元 / 万元) applies to them exactly as to a PDF's. Excel's display format (a
  percent sign, a fixed number of decimals) is not visible through calamine.
- A row whose only cell is text, above the sheet's first table row or merged across
  columns, is a line of running text: the sheet's title, its unit line, a paragraph.
  A sheet whose lines above its table name no table (no "…表" title) takes its name as
  its title (unless a line above already says it) ("收支总表"), as line 0, unless the name is Excel's default ("Sheet1").
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from extract.read.model import Document, Line, Page, Word
from schemas.errors import DocumentError

MAX_SHEETS = 200
MAX_CELLS = 2_000_000  # per sheet; the largest standard table has a few thousand
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # an .xlsx's parts as its ZIP directory states them
_DEFAULT_NAME = re.compile(r"^(?:sheet|工作表|表)\s*\d*$", re.I)
_TITLE_HINT = "表"  # a head line naming a table (…预算表, 情况表); without one the sheet's name is its title
_DECIMALS = Decimal("0.00000001")

Cell = Any


def printed(value: Cell) -> str:
    """A cell's value as text a table parser reads like a printed figure or label."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        number = Decimal(repr(value)).quantize(_DECIMALS).normalize()
        text = format(number, "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return " ".join(part.strip() for part in str(value).replace("\r", "").split("\n") if part.strip())


def read_sheets(data: bytes, document_id: str, source_uri: str, fmt: str, what: str) -> Document:
    """Every visible sheet of a workbook as a page; DocumentError saying why it cannot be read.
    ``fmt`` is the sniffed format (``xlsx`` or ``xls``), ``what`` the sniffer's words for it."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    _check_inflated_size(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for every damage
        raise DocumentError(_reason(exc, what)) from None
    with workbook:
        sheets = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        if len(sheets) > MAX_SHEETS:
            raise DocumentError(f"the workbook has {len(sheets)} sheets, more than the {MAX_SHEETS} "
                                "a disclosure can plausibly have: not read")
        pages: list[Page] = []
        notes: list[str] = []
        for meta in sheets:
            if meta.visible != SheetVisibleEnum.Visible:
                notes.append(f"hidden sheet '{meta.name}' not read (a printed disclosure does not show it)")
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                if sheet.height * sheet.width > MAX_CELLS:
                    raise DocumentError(f"sheet '{meta.name}' has {sheet.height:,} rows × {sheet.width:,} "
                                        f"columns, more than the {MAX_CELLS:,} cells a table can plausibly have")
                rows = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or []
            except DocumentError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise DocumentError(_reason(exc, what)) from None
            pages.append(sheet_page(len(pages) + 1, meta.name, rows, merged))
    if not pages:
        raise DocumentError(f"the workbook ({what}) has no visible worksheet to read")
    if not any(page.lines for page in pages):
        raise DocumentError(f"the workbook ({what}) is empty: no sheet has a filled cell")
    return Document(document_id, source_uri, fmt, pages, notes=notes)  # type: ignore[arg-type]


def sheet_page(page_no: int, name: str, rows: list[list[Cell]], merged: list) -> Page:
    """One sheet's rows as lines (see the module docstring for which rows are running text)."""
    spans = {(r0, c0): (r1, c1) for (r0, c0), (r1, c1) in merged}
    width = max((len(r) for r in rows), default=0)
    lines: list[Line] = []
    in_table = False
    for r, row in enumerate(rows):
        cells = [printed(v) for v in row]
        filled = [(c, text) for c, text in enumerate(cells) if text]
        if not filled:
            continue
        while cells and not cells[-1]:
            cells.pop()
        only = filled[0] if len(filled) == 1 else None
        wide = only is not None and spans.get((r, only[0]), (r, only[0]))[1] > only[0]
        words = tuple(Word(text, float(c), float(c + 1), float(r + 1), float(r + 1)) for c, text in filled)
        if only is not None and isinstance(row[only[0]], str) and (wide or not in_table):
            lines.append(Line(page_no, r + 1, only[1], words, None, top=float(r + 1)))
            continue
        in_table = True
        text = " ".join(t for _, t in filled)
        lines.append(Line(page_no, r + 1, text, words, tuple(cells), top=float(r + 1)))
    first_row = next((k for k, ln in enumerate(lines) if ln.is_table_row), None)
    head = [flat_text(ln.text) for ln in lines[:first_row or 0]]
    if first_row is not None and not any(_TITLE_HINT in text for text in head) \
            and flat_text(name) not in head and not _DEFAULT_NAME.match(name.strip()):
        lines.insert(0, Line(page_no, 0, name.strip(), (Word(name.strip(), 0.0, 1.0, 0.0, 0.0),), None, 0.0))
    return Page(page_no, lines, width=float(width), height=float(len(rows)), kind="text" if lines else "blank")


def flat_text(text: str) -> str:
    return "".join(text.split())


def _check_inflated_size(data: bytes) -> None:
    """An .xlsx is a ZIP: refuse one whose parts inflate beyond the cap before calamine inflates them."""
    if not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except Exception:  # noqa: BLE001 - damage is calamine's to report
        return
    if total > MAX_INFLATED_BYTES:
        raise DocumentError(f"the workbook looks like a decompression bomb: its parts inflate to {total:,} bytes, "
                            f"more than the {MAX_INFLATED_BYTES // (1024 * 1024)} MiB cap: not read")


def _reason(exc: BaseException, what: str) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    low = text.lower()
    if "password" in low or "encrypt" in low:
        return f"the workbook ({what}) is encrypted (password protected), so its cells cannot be read"
    return f"the workbook ({what}) is corrupt or not a workbook calamine can read ({type(exc).__name__}: {text})"
