"""Performance-target tables printed as one list of many projects.

A list opens at a header row naming the project (项目名称, 一级项目名称), its money
(项目总额, 预算数, 年度资金总额, 预算金额) and its targets (绩效目标, 一级指标); a second header
row (其中： 财政资金 | 其他资金) is read with it. Each row that names a project with its
code or amount opens that project; rows below it with the name cells empty carry its
indicators (权重/分值, 绩效指标性质 and 度量单位 columns included) and the rest of a goal
cut by a page break. A row restating the current project (its merged cells printed
again on the next page) continues it. The table's own 合计 row is kept as the
``project_list``/``total`` figure — ``project_list``/``selection_total`` where the table is
introduced as a selection (重点项目): its 合计 is that of the projects it lists, not of all.

A list grouped by implementing unit (广州's 重点项目 lists: 项目 | 预算数 | 绩效目标) prints a
row naming the unit — its name an organisation's, its 绩效目标 blank, its amount blank or the
subtotal of its projects — above the unit's projects: that row is no project, it names the
unit of the projects below it (two units' projects of the same name are two projects).

Where a project's name and amount sit in a merged cell centred over many rows, a page
break can print its first indicator rows *before* the row that names it, under a goal
that starts afresh after the previous project's finished one (ending in 。): those rows
wait for the next named row and join it.
"""

from __future__ import annotations

import re

from extract.read.model import Line
from extract.parse.identity.names import ORGANISATION_END
from extract.parse.performance_draft import ProjectDraft
from extract.parse.performance_rows import (
    IndicatorDraft, IndicatorReader, header_columns, is_figure, label, split_code_name, unit_in,
)
from extract.parse.records import AmountRecord, provenance
from extract.parse.table_grid import header_stacks
from reference.vocabulary import AMOUNT_WORDS, flat

NAME = re.compile(r"项目名称|项目$")
CODE = re.compile(r"项目(?:编码|代码)")
UNIT = re.compile(r"单位名称|预算单位|实施单位|项目单位")
AMOUNT_COLUMN = re.compile(rf"{AMOUNT_WORDS}|^合计$|^金额")
FISCAL = re.compile(r"财政资金|财政拨款")
OTHER = re.compile(r"其他资金")
GOAL = re.compile(r"绩效目标|年度目标")
SUBHEADER = re.compile(r"^(?:其中[:：]?|财政资金|财政拨款|其他资金|合计|小计|总额)$")
TOTAL_ROW = re.compile(r"^(?:合计|总计|金额合计|项目合计)$")
_UNIT_CODE = re.compile(r"^(\d{3,})\s*(\S.*)$")
_QUALIFIER = re.compile(r"[（(][^（()）]*[）)]?$")  # （二级部门）, or an alias cut by the cell: （广州市房地产
_ORGANISATION = re.compile(rf"^[\u4e00-\u9fa5（）()]{{2,40}}?{ORGANISATION_END}$")


def _unit_heading(name: str) -> bool:
    """Does a list row's name read as an implementing unit's (not a project's)?"""
    return bool(_ORGANISATION.match(name) or _ORGANISATION.match(_QUALIFIER.sub("", name)))


def is_list_header(cells: tuple[str, ...]) -> bool:
    texts = [flat(c) for c in cells if c.strip()]
    return (len(texts) >= 3 and not any(is_figure(t) for t in texts)
            and any(NAME.search(t) for t in texts) and any(AMOUNT_COLUMN.search(label(t)) for t in texts)
            and any(GOAL.search(t) or t == "一级指标" for t in texts))


def _first(stacks: list[list[str]], pattern: re.Pattern[str], taken: set[int]) -> int | None:
    for i, stack in enumerate(stacks):
        if i not in taken and stack and pattern.search(label(stack[-1])):
            return i
    return None


class ListReader:
    """Reads one list of projects (its header rows first), across page breaks."""

    def __init__(self, header: Line, scope: str, unit: str, drafts: list[ProjectDraft],
                 amounts: list[AmountRecord], selection: bool = False):
        self.header = [header]
        self.total_item = "selection_total" if selection else "total"
        self.scope, self.unit = scope, unit_in(header.cells or ()) or unit
        self.drafts, self.amounts = drafts, amounts
        self.columns: dict[str, int] | None = None
        self.indicators: IndicatorReader | None = None
        self.current: ProjectDraft | None = None
        self.orphans: list[IndicatorDraft] = []
        self.orphan_goal = ""
        self.unit_name, self.unit_code = "", ""
        self.header_keys = {flat("".join(header.cells or ()))}

    def same_header(self, cells: tuple[str, ...]) -> bool:
        return flat("".join(cells)) in self.header_keys

    # ------------------------------------------------------------ header

    def _header_row(self, cells: tuple[str, ...]) -> bool:
        filled = [flat(c) for c in cells if c.strip()]
        return bool(filled) and all(SUBHEADER.match(t) for t in filled)

    def _settle_columns(self) -> None:
        width = max(len(row.cells or ()) for row in self.header)
        stacks = header_stacks(self.header, width)
        leaves = tuple(stack[-1] if stack else "" for stack in stacks)
        indicator_columns = header_columns(leaves)
        taken = set(indicator_columns.values())
        columns: dict[str, int] = {}
        for role, pattern in (("code", CODE), ("name", NAME), ("unit", UNIT), ("fiscal", FISCAL),
                              ("other", OTHER), ("goal", GOAL), ("amount", AMOUNT_COLUMN)):
            index = _first(stacks, pattern, taken | set(columns.values()))
            if index is not None:
                columns[role] = index
        self.columns = columns
        self.indicators = IndicatorReader(indicator_columns) if indicator_columns else None
        self.unit = unit_in(leaves) or self.unit

    # ------------------------------------------------------------ rows

    def take(self, line: Line) -> None:
        cells = line.cells or ()
        if not any(c.strip() for c in cells):
            return
        if self.columns is None:
            if self._header_row(cells):
                self.header.append(line)
                self.header_keys.add(flat("".join(cells)))
                return
            self._settle_columns()
        if self.same_header(cells):
            return  # the header repeated on a continuation page
        self._data_row(cells, line)

    def _cell(self, cells: tuple[str, ...], role: str) -> str:
        index = (self.columns or {}).get(role)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def _data_row(self, cells: tuple[str, ...], line: Line) -> None:
        name_text, code = self._cell(cells, "name"), flat(self._cell(cells, "code"))
        if not code:
            code, name = split_code_name(name_text)
        else:
            name = name_text
        amount = self._cell(cells, "amount")
        amount = flat(amount) if is_figure(amount) else ""
        unit_text = self._cell(cells, "unit")
        if unit_text:
            m = _UNIT_CODE.match(flat(unit_text))
            self.unit_code, self.unit_name = (m.group(1), m.group(2)) if m else ("", unit_text)
        if TOTAL_ROW.match(label(name) or label(next((c for c in cells if c.strip()), ""))):
            if amount:
                self.amounts.append(AmountRecord("project_list", self.total_item, amount, self.unit,
                                                 provenance(line), source="table", label=label(name) or "合计"))
            return
        goal = self._cell(cells, "goal")
        if self._names_a_unit(cells, name, code, goal):
            self.unit_code, self.unit_name = "", label(name)
            self.current = None  # the unit's first project opens anew, even with a name seen before
            return
        if (code or amount) and (name or code):
            if self.current is None or not self.current.same_project(code, name):
                self._open(code, name, amount, cells, line)
                goal = self._join_goal(goal)
            elif goal and goal not in self.current.goal:
                self.current.goal += goal
            goal = ""
        elif name and self.current is not None and not amount:
            self.current.name += flat(name)  # the rest of a name cut by a page break
        if goal and self.current is not None:
            self._goal_fragment(goal)
        self._indicator(cells, line)

    def _names_a_unit(self, cells: tuple[str, ...], name: str, code: str, goal: str) -> bool:
        """A unit's row in a list grouped by unit (module docstring): in a list with a goal column and
        no unit column, a row whose only cells are a unit's name and perhaps its subtotal."""
        columns = self.columns or {}
        if "goal" not in columns or "unit" in columns or code or goal or not _unit_heading(label(name)):
            return False
        used = {columns.get("name"), columns.get("amount")}
        return not any(c.strip() for j, c in enumerate(cells) if j not in used)

    def _open(self, code: str, name: str, amount: str, cells: tuple[str, ...], line: Line) -> None:
        fiscal, other = self._cell(cells, "fiscal"), self._cell(cells, "other")
        self.current = ProjectDraft(self.scope, line, unit=self.unit, code=code, name=name, amount=amount,
                                    fiscal=flat(fiscal) if is_figure(fiscal) else "",
                                    other=flat(other) if is_figure(other) else "",
                                    unit_code=self.unit_code, unit_name=self.unit_name)
        self.drafts.append(self.current)

    def _join_goal(self, goal: str) -> str:
        """A newly named project takes the rows and the goal's start printed before it."""
        assert self.current is not None
        head = self.orphan_goal
        self.current.goal = goal if not head or goal.startswith(head) else head + goal
        self.current.indicators.extend(self.orphans)
        self.orphans, self.orphan_goal = [], ""
        return ""

    def _goal_fragment(self, goal: str) -> None:
        current = self.current
        assert current is not None
        if self.orphan_goal:
            self.orphan_goal += goal
        elif current.indicators and current.goal.rstrip().endswith("。"):
            self.orphan_goal = goal  # a new goal starts before its project's name is printed
        elif goal not in current.goal:
            current.goal += goal

    def _indicator(self, cells: tuple[str, ...], line: Line) -> None:
        if self.indicators is None:
            return
        indicator = self.indicators.read(cells, line)
        if indicator is None:
            return
        if self.orphan_goal or self.current is None:
            self.orphans.append(indicator)
        else:
            self.current.indicators.append(indicator)

    def close(self) -> None:
        """Rows still waiting for a name belong to the last project after all."""
        if self.orphans and self.current is not None:
            self.current.indicators.extend(self.orphans)
            self.current.goal += self.orphan_goal
        self.orphans, self.orphan_goal = [], ""
