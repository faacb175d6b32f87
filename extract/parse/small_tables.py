"""The narrative's small tables: 机构设置 (budget units), 固定资产占用 (assets), 政府采购.

Each is found by its header row, and read until the first running-text line. The
asset table prints its unit in the header ("价值（金额单位：万元）"); a blank or "——"
cell is not a zero, so it is left out and the figure stays NULL downstream.
"""

from __future__ import annotations

import re

from extract.read.model import Line
from extract.parse.records import AmountRecord, UnitRecord, provenance
from extract.reference.vocabulary import NUMBER_CELL, UNIT_LINE as UNIT_IN_TEXT
ASSET_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("total", re.compile(r"资产总额|合计|总计")),
    ("office_buildings", re.compile(r"办公用房")),
    ("buildings", re.compile(r"房屋")),
    ("vehicles", re.compile(r"车辆")),
    ("equipment", re.compile(r"万元以上的?设备|大型设备|专用设备")),
    ("other", re.compile(r"其他固定资产|其他资产")),
)


def _table_after(lines: list[Line], header_at: int) -> list[Line]:
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
        for row in _table_after(lines, at):
            get = lambda key: row.cells[col[key]].strip() if col[key] is not None and col[key] < len(row.cells) else ""  # noqa: E731
            if get("单位名称"):
                units.append(UnitRecord(get("单位名称"), get("单位性质"), get("单位规格"), get("经费"), provenance(row)))
    return units


def _numbers(cells: tuple[str, ...]) -> list[str]:
    return [c.strip() for c in cells[1:] if NUMBER_CELL.match(c.strip())]


def parse_asset_table(lines: list[Line]) -> list[AmountRecord]:
    """Quantity and value per category of a 固定资产占用 table (数量 | 价值 columns)."""
    records: list[AmountRecord] = []
    for at in _find_header(lines, ("数量", "价值")):
        header = lines[at].cells
        unit_match = UNIT_IN_TEXT.search(" ".join(header)) or UNIT_IN_TEXT.search(lines[at - 1].text if at else "")
        unit = unit_match.group(1) if unit_match else "元"
        q_col = next(i for i, c in enumerate(header) if "数量" in c)
        v_col = next(i for i, c in enumerate(header) if "价值" in c)
        for row in _table_after(lines, at):
            label = row.cells[0].strip()
            category = next((name for name, pattern in ASSET_CATEGORIES if pattern.search(label)), None)
            if category is None:
                continue
            for column, index, cell_unit in (("quantity", q_col, ""), ("value", v_col, unit)):
                text = row.cells[index].strip() if index < len(row.cells) else ""
                if NUMBER_CELL.match(text):
                    records.append(AmountRecord("asset", category, text, cell_unit, provenance(row),
                                                source="table", label=label, column=column))
    return records


def parse_procurement_table(lines: list[Line]) -> list[AmountRecord]:
    """The 合计 row of a 政府采购预算 table: its first figure is the procurement total."""
    records: list[AmountRecord] = []
    for at in _find_header(lines, ("政府采购",)):
        if not any("采购" in c and ("金额" in c or "项目" in c) for c in lines[at].cells):
            continue
        unit_match = next((UNIT_IN_TEXT.search(l.text) for l in reversed(lines[max(0, at - 3):at]) if UNIT_IN_TEXT.search(l.text)), None)
        unit = unit_match.group(1) if unit_match else "元"
        for row in _table_after(lines, at):
            if row.cells[0].replace(" ", "") in ("合计", "总计") and _numbers(row.cells):
                records.append(AmountRecord("procurement", "total", _numbers(row.cells)[0], unit, provenance(row),
                                            source="table", label=row.cells[0].strip()))
                break
    return records
