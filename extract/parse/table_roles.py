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

from schemas.figures import items_of


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


#: Row roles that are no figure of the vocabulary (schemas.figures): the fallback grand total
#: (合计 where no 总计 is printed, read as ``total``) and a carry-over's printed breakdown.
NOT_FIGURES = frozenset({"total_fallback", "carryover_fiscal", "carryover_non_fiscal"})


def _rows(*roles: tuple[str, str], side: str = "", statement: str = "") -> tuple[RowRole, ...]:
    """Row roles of ``side``; each item must be a figure declared under ``statement`` (default:
    the side) in :mod:`schemas.figures`, a statement of its own whose ``total`` it is
    (``operating_expenses``) or one of ``NOT_FIGURES`` (ValueError otherwise)."""
    declared = items_of(statement or side) | NOT_FIGURES
    unknown = [item for item, _ in roles if item not in declared and "total" not in items_of(item)]
    if unknown:
        raise ValueError(f"row roles {unknown} name no figure of {statement or side} in schemas.figures")
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

#: Rows of a 收支总表 / 收入支出决算总表 named with the shared vocabulary (numbering such as
#: 一、 and 其中： is removed from a label first). The grand total is the row labelled 总计
#: (收入总计, 总计); where none is, the row labelled 合计 (a 决算 may label both grand totals
#: 合计). ``this_year`` is 本年收入合计 / 当年收入小计: the year's own revenue, without the
#: balancing rows (使用非财政拨款结余, 上年结转) that make up the grand total. ``fiscal_grant``
#: is the aggregate row 一、财政拨款（补助）收入, whose parts are general_budget, gov_fund and
#: state_capital: a sum of sources takes the aggregate or its parts, never both.
#: ``unit_funds`` (单位资金) likewise aggregates 事业收入 … 其他收入 where a table prints it.
SUMMARY_ROWS = _rows(
    ("total", "^(?:收入)?总计$"),
    ("total_fallback", "^(?:收入)?合计$"),
    ("this_year", "^(?:本年|当年)收入(?:合计|小计)?$"),
    # 广州 prints the aggregate as 预算拨款 (its note: 一般公共预算、政府性基金预算、国有资本经营预算拨款)
    ("fiscal_grant", "^(?:财政|预算|财政预算)拨款(?:[（(](?:补助|收入)[）)])?(?:收入)?$"),
    ("general_budget", "一般公共预算"),
    ("gov_fund", "政府性基金"),
    ("state_capital", "国有资本经营"),
    ("special_account", "财政专户"),
    ("unit_funds", "^单位资金(?:收入)?$"),
    ("operating_income", r"^事业收入(?:[（(].*[）)])?$"),
    ("business_income", "^(?:事业单位)?经营收入$"),
    ("superior_subsidy", "^上级补助收入$"),
    ("subordinate_remit", "^附属单位(?:上缴|缴款)收入$"),
    ("other", "^其他(?:收入|资金)$"),
    ("non_fiscal_balance_used", "^使用非财政拨款结余|^用事业基金弥补收支差额$"),
    ("carryover", "^(?:上年|年初)(?:结转|结余)"),
    # its breakdown printed below it (深圳: 财政拨款结余、结转 / 非财政拨款结余、结转; 西安: …资金结转 / …资金结余)
    ("carryover_fiscal", "^财政拨款(?:资金)?(?:结余|结转)"),
    ("carryover_non_fiscal", "^非财政拨款(?:资金)?(?:结余|结转)"),
    ("prior_account_balance", "^上年实户资金余额$"),
    side="revenue",
) + _rows(
    ("total", "^(?:支出)?总计$"),
    ("total_fallback", "^(?:支出)?合计$"),
    ("this_year", "^(?:本年|当年)支出(?:合计|小计)?$"),
    ("basic", "^基本支出$"),
    ("project", "^项目支出$"),
    ("other", "机动经费"),
    ("business", "^(?:事业单位)?经营支出$"),
    ("subsidy_to_subordinate", "^对(?:附属|下级)单位(?:的)?补助(?:支出)?$"),
    ("remit_to_superior", "^上缴上级支出$"),
    ("balance_distribution", "^结余分配$"),
    ("carryover", "^(?:年末结转|年终结转|结转下年|结转结余下年)"),
    ("unallocated_account_balance", "^未安排支出的实户资金$"),
    side="expenditure",
)

# ------------------------------------------------------------------ "三公" tables

#: Items of a "三公" column or row, tried in order (会议费/培训费 are printed beside the
#: three public costs, never part of them).
THREE_PUBLIC_ITEMS = _rows(
    ("meeting", "会议"),
    ("training", "培训"),
    ("operating_expenses", "机关运行经费"),  # a statement of its own: operating_expenses.total
    ("abroad", "出国"),
    ("reception", "接待"),
    ("vehicle_purchase", "^(?!.*运行).*购置"),
    ("vehicle_operation", "^(?!.*购置)(?=.*运行)(?=.*(?:车|运行费))"),
    ("vehicle", "公务用车|^(?=.*购置).*运行"),
    statement="three_public",
)
