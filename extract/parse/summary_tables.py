"""Two-sided summary tables (收支总表, 财政拨款收支总表) into long AmountRecords.

Each row pairs a revenue label and figure with an expenditure label and figure; every
pair is kept under the table's statement (key = the printed label), and the rows the
template's row roles name (totals, sources, balancing rows) are also emitted under
``revenue`` / ``expenditure`` with the shared item vocabulary.

A row with a figure that no role names is emitted too, as what it stands in for, so that
a rule never sums a side with a row missing (:func:`_unmapped`): ``unmapped_source`` (a
revenue row above 本年收入合计), ``unmapped_balance`` (a row between 本年收入合计/本年支出合计
and the grand total) or ``unmapped_part`` (an expenditure row above 本年支出合计 on a side
that lists 基本支出/项目支出 rather than function classes). A 其中 row is a breakdown of
the row above it, never a part.
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


def _pairs(cells: tuple[str, ...]) -> list[tuple[int, str, str, bool]]:
    """(column, label, figure, a 其中 breakdown) pairs of a two-sided summary row."""
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
            out.append((j, _NUMBERING.sub("", t), value, t.startswith("其中")))
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
    sides: dict[str, list[tuple[AmountRecord, set[str], bool]]] = {"revenue": [], "expenditure": []}
    for row in data:
        for col, label, value, breakdown in _pairs(_without(row.cells or (), row_numbers)):
            side = _side_of(label, col, split)
            rec = table_record(statement, side, value, block.unit, row, label, label)
            out.append(rec)
            items = {role.item for role in block.template.rows if role.side == side and role.pattern.search(label)}
            for item in items:
                named.setdefault((side, item), rec)
            sides[side].append((rec, items, breakdown))
    out.extend(_pick_totals(named))
    if block.template.rows:
        out.extend(_unmapped(sides))
    return out


def _unmapped(sides: dict[str, list[tuple[AmountRecord, set[str], bool]]]) -> list[AmountRecord]:
    """The rows with a figure no role names, as ``unmapped_source``/``_balance``/``_part`` of their side
    (key = the printed label): where they stand says what they would be part of (module docstring)."""
    out = []
    for side, rows in sides.items():
        at = {item: next((i for i, (_, items, _) in enumerate(rows) if item in items), None)
              for item in ("this_year", "total", "total_fallback", "basic", "project")}
        total = at["total"] if at["total"] is not None else at["total_fallback"]
        this_year = at["this_year"]
        if this_year is None and at["total"] is not None and at["total_fallback"] is not None:
            this_year = at["total_fallback"]  # a 合计 above a 总计 is the year's own total
        by_kind = at["basic"] is not None or at["project"] is not None
        for i, (rec, items, breakdown) in enumerate(rows):
            if items or breakdown or not _nonzero(rec.amount_text) or (total is not None and i >= total):
                continue
            if this_year is not None and i > this_year:
                item = "unmapped_balance"
            elif side == "revenue":
                item = "unmapped_source"
            elif by_kind:
                item = "unmapped_part"
            else:
                continue  # an expenditure side listed by function class: another breakdown of the same total
            out.append(replace(rec, statement=side, item=item, key=rec.key[:40]))
    return out


def _nonzero(text: str) -> bool:
    return is_number(text) and re.search("[1-9１-９]", text) is not None


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
