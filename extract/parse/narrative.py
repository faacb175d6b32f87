"""Figures stated in the narrative sections (收入, 支出, 比上年增减, 机关运行经费, 三公, 政府采购, 资产).

Each rule is one regular expression for one kind of statement, tried only inside the
sections where that statement is made. Numbers stay as printed; the unit is the one
printed right after the number. Directions (增加/减少) become a sign on the printed
text so the transform never has to re-read the sentence; the snippet keeps the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.parse.sections import SectionText
from extract.parse.records import AmountRecord, Provenance

NUM = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
AMOUNT = rf"(?P<num>{NUM})\s*(?P<unit>亿元|万元|元)"
# words between a label and its figure, within one clause and never across a change
# ("基本支出增加49.12万元" states a change, not the basic expenditure)
GAP = r"[^0-9０-９。；;！!？?，,、增减比较]{0,14}?"
NOT_A_PART = r"(?<![共金营户他目本业款])"  # "基金收入预算" / "项目支出预算" are parts, not the total
DIRECTION = r"(?P<dir>增加|增长|减少|下降|降低|持平)"
PCT = rf"(?:[，,、]?\s*(?P<pdir>增加|增长|减少|下降|降低|增幅|降幅)?\s*(?P<pct>{NUM})\s*[%％])?"
YEAR = r"(?:(?P<year>(?:19|20)\d{2})\s*年(?:度)?)?"
NEGATIVE = {"减少", "下降", "降低", "降幅"}


@dataclass(frozen=True)
class Rule:
    statement: str
    item: str
    sections: tuple[str, ...]
    pattern: re.Pattern[str]
    column: str = "amount"


def _rule(statement: str, item: str, sections: str, label: str, tail: str = AMOUNT) -> Rule:
    return Rule(statement, item, tuple(sections.split()), re.compile(label + GAP + tail))


CHANGE_TAIL = rf"{DIRECTION}\s*(?:(?P<num>{NUM})\s*(?P<unit>亿元|万元|元))?{PCT}"

RULES: tuple[Rule, ...] = (
    _rule("revenue", "total", "revenue preamble", rf"{YEAR}(?:部门)?{NOT_A_PART}(?:预算收入|收入预算|收入总计|全部收入)(?:合计|总计|总额)?"),
    _rule("revenue", "general_budget", "revenue", r"一般公共预算(?:拨款|财政拨款)?收入"),
    _rule("revenue", "gov_fund", "revenue", r"(?:政府性)?基金预算(?:拨款|财政拨款)?收入"),
    _rule("revenue", "state_capital", "revenue", r"国有资本经营预算(?:拨款|财政拨款)?收入"),
    _rule("revenue", "special_account", "revenue", r"财政专户(?:核拨|管理资金)?收入"),
    _rule("revenue", "operating_income", "revenue", r"事业收入"),
    _rule("revenue", "other", "revenue", r"其他(?:来源)?收入"),
    _rule("revenue", "carryover", "revenue", r"上年结转(?:结余)?(?:收入)?"),
    _rule("expenditure", "total", "expenditure preamble", rf"{YEAR}(?:部门)?{NOT_A_PART}(?:支出预算|预算支出|支出总计)(?:合计|总计|总额)?"),
    _rule("expenditure", "basic", "expenditure", r"基本支出"),
    _rule("expenditure", "project", "expenditure", r"项目支出"),
    _rule("expenditure", "other", "expenditure", r"(?<!。)其他支出"),
    _rule("change", "total", "change", r"较(?:上年|(?:19|20)\d{2}\s*年)(?:预算)?(?:数)?", CHANGE_TAIL),
    _rule("change", "basic", "change", r"基本支出", CHANGE_TAIL),
    _rule("change", "project", "change", r"项目支出", CHANGE_TAIL),
    _rule("change", "other", "change", r"其他支出", CHANGE_TAIL),
    _rule("operating_expenses", "total", "operating_expenses", r"机关运行(?:经)?费"),
    _rule("three_public", "total", "three_public", r"[“\"‘']?三公[”\"’']?经费(?:预算|财政拨款预算)?(?:安排|合计|共计|总额)?"),
    _rule("three_public", "abroad", "three_public", r"因公出国[（(]境[)）](?:经)?费"),
    _rule("three_public", "vehicle", "three_public", r"公务用车购置及运[行维]+(?:护)?(?:经)?费"),
    _rule("three_public", "vehicle_purchase", "three_public", r"公务用车购置(?:经)?费"),
    _rule("three_public", "vehicle_operation", "three_public", r"公务用车运行(?:维护)?(?:经)?费"),
    _rule("three_public", "reception", "three_public", r"公务接待(?:经)?费"),
    _rule("procurement", "total", "procurement", r"政府采购(?:预算)?(?:总额|合计|共计|安排)"),
    _rule("procurement", "goods", "procurement", r"货物(?:类)?(?:采购)?(?:预算)?"),
    _rule("procurement", "works", "procurement", r"工程(?:类)?(?:采购)?(?:预算)?"),
    _rule("procurement", "services", "procurement", r"服务(?:类)?(?:采购)?(?:预算)?"),
    _rule("asset", "total", "asset", r"固定资产(?:金额|总额|原值)"),
    _rule("asset", "planned_purchase", "asset", r"拟购置固定资产"),
)

NO_PROCUREMENT = re.compile(r"无政府采购(?:项目|预算|计划)")


def _signed(text: str, direction: str | None) -> str:
    if direction in NEGATIVE and text.strip("0.．０") != "":
        return "-" + text
    return text


def _provenance(section: SectionText, match: re.Match[str]) -> Provenance:
    line = section.line_at(match.start())
    return Provenance(line.page_no, line.line_no, line.text.strip())


def _records_for_match(rule: Rule, section: SectionText, match: re.Match[str]) -> list[AmountRecord]:
    where = _provenance(section, match)
    groups = match.groupdict()
    label = match.group(0)[:40]
    records: list[AmountRecord] = []
    direction = groups.get("dir")
    if groups.get("num") is not None:
        text = _signed(groups["num"], direction)
        records.append(AmountRecord(rule.statement, rule.item, text, groups["unit"], where, label=label))
    elif direction == "持平":
        records.append(AmountRecord(rule.statement, rule.item, "0", "元", where, label=label))
    if groups.get("pct") is not None:
        pct_direction = groups.get("pdir") or direction
        text = _signed(groups["pct"], pct_direction)
        records.append(AmountRecord(rule.statement, rule.item, text, "%", where, label=label, column="pct"))
    elif direction == "持平" and rule.statement == "change":
        records.append(AmountRecord(rule.statement, rule.item, "0", "%", where, label=label, column="pct"))
    return records


def parse_narrative(sections: list[SectionText]) -> tuple[list[AmountRecord], list[tuple[int, Provenance]]]:
    """First statement of each (statement, item, column) wins: later mentions repeat it."""
    found: dict[tuple[str, str, str], AmountRecord] = {}
    stated_years: list[tuple[int, Provenance]] = []
    for section in sections:
        for rule in RULES:
            if section.name not in rule.sections:
                continue
            for match in rule.pattern.finditer(section.text):
                records = _records_for_match(rule, section, match)
                if not records:
                    continue
                for record in records:
                    found.setdefault((record.statement, record.item, record.column), record)
                if match.groupdict().get("year"):
                    stated_years.append((int(match.group("year")), records[0].where))
                break
        if section.name == "procurement":
            _no_procurement(section, found)
    return list(found.values()), stated_years


def _no_procurement(section: SectionText, found: dict) -> None:
    """'本部门无政府采购项目' states a zero: record it as 0, not as a missing figure."""
    match = NO_PROCUREMENT.search(section.text)
    if match and ("procurement", "total", "amount") not in found:
        found[("procurement", "total", "amount")] = AmountRecord(
            "procurement", "total", "0", "元", _provenance(section, match), label=match.group(0)
        )
