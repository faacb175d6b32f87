"""What the columns and rows of the standard tables mean, as data.

A column is recognised from its header stack (the header texts above it, top to
bottom), a row of a two-sided summary table from its label, a "三公" column or row
from its text. Templates (:mod:`extract.parse.templates`) say which set of roles a
table uses; a province's extra column name or row label is one more pattern here.

Source: 财政部 部门预算/决算公开参考格式 (收支总表, 收入总表, 支出总表, 财政拨款收支总表,
一般公共预算支出表, 一般公共预算基本支出表, "三公"经费支出表) and the variants seen in
real disclosures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnRole:
    """A column whose header stack matches ``pattern`` holds the figures of ``role``
    (``leaf_only``: only the lowest header cell counts)."""

    role: str
    pattern: re.Pattern[str]
    leaf_only: bool = False

    def matches(self, stack: list[str]) -> bool:
        return bool(self.pattern.search(stack[-1] if self.leaf_only else "/".join(stack)))


@dataclass(frozen=True)
class RowRole:
    """A row whose label matches ``pattern`` states ``item`` (of ``side``: revenue or
    expenditure, where the table has two sides)."""

    item: str
    pattern: re.Pattern[str]
    side: str = ""


def _columns(*roles: tuple) -> tuple[ColumnRole, ...]:
    return tuple(ColumnRole(role, re.compile(pattern), *rest) for role, pattern, *rest in roles)


def _rows(*roles: tuple[str, str], side: str = "") -> tuple[RowRole, ...]:
    return tuple(RowRole(item, re.compile(pattern), side) for item, pattern in roles)


# ------------------------------------------------------------------ coded tables

#: Columns never read: last year's figures, changes, row numbers, remarks.
SKIP_COLUMN = re.compile("上年结转|结转结余|上年|增减|扣除|行次|备注")
#: The code and name columns of a coded table (one code column, or split 类/款/项).
CODE_COLUMN = re.compile("编码|代码|名称")
CODE_PARTS = ("类", "款", "项")

#: A function-classified table: total, basic (基本支出), project, or basic split into
#: personnel/public; the first column of each role wins.
BY_FUNCTION = _columns(
    ("basic", "基本支出"),
    ("project", "项目支出|专项业务"),
    ("personnel", "人员", True),
    ("public", "公用", True),
    ("amount", "合计|小计|总计|支出总计|金额|预算数|决算数|本年预算"),
)
#: An economic-classified basic-expenditure table: "基本支出" heads the whole table, not a column.
BY_ECONOMIC = BY_FUNCTION[1:]

# ------------------------------------------------------------------ summary tables

#: Rows of a 收支总表 named with the shared vocabulary. ``total_fallback`` (合计) is the
#: grand total only where no row says 总计.
SUMMARY_ROWS = _rows(
    ("total", "^(?:收入)?总计$"),
    ("total_fallback", "^(?:收入)?合计$"),
    ("general_budget", "一般公共预算"),
    ("gov_fund", "政府性基金"),
    ("state_capital", "国有资本经营"),
    ("special_account", "财政专户"),
    ("operating_income", r"^事业收入(?:[（(].*[）)])?$"),
    ("other", "^其他收入$"),
    ("carryover", "^(?:上年|年初)(?:结转|结余)"),
    side="revenue",
) + _rows(
    ("total", "^(?:支出)?总计$"),
    ("total_fallback", "^(?:支出)?合计$"),
    ("basic", "^基本支出$"),
    ("project", "^项目支出$"),
    ("other", "机动经费"),
    ("carryover", "^(?:年末结转|结转下年)"),
    side="expenditure",
)

# ------------------------------------------------------------------ "三公" tables

#: Items of a "三公" column or row, tried in order (会议费/培训费 are printed beside the
#: three public costs, never part of them).
THREE_PUBLIC_ITEMS = _rows(
    ("meeting", "会议"),
    ("training", "培训"),
    ("operating_expenses", "机关运行经费"),
    ("abroad", "出国"),
    ("reception", "接待"),
    ("vehicle_purchase", "^(?!.*运行).*购置"),
    ("vehicle_operation", "^(?!.*购置)(?=.*运行)(?=.*(?:车|运行费))"),
    ("vehicle", "公务用车|^(?=.*购置).*运行"),
)
