"""The recurring words and patterns of budget disclosures: figures, units, years, kinds.

Shared by the crawler (a link's title: which year, which kind) and the parsers (a
cover, a table head, a sentence), so the two never disagree on what "2021年部门决算"
is. Patterns are regular-expression *sources* (strings) where callers embed them in
larger patterns, compiled patterns where they are used alone.

Sources: the printed conventions of 部门预算/部门决算 disclosures (财政部《部门预算公开
参考格式》; 单位：元/万元 lines; 二〇二六年 on covers).
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"[\s\u3000]+")
_QUOTES = str.maketrans("", "", "\"“”'‘’")


def flat(text: str) -> str:
    """Text without spaces or quotes: titles, labels and wrapped prose are compared this way."""
    return _SPACE.sub("", text).translate(_QUOTES)


# ------------------------------------------------------------------ figures

DIGIT = "[0-9０-９]"
#: A figure as printed: ASCII or full-width digits, thousands separators, a decimal part.
NUMBER = rf"{DIGIT}+(?:[,，]{DIGIT}{{3}})*(?:[.．]{DIGIT}+)?"
#: A whole table cell holding a figure (a leading minus in any of its printed forms).
NUMBER_CELL = re.compile(rf"^[-－—+]?(?:{DIGIT}{{1,3}}(?:[,，]{DIGIT}{{3}})+|{DIGIT}+)(?:[.．]{DIGIT}+)?$")
#: A cell printed as a dash or slash alone: how many tables print an empty cell.
BLANK_CELL = re.compile(r"^[-－—–/／]+$")

# ------------------------------------------------------------------ units

#: Money units as printed after a figure, largest first so 万元 is never read as 元.
MONEY_UNIT = "亿元|万元|元"
#: The unit line of a table or a project block: 单位：万元, 金额单位：元 (never 单位：元宝区…).
UNIT_LINE = re.compile(rf"(?:金额)?单位[:：]\s*({MONEY_UNIT})(?![\u4e00-\u9fa5])")

# ------------------------------------------------------------------ years

#: A plausible fiscal year (1980–2049): not a document number, not a founding year.
YEAR = r"(?:19[89]|20[0-4])\d"
_YEAR_BEFORE_NIAN = re.compile(rf"(?<!\d)({YEAR})\s*年")
_YEAR_ANY = re.compile(rf"(?<!\d)({YEAR})(?!\d)")
_CN_YEAR = re.compile(r"[二〇零一三四五六七八九]{4}(?=年)")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def arabic_years(text: str) -> str:
    """二〇二六年 → 2026年: covers often print the year in Chinese numerals."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


#: A count as printed: digits, or Chinese numerals up to 99 ("四个二级项目", "十二个").
COUNT = r"[0-9０-９]+|[一二两三四五六七八九十]{1,3}"
_CN_UNITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def count_digits(text: str) -> str:
    """A printed count as digits: "四" → "4", "十二" → "12", "二十" → "20"; digits unchanged."""
    if not text or text[0] not in _CN_UNITS and text[0] != "十":
        return text
    tens, _, ones = text.partition("十")
    if "十" not in text:
        return str(_CN_UNITS.get(text, 0)) if len(text) == 1 else text
    return str((_CN_UNITS.get(tens, 1) if tens else 1) * 10 + (_CN_UNITS.get(ones, 0) if ones else 0))


def fiscal_year(*texts: str) -> int | None:
    """The year a title names: ``2021年`` first (in any of the texts), then a bare
    plausible four-digit year; None when none is printed."""
    for pattern in (_YEAR_BEFORE_NIAN, _YEAR_ANY):
        for text in texts:
            m = pattern.search(text or "")
            if m:
                return int(m.group(1))
    return None


def years_before_nian(text: str) -> list[int]:
    """Every ``<year>年`` the text prints, in order."""
    return [int(y) for y in _YEAR_BEFORE_NIAN.findall(text)]


# ------------------------------------------------------------------ kinds of document

DEPARTMENT_BUDGET = "department_budget"
UNIT_BUDGET = "unit_budget"
FINAL_ACCOUNT = "final_account"
#: 部门整体(支出)绩效目标(申报)表 published as a document of its own: a department's targets
#: for its whole budget, with 部门预算支出 / 基本支出 / 项目支出 and indicators.
PERFORMANCE_TARGET_FORM = "performance_target_form"
#: ``预决算`` names both kinds at once (a portal's "部门预决算公开" column), so it says
#: neither: it is neither read as 决算 nor as 预算.
_BOTH = re.compile(r"预决算")
_FORM = re.compile(r"整体(?:支出)?(?:预算)?绩效目标(?:申报)?表")
_DISCLOSURE_WORDS = re.compile(r"部门预算|单位预算|综合预算|决算")
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (FINAL_ACCOUNT, re.compile(r"决算")),
    (UNIT_BUDGET, re.compile(r"单位(?:综合)?预算")),
    (DEPARTMENT_BUDGET, re.compile(r"预算")),
)
#: Documents that mention budgets and years but are not disclosures, by what their title
#: calls them (the noun a quarantine reason names). Matched on a title, never on body text.
NOT_DISCLOSURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a regulation", re.compile(
        r"(?:办法|规定|条例|细则|规程|规则)(?:[（(](?:试行|暂行|修订|修订稿|征求意见稿)[）)])?$|^关于印发.*(?:办法|规定|细则)")),
    ("a performance evaluation report (绩效评价报告)", re.compile(r"绩效(?:评价|评估)(?:报告|结果)")),
    ("a performance self-evaluation (绩效自评)", re.compile(r"绩效自评(?:表|报告|结果)?$|绩效自评(?:表|报告)")),
    ("an annual report on government information disclosure (政府信息公开年度报告)",
     re.compile(r"政府信息公开(?:工作)?(?:年度)?(?:工作)?报告")),
    ("a report on building rule-of-law government (法治政府建设报告)",
     re.compile(r"法治政府建设(?:情况|工作)?(?:的)?(?:年度)?(?:工作)?报告")),
)


def not_a_disclosure(title: str) -> str | None:
    """What a title names when it names a document that is not a disclosure ("a regulation"
    for 预算评审管理暂行办法), else None."""
    text = flat(title)
    for noun, pattern in NOT_DISCLOSURES:
        if pattern.search(text):
            return noun
    return None


def doc_kind(*texts: str) -> str | None:
    """department_budget | unit_budget | final_account | performance_target_form from titles,
    covers or link texts; None for a title that names no disclosure.

    A regulation, an evaluation report, a self-evaluation, an information-disclosure or a
    rule-of-law report is no disclosure whatever budget words it holds; a 部门整体绩效目标(申报)表
    named without 部门预算/单位预算/决算 is a performance-target form; then 决算 anywhere makes
    a final account, 单位(综合)预算 a unit budget, any other 预算 a department budget;
    "预决算" alone (a page listing both) decides nothing → None.
    """
    joined = _BOTH.sub("", " ".join(t for t in texts if t))
    if not_a_disclosure(joined):
        return None
    if _FORM.search(flat(joined)) and not _DISCLOSURE_WORDS.search(joined):
        return PERFORMANCE_TARGET_FORM
    for kind, pattern in _KINDS:
        if pattern.search(joined):
            return kind
    return None
