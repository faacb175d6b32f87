"""The subject, fiscal year and kind a document states about itself, wherever it states them.

Titles come in a few orders (<name><year>年<kind>, <year>年<name><kind>, <name><kind>, and a
三公-only title <name><year>年“三公”经费<预算|决算>情况); a page without a title says what it
discloses in its first sentence ("现将某某镇2020年度“三公”经费决算情况公布如下"), in an overview
heading ("一、某镇卫生院基本概况") or in the heading of its totals ("二、某县中医院2021年收支预算
情况的总体说明"). A year is read from the first statement that names the fiscal year of a
budget or final account ("2018年部门预算收入为…", "2019年度“三公”经费财政拨款支出预算为…"),
on whichever line it stands — never from a comparison ("比2020年预算数增加"), a date or a
document number.

Every text here is flat (:func:`~reference.vocabulary.flat`: no spaces, no quotes).
A subject is the longest run of words before the year (or the kind) that is an organisation's
name (:func:`~extract.parse.identity.names.organisation_name`): "…要求,现将某某镇" gives 某某镇,
never 现将.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.parse.identity.names import best_name, is_placed, is_region_only
from reference.vocabulary import YEAR
from schemas.vocabulary import DEPARTMENT_BUDGET, FINAL_ACCOUNT, UNIT_BUDGET

_CLAUSE_BREAK = re.compile(r"[。；;，,、:：!！?？()（）\[\]【】《》<>\d]")
_Y = rf"(?P<year>{YEAR})\s*年(?:度)?"
_THREE = r"(?:“|\")?三公(?:”|\")?经费"
_KIND_WORDS = r"(?:部门|单位)?(?:综合)?(?:预算|决算)"
#: What a title or a disclosure's own sentence says it is about: a year, then the kind.
_ABOUT = re.compile(
    rf"{_Y}(?P<what>(?:(?:市级|区级|县级|省级|镇级|乡级|本级)?(?:部门|单位)?(?:收支|收入|支出)?(?:总)?(?:综合)?(?:预算|决算))"
    rf"|(?:一般公共预算)?(?:财政拨款)?{_THREE}(?:财政拨款)?(?:支出)?(?:预算|决算|(?:安排|支出|使用)?情况))"
)
#: 现将<subject><year>年度<what>…公布如下: the statement a page without a title opens with.
_ANNOUNCE = re.compile(r"现将(?P<rest>[^。；;]{2,60}?)(?:公布|公开|报告|说明)")
#: An overview heading: 一、某镇卫生院基本概况 / 某县中医院概况.
_OVERVIEW = re.compile(r"(?:^|[\s。:：])(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])?"
                       r"(?P<name>[\u4e00-\u9fa5（）()]{2,30}?)(?:单位|部门)?(?:基本)?(?:概况|简介|职能职责|基本职能|主要职能)")
_TRAILING = re.compile(r"(?:部门|单位)$")


@dataclass(frozen=True)
class Stated:
    """What one statement says: the subject (or None), the year, the kind word(s) and where
    (the character offset in the text it was read from)."""

    subject: str | None
    year: int | None
    what: str
    start: int


def subject_before(text: str, end: int) -> str | None:
    """The organisation name ending at ``end`` within its clause ("…,现将某某镇" → 某某镇): the
    longest that begins with a place's name (宁国市…, 某县…, 中共…), else the longest. Lines are
    joined without a break, so "…情况说明宁国市城市管理行政执法局" gives 宁国市城市管理行政执法局,
    not 明宁国市…."""
    start = end
    while start > 0 and not _CLAUSE_BREAK.match(text[start - 1]) and end - start < 40:
        start -= 1
    return best_name(text[start:end])


def region_subject_before(text: str, end: int) -> str | None:
    """The whole region a title or sentence is about (某县, 某市本级), when that is its subject."""
    start = end
    while start > 0 and not _CLAUSE_BREAK.match(text[start - 1]) and end - start < 20:
        start -= 1
    clause = re.sub(r"^(?:关于|经)", "", text[start:end])
    for i in range(len(clause) - 1):
        if is_region_only(clause[i:]):
            return clause[i:]
    return None


def kind_of(what: str) -> str:
    """final_account | unit_budget | department_budget, from the words that say what a statement discloses."""
    if "决算" in what:
        return FINAL_ACCOUNT
    return UNIT_BUDGET if "单位" in what else DEPARTMENT_BUDGET


def statements(text: str, limit: int = 4000) -> list[Stated]:
    """Every "<year>年<kind>" statement in the first ``limit`` characters, with its subject:
    the name before the year, else (a <year>年<name><kind> order) the name between them."""
    out: list[Stated] = []
    for m in _ABOUT.finditer(text[:limit]):
        subject = subject_before(text, m.start())
        out.append(Stated(subject, int(m.group("year")), m.group("what"), m.start()))
    return out


def year_first_subject(text: str) -> Stated | None:
    """<year>年度<name>(部门|单位)<kind> or <year>年<name>“三公”经费…: the order covers use."""
    for m in re.finditer(rf"{_Y}(?P<name>[^。；;，,\d>]{{2,40}}?)(?P<what>(?:部门|单位)(?:综合)?(?:预算|决算)|{_THREE}|"
                         r"(?:收入|支出|收支)(?:总)?(?:预算|决算))", text):
        name = best_name(m.group("name"))
        if name:
            return Stated(name, int(m.group("year")), m.group("what"), m.start())
    return None


def announced(text: str) -> Stated | None:
    """现将<subject><year>年度<what>公布如下 — the subject, year and kind it names (subject None
    when it names none: "现将2021年部门预算公开如下")."""
    m = _ANNOUNCE.search(text)
    if m is None:
        return None
    rest = m.group("rest")
    about = _ABOUT.search(rest)
    if about is None:
        return None
    return Stated(best_name(rest[: about.start()]) if about.start() else None, int(about.group("year")),
                  about.group("what"), m.start())


def overview_subject(text: str) -> str | None:
    """The name an overview heading gives (一、某镇卫生院基本概况 → 某镇卫生院)."""
    for m in _OVERVIEW.finditer(text):
        name = best_name(m.group("name"))
        if name:
            return name
    return None


#: What a disclosure's first part says of its own body: "北京市人民政府办公厅主要职责包括：",
#: "北京市人民政府办公厅有28个内设机构", "某县水利管理站为全额拨款正科级事业单位",
#: "北京市审计局贯彻落实党中央关于审计工作的方针" (a scan whose title OCR could not read).
_ABOUT_ITSELF = re.compile(
    r"(?:的)?主要职(?:责|能)(?:包括|是|为|有)?[:：]|(?:有|设有|内设|下设)[0-9一二三四五六七八九十]+个内设机构|"
    r"(?:是|为|属于)[^。，,]{0,20}(?:行政机关|事业单位|工作部门|直属机构|组成部门|派出机构|特设机构)|是一所|"
    r"(?:下设|内设|下属)[^。，,]{0,12}(?:办公室|股|科|室|单位|机构|中心|站|所)|负责(?!人)|"
    r"贯彻(?:落实|执行)(?:党中央|中央|国家|省委|市委|县委|区委)"
)


def self_described_subject(text: str) -> str | None:
    """The body a disclosure's description of itself names (see ``_ABOUT_ITSELF``)."""
    found = [name for m in _ABOUT_ITSELF.finditer(text) if (name := subject_before(text, m.start()))]
    placed = [name for name in found if is_placed(name)]
    return (placed or found or [None])[0]


_LOOSE = re.compile(rf"{_Y}[^。，,；;\d]{{0,12}}?(?P<what>(?:收入|支出|收支)(?:总)?(?:预算|决算))")


def loose_statements(text: str, limit: int = 4000) -> list[Stated]:
    """"2019年财政一般收入预算总额…": a year and a budget word a few words apart, for a page that
    makes no statement of the strict form (:func:`statements`)."""
    return [Stated(None, int(m.group("year")), m.group("what"), m.start()) for m in _LOOSE.finditer(text[:limit])]


def named_before_year(text: str) -> str | None:
    """A clause that is a name and nothing else, right before a year: "重庆市涪陵区武陵山乡人民政府
    (本级)2023年无使用…" — the subject a page without a title opens with."""
    for m in re.finditer(rf"{YEAR}\s*年", text):
        clause = re.split(r"[。；;，,：:！!？?、\d]", text[max(0, m.start() - 40) : m.start()])[-1]
        clause = re.sub(r"[（(]本级[）)]$", "", clause)
        name = best_name(clause)
        if name and len(name) == len(clause) and len(name) >= 4:
            return name
    return None


def three_public_subject(title: str) -> str | None:
    """"游仙区政府办财政拨款“三公”经费2022年预算情况的说明": the name before a 三公 title's words."""
    m = re.search(r"(?:一般公共预算)?(?:财政拨款)?三公经费", title)
    return best_name(title[: m.start()]) if m and m.start() else None
