"""The figure vocabulary: one declaration per stated figure, at the bottom layer.

A figure is what a disclosure prints once per document — 收入总计, 基本支出, “三公”经费合计 — named
the way the parsers record it (``statement.item``, see :mod:`extract.parse.records`). Each
:class:`FigureField` says, once: its ``statement`` and ``item``, the Chinese labels a person
finds it under (the first is the one rule messages print), its unit kind (``yuan``: exact
money, ``count``: a number of things), the fact table its rows land in, and its public view
column (``revenue_total_yuan`` in ``v_budget_summary`` / ``v_department_year``; ``None`` for a
figure the rules read that no summary view shows).

Who derives what from :data:`FIGURES`: the summary views' figure columns
(:mod:`schemas.views`, in declaration order — view columns are only ever appended, so a new
view figure goes after the last one, ``expenditure_fiscal_grant_yuan``), the rule messages' printed names
(``transform.rules.kinds.TERMS``), the rows the standard tables may state
(``extract.parse.table_roles`` refuses an item not declared here), the audit's key figures
(``cli.audit.KEY_LINES``) and the README's figure table (:func:`figures_markdown`, checked
by ``tests/schemas/test_figures.py``).

Why a module of its own beside :mod:`schemas.vocabulary`: that one holds single words
(statuses, kinds, classes); this one is a table of records with a renderer, and both the
views and the rules import it without importing each other.

Which printed figure is the document's where a table and the narrative both print one is
decided once, in :mod:`schemas.preference` (SQL and Python forms of one rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

BUDGET_LINE: Final = "fct_budget_line"
THREE_PUBLIC: Final = "fct_three_public"
ASSET: Final = "fct_asset"
UNIT_KINDS: Final = ("yuan", "count")


@dataclass(frozen=True)
class FigureField:
    """One stated figure: ``statement.item`` as recorded, printed ``labels`` (first: the
    name messages use), ``unit`` kind, fact ``table``, public view ``column`` (or None), and
    a ``note`` for the README where the labels alone do not say what it holds."""

    statement: str
    item: str
    labels: tuple[str, ...]
    column: str | None = None
    table: str = BUDGET_LINE
    unit: str = "yuan"
    note: str = ""

    @property
    def name(self) -> str:
        """The vocabulary name rules and messages use: ``revenue.total``."""
        return f"{self.statement}.{self.item}"

    @property
    def label(self) -> str:
        return self.labels[0]


def _f(statement: str, item: str, *labels: str, column: str | None = None, table: str = BUDGET_LINE,
       unit: str = "yuan", note: str = "") -> FigureField:
    return FigureField(statement, item, labels, column, table, unit, note)


def _tp(item: str, *labels: str, column: str | None = None, note: str = "") -> FigureField:
    return _f("three_public", item, *labels, column=column, table=THREE_PUBLIC, note=note)


#: Every figure, view figures first in the order their columns appear in the views.
FIGURES: Final[tuple[FigureField, ...]] = (
    # ---- the first columns of v_budget_summary
    _f("revenue", "total", "收入总计", "总计", "合计", column="revenue_total_yuan",
       note="the grand total, however the table labels it"),
    _f("revenue", "general_budget", "一般公共预算拨款收入", column="revenue_general_budget_yuan"),
    _f("revenue", "gov_fund", "政府性基金预算拨款收入", column="revenue_gov_fund_yuan"),
    _f("revenue", "state_capital", "国有资本经营预算拨款收入", column="revenue_state_capital_yuan"),
    _f("revenue", "special_account", "财政专户管理资金", column="revenue_special_account_yuan"),
    _f("revenue", "other", "其他收入", column="revenue_other_yuan"),
    _f("expenditure", "total", "支出总计", "总计", "合计", column="expenditure_total_yuan",
       note="the grand total, however the table labels it"),
    _f("expenditure", "basic", "基本支出", column="expenditure_basic_yuan"),
    _f("expenditure", "project", "项目支出", column="expenditure_project_yuan"),
    _f("expenditure", "other", "其他（机动经费等）", "单位预留机动经费", column="expenditure_other_yuan",
       note="never the function class 229 其他支出"),
    _f("operating_expenses", "total", "机关运行经费", column="operating_expenses_yuan"),
    _tp("total", "“三公”经费合计", column="three_public_total_yuan"),
    _tp("abroad", "因公出国（境）费", column="three_public_abroad_yuan"),
    _tp("vehicle_purchase", "公务用车购置费", column="three_public_vehicle_purchase_yuan"),
    _tp("vehicle_operation", "公务用车运行费", column="three_public_vehicle_operation_yuan"),
    _tp("reception", "公务接待费", column="three_public_reception_yuan"),
    # ---- appended: the sources and balancing rows of the 收支总表 / 收入支出决算总表
    #   收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转 (+ 上年实户资金余额)
    #   支出总计 = 本年支出合计 + 结余分配 + 结转下年 / 年末结转和结余 (+ 未安排支出的实户资金)
    _f("revenue", "this_year", "本年收入合计", "当年收入小计", column="revenue_this_year_yuan",
       note="the year's own revenue"),
    _f("revenue", "fiscal_grant", "财政拨款收入", "财政拨款（补助）收入", column="revenue_fiscal_grant_yuan",
       note="the aggregate of general budget, government fund and state capital — add it or its parts, never both"),
    _f("revenue", "operating_income", "事业收入", column="revenue_operating_income_yuan",
       note="kept apart from 事业单位经营收入"),
    _f("revenue", "business_income", "事业单位经营收入", "经营收入", column="revenue_business_income_yuan"),
    _f("revenue", "superior_subsidy", "上级补助收入", column="revenue_superior_subsidy_yuan"),
    _f("revenue", "subordinate_remit", "附属单位上缴收入", column="revenue_subordinate_remit_yuan"),
    _f("revenue", "unit_funds", "单位资金", column="revenue_unit_funds_yuan",
       note="an aggregate of the unit's own sources, where printed"),
    _f("revenue", "non_fiscal_balance_used", "使用非财政拨款结余", "用事业基金弥补收支差额",
       column="non_fiscal_balance_used_yuan"),
    _f("revenue", "carryover", "上年结转", "年初结转和结余", column="carry_over_from_last_year_yuan"),
    _f("revenue", "prior_account_balance", "上年实户资金余额", column="prior_account_balance_yuan"),
    _f("expenditure", "this_year", "本年支出合计", column="expenditure_this_year_yuan"),
    _f("expenditure", "business", "经营支出", column="expenditure_business_yuan"),
    _f("expenditure", "subsidy_to_subordinate", "对附属单位补助支出", column="expenditure_subsidy_to_subordinate_yuan"),
    _f("expenditure", "remit_to_superior", "上缴上级支出", column="expenditure_remit_to_superior_yuan"),
    _f("expenditure", "balance_distribution", "结余分配", column="balance_distribution_yuan"),
    _f("expenditure", "carryover", "结转下年/年末结转和结余", column="carry_over_to_next_year_yuan"),
    _f("expenditure", "unallocated_account_balance", "未安排支出的实户资金", column="unallocated_account_balance_yuan"),
    _tp("vehicle", "公务用车购置及运行费", column="three_public_vehicle_total_yuan",
        note="kept when purchase and operation are not split"),
    # ---- appended later still: a document that states only its 财政拨款 spending
    _f("expenditure", "fiscal_grant", "财政拨款支出", column="expenditure_fiscal_grant_yuan",
       note="where a document states only its fiscal-grant spending"),
    # ---- figures the rules read that no summary view shows
    _tp("grand_total", "“三公”+会议费+培训费 合计"),
    _tp("meeting", "会议费"),
    _tp("training", "培训费"),
    _f("asset", "total", "资产总额", table=ASSET),
    _f("asset", "buildings", "房屋", table=ASSET),
    _f("asset", "vehicles", "车辆", table=ASSET),
    _f("asset", "equipment", "设备", table=ASSET),
    _f("asset", "other", "其他资产", table=ASSET),
    _f("asset", "large_equipment", "单价N万元以上设备", table=ASSET),
    _f("asset", "furniture", "家具和用具", table=ASSET),
    _f("asset", "intangible", "无形资产", table=ASSET),
    _f("project_list", "total", "项目表合计"),
    _f("project_list", "selection_total", "重点项目表合计"),
    _f("project_list", "count", "项目个数", unit="count"),
)

BY_NAME: Final = {f.name: f for f in FIGURES}
#: The figures the summary views show, in column order.
VIEW_FIGURES: Final = tuple(f for f in FIGURES if f.column)
#: The view columns, the field names no product module spells as a string (tests/schemas/test_figures.py).
VIEW_COLUMNS: Final = tuple(f.column for f in VIEW_FIGURES)


def figure(statement: str, item: str) -> FigureField:
    """The declaration of ``statement.item``; KeyError when it is not declared."""
    return BY_NAME[f"{statement}.{item}"]


def column(statement: str, item: str) -> str:
    """The view column of ``statement.item`` (``revenue_total_yuan``); KeyError when it has none."""
    name = figure(statement, item).column
    if name is None:
        raise KeyError(f"{statement}.{item} has no view column")
    return name


def items_of(statement: str) -> frozenset[str]:
    """The items declared under ``statement``."""
    return frozenset(f.item for f in FIGURES if f.statement == statement)


def figures_markdown() -> str:
    """The README's table of the summary views' figure columns (between its ``figures:`` markers)."""
    rows = ["| column | figure | printed as | from |", "|---|---|---|---|"]
    for f in VIEW_FIGURES:
        note = f" ({f.note})" if f.note else ""
        rows.append(f"| {f.column} | `{f.name}` | {' / '.join(f.labels)}{note} | `{f.table}` |")
    return "\n".join(rows)
