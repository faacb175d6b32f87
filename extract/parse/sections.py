"""Split running text into the disclosure's sections and join wrapped lines.

A figure's meaning depends on the section it is printed in ("增加1.78万元" is a
change only under 比上年增减). Headings are short, unpunctuated lines, usually
enumerated (一、 / 1. / （一）); a heading that names no known section keeps the
current one, so sub-headings never reset the context. Wrapped PDF lines are joined
into one string per section while remembering which line each character came from,
so a match spanning a line break still points at its first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.read.model import Document, Line
from reference.vocabulary import flat

SECTION_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("glossary", re.compile(r"名词解释")),
    ("change", re.compile(r"比上年增减|增减变化情况|与上年.*对比|增减情况")),
    ("three_public", re.compile(r"三公")),
    ("operating_expenses", re.compile(r"机关运行经费|机关运行费")),
    ("procurement", re.compile(r"政府采购")),
    ("asset", re.compile(r"国有资产|资产占用|固定资产")),
    ("performance", re.compile(r"绩效")),
    ("revenue", re.compile(r"收入(?:说明|预算|总体|情况)")),
    ("expenditure", re.compile(r"支出(?:说明|预算|总体|情况)")),
    ("structure", re.compile(r"机构设置|部门职责|预算单位构成")),
    ("other", re.compile(r"其他(?:需要)?说明")),
)
ENUMERATOR = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}\s*[、.．](?!\d))")
MAX_HEADING_CHARS = 40


def heading_section(line: Line) -> str | None:
    """The section a heading line opens, or None when the line is not such a heading."""
    if line.is_table_row:
        return None
    text = line.text.strip()
    if len(text) > MAX_HEADING_CHARS or "。" in text or "：" in text[:-1]:
        return None
    if not ENUMERATOR.match(text) and len(text) > 16:
        return None
    for name, pattern in SECTION_KEYWORDS:
        if pattern.search(text):
            return name
    return None


@dataclass
class RunningText:
    """Running text (a section's, or a page's) with a char-offset → line map for provenance."""

    name: str
    text: str = ""
    starts: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def add(self, line: Line, text: str | None = None) -> None:
        self.starts.append(len(self.text))
        self.lines.append(line)
        self.text += line.text.strip() if text is None else text

    def _index_at(self, offset: int) -> int:
        index = 0
        for i, start in enumerate(self.starts):
            if start <= offset:
                index = i
            else:
                break
        return index

    def lines_over(self, start: int, end: int) -> list[Line]:
        """The printed lines that characters ``start``…``end - 1`` come from."""
        return self.lines[self._index_at(start) : self._index_at(max(start, end - 1)) + 1]



def split_sections(doc: Document) -> list[RunningText]:
    """Running text per section, in document order; table rows are left to table parsers."""
    sections: list[RunningText] = [RunningText("preamble")]
    for line in doc.lines():
        opened = heading_section(line)
        if opened is not None:
            sections.append(RunningText(opened))
            continue
        if not line.is_table_row:
            sections[-1].add(line)
    return [s for s in sections if s.lines]


def page_texts(doc: Document) -> list[RunningText]:
    """Each page's running text joined without spaces or quotes (tables left out), so a
    statement wrapped over lines reads as one string."""
    out = []
    for page in doc.pages:
        running = RunningText(f"page {page.page_no}")
        for line in page.lines:
            if not line.is_table_row:
                running.add(line, flat(line.text))
        if running.lines:
            out.append(running)
    return out
