"""Narrative figures as real disclosures phrase them, read across line and page breaks.

PDF prose wraps anywhere ("收入预算 / 9626.78 万元"), puts the year between a label
and its figure ("1.因公出国（境）费用。2026年预算数0.00万元") and runs several
statements into one sentence, so each page's running text is joined without spaces
and each rule is a label, a short gap free of other figures, and a figure with its
unit. The first statement in reading order wins: summaries come before details.
Figures are kept as printed; a narrative that contradicts a table is not corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.read.model import Document, Line
from extract.parse.table_blocks import flat
from extract.parse.records import AmountRecord, Provenance

NUM = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
AMOUNT = NUM + r"(?P<unit>亿元|万元|元)"
YEAR = r"(?:19|20)\d{2}年度?"
GAP = rf"(?:[^\d。；;中]|{YEAR}|。(?={YEAR})){{0,20}}?"
TIGHT_GAP = rf"(?:[^\d。；;，,中]|{YEAR}){{0,12}}?"
PART_GAP = rf"(?:[^\d。；;，,中增减降]|{YEAR}){{0,10}}?"  # "基本支出增加49.12万元" is a change
FINAL_GAP = r"[^。；;]{0,40}?(?:支出)?决算(?:数)?(?:为|是)?"


@dataclass(frozen=True)
class Rule:
    statement: str
    item: str
    pattern: re.Pattern[str]
    column: str = "amount"


def _rule(statement: str, item: str, label: str, gap: str = GAP, tail: str = AMOUNT) -> Rule:
    return Rule(statement, item, re.compile(label + gap + tail))


_ABROAD = r"因公出国[（(]境[)）](?:经)?费(?:用)?"
_RECEPTION = r"公务接待(?:经)?费(?:用)?"
_VEHICLE = r"公务用车购置(?:和|及)运行(?:维护)?(?:经)?费(?:用)?"
_PURCHASE = r"公务用车购置(?![及和])(?:经)?费?(?:用)?"
_OPERATION = r"公务用车运行(?:维护)?(?:经)?费(?:用)?"
_THREE = r"三公经费(?:财政拨款)?"
_OPERATING = r"机关运行经费"

FINAL_RULES: tuple[Rule, ...] = tuple(
    _rule("three_public", item, label, FINAL_GAP)
    for item, label in (
        ("total", _THREE), ("abroad", _ABROAD), ("reception", _RECEPTION), ("vehicle", _VEHICLE),
        ("vehicle_purchase", _PURCHASE), ("vehicle_operation", _OPERATION),
    )
) + (_rule("operating_expenses", "total", _OPERATING + r"(?:支出)?", GAP),)

RULES: tuple[Rule, ...] = (
    _rule("revenue", "total", r"(?<![金款算他户])(?:收入、支出预算总计|收支预算总计|收入预算(?:总计|合计|总额)?|预算收入|收入总计)"),
    _rule("expenditure", "total", r"(?<![金款算他户本目费购、])(?:支出预算(?:总计|合计|总额)?|预算支出|支出总计)"),
    _rule("revenue", "special_account", r"财政专户管理资金(?:收入)?(?:预算)?(?:总计|合计)?", PART_GAP),
    _rule("expenditure", "basic", r"基本支出(?:预算)?(?:数)?", PART_GAP),
    _rule("expenditure", "project", r"项目支出(?:预算)?(?:数)?", PART_GAP),
    _rule("expenditure", "other", r"预留机动经费(?:预算)?(?:数)?", PART_GAP),
    _rule("expenditure", "general_budget", r"一般公共预算(?:财政)?(?:拨款)?(?:当年拨款)?支出(?:预算)?(?:总计|合计)?"),
    _rule("three_public", "total", _THREE, TIGHT_GAP),
    _rule("three_public", "abroad", _ABROAD),
    _rule("three_public", "reception", _RECEPTION),
    _rule("three_public", "vehicle", _VEHICLE),
    _rule("three_public", "vehicle_purchase", _PURCHASE),
    _rule("three_public", "vehicle_operation", _OPERATION),
    _rule("operating_expenses", "total", _OPERATING + r"(?:财政拨款)?(?:预算)?(?:支出)?(?:安排)?(?:总计|合计)?"),
    _rule("procurement", "total", r"政府采购(?:预算)?(?:总额|合计|共计|安排|总计|金额)?"),
    _rule("procurement", "goods", r"(?<=[，,：:；、购])货物类?(?:项目)?(?:采购)?(?:预算|金额)?"),
    _rule("procurement", "works", r"(?<=[，,：:；、购])工程类?(?:项目)?(?:采购)?(?:预算|金额)?"),
    _rule("procurement", "services", r"(?<=[，,：:；、购])服务类?(?:项目)?(?:采购)?(?:预算|金额)?"),
    _rule("asset", "vehicles", r"(?:公务用车|车辆)(?:共)?(?:有)?", r"", r"(?P<num>\d+)(?P<unit>辆)"),
)
NO_OPERATING = re.compile(r"(?:本单位|本部门)?(?:无|没有)机关运行经费")
FINAL_ACCOUNT = re.compile(r"决算")


@dataclass
class PageText:
    page_no: int
    text: str
    starts: list[tuple[int, Line]]

    def line_at(self, offset: int) -> Line:
        found = self.starts[0][1]
        for start, line in self.starts:
            if start > offset:
                break
            found = line
        return found


def page_texts(doc: Document) -> list[PageText]:
    """Each page's running text, joined without spaces (tables left out)."""
    out = []
    for page in doc.pages:
        parts, starts, pos = [], [], 0
        for line in page.lines:
            if line.is_table_row:
                continue
            t = flat(line.text)
            starts.append((pos, line))
            parts.append(t)
            pos += len(t)
        if starts:
            out.append(PageText(page.page_no, "".join(parts), starts))
    return out


def _record(rule: Rule, match: re.Match[str], page: PageText) -> AmountRecord:
    line = page.line_at(match.start())
    unit = "" if match.group("unit") == "辆" else match.group("unit")
    snippet = page.text[max(0, match.start() - 10): match.end() + 10]
    return AmountRecord(
        statement=rule.statement,
        item=rule.item,
        amount_text=match.group("num"),
        unit=unit,
        where=Provenance(line.page_no, line.line_no, snippet),
        source="narrative",
        column="quantity" if rule.statement == "asset" else rule.column,
    )


def _zero_operating(pages: list[PageText]) -> AmountRecord | None:
    for page in pages:
        m = NO_OPERATING.search(page.text)
        if m:
            line = page.line_at(m.start())
            return AmountRecord("operating_expenses", "total", "0", "元",
                                Provenance(line.page_no, line.line_no, m.group(0)), source="narrative")
    return None


def _first_matches(rules: tuple[Rule, ...], pages: list[PageText], found: dict) -> None:
    for rule in rules:
        if (rule.statement, rule.item) in found:
            continue
        for page in pages:
            m = rule.pattern.search(page.text)
            if m:
                found[(rule.statement, rule.item)] = _record(rule, m, page)
                break


def parse_narrative_real(doc: Document, final_account: bool | None = None) -> list[AmountRecord]:
    """One narrative record per (statement, item): the first one stated in reading order."""
    pages = page_texts(doc)
    if final_account is None:
        head = "".join(p.text for p in pages[:1])[:60]
        final_account = bool(FINAL_ACCOUNT.search(head))
    found: dict[tuple[str, str], AmountRecord] = {}
    if final_account:
        _first_matches(FINAL_RULES, pages, found)
    _first_matches(RULES, pages, found)
    zero = _zero_operating(pages)
    if zero is not None and ("operating_expenses", "total") not in found:
        found[("operating_expenses", "total")] = zero
    return list(found.values())
