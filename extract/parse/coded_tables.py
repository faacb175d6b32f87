"""Tables with one row per classification code into long AmountRecords.

The 一般公共预算支出表 (功能分类), 基本支出表 (经济分类), 政府性基金/国有资本经营预算支出表,
收入总表 and 支出总表. Layouts vary by province (split 类/款/项 code columns or one code
column, totals at the top or the bottom, several funding sources per item), so columns
are recognised from their header text by the template's column roles, never from their
position, and figures are kept exactly as printed (blank cells as "") in the table's unit.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.read.model import Line
from extract.parse.records import AmountRecord
from extract.parse.table_grid import TableBlock, flat, header_stacks, is_number, split_header, table_record
from extract.parse.table_roles import CODE_COLUMN, CODE_PARTS, SKIP_COLUMN, ColumnRole

_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:[-－\s]*(\D.*))?$")
# a total row: 合计/总计, or in a 机关运行经费 table the row that names it
_TOTAL_LABEL = re.compile(r"^(?:[总合]计[:：]?|本年支出合计|机关运行经费(?:支出)?(?:合计)?)$")


def column_roles(stacks: list[list[str]], roles: tuple[ColumnRole, ...]) -> dict[str, int]:
    """Role → column index: the first role a column's header matches, the first column per role."""
    found: dict[str, int] = {}
    for j, stack in enumerate(stacks):
        joined = "/".join(stack)
        if not stack or SKIP_COLUMN.search(joined):
            continue
        if CODE_COLUMN.search(joined) or stack[-1] in CODE_PARTS:
            continue
        role = next((r.role for r in roles if r.matches(stack)), None)
        if role is not None:
            found.setdefault(role, j)
    return found


def _split_code_columns(stacks: list[list[str]]) -> list[int] | None:
    cols = [j for j, s in enumerate(stacks) if s and s[-1] in CODE_PARTS]
    return cols[:3] if len(cols) >= 2 else None


def _row_code(cells: tuple[str, ...], split: list[int] | None, ctx: list[str]) -> tuple[str, str]:
    """(code, name) of a row; split 类/款/项 columns inherit the parent rows' parts."""
    texts = [flat(c) for c in cells]
    if split:
        parts = [texts[j] if j < len(texts) else "" for j in split] + [""] * (3 - len(split))
        if not any(p.isdigit() for p in parts):
            return "", _first_label(texts, set(split))
        for k, p in enumerate(parts):
            if p.isdigit():
                ctx[k] = p
                for m in range(k + 1, len(ctx)):
                    ctx[m] = "" if not parts[m].isdigit() else ctx[m]
        depth = max(k for k, p in enumerate(parts) if p.isdigit())
        code = "".join(ctx[: depth + 1])
        return code, _first_label(texts, set(split))
    for j, t in enumerate(texts):
        if not t:
            continue
        m = _CODE.match(t)
        if m and not is_number(t.replace(m.group(1), "", 1) or "x") and len(t) <= 60:
            if m.group(2):
                return m.group(1), m.group(2)
            code, used = m.group(1), {j}
            for k in (j + 1, j + 2):  # 类 | 款 | 项 in cells with no 类/款/项 header
                if len(code) == 3 + 2 * (k - j - 1) and k < len(texts) and re.fullmatch(r"\d{2}", texts[k]):
                    code, used = code + texts[k], used | {k}
            return code, _first_label(texts, used)
        return "", t
    return "", ""


def _first_label(texts: list[str], skip: set[int]) -> str:
    for j, t in enumerate(texts):
        if j not in skip and t and not is_number(t) and not t.isdigit():
            return t
    return ""


def _first_numeric_column(rows: list[tuple[str, ...]]) -> int | None:
    """The first column holding an amount (a figure with a decimal point or a comma, not a code)."""
    for cells in rows:
        for j, c in enumerate(cells):
            if is_number(c) and not flat(c).isdigit():
                return j
    return None


def side_by_side_copies(stacks: list[list[str]]) -> list[tuple[int, int]]:
    """Column ranges of a table printed as copies side by side (the 决算 基本支出表 prints
    人员经费 lines left and 公用经费 lines right under one repeated header): the shortest
    repeating header whose copies each start with a code column. One range for an ordinary table."""
    last = [s[-1] if s else "" for s in stacks]
    n = len(last)
    for k in range(2, n // 2 + 1):
        if n % k or not (last[0] in CODE_PARTS or CODE_COLUMN.search("/".join(stacks[0]))):
            continue
        if all(last[j] == last[j % k] for j in range(n)):
            return [(a, a + k) for a in range(0, n, k)]
    return [(0, n)]


def parse_coded_table(block: TableBlock) -> list[AmountRecord]:
    """One record per code and column (item ``line``, key = the code) and the total row's
    figures (item ``total``), under the template's statement. Copies printed side by side
    (:func:`side_by_side_copies`) are read one after the other, each with its own columns;
    their total rows (人员经费合计, 公用经费合计) are parts, not the table's total, so such a
    table gives a total only where a copy prints 合计/总计 itself."""
    header, _ = split_header(block.rows)
    width = max(len(r.cells or ()) for r in block.rows)
    stacks = header_stacks(header, width)
    copies = side_by_side_copies(stacks)
    out: list[AmountRecord] = []
    for a, b in copies:
        out.extend(_parse_copy(block, stacks[a:b], a, b, explicit_total_only=len(copies) > 1))
    return out


def _parse_copy(block: TableBlock, stacks: list[list[str]], a: int, b: int,
                explicit_total_only: bool) -> list[AmountRecord]:
    """The records of columns ``a``..``b`` of every data row (provenance: the whole printed row)."""
    statement = block.template.statement
    roles = column_roles(stacks, block.template.columns)
    rows = [(row, tuple((row.cells or ())[a:b])) for row in block.data_rows]
    if "amount" not in roles:
        first_num = _first_numeric_column([cells for _, cells in rows])
        if first_num is None:
            return []
        roles["amount"] = first_num
    split = _split_code_columns(stacks)
    ctx = ["", "", ""]
    out: list[AmountRecord] = []
    totals: list[tuple[Line, tuple[str, ...], str]] = []
    for row, cells in rows:
        code, name = _row_code(cells, split, ctx)
        if not code:
            if any(cells) or not explicit_total_only:  # a copy's blank row (its side ended) is no row
                totals.append((row, cells, name))  # a 合计 row, or a unit's subtotal row
            continue
        out.extend(_figures(statement, "line", block.unit, row, cells, roles, code, name))
    if explicit_total_only:
        totals = [t for t in totals if _TOTAL_LABEL.match(t[2])]
    explicit = [t for t in totals if _TOTAL_LABEL.match(t[2])]
    for row, cells, name in explicit[:1] or (totals if len(totals) == 1 else []):
        out.extend(_figures(statement, "total", block.unit, row, cells, roles, "", name))
    return out


def _figures(statement: str, item: str, unit: str, row: Line, cells: tuple[str, ...], roles: dict[str, int],
             key: str, name: str) -> list[AmountRecord]:
    """One record per role's column of ``cells`` (blank where the row is short)."""
    return [table_record(statement, item, cells[j] if j < len(cells) else "", unit, row, key, name, column)
            for column, j in roles.items()]


def parse_operating_expenses_table(block: TableBlock) -> list[AmountRecord]:
    """A coded 机关运行经费 table; its total row is also the operating-expenses total."""
    records = parse_coded_table(block)
    return records + [
        replace(r, statement="operating_expenses", item="total", key="", column="amount")
        for r in records
        if r.item == "total" and r.column == "amount"
    ][:1]
