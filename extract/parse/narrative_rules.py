"""The narrative's statements as data: one regular expression per kind of statement.

Two scopes, read by the one narrative reader (:mod:`extract.parse.narrative`):

- ``PAGE_RULES`` (and ``FINAL_RULES`` for a 决算) run over each page's running text
  joined without spaces, so prose wrapped anywhere ("收入预算 / 9626.78 万元"), a year
  between label and figure ("因公出国（境）费用。2026年预算数0.00万元") and several
  statements in one sentence are read as real disclosures print them. A rule is a
  label, a short gap free of other figures, and a figure with its unit.
- ``SECTION_RULES`` run only inside the sections where the statement is made (a change
  "增加1.78万元" only under 比上年增减), on the section's text; they also read
  directions (增加/减少 → a sign) and percentages.

Numbers stay as printed; the unit is the one printed right after the number.
Source: the 部门预算/决算 情况说明 wording of real disclosures and the seed template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reference.vocabulary import (
    AMOUNT, COUNT, MONEY_UNIT, NUMBER, THREE_PUBLIC_ABROAD, THREE_PUBLIC_OPERATION, THREE_PUBLIC_PURCHASE,
    THREE_PUBLIC_RECEPTION, THREE_PUBLIC_VEHICLE, YEAR as PLAUSIBLE_YEAR,
)


@dataclass(frozen=True)
class Rule:
    statement: str
    item: str
    pattern: re.Pattern[str]
    sections: tuple[str, ...] = ()  # () = the page's running text, wherever it is said
    column: str = "amount"
    sentence: re.Pattern[str] | None = None  # the sentence stating it must also say this


# ------------------------------------------------------------------ page scope (flat text)

_YEAR = rf"{PLAUSIBLE_YEAR}年度?"
GAP = rf"(?:[^\d。；;中]|{_YEAR}|。(?={_YEAR})){{0,20}}?"
TIGHT_GAP = rf"(?:[^\d。；;，,中]|{_YEAR}){{0,12}}?"
PART_GAP = rf"(?:[^\d。；;，,中增减降]|{_YEAR}){{0,10}}?"  # "基本支出增加49.12万元" is a change
FINAL_GAP = r"[^。；;]{0,40}?(?:支出)?决算(?:数)?(?:为|是)?"


def _page(statement: str, item: str, label: str, gap: str = GAP, tail: str = AMOUNT,
          column: str = "amount") -> Rule:
    return Rule(statement, item, re.compile(f"(?P<label>{label})" + gap + tail), column=column)


_ABROAD, _RECEPTION, _VEHICLE = THREE_PUBLIC_ABROAD, THREE_PUBLIC_RECEPTION, THREE_PUBLIC_VEHICLE
_PURCHASE, _OPERATION = THREE_PUBLIC_PURCHASE, THREE_PUBLIC_OPERATION
_THREE = r"三公经费(?:财政拨款)?"
_OPERATING = r"机关运行经费"

#: A 决算 states the outturn after the initial budget ("年初预算为0.95万元，支出决算为0.00万元").
FINAL_RULES: tuple[Rule, ...] = tuple(
    _page("three_public", item, label, FINAL_GAP)
    for item, label in (
        ("total", _THREE), ("abroad", _ABROAD), ("reception", _RECEPTION), ("vehicle", _VEHICLE),
        ("vehicle_purchase", _PURCHASE), ("vehicle_operation", _OPERATION),
    )
) + (_page("operating_expenses", "total", _OPERATING + r"(?:支出)?", GAP),)

# 本年收入预算 / 本年预算收入 are the year's own revenue, a part of the 收支总预算 (the grand
# total with 上年结转 and 使用非财政拨款结余): never read as the total
_NOT_THIS_YEAR = r"(?<!本年)(?<!当年)"
_GRAND = "收支总预算|收入、支出预算总计|收支预算总计|收入支出总计|收支总计"

PAGE_RULES: tuple[Rule, ...] = (
    _page("revenue", "total", rf"{_NOT_THIS_YEAR}(?<![金款算他户本共])(?:{_GRAND}|收入预算(?:总计|合计|总额)?|预算收入|收入总计|"
                              r"(?<![占的])(?:部门)?(?:预算)?总收入(?:预计)?)"),
    # "二、支出预算712.99万元": an enumerator's 、 opens the statement; any other 、 lists parts
    _page("expenditure", "total", rf"{_NOT_THIS_YEAR}(?<![金款算他户本目费购共])(?<![^一二三四五六七八九十]、)(?:{_GRAND}|支出预算(?:总计|合计|总额)?|预算支出|支出总计|"
                                  r"(?<![占的])(?:部门)?(?:预算)?总支出(?:预计)?)"),
    _page("revenue", "this_year", r"(?:本年|当年)(?:预算)?收入(?:预算)?(?:合计|小计)?", PART_GAP),
    _page("expenditure", "this_year", r"(?:本年|当年)(?:预算)?支出(?:预算)?(?:合计|小计)?", PART_GAP),
    _page("revenue", "fiscal_grant", r"(?<!预算)(?<!专户)财政拨款(?:[（(]补助[）)])?收入(?:预算)?(?:总计|合计)?", PART_GAP),
    _page("expenditure", "fiscal_grant", r"(?<!预算)(?<!专户)财政拨款支出(?:预算)?(?:总计|合计)?", PART_GAP),
    _page("revenue", "non_fiscal_balance_used", r"使用非财政拨款结余(?:[（(]含专用结余[）)])?|用事业基金弥补收支差额", PART_GAP),
    _page("revenue", "carryover", r"(?:上年|年初)结转(?:和结余|结余)?", PART_GAP),
    # 北京: "（三）年终结转结余资金12.23万元", the third part of 支出预算 after 基本支出 and 项目支出
    _page("expenditure", "carryover", r"结转下年|年末结转(?:和结余)?|年终结转结余(?:资金)?", PART_GAP),
    _page("expenditure", "balance_distribution", r"结余分配", PART_GAP),
    _page("revenue", "special_account", r"财政专户管理资金(?:收入)?(?:预算)?(?:总计|合计)?", PART_GAP),
    _page("expenditure", "basic", r"基本支出(?:预算)?(?:数)?", PART_GAP),
    _page("expenditure", "project", r"项目支出(?:预算)?(?:数)?|(?:部门)?专项项目(?:预算|支出)(?:数)?", PART_GAP),
    _page("expenditure", "other", r"预留机动经费(?:预算)?(?:数)?", PART_GAP),
    # a source stated on its own ("国有资本经营预算收入完成5万元"): a part of the revenue, never its total
    _page("revenue", "general_budget", r"一般公共预算(?:财政)?(?:拨款)?收入(?!合计|总计)", PART_GAP),
    _page("revenue", "gov_fund", r"政府性基金预算(?:财政)?(?:拨款)?收入(?!合计|总计)", PART_GAP),
    _page("revenue", "state_capital", r"国有资本经营预算(?:财政)?(?:拨款)?收入(?!合计|总计)", PART_GAP),
    _page("expenditure", "general_budget", r"一般公共预算(?:财政)?(?:拨款)?(?:当年拨款)?支出(?:预算)?(?:总计|合计)?"),
    _page("three_public", "total", _THREE, TIGHT_GAP),
    _page("three_public", "abroad", _ABROAD),
    _page("three_public", "reception", _RECEPTION),
    _page("three_public", "vehicle", _VEHICLE),
    _page("three_public", "vehicle_purchase", _PURCHASE),
    _page("three_public", "vehicle_operation", _OPERATION),
    _page("operating_expenses", "total", _OPERATING + r"(?:财政拨款)?(?:预算)?(?:支出)?(?:安排)?(?:总计|合计)?"),
    _page("procurement", "total", r"政府采购(?:预算)?(?:总额|合计|共计|安排|总计|金额)?"),
    _page("procurement", "goods", r"(?<=[，,：:；、购])货物类?(?:项目)?(?:采购)?(?:预算|金额)?"),
    _page("procurement", "works", r"(?<=[，,：:；、购])工程类?(?:项目)?(?:采购)?(?:预算|金额)?"),
    _page("procurement", "services", r"(?<=[，,：:；、购])服务类?(?:项目)?(?:采购)?(?:预算|金额)?"),
)
#: "本单位无机关运行经费" states a zero.
NO_OPERATING = re.compile(r"(?:本单位|本部门)?(?:无|没有)机关运行经费")

# ------------------------------------------------------------------ section scope

# words between a label and its figure, within one clause and never across a change
# ("基本支出增加49.12万元" states a change, not the basic expenditure)
SECTION_GAP = r"[^0-9０-９。；;！!？?，,、增减比较]{0,14}?"
NOT_A_PART = r"(?<![共金营户他目本业款])"  # "基金收入预算" / "项目支出预算" are parts, not the total
DIRECTION = r"(?P<dir>增加|增长|减少|下降|降低|持平)"
PCT = rf"(?:[，,、]?\s*(?P<pdir>增加|增长|减少|下降|降低|增幅|降幅)?\s*(?P<pct>{NUMBER})\s*[%％])?"
YEAR = rf"(?:(?P<year>{PLAUSIBLE_YEAR})\s*年(?:度)?)?"
NEGATIVE = {"减少", "下降", "降低", "降幅"}
CHANGE_TAIL = rf"{DIRECTION}\s*(?:(?P<num>{NUMBER})\s*(?P<unit>{MONEY_UNIT}))?{PCT}"


def _section(statement: str, item: str, sections: str, label: str, tail: str = AMOUNT,
             sentence: str | None = None) -> Rule:
    return Rule(statement, item, re.compile(f"(?P<label>{label})" + SECTION_GAP + tail), tuple(sections.split()),
                sentence=re.compile(sentence) if sentence else None)


# 其他支出 is the third part of basic/project/other only in a sentence that splits spending
# that way; among 教育支出, 住房保障支出 … it is the function class 229
_SPLIT = "基本支出|项目支出"


SECTION_RULES: tuple[Rule, ...] = (
    _section("revenue", "total", "revenue preamble", rf"{YEAR}(?:部门)?{NOT_A_PART}(?:预算收入|收入预算|收入总计|全部收入)(?:合计|总计|总额)?"),
    # a source is named with or without 收入: 一般公共预算拨款, 政府性基金预算拨款
    _section("revenue", "general_budget", "revenue", r"一般公共预算(?:(?:财政)?拨款(?:收入)?|收入)"),
    _section("revenue", "gov_fund", "revenue", r"(?:政府性)?基金预算(?:(?:财政)?拨款(?:收入)?|收入)"),
    _section("revenue", "state_capital", "revenue", r"国有资本经营预算(?:(?:财政)?拨款(?:收入)?|收入)"),
    _section("revenue", "special_account", "revenue", r"财政专户(?:核拨|管理资金)?收入"),
    _section("revenue", "operating_income", "revenue", r"事业收入"),
    _section("revenue", "business_income", "revenue", r"(?:事业单位)?经营收入"),
    _section("revenue", "other", "revenue", r"其他(?:来源)?收入"),
    _section("revenue", "superior_subsidy", "revenue", r"上级补助收入"),
    _section("revenue", "subordinate_remit", "revenue", r"附属单位上缴收入"),
    _section("revenue", "carryover", "revenue", r"上年结转(?:结余)?(?:收入)?"),
    _section("expenditure", "total", "expenditure preamble", rf"{YEAR}(?:部门)?{NOT_A_PART}(?:支出预算|预算支出|支出总计)(?:合计|总计|总额)?"),
    _section("expenditure", "basic", "expenditure", r"基本支出"),
    _section("expenditure", "project", "expenditure", r"项目支出"),
    _section("expenditure", "other", "expenditure", r"(?<!。)其他支出", sentence=_SPLIT),
    _section("change", "total", "change", rf"较(?:上年|{PLAUSIBLE_YEAR}\s*年)(?:预算)?(?:数)?", CHANGE_TAIL),
    _section("change", "basic", "change", r"基本支出", CHANGE_TAIL),
    _section("change", "project", "change", r"项目支出", CHANGE_TAIL),
    _section("change", "other", "change", r"其他支出", CHANGE_TAIL, sentence=_SPLIT),
    _section("operating_expenses", "total", "operating_expenses", r"机关运行(?:经)?费"),
    _section("three_public", "total", "three_public", r"[“\"‘']?三公[”\"’']?经费(?:预算|财政拨款预算)?(?:安排|合计|共计|总额)?"),
    _section("three_public", "abroad", "three_public", _ABROAD),
    _section("three_public", "vehicle", "three_public", _VEHICLE),
    _section("three_public", "vehicle_purchase", "three_public", _PURCHASE),
    _section("three_public", "vehicle_operation", "three_public", _OPERATION),
    _section("three_public", "reception", "three_public", r"公务接待(?:经)?费"),
    _section("procurement", "total", "procurement", r"政府采购(?:预算)?(?:总额|合计|共计|安排)"),
    _section("procurement", "goods", "procurement", r"货物(?:类)?(?:采购)?(?:预算)?"),
    _section("procurement", "works", "procurement", r"工程(?:类)?(?:采购)?(?:预算)?"),
    _section("procurement", "services", "procurement", r"服务(?:类)?(?:采购)?(?:预算)?"),
    # how many projects have published targets, and their money: says whether the project
    # tables list every project ("编报绩效目标的项目共3个，涉及项目预算资金4,252.80万元")
    Rule("project_list", "count", re.compile(
        rf"(?:一级|二级)?(?:预算)?项目(?:共|数为?)?\s*(?P<num>{COUNT})\s*(?P<unit>个)"), ("performance",), "quantity"),
    Rule("project_list", "count", re.compile(
        rf"(?P<num>{COUNT})\s*(?P<unit>个)(?:一级|二级)?(?:预算)?项目"), ("performance",), "quantity"),
    _section("project_list", "amount", "performance",
             r"(?:涉及|公开|个[，,])(?:项目)?(?:预算)?(?:财政性)?(?:资金|金额)(?:合计)?"),
)
#: "本部门无政府采购项目" states a zero.
NO_PROCUREMENT = re.compile(r"无政府采购(?:项目|预算|计划)")
