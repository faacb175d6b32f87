"""Find the standard tables of a disclosure by their titles and cut the rows between.

A title may be a running-text line ("表7 / 一般公共预算支出表（按功能分类）") or a
one-cell table row (spreadsheet exports put the title inside the grid). A table runs
from its title to the next title or the next paragraph of prose, across page breaks,
so a table continued on the next page (with or without a repeated header) stays one
table. The unit line (单位：元 / 单位：万元) found in a table's head scales all of it.
Which table a title names is the templates' business (:mod:`extract.parse.templates`).
"""

from __future__ import annotations

import re

from extract.read.model import Document, Line
from extract.parse.table_grid import TableBlock, find_unit, flat, is_number
from extract.parse.templates import template_for
from extract.parse.text_tables import rows_from_words
from reference.vocabulary import NUMBER, YEAR

_NUMBERING = re.compile(
    r"^(?:附?表\s*\d+(?:[-－]\d+)?|公开表\d+|预算\d+表|[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）|\d+[、.．])"
)
_YEAR_PREFIX = re.compile(rf"^(?:{YEAR}\s*年度?)")
_TITLE = re.compile(r"^(.{2,60}?表)([（(][^）)]*[）)]?|\d+)?(.*)$")
_TITLE_TAIL = re.compile(rf"^(?:$|编制|部门|单位|预算单位|金额单位|[（(]?{YEAR}年度?[）)]?$)")
_PROSE_MIN = 50
# "“三公”经费合计 48.30 因公出国（境）费 0.00 …": a table's labels and figures on one line
_LABEL_FIGURE = re.compile(rf"\s*([^\d\s。，；;,：:][^\d。，；;,：:]*?)\s*({NUMBER})(?=\s|$)")
_ONE_LINE_MIN_PAIRS = 3


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
    t = _YEAR_PREFIX.sub("", _NUMBERING.sub("", t).lstrip("：:、.．"))
    t = _YEAR_PREFIX.sub("", t)
    m = _TITLE.match(t)
    if not m or not _TITLE_TAIL.match(m.group(3)):
        return None
    title = m.group(1) + (m.group(2) or "")
    if not any(k in title for k in ("预算", "决算", "收", "支", "经费", "情况")):
        return None
    return title


def _ends_block(line: Line) -> bool:
    t = flat(line.text)
    if one_line_pairs(line):
        return False
    return len(t) >= _PROSE_MIN or bool(re.match(r"^第[一二三四五六七八九十]+部分", t))


def one_line_pairs(line: Line) -> list[tuple[str, str]]:
    """(label, figure) pairs of a table flattened onto one line (HTML-to-text and some
    PDFs print "“三公”经费合计 48.30 因公出国（境）费 0.00 …"); [] for any other line."""
    text, pairs, at = line.text.strip(), [], 0
    for m in _LABEL_FIGURE.finditer(text):
        if m.start() != at:
            return []
        pairs.append((m.group(1).strip(), m.group(2)))
        at = m.end()
    return pairs if at == len(text) and len(pairs) >= _ONE_LINE_MIN_PAIRS else []


def _one_line_rows(lines: list[Line]) -> list[Line]:
    """The first flattened line as a header row of labels over a row of figures."""
    for line in lines:
        pairs = one_line_pairs(line)
        if pairs:
            labels, figures = tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
            return [Line(line.page_no, line.line_no, line.text, line.words, labels, line.top),
                    Line(line.page_no, line.line_no, line.text, line.words, figures, line.top)]
    return []


def find_table_blocks(doc: Document) -> list[TableBlock]:
    """Every titled table of the document, continuation pages merged into their table."""
    blocks: list[TableBlock] = []
    current: TableBlock | None = None
    seen_data = False
    previous: Line | None = None
    running = running_headers(doc)
    for line in doc.lines():
        if not line.is_table_row and flat(line.text) in running:
            continue  # a page header/footer repeated on every page is no title and no prose
        title = _title_with_previous(previous, line)
        previous = None if line.is_table_row else line
        if title is not None:
            template = template_for(title)
            if current and current.kind == template.kind and flat(current.title) == flat(title):
                continue  # the title repeated on a continuation page
            current = TableBlock(template, title, line, unit=find_unit(line.text))
            blocks.append(current)
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
        elif _ends_block(line):
            current = None
        else:
            current.text_lines.append(line)
    for block in blocks:
        if not block.rows:
            block.rows = _ungridded_rows(block.text_lines) or _one_line_rows(block.text_lines)
    _fill_units(blocks)
    return blocks


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
            if title is not None and template_for(title).kind == "other":
                out.add(text)
    return out


def _title_with_previous(previous: Line | None, line: Line) -> str | None:
    """A title broken before its last words ("…“三公”经费支出" / "预算表") is read whole."""
    title = title_of(line)
    if title is None or previous is None or template_for(title).kind != "other":
        return title
    head = flat(previous.text)
    if not head or len(head) > 40 or head[-1] in "。；;：:" or title_of(previous) is not None:
        return title
    joined = title_of(Line(line.page_no, line.line_no, head + flat(line.text)))
    return joined if joined and template_for(joined).kind != "other" else title


def _fill_units(blocks: list[TableBlock]) -> None:
    """A table without its own unit line takes the unit most tables of the document state."""
    stated = [b.unit for b in blocks if b.unit]
    default = max(set(stated), key=stated.count) if stated else "万元"
    for b in blocks:
        if b.unit is None:
            b.unit = default
