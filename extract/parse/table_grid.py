"""A table block of a disclosure and the helpers that read its cells and header.

A :class:`TableBlock` is one titled table (its title line, unit, rows), found by
:mod:`extract.parse.table_blocks` and read by the parser its template names. Cells are
compared without spaces or quotes; figures are recognised with the shared vocabulary
(:mod:`reference.vocabulary`) and kept as printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extract.read.model import Line
from extract.parse.records import AmountRecord, provenance
from extract.parse.table_roles import ColumnRole, RowRole
from reference.vocabulary import BLANK_CELL, NUMBER_CELL, UNIT_LINE, flat, unspaced



def is_number(cell: str) -> bool:
    return bool(NUMBER_CELL.match(unspaced(cell)))


def clean_number(cell: str) -> str:
    """The figure as printed minus stray spaces (commas are kept for transform); a dash
    or slash alone is how some tables print an empty cell, so it reads as blank."""
    text = unspaced(cell)
    if BLANK_CELL.fullmatch(text):
        return ""
    return text.replace("－", "-").replace("—", "-")


def table_record(statement: str, item: str, cell: str, unit: str, line: Line,
                 key: str = "", label: str = "", column: str = "amount") -> AmountRecord:
    """One figure of a table row, as printed (blank or dash → ``""``), in the table's unit."""
    return AmountRecord(statement=statement, item=item, amount_text=clean_number(cell), unit=unit,
                        where=provenance(line), source="table", key=key, label=label, column=column)


def find_unit(text: str) -> str | None:
    """万元 / 元 / 亿元 from a unit line (单位：万元), else None."""
    m = UNIT_LINE.search(flat(text))
    return m.group(1) if m else None


@dataclass(frozen=True)
class TableTemplate:
    """One standard table as data (the list of them is :mod:`extract.parse.templates`): a
    title holding every pattern of ``all_of`` and none of ``none_of`` names it; its records
    are filed under ``statement``; ``parser`` reads it using its column and row roles. No
    parser: a table recognised only so that it ends the table before it."""

    kind: str
    all_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    statement: str = ""
    parser: Callable[[TableBlock], list[AmountRecord]] | None = None
    columns: tuple[ColumnRole, ...] = ()
    rows: tuple[RowRole, ...] = ()

    def matches(self, title: str) -> bool:
        return all(re.search(w, title) for w in self.all_of) and not any(re.search(w, title) for w in self.none_of)


@dataclass
class TableBlock:
    """One titled table: ``rows`` are its table rows, across page breaks; ``text_lines``
    the running-text lines under its title (a table drawn without a grid)."""

    template: TableTemplate
    title: str
    title_line: Line
    unit: str | None = None
    rows: list[Line] = field(default_factory=list)
    text_lines: list[Line] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.template.kind

    @property
    def data_rows(self) -> list[Line]:
        return [r for r in self.rows if is_data_row(r)]


_COLUMN_NUMBER_LABELS = {"栏次", "行次", "序号", "甲", "乙", "丙"}


def is_column_numbers(row: Line) -> bool:
    """A row numbering the columns (栏次 | 1 | 2 | 3 …, or 1 | 2 | 3 | 4 alone): part of the
    header, never figures."""
    cells = [unspaced(c) for c in row.cells or ()]
    numbers = [c for c in cells if c.isdigit()]
    labels = {c for c in cells if c and not c.isdigit()}
    if not numbers or len(numbers) < 2 or not labels <= _COLUMN_NUMBER_LABELS:
        return False
    values = [int(c) for c in numbers]
    steps = all(b == a + 1 for a, b in zip(values, values[1:]))
    return steps and (bool(labels) or (values[0] == 1 and len(values) >= 3))


def is_data_row(row: Line) -> bool:
    """A row holding at least one figure (a column-number row holds none)."""
    return any(is_number(c) for c in row.cells or ()) and not is_column_numbers(row)


def split_header(rows: list[Line]) -> tuple[list[Line], list[Line]]:
    """Header rows are those before the first row with a figure; a column-number row
    among them is left out of both."""
    for i, row in enumerate(rows):
        if is_data_row(row):
            return [r for r in rows[:i] if not is_column_numbers(r)], rows[i:]
    return [r for r in rows if not is_column_numbers(r)], []


def header_stacks(header: list[Line], width: int) -> list[list[str]]:
    """Per column, the header texts from top to bottom; a group header is spread over
    the columns beneath it (its cell is printed once, in the first column it spans)."""
    grid = [[flat(c) for c in (row.cells or ())] + [""] * width for row in header]
    grid = [row[:width] for row in grid]
    for r in range(len(grid) - 1):
        for j in range(1, width):
            if grid[r][j] or not grid[r][j - 1]:
                continue
            if r > 0 and grid[r - 1][j] != grid[r - 1][j - 1]:
                continue  # a new parent column starts here: the group ends
            below = any(grid[k][j] for k in range(r + 1, len(grid)))
            left_below = any(grid[k][j - 1] for k in range(r + 1, len(grid)))
            if below and left_below:
                grid[r][j] = grid[r][j - 1]
    return [[grid[r][j] for r in range(len(grid)) if grid[r][j]] for j in range(width)]
