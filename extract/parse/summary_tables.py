"""Two-sided summary tables (收支总表, 财政拨款收支总表) into long AmountRecords.

Each row pairs a revenue label and figure with an expenditure label and figure; every
pair is kept under the table's statement (key = the printed label), and the rows the
template's row roles name (totals, sources, balancing rows) are also emitted under
``revenue`` / ``expenditure`` with the shared item vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.read.model import Line
from extract.parse.records import AmountRecord
from extract.parse.table_grid import TableBlock, flat, is_number, split_header, table_record

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[、.．]|[（(]\d+[）)]|[（(][一二三四五六七八九十]+[）)]|其中[:：])")


def _side_split(header: list[Line]) -> int | None:
    for row in header:
        texts = [flat(c) for c in row.cells or ()]
        for j, t in enumerate(texts):
            if j > 0 and (t.startswith("支出") or t.startswith("财政拨款支出")):
                return j
    return None


def _side_of(label: str, col: int, split: int) -> str:
    """A label that names its side wins over its column (some tables stack both sides)."""
    if "支出" in label and "收入" not in label:
        return "expenditure"
    if "收入" in label and "支出" not in label:
        return "revenue"
    return "revenue" if col < split else "expenditure"


def _pairs(cells: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """(column, label, figure) pairs of a two-sided summary row."""
    out = []
    texts = [flat(c) for c in cells]
    j = 0
    while j < len(texts):
        t = texts[j]
        if t and not is_number(t):
            value = ""
            k = j + 1
            while k < len(texts) and (not texts[k] or is_number(texts[k])):
                if is_number(texts[k]):
                    value = cells[k]
                    break
                k += 1
            out.append((j, _NUMBERING.sub("", t), value))
        j += 1
    return out


_ROW_NUMBER_HEAD = re.compile(r"^(?:行次|栏次|序号|行号)$")
_ROW_NUMBER = re.compile(r"^\d{1,3}$")


def row_number_columns(header: list[Line], data: list[Line]) -> set[int]:
    """Columns of row numbers (行次, 栏次): headed so, or holding 1, 2, 3 … down the rows. A 决算
    总表 prints one beside each side's figures; read as an amount, 支出总计's 行次 62 became 62万元."""
    headed = {j for row in header for j, c in enumerate(row.cells or ()) if _ROW_NUMBER_HEAD.match(flat(c))}
    counted = set()
    width = max((len(r.cells or ()) for r in data), default=0)
    for j in range(width):
        values = [flat(r.cells[j]) for r in data if r.cells and j < len(r.cells) and flat(r.cells[j])]
        numbers = [int(v) for v in values if _ROW_NUMBER.match(v)]
        if len(numbers) >= 3 and len(numbers) == len(values) and all(b > a for a, b in zip(numbers, numbers[1:])):
            counted.add(j)
    return headed | counted


def _without(cells: tuple[str, ...], columns: set[int]) -> tuple[str, ...]:
    return tuple("" if j in columns else c for j, c in enumerate(cells))


def parse_summary_table(block: TableBlock) -> list[AmountRecord]:
    statement = block.template.statement
    header, data = split_header(block.rows)
    split = _side_split(header) or 2
    row_numbers = row_number_columns(header, data)
    out: list[AmountRecord] = []
    named: dict[tuple[str, str], AmountRecord] = {}
    for row in data:
        for col, label, value in _pairs(_without(row.cells or (), row_numbers)):
            side = _side_of(label, col, split)
            rec = table_record(statement, side, value, block.unit, row, label, label)
            out.append(rec)
            for role in block.template.rows:
                if role.side == side and role.pattern.search(label):
                    named.setdefault((side, role.item), rec)
    out.extend(_pick_totals(named))
    return out


def _pick_totals(named: dict) -> list[AmountRecord]:
    """Named rows as ``revenue`` / ``expenditure`` records. A 合计 row is the grand total
    unless a 总计 row is printed; then the 合计 is the year's own total (收入合计 above
    上年结转 and 收入总计)."""
    out = []
    for (side, item), rec in named.items():
        if item == "total_fallback":
            if (side, "total") not in named:
                item = "total"
            elif (side, "this_year") not in named:
                item = "this_year"
            else:
                continue
        out.append(replace(rec, statement=side, item=item, key=""))
    return out
