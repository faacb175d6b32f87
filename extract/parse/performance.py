"""Project performance-target tables (项目支出绩效目标表) in every layout real documents use.

One pass over the document's lines finds the tables and hands their rows to a reader:

- a **card** per project (:mod:`extract.parse.performance_cards`): the seed's 项目编码 card,
  the 项目名称 cards of 福州/西安/烟台, 专项资金 cards, and the 部门整体 form;
- a **list** of many projects (:mod:`extract.parse.performance_lists`): 项目名称 | 金额 |
  绩效目标 | 一级指标 … one row per project or indicator.

A table runs across page breaks — page numbers, running headers, a repeated title (the
lines printed above its header, such as "预算12表 项目支出绩效目标表" and 金额单位：万元, printed
again on each page) and text fragments of merged cells between its rows do not end it — and ends at a section
heading, a paragraph of prose, a note (备注/注：) or another table's title. What the
targets belong to (``scope``: project, special_fund, department) comes from the title
above the table (专项资金…绩效目标表, 部门整体支出绩效目标表). Numbering and the records
are made in :mod:`extract.parse.performance_draft`.
"""

from __future__ import annotations

import re

from extract.read.model import Line
from extract.parse.performance_cards import CardReader, opening
from extract.parse.performance_draft import PerformanceTables, ProjectDraft, finish
from extract.parse.performance_lists import ListReader, is_list_header
from extract.parse.records import AmountRecord
from extract.parse.sections import ENUMERATOR, heading_section
from reference.vocabulary import UNIT_LINE, YEAR, flat

CONTEXT_LINES = 6
LOOKAHEAD_ROWS = 8
PROSE_MIN = 50
_PAGE_FURNITURE = re.compile(r"^[-—－\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—－\s]*$|^续表|^[（(]\s*" + YEAR + r"\s*年度?\s*[）)]$")
_NOTE = re.compile(r"^(?:备\s*注|注\s*[:：])")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_UNIT_CODE_LINE = re.compile(r"^\s*(\d{6,})\s+(\S.*)$")


def _scope(context: list[str]) -> str:
    title = "".join(context)
    if "整体" in title and "绩效" in title:
        return "department"
    if "专项资金" in title and "绩效" in title:
        return "special_fund"
    return "project"


def _selection(context: list[str]) -> bool:
    """A list the document introduces as a selection (重点项目绩效目标): not every project."""
    return "重点项目" in "".join(context)


def _ends_table(line: Line) -> bool:
    text = flat(line.text)
    if not text or _PAGE_FURNITURE.match(line.text.strip()):
        return False
    return (len(text) >= PROSE_MIN or bool(_NOTE.match(text)) or bool(_PART.match(text))
            or heading_section(line) is not None or bool(ENUMERATOR.match(line.text.strip())))


def _title_row(cells: tuple[str, ...]) -> str | None:
    """A table row holding one cell that is a table's title (spreadsheet exports)."""
    filled = [flat(c) for c in cells if c.strip()]
    return filled[0] if len(filled) == 1 and filled[0].endswith("表") and len(filled[0]) <= 60 else None


class _Scan:
    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.drafts: list[ProjectDraft] = []
        self.amounts: list[AmountRecord] = []
        self.reader: CardReader | ListReader | None = None
        self.context: list[Line] = []
        self.above: set[str] = set()  # the lines printed above the open list's header (its title, its unit)

    def _close(self) -> None:
        if isinstance(self.reader, ListReader):
            self.reader.close()
        self.reader = None

    def _unit(self) -> str:
        for line in reversed(self.context):
            m = UNIT_LINE.search(flat(line.text))
            if m:
                return m.group(1)
        return "元"

    def _unit_code(self) -> tuple[str, str]:
        for line in reversed(self.context):
            m = _UNIT_CODE_LINE.match(line.text)
            if m:
                return m.group(1), m.group(2).strip()
        return "", ""

    def _following(self, at: int) -> list[Line]:
        rows = [line for line in self.lines[at + 1: at + 1 + 3 * LOOKAHEAD_ROWS] if line.is_table_row]
        return rows[:LOOKAHEAD_ROWS]

    def run(self) -> PerformanceTables:
        for at, line in enumerate(self.lines):
            if line.is_table_row:
                self._row(at, line)
                continue
            if isinstance(self.reader, ListReader) and flat(line.text) in self.above:
                continue  # the list's title printed again on its next page
            if _ends_table(line):
                self._close()
                self.context = []
            if not _PAGE_FURNITURE.match(line.text.strip()):
                self.context = (self.context + [line])[-CONTEXT_LINES:]
        self._close()
        return finish(self.drafts, self.amounts)

    def _row(self, at: int, line: Line) -> None:
        cells = line.cells or ()
        if _title_row(cells):
            self._close()
            self.context = [line]
            return
        scope = _scope([flat(c.text) for c in self.context])
        if is_list_header(cells):
            if isinstance(self.reader, ListReader) and self.reader.same_header(cells):
                return
            self._close()
            context = [flat(c.text) for c in self.context]
            self.reader = ListReader(line, scope, self._unit(), self.drafts, self.amounts, _selection(context))
            self.above = {text for text in context if text}
            self.context = []
            return
        if opening(cells) is not None:
            if isinstance(self.reader, CardReader) and self.reader.continues_with(cells, self._following(at)):
                self.reader.take(line)
                return
            self._close()
            unit_code, unit_name = self._unit_code()
            draft = ProjectDraft(scope, line, unit=self._unit(), unit_code=unit_code, unit_name=unit_name)
            self.drafts.append(draft)
            self.reader = CardReader(draft, cells)
            self.context = []
            return
        if self.reader is not None:
            self.reader.take(line)


def parse_performance_tables(lines: list[Line]) -> PerformanceTables:
    """Projects, spending plans, indicators and table figures of every performance-target
    table among the document's lines (see the module docstring for the layouts)."""
    return _Scan(lines).run()
