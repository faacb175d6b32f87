"""The national standard tables of a 部门预算/决算 into long AmountRecords.

The table blocks are found once per document (:class:`~extract.parse.context.ParseContext`);
each is read by the parser its template names (:mod:`extract.parse.templates`). Per
kind, one copy is read: a table of contents or a repeated title never shadows the table.
"""

from __future__ import annotations

from dataclasses import replace

from extract.parse.records import AmountRecord
from extract.parse.table_grid import TableBlock


def chosen_blocks(blocks: list[TableBlock]) -> list[TableBlock]:
    """Per kind, the first copy that holds figures, else the first (empty) copy: an empty
    政府性基金 table is still a table found, and a TOC entry never shadows the real table."""
    chosen: dict[str, TableBlock] = {}
    for block in blocks:
        if block.template.parser is None or not block.rows:
            continue
        held = chosen.get(block.kind)
        if held is None or (not held.data_rows and block.data_rows):
            chosen[block.kind] = block
    return sorted(chosen.values(), key=lambda b: (b.title_line.page_no, b.title_line.line_no))


def parse_standard_tables(blocks: list[TableBlock]) -> tuple[list[AmountRecord], list[str]]:
    """Records of every standard table found, and the kinds of table found (in order)."""
    records: list[AmountRecord] = []
    found: list[str] = []
    for block in chosen_blocks(blocks):
        found.append(block.kind)
        if block.data_rows:
            records.extend(block.template.parser(block))
    return records + _expenditure_parts_from_totals(records), found


def _expenditure_parts_from_totals(records: list[AmountRecord]) -> list[AmountRecord]:
    """基本支出/项目支出 totals from the 支出总表's total row when the 收支总表 does not split
    its expenditure that way (most provinces list it by function class only)."""
    have = {r.item for r in records if r.statement == "expenditure"}
    out = []
    for r in records:
        if r.statement == "expenditure_table" and r.item == "total" and r.column in ("basic", "project"):
            if r.column not in have:
                out.append(replace(r, statement="expenditure", item=r.column, column="amount", key=""))
                have.add(r.column)
    return out
