"""The rows of a performance-target table (绩效目标表): labels, header columns, indicators.

Shared by both layouts the tables come in — one card per project (the seed's, 福州's,
西安's, 烟台's) and one list of many projects (北京 预算表12, 长春 预算表11, 深圳's 重点项目
table) — and by the department-wide form (部门整体支出绩效目标表). Columns are located
from the header row by their words, never by position, so an extra column (权重,
分值, 绩效指标性质, 度量单位) or a missing one (指标值确定依据) shifts nothing. A value is
the first filled cell after its label ("实施期资金总额： | 5.00"), so merged label cells
spread over several columns are read alike.

Source: 财政部《项目支出绩效目标申报表》《部门整体支出绩效目标申报表》 and the variants
real disclosures print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.read.model import Line
from reference.vocabulary import MONEY_UNIT, NUMBER_CELL, flat

#: Indicator columns by header words; the first pattern a header cell matches names it.
HEADER_COLUMNS: dict[str, re.Pattern[str]] = {
    "level1": re.compile(r"^一级指标"),
    "level2": re.compile(r"^二级指标"),
    "level3": re.compile(r"^三级指标"),
    "combined": re.compile(r"^(?:绩效)?指标(?:名称)?$"),  # 产出指标质量指标来信扫描完成率 in one cell
    "description": re.compile(r"指标(?:描述|内容|说明|解释)|绩效指标描述"),
    "comparator": re.compile(r"指标性质"),
    "target": re.compile(r"^(?:本年|年度|预期)?(?:绩效)?(?:指标值|目标值)(?:[（(].*)?$"),
    "measure": re.compile(r"度量单位|计量单位"),
    "basis": re.compile(r"确定依据|评(?:价)?标准|指标值说明"),
    "weight": re.compile(r"^(?:分值)?(?:权重|分值)"),
}
LEVEL1 = re.compile(r"^(产出指标|效益指标|满意度指标|成本指标|效果指标|管理指标)")
COMPARATORS = {"≥", "≤", "＝", "=", ">", "<", "＞", "＜", ">=", "<=", "≧", "≦"}
QUALITATIVE = {"定性"}

_UNIT_IN_LABEL = re.compile(rf"[（(]\s*(?:(?:金额)?单位[:：]\s*)?({MONEY_UNIT})\s*[）)]")  # 预算数（单位：万元）
_CODE_NAME = re.compile(r"^(?P<code>[0-9A-Za-z]{8,})\s*[-－—_]\s*(?P<name>\S.*)$")
_PCT_CELL = re.compile(r"^[-+]?\d+(?:\.\d+)?\s*[%％]$")


def label(cell: str) -> str:
    """A cell as a label: no spaces or quotes, no 其中 prefix, no unit, no trailing colon."""
    text = _UNIT_IN_LABEL.sub("", flat(cell))
    return re.sub(r"^其中[:：]?", "", text).rstrip(":：")


def unit_in(cells: tuple[str, ...] | list[str]) -> str | None:
    """万元/元 printed inside a label ("资金金额（万元）", "年度资金总额(万元)")."""
    for cell in cells:
        m = _UNIT_IN_LABEL.search(flat(cell))
        if m:
            return m.group(1)
    return None


def is_figure(cell: str) -> bool:
    return bool(NUMBER_CELL.match(flat(cell)))


def value_after(cells: tuple[str, ...], pattern: re.Pattern[str], *, labels: re.Pattern[str],
                from_column: int = 0) -> tuple[str, int] | None:
    """(figure, column) of the first label matching ``pattern`` at or after ``from_column``:
    the first filled cell after it, unless another label comes first (a blank value)."""
    for i in range(from_column, len(cells)):
        if not pattern.match(label(cells[i])):
            continue
        for j in range(i + 1, len(cells)):
            text = cells[j].strip()
            if not text:
                continue
            if is_figure(text):
                return flat(text), i
            if labels.match(label(text)):
                return "", i
            return None
        return "", i
    return None


def split_code_name(text: str) -> tuple[str, str]:
    """"11000021Y000000390843-信息系统运维类项目" → (code, name); a name alone → ("", name)."""
    text = text.strip()
    m = _CODE_NAME.match(flat(text))
    return (m.group("code"), m.group("name")) if m else ("", text)


def header_columns(cells: tuple[str, ...]) -> dict[str, int]:
    """Indicator column of each role in a header row (the row holding 一级指标 or 绩效指标)."""
    index: dict[str, int] = {}
    for i, cell in enumerate(cells):
        text = flat(cell)
        for name, pattern in HEADER_COLUMNS.items():
            if name not in index and pattern.search(text):
                index[name] = i
                break
    if "level1" in index:  # a first column labelled 绩效指标 heads the rows, the levels are apart
        index.pop("combined", None)
    if "level3" not in index and "description" in index:  # 指标内容 is the indicator itself
        index["level3"] = index.pop("description")
    return index


def is_indicator_header(cells: tuple[str, ...]) -> bool:
    texts = [flat(c) for c in cells]
    return "一级指标" in texts or ("活动" in texts and any(HEADER_COLUMNS["combined"].match(t) for t in texts))


def _cell(cells: tuple[str, ...], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def split_levels(text: str) -> tuple[str, str, str]:
    """"产出指标质量指标来信扫描完成率" → (产出指标, 质量指标, 来信扫描完成率)."""
    text = flat(text)
    m = LEVEL1.match(text)
    if not m:
        return "", "", text
    rest = text[m.end():]
    at = rest.find("指标")
    if at < 0 or at > 12:
        return m.group(1), "", rest
    return m.group(1), rest[: at + 2], rest[at + 2:]


def target_text(value: str, comparator: str, measure: str) -> str:
    """The 指标值 as one text: ``≤`` + ``5`` + ``分钟`` → "≤5分钟"; 定性 keeps the word ("优")."""
    comparator = flat(comparator)
    value = value.strip()
    if comparator in COMPARATORS and value:
        return f"{comparator.replace('＝', '=')}{value}{flat(measure)}"
    if comparator in QUALITATIVE or not measure:
        return value
    return f"{value}{flat(measure)}"


@dataclass
class IndicatorDraft:
    level1: str
    level2: str
    level3: str
    description: str
    target: str
    basis: str
    weight: str
    line: Line


@dataclass
class IndicatorReader:
    """Reads the indicator rows under one header, carrying merged 一级/二级 cells down."""

    columns: dict[str, int]
    carry: list[str] = field(default_factory=lambda: ["", ""])

    def read(self, cells: tuple[str, ...], line: Line) -> IndicatorDraft | None:
        c = self.columns
        if "combined" in c:
            level1, level2, level3 = split_levels(_cell(cells, c["combined"]))
        else:
            level1, level2, level3 = _cell(cells, c.get("level1")), _cell(cells, c.get("level2")), _cell(cells, c.get("level3"))
        level1 = level1 or self.carry[0]
        level2 = level2 or (self.carry[1] if level1 == self.carry[0] else "")
        self.carry = [level1, level2]
        target = target_text(_cell(cells, c.get("target")), _cell(cells, c.get("comparator")),
                             _cell(cells, c.get("measure")))
        description = _cell(cells, c.get("description"))
        if not (level3 or description or target):
            return None  # a template row naming only its levels states no indicator
        return IndicatorDraft(level1, level2, level3, description, target, _cell(cells, c.get("basis")),
                              _cell(cells, c.get("weight")), line)


def plan_points(header: Line, values: Line) -> list[tuple[str, str]]:
    """(period label, printed %) of a 资金支出计划 row pair; every printed % is kept, even
    where the header names fewer periods (the seed's 信访维稳经费: four figures, three labels)."""
    labels = header.cells or ()
    points = []
    for i, cell in enumerate(values.cells or ()):
        if _PCT_CELL.match(cell.strip()):
            points.append((labels[i].strip() if 0 < i < len(labels) else "", cell.strip()))
    return points
