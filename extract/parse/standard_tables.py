"""The national standard tables of a 部门预算/决算 into long AmountRecords.

Layouts vary by province (split 类/款/项 code columns or one code column, totals at
the top or the bottom, year columns side by side, several funding sources per item),
so columns are recognised from their header text, never from their position, and
figures are kept exactly as printed (blank cells as "") in the table's stated unit.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.read.model import Document, Line
from extract.parse.table_blocks import (
    Region,
    clean_number,
    find_regions,
    flat,
    header_stacks,
    is_number,
    split_header,
)
from extract.parse.three_public_table import parse_three_public_region
from extract.parse.records import AmountRecord, Provenance

_SKIP_COLUMN = ("上年结转", "结转结余", "上年", "增减", "扣除", "行次", "备注")
_TOTAL_HEAD = ("合计", "小计", "总计", "支出总计", "金额", "预算数", "决算数", "本年预算")
_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:[-－\s]*(\D.*))?$")
_TOTAL_LABEL = re.compile(r"^(?:[总合]计[:：]?|本年支出合计)$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[、.．]|[（(]\d+[）)]|[（(][一二三四五六七八九十]+[）)]|其中[:：])")


def where(line: Line) -> Provenance:
    return Provenance(line.page_no, line.line_no, line.text[:120])


def _record(statement, item, cell, unit, line, key="", label="", column="amount") -> AmountRecord:
    return AmountRecord(
        statement=statement,
        item=item,
        amount_text=clean_number(cell),
        unit=unit,
        where=where(line),
        source="table",
        key=key,
        label=label,
        column=column,
    )


# --------------------------------------------------------------- coded tables


def _column_roles(stacks: list[list[str]], economic: bool) -> dict[str, int]:
    """Which column holds the total, basic, project (or personnel/public) figures."""
    roles: dict[str, int] = {}
    for j, stack in enumerate(stacks):
        joined = "/".join(stack)
        if not stack or any(s in joined for s in _SKIP_COLUMN):
            continue
        leaf = stack[-1]
        if any(k in joined for k in ("编码", "代码", "名称")) or leaf in ("类", "款", "项"):
            continue
        if "基本支出" in joined and not economic:
            roles.setdefault("basic", j)
        elif "项目支出" in joined or "专项业务" in joined:
            roles.setdefault("project", j)
        elif "人员" in leaf:
            roles.setdefault("personnel", j)
        elif "公用" in leaf:
            roles.setdefault("public", j)
        elif any(k in leaf for k in _TOTAL_HEAD) or any(k in joined for k in _TOTAL_HEAD):
            roles.setdefault("amount", j)
    return roles


def _split_code_columns(stacks: list[list[str]]) -> list[int] | None:
    cols = [j for j, s in enumerate(stacks) if s and s[-1] in ("类", "款", "项")]
    return cols[:3] if len(cols) >= 2 else None


def _row_code(cells: tuple[str, ...], split: list[int] | None, ctx: list[str]) -> tuple[str, str]:
    """(code, name) of a row; split 类/款/项 columns inherit the parent rows' parts."""
    texts = [flat(c) for c in cells]
    if split:
        parts = [texts[j] if j < len(texts) else "" for j in split] + [""] * (3 - len(split))
        if not any(p.isdigit() for p in parts):
            return "", _first_label(texts, set(split))
        for k, p in enumerate(parts):
            if p.isdigit():
                ctx[k] = p
                for m in range(k + 1, len(ctx)):
                    ctx[m] = "" if not parts[m].isdigit() else ctx[m]
        depth = max(k for k, p in enumerate(parts) if p.isdigit())
        code = "".join(ctx[: depth + 1])
        return code, _first_label(texts, set(split))
    for j, t in enumerate(texts):
        if not t:
            continue
        m = _CODE.match(t)
        if m and not is_number(t.replace(m.group(1), "", 1) or "x") and len(t) <= 60:
            if m.group(2):
                return m.group(1), m.group(2)
            code, used = m.group(1), {j}
            for k in (j + 1, j + 2):  # 类 | 款 | 项 in cells with no 类/款/项 header
                if len(code) == 3 + 2 * (k - j - 1) and k < len(texts) and re.fullmatch(r"\d{2}", texts[k]):
                    code, used = code + texts[k], used | {k}
            return code, _first_label(texts, used)
        return "", t
    return "", ""


def _first_label(texts: list[str], skip: set[int]) -> str:
    for j, t in enumerate(texts):
        if j not in skip and t and not is_number(t) and not t.isdigit():
            return t
    return ""


def parse_coded_table(region: Region, statement: str) -> list[AmountRecord]:
    """function / economic / gov_fund / state_capital tables: one record per code and column."""
    header, _ = split_header(region.rows)
    width = max(len(r.cells or ()) for r in region.rows)
    stacks = header_stacks(header, width)
    economic = statement.startswith("economic")
    roles = _column_roles(stacks, economic)
    if "amount" not in roles:
        first_num = _first_numeric_column(region.data_rows)
        if first_num is None:
            return []
        roles["amount"] = first_num
    split = _split_code_columns(stacks)
    ctx = ["", "", ""]
    out: list[AmountRecord] = []
    totals: list[tuple[Line, str]] = []
    for row in region.data_rows:
        cells = row.cells or ()
        code, name = _row_code(cells, split, ctx)
        if not code:
            totals.append((row, name))  # a 合计 row, or a unit's subtotal row
            continue
        for column, j in roles.items():
            cell = cells[j] if j < len(cells) else ""
            out.append(_record(statement, "line", cell, region.unit, row, code, name, column))
    out.extend(_total_records(statement, region, roles, totals))
    return out


def _total_records(statement, region, roles, totals) -> list[AmountRecord]:
    explicit = [t for t in totals if _TOTAL_LABEL.match(t[1])]
    chosen = explicit[:1] or (totals if len(totals) == 1 else [])
    out = []
    for row, name in chosen:
        cells = row.cells or ()
        for column, j in roles.items():
            cell = cells[j] if j < len(cells) else ""
            out.append(_record(statement, "total", cell, region.unit, row, "", name, column))
    return out


def _first_numeric_column(rows: list[Line]) -> int | None:
    """The first column holding an amount (a figure with a decimal point or a comma, not a code)."""
    for row in rows:
        for j, c in enumerate(row.cells or ()):
            if is_number(c) and not flat(c).isdigit():
                return j
    return None


# --------------------------------------------------------------- summary tables

_REVENUE_ITEMS = (
    ("general_budget", re.compile("一般公共预算")),
    ("gov_fund", re.compile("政府性基金")),
    ("state_capital", re.compile("国有资本经营")),
    ("special_account", re.compile("财政专户")),
    ("operating_income", re.compile(r"^事业收入(?:[（(].*[）)])?$")),
    ("other", re.compile("^其他收入$")),
    ("carryover", re.compile("^(?:上年|年初)(?:结转|结余)")),
)
_EXPENDITURE_ITEMS = (
    ("basic", re.compile("^基本支出$")),
    ("project", re.compile("^项目支出$")),
    ("other", re.compile("机动经费")),
    ("carryover", re.compile("^(?:年末结转|结转下年)")),
)


def _side_split(header: list[Line]) -> int | None:
    for row in header:
        texts = [flat(c) for c in row.cells or ()]
        for j, t in enumerate(texts):
            if j > 0 and (t.startswith("支出") or t.startswith("财政拨款支出")):
                return j
    return None


def _side_of(label: str, col: int, split: int) -> str:
    """A label that names its side wins over its column (some tables stack both sides)."""
    if "支出" in label and "收入" not in label:
        return "expenditure"
    if "收入" in label and "支出" not in label:
        return "revenue"
    return "revenue" if col < split else "expenditure"


def _pairs(cells: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """(column, label, figure) pairs of a two-sided summary row."""
    out = []
    texts = [flat(c) for c in cells]
    j = 0
    while j < len(texts):
        t = texts[j]
        if t and not is_number(t):
            value = ""
            k = j + 1
            while k < len(texts) and (not texts[k] or is_number(texts[k])):
                if is_number(texts[k]):
                    value = cells[k]
                    break
                k += 1
            out.append((j, _NUMBERING.sub("", t), value))
        j += 1
    return out


def parse_summary_table(region: Region, statement: str) -> list[AmountRecord]:
    header, _ = split_header(region.rows)
    split = _side_split(header) or 2
    out: list[AmountRecord] = []
    named: dict[tuple[str, str], AmountRecord] = {}
    for row in region.rows[len(header):]:
        for col, label, value in _pairs(row.cells or ()):
            side = _side_of(label, col, split)
            rec = _record(statement, side, value, region.unit, row, label, label)
            out.append(rec)
            if statement == "summary_table":
                _named_totals(side, label, rec, named)
    out.extend(_pick_totals(named))
    return out


def _named_totals(side: str, label: str, rec: AmountRecord, named: dict) -> None:
    bare = label.replace(side == "revenue" and "收入" or "支出", "", 1)
    if bare == "总计":
        named.setdefault((side, "total"), rec)
    elif bare == "合计" or label in ("收入合计", "支出合计"):
        named.setdefault((side, "total_fallback"), rec)
    items = _REVENUE_ITEMS if side == "revenue" else _EXPENDITURE_ITEMS
    for item, pattern in items:
        if pattern.search(label):
            named.setdefault((side, item), rec)


def _pick_totals(named: dict) -> list[AmountRecord]:
    out = []
    for (side, item), rec in named.items():
        if item == "total_fallback":
            if (side, "total") in named:
                continue
            item = "total"
        out.append(replace(rec, statement=side, item=item, key=""))
    return out


# --------------------------------------------------------------- dispatch

_CODED = {
    "function": "function",
    "economic": "economic",
    "economic_general": "economic_general",
    "gov_fund": "gov_fund",
    "state_capital": "state_capital",
    "revenue_table": "revenue_table",
    "expenditure_table": "expenditure_table",
    "operating_expenses": "operating_expenses_table",
}


def parse_region(region: Region) -> list[AmountRecord]:
    if region.kind in ("summary_table", "fiscal_summary_table"):
        return parse_summary_table(region, region.kind)
    if region.kind == "three_public":
        return parse_three_public_region(region)
    statement = _CODED.get(region.kind)
    if statement is None:
        return []
    records = parse_coded_table(region, statement)
    if region.kind == "operating_expenses":
        records += [
            replace(r, statement="operating_expenses", item="total", key="", column="amount")
            for r in records
            if r.item == "total" and r.column == "amount"
        ][:1]
    return records


def _chosen_regions(doc: Document) -> list[Region]:
    """Per kind, the first copy that holds figures, else the first (empty) copy: an empty
    政府性基金 table is still a table found, and a TOC entry never shadows the real table."""
    chosen: dict[str, Region] = {}
    for region in find_regions(doc):
        if region.kind == "other" or not region.rows:
            continue
        held = chosen.get(region.kind)
        if held is None or (not held.data_rows and region.data_rows):
            chosen[region.kind] = region
    return sorted(chosen.values(), key=lambda r: (r.title_line.page_no, r.title_line.line_no))


def parse_standard_tables(doc: Document) -> tuple[list[AmountRecord], list[str]]:
    """Records of every standard table found, and the kinds of table found (in order)."""
    records: list[AmountRecord] = []
    found: list[str] = []
    for region in _chosen_regions(doc):
        found.append(region.kind)
        if region.data_rows:
            records.extend(parse_region(region))
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
