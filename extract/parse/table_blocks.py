"""Find the standard tables of a disclosure by their titles and cut the rows between.

A title may be a running-text line ("表7 / 一般公共预算支出表（按功能分类）") or a
one-cell table row (spreadsheet exports put the title inside the grid). A table runs
from its title to the next title or the next paragraph of prose, across page breaks,
so a table continued on the next page (with or without a repeated header) stays one
table. The unit line (单位：元 / 单位：万元) found in a table's head scales all of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.read.model import Document, Line
from extract.parse.text_tables import rows_from_words

_SPACE = re.compile(r"[\s\u3000]+")
_QUOTES = str.maketrans("", "", "\"“”'‘’")
_UNIT = re.compile(r"单位[:：]\s*(万元|元)(?![\u4e00-\u9fa5])")  # not 编制单位：元宝区…
_NUMBERING = re.compile(
    r"^(?:附?表\s*\d+(?:[-－]\d+)?|公开表\d+|预算\d+表|[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）|\d+[、.．])"
)
_YEAR_PREFIX = re.compile(r"^(?:20\d{2}\s*年度?)")
_TITLE = re.compile(r"^(.{2,60}?表)([（(][^）)]*[）)]?|\d+)?(.*)$")
_TITLE_TAIL = re.compile(r"^(?:$|编制|部门|单位|预算单位|金额单位|[（(]?20\d{2}年度?[）)]?$)")
_NUMBER = re.compile(r"^[-－—]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PROSE_MIN = 50


def flat(text: str) -> str:
    """Text without spaces or quotes: titles and labels are compared this way."""
    return _SPACE.sub("", text).translate(_QUOTES)


def is_number(cell: str) -> bool:
    return bool(_NUMBER.match(_SPACE.sub("", cell)))


def clean_number(cell: str) -> str:
    """The figure as printed minus stray spaces (commas are kept for transform); a dash
    or slash alone is how some tables print an empty cell, so it reads as blank."""
    text = _SPACE.sub("", cell)
    if re.fullmatch(r"[-－—–/／]+", text):
        return ""
    return text.replace("－", "-").replace("—", "-")


def find_unit(text: str) -> str | None:
    m = _UNIT.search(flat(text))
    return m.group(1) if m else None


def title_of(line: Line) -> str | None:
    """The table title this line carries, or None. Only lines that are mostly a title count."""
    if line.is_table_row:
        filled = [c for c in line.cells or () if c.strip()]
        if len(filled) != 1:
            return None
        text = filled[0]
    else:
        text = line.text
    t = flat(text)
    if len(t) > 120 or not t:
        return None
    t = _YEAR_PREFIX.sub("", _NUMBERING.sub("", t))
    t = _YEAR_PREFIX.sub("", t)
    m = _TITLE.match(t)
    if not m or not _TITLE_TAIL.match(m.group(3)):
        return None
    title = m.group(1) + (m.group(2) or "")
    if not any(k in title for k in ("预算", "决算", "收", "支", "经费", "情况")):
        return None
    return title


def classify_title(title: str) -> str:
    """Map a title to the national standard table it is; 'other' ends the previous table."""
    t = title
    if "三公" in t:
        return "three_public"
    if "机关运行经费" in t:
        return "operating_expenses"
    if "政府性基金" in t:
        return "gov_fund"
    if "国有资本经营" in t:
        return "state_capital"
    if "绩效" in t or "采购" in t or "项目支出" in t and "一般公共预算" not in t:
        return "other"
    has_summary = ("收支" in t or "收入支出" in t) and "总" in t
    if has_summary and "财政拨款" in t:
        return "fiscal_summary_table"
    if has_summary:
        return "summary_table"
    if "一般公共预算" in t and "基本支出" in t:
        return "other" if "功能" in t else "economic"
    if "一般公共预算" in t and "经济分类" in t:
        return "economic_general"
    if "一般公共预算" in t and "支出" in t:
        return "function"
    if "收入" in t and ("总" in t or "决算表" in t):
        return "revenue_table"
    if "支出" in t and ("总" in t or "决算表" in t) and not re.search("基本支出|项目支出", t):
        return "expenditure_table"
    return "other"


@dataclass
class Region:
    kind: str
    title: str
    title_line: Line
    unit: str | None = None
    rows: list[Line] = field(default_factory=list)
    text_lines: list[Line] = field(default_factory=list)  # for a table drawn without a grid

    @property
    def data_rows(self) -> list[Line]:
        return [r for r in self.rows if any(is_number(c) for c in r.cells or ())]


def _ends_region(line: Line) -> bool:
    t = flat(line.text)
    return len(t) >= _PROSE_MIN or bool(re.match(r"^第[一二三四五六七八九十]+部分", t))


def find_regions(doc: Document) -> list[Region]:
    """Every titled table of the document, continuation pages merged into their table."""
    regions: list[Region] = []
    current: Region | None = None
    seen_data = False
    previous: Line | None = None
    running = running_headers(doc)
    for line in doc.lines():
        if not line.is_table_row and flat(line.text) in running:
            continue  # a page header/footer repeated on every page is no title and no prose
        title = _title_with_previous(previous, line)
        previous = None if line.is_table_row else line
        if title is not None:
            kind = classify_title(title)
            if current and current.kind == kind and flat(current.title) == flat(title):
                continue  # the title repeated on a continuation page
            current = Region(kind, title, line, unit=find_unit(line.text))
            regions.append(current)
            seen_data = False
            continue
        if current is None:
            continue
        if current.unit is None and not seen_data:
            current.unit = find_unit(line.text)
        if line.is_table_row:
            if any(c.strip() for c in line.cells or ()):
                current.rows.append(line)
                seen_data = seen_data or any(is_number(c) for c in line.cells or ())
        elif _ends_region(line):
            current = None
        else:
            current.text_lines.append(line)
    for region in regions:
        if not region.rows:
            region.rows = _ungridded_rows(region.text_lines)
    _fill_units(regions)
    return regions


def _ungridded_rows(lines: list[Line]) -> list[Line]:
    """Rows rebuilt from word positions, only when the lines look like a table, not prose."""
    candidates = [ln for ln in lines if not re.search(r"[。；;]|万元|单位[:：]", ln.text)]
    data = [ln for ln in candidates if len(ln.words) >= 2 and any(is_number(w.text) for w in ln.words)]
    if len(data) < 3:
        return []
    return rows_from_words(candidates)


def running_headers(doc: Document, min_pages: int = 3) -> set[str]:
    """Title-like texts printed at the top or bottom of at least ``min_pages`` pages that
    name no standard table (running headers like "某某局2026年部门预算公开表")."""
    seen: dict[str, set[int]] = {}
    for page in doc.pages:
        text_lines = [ln for ln in page.lines if not ln.is_table_row]
        for line in text_lines[:2] + text_lines[-2:]:
            seen.setdefault(flat(line.text), set()).add(page.page_no)
    out = set()
    half = sum(1 for p in doc.pages if p.lines) / 2  # a per-table title repeats on that table's pages only
    for text, pages in seen.items():
        if len(pages) >= max(min_pages, half) and text:
            title = title_of(Line(0, 0, text))
            if title is not None and classify_title(title) == "other":
                out.add(text)
    return out


def _title_with_previous(previous: Line | None, line: Line) -> str | None:
    """A title broken before its last words ("…“三公”经费支出" / "预算表") is read whole."""
    title = title_of(line)
    if title is None or previous is None or classify_title(title) != "other":
        return title
    head = flat(previous.text)
    if not head or len(head) > 40 or head[-1] in "。；;：:" or title_of(previous) is not None:
        return title
    joined = title_of(Line(line.page_no, line.line_no, head + flat(line.text)))
    return joined if joined and classify_title(joined) != "other" else title


def _fill_units(regions: list[Region]) -> None:
    """A table without its own unit line takes the unit most tables of the document state."""
    stated = [r.unit for r in regions if r.unit]
    default = max(set(stated), key=stated.count) if stated else "万元"
    for r in regions:
        if r.unit is None:
            r.unit = default


def split_header(rows: list[Line]) -> tuple[list[Line], list[Line]]:
    """Header rows are those before the first row with a figure."""
    for i, row in enumerate(rows):
        if any(is_number(c) for c in row.cells or ()):
            return rows[:i], rows[i:]
    return rows, []


def header_stacks(header: list[Line], width: int) -> list[list[str]]:
    """Per column, the header texts from top to bottom; a group header is spread over
    the columns beneath it (its cell is printed once, in the first column it spans)."""
    grid = [[flat(c) for c in (row.cells or ())] + [""] * width for row in header]
    grid = [row[:width] for row in grid]
    for r in range(len(grid) - 1):
        for j in range(1, width):
            if grid[r][j] or not grid[r][j - 1]:
                continue
            if r > 0 and grid[r - 1][j] != grid[r - 1][j - 1]:
                continue  # a new parent column starts here: the group ends
            below = any(grid[k][j] for k in range(r + 1, len(grid)))
            left_below = any(grid[k][j - 1] for k in range(r + 1, len(grid)))
            if below and left_below:
                grid[r][j] = grid[r][j - 1]
    return [[grid[r][j] for r in range(len(grid)) if grid[r][j]] for j in range(width)]
