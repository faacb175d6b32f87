"""Performance-target tables printed as one card per project (or per department).

A card opens at its naming row (项目编码 | … | 项目名称 | …, 项目名称 | …, 专项资金名称 | …,
or 部门名称 | … on a 部门整体 form) and states, in rows recognised by their labels and never
by position: 主管部门 / 实施单位, the amounts (预算数, 资金总额, 年度(预算)资金总额, 实施期资金
总额 — the year's figure wins — with 财政资金/财政拨款 and 其他资金), the seed's purpose row,
资金支出计划, the goal (绩效目标, 年度目标, (年度)总体目标, 整体绩效目标), then the indicator
header (一级指标 …) and indicator rows. A department form adds its money: label rows
(金额合计, 部门预算支出, 基本支出, 项目支出) or a grid of headers over one row of figures.

A card continued on the next page may repeat its opening rows (a word processor's
repeated header): a naming row for the same project whose restated rows say nothing
new is a continuation, never a new project.
"""

from __future__ import annotations

import re

from extract.read.model import Line
from extract.parse.performance_draft import ProjectDraft
from extract.parse.performance_rows import (
    IndicatorReader, header_columns, is_figure, is_indicator_header, label, plan_points, unit_in, value_after,
)
from extract.parse.table_grid import header_stacks
from reference.vocabulary import AMOUNT_WORDS, flat

CODE_LABEL = re.compile(r"^项目(?:编码|代码)$")
NAME_LABEL = re.compile(r"^(?:项目名称|专项资金名称|专项名称|项目名称及编码)$")
DEPARTMENT_LABEL = re.compile(r"^(?:部门|单位|部门[（(]单位[）)])名称$")
IMPLEMENTER = re.compile(r"^(?:实施单位|项目单位|执行单位)$")
ANNUAL = re.compile(r"^年度(?:预算)?资金(?:总额)?$|^年度预算资金总额$")
AMOUNT_LABEL = re.compile(rf"^(?:{AMOUNT_WORDS})$")
FISCAL = re.compile(r"^(?:财政资金|财政拨款|财政拨款资金)$")
OTHER = re.compile(r"^其他资金$")
BASIC = re.compile(r"^基本支出$")
PROJECT = re.compile(r"^项目支出$")
GOAL = re.compile(r"^(?:绩效目标|年度目标|年度绩效目标|总体目标|年度总体目标|整体绩效目标|总体绩效目标)$")
GOAL_SUBLABEL = re.compile(r"^(?:实施期总目标|年度目标|年度总目标|总体目标)$")
PLAN = re.compile(r"^资金支出计划")
REMARK = re.compile(r"^备注")
_HEADER_WORD = re.compile(r"^(?:金额|预算数|合计|小计|单位|项目|数量|价值|说明)")
LABELS = re.compile("|".join(p.pattern for p in (CODE_LABEL, NAME_LABEL, DEPARTMENT_LABEL, IMPLEMENTER, AMOUNT_LABEL,
                                                  FISCAL, OTHER, BASIC, PROJECT, GOAL, GOAL_SUBLABEL))
                    + r"|^主管部门|^其中$|^其他说明$")


def _text_after(cells: tuple[str, ...], pattern: re.Pattern[str]) -> str | None:
    """The first filled cell after the label matching ``pattern``, unless it is a label itself."""
    for i, cell in enumerate(cells):
        if pattern.match(label(cell)):
            for text in cells[i + 1:]:
                if text.strip():
                    return "" if LABELS.match(label(text)) else text.strip()
            return ""
    return None


def opening(cells: tuple[str, ...]) -> tuple[str, str] | None:
    """(code, name) when the row opens a card (a naming row), else None."""
    filled = [c for c in cells if c.strip()]
    if not filled:
        return None
    first = label(filled[0])
    if CODE_LABEL.match(first):
        return _text_after(cells, CODE_LABEL) or "", _text_after(cells, NAME_LABEL) or ""
    if (NAME_LABEL.match(first) or DEPARTMENT_LABEL.match(first)) and len(filled) <= 3:
        name = _text_after(cells, re.compile(f"{NAME_LABEL.pattern}|{DEPARTMENT_LABEL.pattern}"))
        if name is None or not _HEADER_WORD.search(label(name)):
            return "", name or ""
    return None


def _restated(rows: list[Line], draft: ProjectDraft) -> bool:
    """Do the rows after a repeated naming row (up to the indicators) state anything that
    differs from the card so far — another amount or implementing unit?"""
    for row in rows:
        cells = row.cells or ()
        if is_indicator_header(cells) or opening(cells):
            return False
        amount = value_after(cells, AMOUNT_LABEL, labels=LABELS)
        unit = _text_after(cells, IMPLEMENTER)
        if (amount and amount[0] and amount[0] != draft.amount) or (unit and draft.unit_name and unit != draft.unit_name):
            return True
    return False


class CardReader:
    """Fills one :class:`ProjectDraft` from the rows of its card, across page breaks."""

    def __init__(self, draft: ProjectDraft, opening_cells: tuple[str, ...]):
        self.draft = draft
        self.draft.code, self.draft.name = opening(opening_cells) or ("", "")
        self.indicators: IndicatorReader | None = None
        self.seen: set[str] = {flat("".join(opening_cells))}
        self.pending_plan: Line | None = None
        self.goal_next = False
        self.grid: list[Line] = []
        self.annual_column: int | None = None
        self._unit(opening_cells)

    def continues_with(self, cells: tuple[str, ...], following: list[Line]) -> bool:
        """A naming row of the same project, followed by nothing new: the card continues."""
        code, name = opening(cells) or ("", "")
        return self.draft.same_project(code, name) and not _restated(following, self.draft)

    def take(self, line: Line) -> None:
        cells = line.cells or ()
        key = flat("".join(cells))
        if not key or key in self.seen:
            return  # a blank row, or a row of the card's head restated on a continuation page
        if self.indicators is None:
            self.seen.add(key)
        if is_indicator_header(cells):
            self.seen.add(key)
            self.indicators = IndicatorReader(header_columns(cells))
            return
        if self.indicators is not None:
            if not REMARK.match(label(next((c for c in cells if c.strip()), ""))):
                indicator = self.indicators.read(cells, line)
                if indicator is not None:
                    self.draft.indicators.append(indicator)
            return
        self._field_row(cells, line)

    def _unit(self, cells: tuple[str, ...]) -> None:
        unit = unit_in(cells)
        if unit and not getattr(self, "_unit_set", False):
            self.draft.unit, self._unit_set = unit, True

    def _field_row(self, cells: tuple[str, ...], line: Line) -> None:
        d = self.draft
        self._unit(cells)
        if self.pending_plan is not None:
            d.plans.extend((period, pct, line) for period, pct in plan_points(self.pending_plan, line))
            self.pending_plan = None
            return
        first = label(next((c for c in cells if c.strip()), ""))
        if self.goal_next:
            self.goal_next = False
            d.goal = " ".join(c.strip() for c in cells if c.strip() and not LABELS.match(label(c)))
            return
        if PLAN.match(first):
            self.pending_plan = line
            return
        if GOAL.match(first):
            texts = [c.strip() for c in cells[1:] if c.strip() and not LABELS.match(label(c))]
            d.goal = " ".join(texts)
            self.goal_next = not texts
            return
        unit_name = _text_after(cells, IMPLEMENTER)
        if unit_name:
            d.unit_name = unit_name
        self._amounts(cells, line)
        if not cells[0].strip() and not d.purpose and len(cells) >= 2 and len(cells[1].strip()) > 20 \
                and not any(is_figure(c) for c in cells):
            d.purpose = cells[1].strip()
        if d.scope == "department":
            self._department_grid(cells, line)

    def _amounts(self, cells: tuple[str, ...], line: Line) -> None:
        d = self.draft
        annual = value_after(cells, ANNUAL, labels=LABELS)
        found = annual if annual and annual[0] else value_after(cells, AMOUNT_LABEL, labels=LABELS)
        if annual:
            self.annual_column = annual[1]
        if found and found[0] and not d.amount:
            d.amount = found[0]
            if d.scope == "department":
                d.figures.setdefault("total", (found[0], line))
        start = self.annual_column or 0
        for name, pattern in (("fiscal", FISCAL), ("other", OTHER)):
            hit = value_after(cells, pattern, labels=LABELS, from_column=start) or value_after(cells, pattern, labels=LABELS)
            if hit and hit[0] and not getattr(d, name):
                setattr(d, name, hit[0])
        if d.scope == "department":
            for name, pattern in (("basic", BASIC), ("project", PROJECT)):
                hit = value_after(cells, pattern, labels=LABELS)
                if hit and hit[0]:
                    d.figures.setdefault(name, (hit[0], line))

    def _department_grid(self, cells: tuple[str, ...], line: Line) -> None:
        """Headers over one row of figures (预算支出总额 | 财政拨款: 合计 基本支出 项目支出 …)."""
        figures = [i for i, c in enumerate(cells) if is_figure(c)]
        if figures and len(figures) < sum(1 for c in cells if c.strip()):
            return  # a labelled row (a task with its amount), not a row of figures under headers
        if not figures:
            if any(c.strip() for c in cells):
                self.grid.append(line)
            return
        if len(figures) < 2 or not self.grid:
            return
        stacks = header_stacks(self.grid, len(cells))
        self.grid = []
        d = self.draft
        for i in figures:
            path = "/".join(stacks[i])
            item = ("total" if re.search("总额|部门预算支出|^合计$", path) and "其他资金" not in path else
                    "basic" if path.endswith("基本支出") and "其他资金" not in path else
                    "project" if path.endswith("项目支出") and "其他资金" not in path else None)
            if item and item not in d.figures:
                d.figures[item] = (flat(cells[i]), line)
                if item == "total" and not d.amount:
                    d.amount = flat(cells[i])
