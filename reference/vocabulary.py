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
from dataclasses import dataclass

from schemas.money import MONEY_UNITS
from schemas.vocabulary import DEPARTMENT_BUDGET, FINAL_ACCOUNT, PERFORMANCE_TARGET_FORM, UNIT_BUDGET

_SPACE = re.compile(r"[\s\u3000]+")
_QUOTES = str.maketrans("", "", "\"“”'‘’")


def unspaced(text: str) -> str:
    """Text without any space (ASCII or ideographic): a cell, a name, as compared."""
    return _SPACE.sub("", text)


def flat(text: str) -> str:
    """Text without spaces or quotes: titles, labels and wrapped prose are compared this way."""
    return unspaced(text).translate(_QUOTES)


# ------------------------------------------------------------------ figures

DIGIT = "[0-9０-９]"
#: A figure as printed: ASCII or full-width digits, thousands separators, a decimal part.
NUMBER = rf"{DIGIT}+(?:[,，]{DIGIT}{{3}})*(?:[.．]{DIGIT}+)?"
#: A figure in running text with the sign printed before it, if any (支出预算-242.24万元).
SIGNED_NUMBER = rf"[-－]?{NUMBER}"
#: A whole table cell holding a figure (a leading minus in any of its printed forms).
NUMBER_CELL = re.compile(rf"^[-－—+]?(?:{DIGIT}{{1,3}}(?:[,，]{DIGIT}{{3}})+|{DIGIT}+)(?:[.．]{DIGIT}+)?$")
#: A cell printed as a dash or slash alone: how many tables print an empty cell.
BLANK_CELL = re.compile(r"^[-－—–/／]+$")


def blank_figure(text: str) -> bool:
    """No figure printed: an empty text, a dash or slash alone (:data:`BLANK_CELL`), or 无 ("none")."""
    return text in ("", "无") or bool(BLANK_CELL.match(text))


# ------------------------------------------------------------------ units

#: Money units as printed after a figure (``schemas.money``), largest first so 万元 is never read as 元.
MONEY_UNIT = "|".join(MONEY_UNITS)
#: 万元 printed as 万 alone before a clause ends ("公务用车购置费0万。"); the reader records it as 万元.
NARRATIVE_UNIT = rf"{MONEY_UNIT}|万(?![\u4e00-\u9fa5])"
#: An amount stated in running text: the figure (group ``num``, a sign printed before it kept:
#: 支出预算-242.24万元) and its unit (group ``unit``). Page text is flat; a section's may space them.
AMOUNT = rf"(?P<num>{SIGNED_NUMBER})\s*(?P<unit>{NARRATIVE_UNIT})"
#: How a performance-target table names a project's amount: a card's label, a list's column head.
AMOUNT_WORDS = (r"预算数|资金总额|项目资金总额|实施期资金总额|项目总额|预算金额|项目金额|年度(?:预算)?资金(?:总额)?"
                r"|年度预算资金总额|金额合计|预算支出总额|部门预算支出|资金总额合计")
#: The unit line of a table or a project block: 单位：万元, 金额单位：元 (never 单位：元宝区…).
UNIT_LINE = re.compile(rf"(?:金额)?单位[:：]\s*({MONEY_UNIT})(?![\u4e00-\u9fa5])")

# ------------------------------------------------------------------ years

#: A plausible fiscal year (1980–2049): not a document number, not a founding year. The one year
#: pattern: every year a disclosure prints (a title's, a date's, a comparison's) is matched with it.
YEAR = r"(?:19[89]|20[0-4])\d"
#: A year printed before 年 (2021年, 2021 年度), no digit glued before it: group 1 is the year.
YEAR_NIAN = re.compile(rf"(?<!\d)({YEAR})\s*年")
#: A year standing alone, no digit touching it on either side: group 1 is the year.
YEAR_ALONE = re.compile(rf"(?<!\d)({YEAR})(?!\d)")
_CN_YEAR = re.compile(r"[二〇零一三四五六七八九]{4}(?=年)")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def arabic_years(text: str) -> str:
    """二〇二六年 → 2026年: covers often print the year in Chinese numerals."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


# ------------------------------------------------------------------ "三公" labels
#: How narratives name the three public costs and their parts (因公出国（境）费 / 因公出国（境）
#: 预算数, 公务用车购置费 / 公务车辆购置费 / 公车购置, 公务用车运行维护费 / 公车运行维护费 /
#: 公务用车运行维护支出, 公务接待费 / 公务接待支出), as regular-expression sources.
#: Without 费 a label counts only before its figure's own words (预算数, 决算数, 支出): "因公出国（境）
#: 工作的国内服务费3.2万元" is a service fee, not the abroad cost.
_FEE = rf"(?:(?:经)?费(?:用)?|(?=(?:{YEAR}年度?)?(?:预算|决算)数?|支出))(?:支出)?"
THREE_PUBLIC_ABROAD = rf"因公出国[（(]境[)）]{_FEE}"
THREE_PUBLIC_RECEPTION = rf"公务接待{_FEE}"
THREE_PUBLIC_VEHICLE = rf"公务?用?车辆?购置(?:和|及|与)运[行维]+(?:护)?{_FEE}"
THREE_PUBLIC_PURCHASE = r"公务?用?车辆?购置(?![及和与])(?:经)?费?(?:用)?(?:支出)?"
THREE_PUBLIC_OPERATION = rf"公务?用?车辆?运行(?:维护|维修)?{_FEE}"

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
    for pattern in (YEAR_NIAN, YEAR_ALONE):
        for text in texts:
            m = pattern.search(text or "")
            if m:
                return int(m.group(1))
    return None


# ------------------------------------------------------------------ kinds of document

# The kinds themselves are schemas.vocabulary's (DEPARTMENT_BUDGET, UNIT_BUDGET, FINAL_ACCOUNT and
# PERFORMANCE_TARGET_FORM: 部门整体(支出)绩效目标(申报)表 published as a document of its own, a
# department's targets for its whole budget).
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
@dataclass(frozen=True)
class LookAlike:
    """A kind of document that mentions budgets, years and even department names but is not a
    department's or unit's own disclosure. ``code`` is what ``dim_document.doc_class`` records,
    ``noun`` what a quarantine reason calls it; ``title`` is matched on a title (spaces and
    quotes removed), never on body text."""

    code: str
    noun: str
    title: re.Pattern[str]
    prefix: str = "not a budget disclosure"

    def reason(self, title: str) -> str:
        return f"{self.prefix}: {self.noun} ('{title}')"


_NOT_OWN = "not a department's or unit's own disclosure"
#: Documents that mention budgets and years but are not disclosures, by what their title
#: calls them (the noun a quarantine reason names). Matched on a title, never on body text.
#: The government-wide kinds (a county's 预算执行情况和预算草案的报告, 财政决算的报告, 政府预算
#: 信息公开, 总预算) speak for a whole region, never for one department; a department's own
#: "部门预算执行情况" is not one of them.
LOOK_ALIKES: tuple[LookAlike, ...] = (
    LookAlike("regulation", "a regulation", re.compile(
        r"(?:办法|规定|条例|细则|规程|规则)(?:[（(](?:试行|暂行|修订|修订稿|征求意见稿)[）)])?$|^关于印发.*(?:办法|规定|细则)")),
    LookAlike("performance_evaluation", "a performance evaluation report (绩效评价报告)",
              re.compile(r"绩效(?:评价|评估)(?:报告|结果)")),
    LookAlike("performance_self_evaluation", "a performance self-evaluation (绩效自评)",
              re.compile(r"绩效自评(?:表|报告|结果)?$|绩效自评(?:表|报告)")),
    LookAlike("information_disclosure_report",
              "an annual report on government information disclosure (政府信息公开年度报告)",
              re.compile(r"政府信息公开(?:工作)?(?:年度)?(?:工作)?报告")),
    LookAlike("rule_of_law_report", "a report on building rule-of-law government (法治政府建设报告)",
              re.compile(r"法治政府建设(?:情况|工作)?(?:的)?(?:年度)?(?:工作)?报告")),
    LookAlike("audit_report", "an audit report (审计工作报告, 审计结果公告)",
              re.compile(r"审计(?:工作)?报告|审计结果(?:公告|报告)|审计查出|审计整改"), _NOT_OWN),
    LookAlike("statistical_bulletin", "a statistical bulletin (统计公报)",
              re.compile(r"统计公报|国民经济和社会发展(?:统计)?"), _NOT_OWN),
    LookAlike("government_fiscal_report",
              "a government-wide fiscal report (预算执行情况和预算草案的报告, 财政决算的报告, 政府预算公开, 总预算)",
              re.compile(
                  r"(?<!部门)(?<!单位)预算执行(?:情况)?|预算(?:[（(])?草案|预算调整方案|"
                  r"(?:财政|总|本级|市级|县级|区级|省级)决算(?:[（(]?草案[）)]?)?(?:的)?报告|决算(?:[（(]?草案[）)]?)?(?:情况)?的报告|"
                  r"人民政府关于.*(?:预算|决算).*报告|(?<!部门)(?<!单位)(?<!综合)(?:预算|决算)报告|"
                  r"(?<!人民)(?<!镇)(?<!乡)政府预算|总预算|财政预算报告|财政收支|"
                  r"全(?:市|县|区|省|旗|州)(?:及|和|与)?(?:市|县|区|省|旗|州)?(?:级|本级)?(?:一般公共|财政)?(?:预算|决算)|"
                  r"(?:市|县|区|省|旗|州)(?:本)?级(?:财政)?(?:预算|决算)(?:公开|草案|报告|执行|情况|表)"),
              _NOT_OWN),
    LookAlike("procurement", "a government procurement notice (政府采购)", re.compile(
        r"^(?!.*(?:部门|单位)(?:预算|决算))(?!.*(?:预算|决算)(?:明细)?表$).*(?:政府采购|采购(?:意向|公告|需求|结果|合同|项目)|招标|中标|成交(?:公告|结果)|询价|磋商)"),
        _NOT_OWN),
)


def look_alike(title: str) -> LookAlike | None:
    """The kind of non-disclosure a title names (a regulation, a government-wide fiscal report,
    an audit report …), else None."""
    text = flat(title)
    for kind in LOOK_ALIKES:
        if kind.title.search(text):
            return kind
    return None


def not_a_disclosure(title: str) -> str | None:
    """What a title names when it names a document that is not a disclosure ("a regulation"
    for 预算评审管理暂行办法), else None."""
    kind = look_alike(title)
    return kind.noun if kind else None


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
