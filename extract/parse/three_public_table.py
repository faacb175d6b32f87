"""The "三公"经费 (and 机关运行经费) table, in whichever of its many layouts.

Seen so far: one row under a two- or three-row header; last year's and this year's
columns side by side (年度 columns or 2025年/2026年 groups, 上年/当年); a row per
year; three funding-source sub-columns per item; 会议费/培训费 and a grand 合计 that
is *not* the three-public total; 预算数/决算数 pairs in a final account; and a
vertical two-column list (项目 | 预算数). Columns are named from their header stack.
"""

from __future__ import annotations

from extract.read.model import Line
from extract.parse.records import AmountRecord
from extract.parse.table_grid import TableBlock, flat, header_stacks, is_number, split_header, table_record
from extract.parse.table_roles import THREE_PUBLIC_ITEMS
from reference.vocabulary import YEAR_NIAN

_TOTAL_WORDS = ("合计", "小计", "总计", "总额", "预算数", "决算数")


def _item_of_text(text: str) -> str | None:
    return next((role.item for role in THREE_PUBLIC_ITEMS if role.pattern.search(text)), None)


def classify_stack(stack: list[str], has_other_costs: bool) -> str | None:
    """Item of a column from its header stack, deepest header first."""
    for depth, text in enumerate(reversed(stack)):
        item = _item_of_text(text)
        if item:
            return item
        if "三公" in text and (depth > 0 or any(w in text for w in _TOTAL_WORDS) or len(stack) == 1):
            return "total"
    if any(t in ("合计", "总计", "总额") for t in stack):
        return "grand_total" if has_other_costs else "total"  # grand = 三公 + 会议费 + 培训费
    return None


def _wanted_periods(stacks: list[list[str]]) -> tuple[str | None, bool]:
    years = [int(y) for s in stacks for t in s for y in YEAR_NIAN.findall(t)]
    final = any("决算" in t for s in stacks for t in s)
    return (f"{max(years)}年" if years else None), final


def _column_ok(stack: list[str], year: str | None, final: bool) -> bool:
    joined = "/".join(stack)
    if any(w in joined for w in ("上年", "增减", "结转", "政府性基金", "国有资本")):
        return False
    if year and YEAR_NIAN.search(joined) and year not in joined:
        return False
    if final and "预算数" in joined and "决算" not in joined:
        return False
    return True


def _column_items(stacks: list[list[str]]) -> dict[str, int]:
    has_other = any("会议" in t or "培训" in t for s in stacks for t in s)
    year, final = _wanted_periods(stacks)
    items: dict[str, int] = {}
    for j, stack in enumerate(stacks):
        if not stack or not _column_ok(stack, year, final):
            continue
        item = classify_stack(stack, has_other)
        if item:
            items.setdefault(item, j)
    return items


def _pick_row(rows: list[Line], year: str | None) -> Line | None:
    candidates = [r for r in rows if not any("增减" in flat(c) or "变化" in flat(c) for c in r.cells or ())]
    year_rows = [r for r in candidates if any(YEAR_NIAN.fullmatch(flat(c)) for c in r.cells or ())]
    if year_rows:
        best = max(year_rows, key=lambda r: max(int(y) for c in r.cells or () for y in YEAR_NIAN.findall(flat(c))))
        return best
    totals = [r for r in candidates if any(flat(c) in ("合计", "总计") for c in r.cells or ())]
    return (totals or candidates or [None])[0]


def _vertical(block: TableBlock) -> list[AmountRecord]:
    """项目 | 预算数 lists: one item per row (项目 | 预算数 | 决算数 in a final account: the 决算数)."""
    out = []
    seen = set()
    column = _latest_year_column(block)
    column = _final_column(block) if column is None else column
    for row in block.data_rows:
        cells = row.cells or ()
        labels = [flat(c) for c in cells if flat(c) and not is_number(c)]
        values = [c for c in cells if is_number(c)]
        if column is not None:
            values = [cells[column] if column < len(cells) else ""]
        if not labels or not values:
            continue
        label = labels[0]
        item = _item_of_text(label)
        if item is None and ("合计" in label or "三公" in label or "总计" in label):
            item = "total"
        if item is None or item in seen:
            continue
        seen.add(item)
        out.append(_rec(item, values[0], block, row, label))
    return out


def _final_column(block: TableBlock) -> int | None:
    """In a 项目 | 预算数 | 决算数 list, the 决算数 column (the outturn, not the budget)."""
    header, _ = split_header(block.rows)
    cells = [[flat(c) for c in row.cells or ()] for row in header]
    if not any("预算" in c for row in cells for c in row):
        return None
    return next((j for row in cells for j, c in enumerate(row) if "决算" in c and "上年" not in c), None)


def _latest_year_column(block: TableBlock) -> int | None:
    """In a 项目 | 2025年 | 2026年 list, the column of the latest year."""
    header, _ = split_header(block.rows)
    best: tuple[int, int] | None = None
    for row in header:
        for j, cell in enumerate(row.cells or ()):
            for year in YEAR_NIAN.findall(flat(cell)):
                if best is None or int(year) > best[0]:
                    best = (int(year), j)
    return best[1] if best else None


def _rec(item: str, cell: str, block: TableBlock, row: Line, label: str) -> AmountRecord:
    if item == "operating_expenses":
        return table_record("operating_expenses", "total", cell, block.unit or "", row, label=label)
    return table_record("three_public", item, cell, block.unit or "", row, label=label)


def parse_three_public_table(block: TableBlock) -> list[AmountRecord]:
    header, data = split_header(block.rows)
    if not data:
        return []
    width = max(len(r.cells or ()) for r in block.rows)
    stacks = header_stacks(header, width)
    items = _column_items(stacks)
    if len(items) < 2:
        return _vertical(block)
    year, _ = _wanted_periods(stacks)
    row = _pick_row(data, year)
    if row is None:
        return []
    cells = row.cells or ()
    out = []
    for item, j in items.items():
        cell = cells[j] if j < len(cells) else ""
        out.append(_rec(item, cell, block, row, "/".join(stacks[j])))
    return out
