"""The parent department a unit's disclosure states (主管部门), read from its text, never its file name.

A unit budget (单位预算) is published under the unit's own name (上海市刑事科学技术研究院,
福州市公安局治安管理支队) but belongs to a department; comparisons by kind of department need
that department. Real documents state it in one of three ways:

- a labelled cell or line: ``主管部门\t福州市公安局`` (performance-target tables), ``主管部门：…``,
  ``归口管理部门：…``;
- the unit's description: ``上海市刑事科学技术研究院是上海市公安局下属从事…的事业性科研单位``,
  ``上海市海洋监测预报中心是上海市水务局（上海市海洋局）所属公益一类事业单位``,
  ``西南大学（Southwest University）是教育部直属`` (a ministry: a parent of three characters);
- ``隶属于…``.

The candidate must look like an organ's name (ends in 局, 委员会, 办公室, 部, 院, 中心 …) and
hold none of the words of the glossary sentences that talk about departments in general
("是市级预算主管部门及所属预算单位本年度…"). A parenthesised alias is dropped
(上海市水务局（上海市海洋局） → 上海市水务局). The unit naming itself is not a parent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from extract.read.model import Document, Line

ORGAN_END = r"(?:局|厅|委员会|委|办公室|办|部|院|中心|会|署|处|所|站|队|馆|社|团|联)"
ORGAN = rf"[\u4e00-\u9fa5（）()]{{2,30}}?{ORGAN_END}"
ALIAS_AFTER = r"(?:[（(][^）)]{1,20}[）)])?"
LABELLED = re.compile(rf"(?:主管部门|归口管理部门|主管单位)(?:名称)?\s*[:：\t ]\s*(?P<parent>{ORGAN}){ALIAS_AFTER}"
                      r"(?=[\s，,。；;]|$)")
# the unit may carry its name in another language in brackets: 西南大学（Southwest University）是教育部直属
DESCRIBED = re.compile(rf"(?P<unit>[\u4e00-\u9fa5（）()]{{2,40}}?)(?:[（(][A-Za-z .,'&-]{{2,60}}[）)])?是(?P<parent>{ORGAN})"
                       rf"{ALIAS_AFTER}(?:下属|所属|直属|管理的)")
MINISTRY = re.compile(r"^[\u4e00-\u9fa5]{2}部$")  # 教育部, 财政部: a parent of three characters
BELONGS = re.compile(rf"隶属于(?P<parent>{ORGAN})")
GENERIC_WORDS = re.compile(r"预算|所属|下属|及其|部门及|各级|本级|有关|相关|上述|的")
ALIAS = re.compile(r"[（(][^）)]*[）)]$")
SELF = ("本单位", "本部门", "我单位", "我部门")
LATIN_ALIAS = re.compile(r"[（(][A-Za-z0-9.,'&\- ]+[）)]")


@dataclass(frozen=True)
class ParentDepartment:
    name: str
    page_no: int
    line_no: int
    text: str  # the printed line it was read from

    @property
    def source(self) -> str:
        return f"p{self.page_no} l{self.line_no}: {self.text}"


def _clean(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).replace(" ", "")
    return ALIAS.sub("", folded.replace("(", "（").replace(")", "）"))


MINISTRY = re.compile(r"^[\u4e00-\u9fa5]{2}部$")  # 教育部, 财政部, 水利部: a ministry's name is three characters


def _plausible(candidate: str, unit_name: str | None) -> bool:
    if GENERIC_WORDS.search(candidate) or (len(candidate) < 4 and not MINISTRY.match(candidate)):
        return False
    return not unit_name or _clean(candidate) != _clean(unit_name)


def _subject_is_the_unit(subject: str, unit_name: str | None) -> bool:
    subject = _clean(subject)
    return any(subject.endswith(s) for s in SELF) or bool(unit_name and subject.endswith(_clean(unit_name)))


def _from_line(line: Line, unit_name: str | None) -> str | None:
    text = line.text.strip()
    for match in LABELLED.finditer(text):
        if _plausible(match.group("parent"), unit_name):
            return match.group("parent")
    flat = LATIN_ALIAS.sub("", re.sub(r"\s+", "", text))  # 西南大学（SouthwestUniversity）是教育部直属
    for match in DESCRIBED.finditer(flat):
        if _subject_is_the_unit(match.group("unit"), unit_name) and _plausible(match.group("parent"), unit_name):
            return match.group("parent")
    for match in BELONGS.finditer(flat):
        if _plausible(match.group("parent"), unit_name):
            return match.group("parent")
    return None


def find_parent_department(doc: Document, unit_name: str | None) -> ParentDepartment | None:
    """The first parent department the document states for ``unit_name``, or None."""
    for line in doc.lines():
        parent = _from_line(line, unit_name)
        if parent:
            return ParentDepartment(_clean(parent), line.page_no, line.line_no, line.text.strip()[:200])
    return None
