"""Table templates as data: which standard table a title names, and how it is read.

Each :class:`TableTemplate` declares the title words that identify it (all of
``all_of`` found, none of ``none_of``), the table kind, the statement its records
are filed under, its column and row roles (:mod:`extract.parse.table_roles`) and its
parser. Templates are tried in order; the first whose words a title holds wins, so a
narrower template stands before a broader one. A template without a parser names a
table that is recognised only so that it ends the table before it (绩效目标表, 采购表…).

A new province's or institution's variant is one entry here plus a test.
Source: 财政部 部门预算/决算公开参考格式 and the variants real disclosures print.
"""

from __future__ import annotations

from extract.parse.coded_tables import parse_coded_table, parse_operating_expenses_table
from extract.parse.summary_tables import parse_summary_table
from extract.parse.table_grid import TableTemplate
from extract.parse.table_roles import BY_ECONOMIC, BY_FUNCTION, SUMMARY_ROWS, ColumnRole
from extract.parse.three_public_table import parse_three_public_table


def _coded(kind: str, *all_of: str, none_of: tuple[str, ...] = (), statement: str = "",
           columns: tuple[ColumnRole, ...] = BY_FUNCTION) -> TableTemplate:
    return TableTemplate(kind, all_of, none_of, statement or kind, parse_coded_table, columns)


def _skipped(*all_of: str, none_of: tuple[str, ...] = ()) -> TableTemplate:
    return TableTemplate("other", all_of, none_of)


SUMMARY = "收支|收入支出"

TEMPLATES: tuple[TableTemplate, ...] = (
    TableTemplate("three_public", ("三公",), statement="three_public", parser=parse_three_public_table),
    TableTemplate("operating_expenses", ("机关运行经费",), statement="operating_expenses_table",
                  parser=parse_operating_expenses_table, columns=BY_FUNCTION),
    _coded("gov_fund", "政府性基金"),
    _coded("state_capital", "国有资本经营"),
    _skipped("绩效"),
    _skipped("采购"),
    _skipped("项目支出", none_of=("一般公共预算",)),
    TableTemplate("fiscal_summary_table", (SUMMARY, "总", "财政拨款"), statement="fiscal_summary_table",
                  parser=parse_summary_table),
    TableTemplate("summary_table", (SUMMARY, "总"), statement="summary_table", parser=parse_summary_table,
                  rows=SUMMARY_ROWS),
    _skipped("一般公共预算", "基本支出", "功能"),
    # all fiscal-grant spending by function (一般公共预算 + 政府性基金 + 国有资本经营): 财政拨款支出
    # 预算表 (Jiangsu, central units), 高等学校财政拨款支出决算表; not the 基本支出 (经济分类) one
    _coded("fiscal_expenditure_table", "财政拨款", "支出", none_of=(SUMMARY, "基本支出", "一般公共预算", "结转")),
    _coded("economic", "一般公共预算", "基本支出", columns=BY_ECONOMIC),
    _coded("economic_general", "一般公共预算", "经济分类", columns=BY_ECONOMIC),
    _coded("function", "一般公共预算", "支出"),
    _coded("revenue_table", "收入", "总|决算表"),
    _coded("expenditure_table", "支出", "总|决算表", none_of=("基本支出|项目支出",)),
    # titled with the unit's own name (central units, universities): 西南大学支出预算表
    _coded("expenditure_table", "支出预算表$", none_of=("财政拨款", "基本支出|项目支出")),
    _coded("revenue_table", "收入预算表$", none_of=("财政拨款",)),
)
OTHER = _skipped()


def template_for(title: str) -> TableTemplate:
    """The first template whose title words ``title`` holds; ``OTHER`` when none does."""
    return next((t for t in TEMPLATES if t.matches(title)), OTHER)


def classify_title(title: str) -> str:
    """The kind of standard table a title names; 'other' ends the previous table."""
    return template_for(title).kind
