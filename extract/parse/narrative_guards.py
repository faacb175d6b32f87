"""Which printed statement is the document's own figure for a field: the judgements the
narrative reader (:mod:`extract.parse.narrative`) makes on each match of a rule.

A figure enters a field only from a statement about that field, for the document's fiscal
year, of this department, and — in a final account — the actual, not the budget:

- ``foreign``: the clause is about something else: a 国有资本经营预算收入, a “三公” total, a
  政府采购 or 机关运行经费 sentence never fills 收入总计/支出总计 or the basic/project parts;
- ``joint``: one amount for two fields ("基本支出和项目支出100万元") fills neither;
- ``other cost``: words between the label and the figure that name another cost of it
  ("因公出国（境）工作的国内服务费3.2万元" is a 服务费, not the 因公出国（境）费) fill nothing;
- ``prior``: last year's statement ("上年“三公”经费支出22万元") is never this year's figure;
- ``other_year``: a statement naming another year is kept only when no statement names the
  fiscal year (the reader prefers the one that does);
- ``scope``: a part (基本支出, 项目支出) stated in a sentence about 一般公共预算 or 财政拨款 is that
  fund's part, not the department's: taken only where nothing better is stated, and marked with
  its scope (``Judgement.scope``) so that no rule sets it beside the department's figure; a
  statement about the 本级 is marked 本级 (a 部门汇总 table is not its figure);
- ``budget_in_final``: in a final account a budget or adjusted figure (预算为20万元,
  预算调整为500万元), and the parts a budget sentence lists (…预算为20万元，其中：公务接待费
  9万元), are not the outturn; the actual stated after it in the same sentence (实际完成480万元) is.

Texts are flat (no spaces, no quotes), as the page-scope rules read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reference.vocabulary import MONEY_UNIT, SIGNED_NUMBER, YEAR, YEAR_NIAN

_ENUMERATOR = r"[（(][一二三四五六七八九十]{1,2}[）)]|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}、"
_CLAUSE_START = re.compile(rf"[。；;，,：:！!？?]|{_ENUMERATOR}")
_SENTENCE_START = re.compile(rf"[。；;！!？?]|(?<!其中)[：:]|{_ENUMERATOR}")  # a list's 其中： continues its sentence
_TOTALS = {("revenue", "total"), ("expenditure", "total"), ("revenue", "this_year"), ("expenditure", "this_year")}
_PARTS = {("expenditure", "basic"), ("expenditure", "project"), ("expenditure", "other")}
_FOREIGN_TO_TOTALS = re.compile(r"一般公共预算|政府性基金|国有资本经营|社会保险基金|三公|政府采购|机关运行|财政专户|财政拨款|专项")
_FOREIGN_TO_PARTS = re.compile(r"政府性基金|国有资本经营|社会保险基金|三公|政府采购|机关运行")
_PAIR_BEFORE = re.compile(r"(?:支出|收入|经费|费用?)(?:预算)?(?:数)?[和与及、]$")
_PAIR_AFTER = re.compile(r"^[^\d]{0,4}?[和与及、](?:本年|基本|项目|其他|一般公共预算)?(?:支出|收入)")
#: A gap that speaks of a change ("收入预算较上年增加100万元"): the figure is the change, not the field.
_CHANGE = re.compile(rf"增加|减少|增长|下降|降低|上升|增减|持平|[比较](?:上年|去年|年初|{YEAR})")
_FUND_SCOPE = re.compile(r"一般公共预算|财政拨款")  # a part of one fund's spending, not the department's
_OWN_LEVEL = re.compile(r"本级")
_OTHER_COST = re.compile(r"的[\u4e00-\u9fa5]{2,8}(?:费|经费|资金)")  # "…工作的国内服务费", in the gap
_PRIOR = re.compile(r"(?<![较比与同])(?:上年|去年|上一年|上年度|前一年)")  # "较去年增…" compares, it is not last year's
_BUDGET = re.compile(r"预算|计划|调整|安排")
_ACTUAL_WORDS = re.compile(r"决算|实际|执行|完成|支出数|共计|合计")
_ACTUAL = re.compile(rf"(?:实际|决算)(?:完成|支出|执行|发生)?(?:数)?(?:为|是)?(?P<num>{SIGNED_NUMBER})(?P<unit>{MONEY_UNIT})")
FINAL_FIELDS = {"three_public", "expenditure", "revenue", "operating_expenses"}


@dataclass(frozen=True)
class Judgement:
    """``skip``: never this field's figure; ``fallback``: only if nothing better is stated;
    ``actual``: (number, unit, start offset) of the outturn stated after a budget figure."""

    skip: bool = False
    fallback: bool = False
    actual: tuple[str, str, int] | None = None
    scope: str = ""  # 一般公共预算 / 财政拨款 / 本级: what the statement's figure is of, where not the department's


KEEP = Judgement()
SKIP = Judgement(skip=True)


def clause_before(text: str, start: int) -> str:
    """The words of the clause before offset ``start`` (from the last clause break)."""
    cut = max((m.end() for m in _CLAUSE_START.finditer(text, 0, start)), default=0)
    return text[cut:start]


def _sentence_after(text: str, end: int) -> tuple[str, int]:
    stop = text.find("。", end)
    return text[end : stop if stop >= 0 else len(text)], end


def _says_budget(words: str) -> bool:
    """Does the statement speak of a budget (预算, 调整) after its last word of an outturn (决算, 实际 …)?"""
    budget = [m.end() for m in _BUDGET.finditer(words)]
    actual = [m.end() for m in _ACTUAL_WORDS.finditer(words)]
    return bool(budget) and (not actual or budget[-1] > actual[-1])


def judge(statement: str, item: str, text: str, match: re.Match[str], *, fiscal_year: int | None,
          final_account: bool) -> Judgement:
    """What a rule's ``match`` (with groups ``label`` and ``num``) in flat ``text`` is worth."""
    prefix = clause_before(text, match.start())
    label = match.group("label") if "label" in match.groupdict() else ""
    gap = text[match.end("label") : match.start("num")] if label and match.groupdict().get("num") else ""
    key = (statement, item)
    scope = prefix + label
    if key in _TOTALS and _FOREIGN_TO_TOTALS.search(scope) or key in _PARTS and _FOREIGN_TO_PARTS.search(scope) \
            or item == "fiscal_grant" and _FOREIGN_TO_PARTS.search(prefix):
        return SKIP
    if _PAIR_BEFORE.search(prefix[-10:]) or _PAIR_AFTER.search(gap) or _CHANGE.search(gap) or _OTHER_COST.search(gap):
        return SKIP
    if _PRIOR.search(prefix):
        return SKIP
    sentence = text[max((m.end() for m in _SENTENCE_START.finditer(text, 0, match.start())), default=0) : match.start()]
    if final_account and statement in FINAL_FIELDS and _says_budget(sentence + label + gap):
        rest, offset = _sentence_after(text, match.end())
        actual = _ACTUAL.search(rest)
        if actual is None:
            return SKIP
        return Judgement(actual=(actual.group("num"), actual.group("unit"), offset + actual.start("num")))
    years = {int(y) for y in YEAR_NIAN.findall(label + gap)} or {int(y) for y in YEAR_NIAN.findall(prefix)[-1:]}
    fund = _FUND_SCOPE.search(sentence + label) if key in _PARTS else None
    scope = fund.group(0) if fund else ("本级" if _OWN_LEVEL.search(sentence + label) else "")
    if fiscal_year is not None and years and fiscal_year not in years or fund:
        return Judgement(fallback=True, scope=scope)
    return Judgement(scope=scope) if scope else KEEP
