"""Project performance-target tables (项目支出绩效目标表), one block per project.

A block starts at the row whose first cell is 项目编码 and runs to the next such row.
Rows are recognised by their first cell (预算规模, 资金支出计划, 绩效目标, 一级指标),
never by position, and indicator columns are located from the header row, so extra
columns (权重, 分值) or a missing 指标值确定依据 column do not shift the others.
The spending plan keeps every printed percentage even where the header row has fewer
periods than the percentage row (the seed's 信访维稳经费: four figures, three headers).
"""

from __future__ import annotations

import re

from extract.read.model import Line
from extract.parse.records import IndicatorRecord, PlanRecord, ProjectRecord, provenance
from extract.reference.vocabulary import UNIT_LINE
UNIT_CODE_LINE = re.compile(r"^\s*(\d{6,})\s+(\S.*)$")
PCT_CELL = re.compile(r"^[-+]?\d+(?:\.\d+)?\s*[%％]$")
HEADER_COLUMNS = {
    "level1": re.compile(r"^一级指标"),
    "level2": re.compile(r"^二级指标"),
    "level3": re.compile(r"^三级指标"),
    "description": re.compile(r"指标(?:描述|内容|说明)|绩效指标描述"),
    "target": re.compile(r"^(?:指标值|目标值|绩效指标值|年度指标值)"),
    "basis": re.compile(r"确定依据|评(?:价)?标准|指标值说明"),
    "weight": re.compile(r"^(?:权重|分值)"),
}


def _cell(cells: tuple[str, ...], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _after(cells: tuple[str, ...], label: re.Pattern[str]) -> str:
    """The first non-empty cell after the cell matching ``label``."""
    for i, cell in enumerate(cells):
        if label.search(cell):
            for value in cells[i + 1 :]:
                if value.strip():
                    return value.strip()
    return ""


PAGE_FURNITURE = re.compile(r"^[-—\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—\s]*$|^续表|^单位[:：]")


def _is_project_start(line: Line) -> bool:
    return bool(line.cells) and line.cells[0].replace(" ", "") == "项目编码"


def _block_end(lines: list[Line], start: int) -> int:
    """A block ends at the next 项目编码 row or at running text that is not page furniture
    (page numbers, 续表, unit lines), so a table continued on the next page stays whole."""
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if _is_project_start(line):
            return i
        if not line.is_table_row and not PAGE_FURNITURE.match(line.text.strip()):
            return i
    return len(lines)


def _blocks(lines: list[Line]) -> list[tuple[int, int]]:
    return [(i, _block_end(lines, i)) for i, line in enumerate(lines) if _is_project_start(line)]


def _context_before(lines: list[Line], start: int) -> tuple[str, str, str]:
    """(unit, unit_code, unit_name) from the few running-text lines above a block."""
    unit, unit_code, unit_name = "元", "", ""
    for line in reversed(lines[max(0, start - 4) : start]):
        if line.is_table_row:
            break
        if m := UNIT_LINE.search(line.text):
            unit = m.group(1)
        elif m := UNIT_CODE_LINE.match(line.text):
            unit_code, unit_name = m.group(1), m.group(2).strip()
    return unit, unit_code, unit_name


def _header_index(cells: tuple[str, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, cell in enumerate(cells):
        for name, pattern in HEADER_COLUMNS.items():
            if name not in index and pattern.search(cell.replace(" ", "")):
                index[name] = i
                break
    return index


def _plan(project_seq: int, header: Line, values: Line) -> list[PlanRecord]:
    labels = header.cells or ()
    plans: list[PlanRecord] = []
    for i, cell in enumerate(values.cells or ()):
        if PCT_CELL.match(cell.strip()):
            label = labels[i].strip() if i < len(labels) and i > 0 else ""
            plans.append(PlanRecord(project_seq, len(plans) + 1, label, cell.strip(), provenance(values)))
    return plans


def parse_block(seq: int, lines: list[Line], unit: str, unit_code: str, unit_name: str):
    head = lines[0]
    code_text = _cell(head.cells, 1)
    name = _after(head.cells, re.compile(r"项目名称"))
    amount = fiscal = other = purpose = goal = ""
    plans: list[PlanRecord] = []
    indicators: list[IndicatorRecord] = []
    columns: dict[str, int] = {}
    carry = ["", ""]
    for k, line in enumerate(lines[1:], start=1):
        cells = line.cells
        if cells is None:
            continue
        first = cells[0].replace(" ", "")
        if first.startswith("预算规模") or "预算数" in cells:
            amount = _after(cells, re.compile(r"^预算数|^资金总额|^年度资金总额"))
            fiscal = _after(cells, re.compile(r"财政资金|财政拨款"))
            other = _after(cells, re.compile(r"其他资金"))
        elif first == "" and not columns and not purpose and len(cells) >= 2 and len(cells[1]) > 20:
            purpose = cells[1].strip()
        elif first.startswith("资金支出计划") and k + 1 < len(lines):
            plans = _plan(seq, line, lines[k + 1])
        elif first.startswith("绩效目标") or first.startswith("年度绩效目标"):
            goal = " ".join(c for c in cells[1:] if c.strip())
        elif first.startswith("一级指标"):
            columns = _header_index(cells)
        elif columns and any(c.strip() for c in cells):
            level1 = _cell(cells, columns.get("level1")) or carry[0]
            level2 = _cell(cells, columns.get("level2")) or (carry[1] if level1 == carry[0] else "")
            carry = [level1, level2]
            indicators.append(
                IndicatorRecord(
                    seq, len(indicators) + 1, level1, level2,
                    _cell(cells, columns.get("level3")), _cell(cells, columns.get("description")),
                    _cell(cells, columns.get("target")), _cell(cells, columns.get("basis")),
                    provenance(line), weight_text=_cell(cells, columns.get("weight")),
                )
            )
    project = ProjectRecord(seq, code_text, name, amount, fiscal, other, unit, provenance(head),
                            unit_code=unit_code, unit_name=unit_name, purpose=purpose, goal=goal)
    return project, plans, indicators


def parse_performance_tables(lines: list[Line]):
    """(projects, plans, indicators) of every project block among the document's lines."""
    projects: list[ProjectRecord] = []
    plans: list[PlanRecord] = []
    indicators: list[IndicatorRecord] = []
    for seq, (start, end) in enumerate(_blocks(lines), start=1):
        block_lines = [line for line in lines[start:end] if line.is_table_row]
        project, block_plans, block_indicators = parse_block(seq, block_lines, *_context_before(lines, start))
        projects.append(project)
        plans.extend(block_plans)
        indicators.extend(block_indicators)
    return projects, plans, indicators
