"""The narrative's small tables: 机构设置 (budget units) and 政府采购 (procurement).

Each is found by its header row, and read until the first running-text line. (The
固定资产占用 table is read with the asset prose, in :mod:`extract.parse.assets`.)
"""

from __future__ import annotations


from extract.read.model import Line
from extract.parse.records import AmountRecord, UnitRecord, provenance
from reference.vocabulary import NUMBER_CELL, UNIT_LINE as UNIT_IN_TEXT


def table_after(lines: list[Line], header_at: int) -> list[Line]:
    """The table rows right under the header row at ``header_at``, up to the first running text."""
    rows: list[Line] = []
    for line in lines[header_at + 1 :]:
        if not line.is_table_row:
            break
        rows.append(line)
    return rows


def _find_header(lines: list[Line], required: tuple[str, ...]) -> list[int]:
    found = []
    for i, line in enumerate(lines):
        if line.cells and all(any(word in cell.replace(" ", "") for cell in line.cells) for word in required):
            found.append(i)
    return found


def parse_budget_units(lines: list[Line]) -> list[UnitRecord]:
    """The 机构设置 table's units (单位名称 | 单位性质 | 单位规格 | 经费形式)."""
    units: list[UnitRecord] = []
    for at in _find_header(lines, ("单位名称", "单位性质")):
        header = [c.replace(" ", "") for c in lines[at].cells]
        col = {name: next((i for i, c in enumerate(header) if name in c), None)
               for name in ("单位名称", "单位性质", "单位规格", "经费")}
        for row in table_after(lines, at):
            get = lambda key: row.cells[col[key]].strip() if col[key] is not None and col[key] < len(row.cells) else ""  # noqa: E731
            if get("单位名称"):
                units.append(UnitRecord(get("单位名称"), get("单位性质"), get("单位规格"), get("经费"), provenance(row)))
    return units


def _numbers(cells: tuple[str, ...]) -> list[str]:
    return [c.strip() for c in cells[1:] if NUMBER_CELL.match(c.strip())]


def parse_procurement_table(lines: list[Line]) -> list[AmountRecord]:
    """The 合计 row of a 政府采购预算 table: its first figure is the procurement total."""
    records: list[AmountRecord] = []
    for at in _find_header(lines, ("政府采购",)):
        if not any("采购" in c and ("金额" in c or "项目" in c) for c in lines[at].cells):
            continue
        unit_match = next((UNIT_IN_TEXT.search(l.text) for l in reversed(lines[max(0, at - 3):at]) if UNIT_IN_TEXT.search(l.text)), None)
        unit = unit_match.group(1) if unit_match else "元"
        for row in table_after(lines, at):
            if row.cells[0].replace(" ", "") in ("合计", "总计") and _numbers(row.cells):
                records.append(AmountRecord("procurement", "total", _numbers(row.cells)[0], unit, provenance(row),
                                            source="table", label=row.cells[0].strip()))
                break
    return records
