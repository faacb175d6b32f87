"""The "三公"经费 决算表 in the national 决算 layout (公开07表), flattened onto a line or a few.

Its columns are numbered (栏次 1 … 12): 预算数 in columns 1–6 and 决算数 in 7–12, each group
合计 | 因公出国（境）费 | 公务用车购置及运行费 (小计 | 购置费 | 运行费) | 公务接待费. Saved as text,
the header rows, the 栏次 numbers and the figures run on one line ("… 栏次 1 2 3 … 12 金额 20.00
0.00 11.00 …"), where neither a grid nor label-figure pairs can be read. The numbered columns
say which figure is which: a final account takes the 决算数 group, never the budget. A budget
table numbered 1–6 under a single 预算数 (or 决算数) group is read as that group.
"""

from __future__ import annotations

import re

from extract.parse.records import AmountRecord, provenance
from extract.read.model import Line
from reference.vocabulary import MONEY_UNIT, NUMBER

#: The items of one group, in the layout's column order.
GROUP = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
_NUMBERED = re.compile(
    rf"栏\s*次\s*(?P<columns>(?:\d{{1,2}}\s+){{5,11}}\d{{1,2}})\s*(?:金额|合计|决算数|预算数|[^\d\s]{{0,6}})?\s*"
    rf"(?P<figures>(?:[-－]?{NUMBER}\s+){{5,11}}[-－]?{NUMBER})(?!\S)"
)
_UNIT = re.compile(rf"单位\s*[:：]\s*({MONEY_UNIT})")
_ITEMS = ("因公出国", "公务接待", "公务用车")
HEADER_CHARS = 400


def _group_offset(header: str, columns: int, final_account: bool) -> int | None:
    """Where the document's own group starts among the numbered columns (0 or 6), or None."""
    budget, final = header.find("预算数"), header.find("决算数")
    if columns == len(GROUP):
        return 0 if budget >= 0 or final >= 0 else None
    if budget >= 0 and final > budget and final_account:
        return len(GROUP)
    return None


def parse_numbered_three_public(lines: list[Line], final_account: bool) -> list[AmountRecord]:
    """The document's own "三公" figures from a numbered table run onto a line (see the module docstring)."""
    running = [line for line in lines if not line.is_table_row]
    text = " ".join(line.text.strip() for line in running)
    starts, at = [], 0
    for line in running:
        starts.append(at)
        at += len(line.text.strip()) + 1
    out: list[AmountRecord] = []
    for m in _NUMBERED.finditer(text):
        columns = [int(c) for c in m.group("columns").split()]
        figures = m.group("figures").split()
        header = text[max(0, m.start() - HEADER_CHARS) : m.start()]
        unit = _UNIT.findall(header)
        if columns != list(range(1, len(columns) + 1)) or len(figures) != len(columns) \
                or len(columns) not in (len(GROUP), 2 * len(GROUP)) or not unit \
                or "三公" not in header or not all(word in header for word in _ITEMS):
            continue
        offset = _group_offset(header, len(columns), final_account)
        if offset is None:
            continue
        first = max(k for k, s in enumerate(starts) if s <= m.start("figures"))
        last = max(k for k, s in enumerate(starts) if s <= m.end("figures") - 1)
        where = provenance(running[first : last + 1], focus=figures[offset])
        for item, figure in zip(GROUP, figures[offset : offset + len(GROUP)]):
            out.append(AmountRecord("three_public", item, figure, unit[-1], where, source="table",
                                    label=f"栏次{columns[offset + GROUP.index(item)]}"))
        break
    return out
