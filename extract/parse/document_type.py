"""Is this document a disclosure at all? Decided by its title, before anything is read.

Documents that mention 部门预算 and a year — a regulation (预算评审管理暂行办法, quoting
国发〔2021〕5号), a 项目支出绩效评价报告, a 部门整体绩效自评表, a 政府信息公开年度报告, a
法治政府建设报告 — are no disclosures, whatever tables they hold: the shared vocabulary
(:func:`~extract.reference.vocabulary.not_a_disclosure`) names what their title calls them,
and the reason says so ("not a budget disclosure: a regulation ('预算评审管理暂行办法')").
"""

from __future__ import annotations

import re

from extract.read.model import Line
from extract.reference.vocabulary import doc_kind, flat, not_a_disclosure
from schemas.errors import DocumentError

_ATTACHMENT_LABEL = re.compile(r"^附件\s*\d*[:：]?$")
TITLE_LINE_MAX = 40


def refuse_not_a_disclosure(title_lines: list[Line]) -> None:
    """Quarantine a document whose title names something that is not a disclosure (a
    regulation, an evaluation or self-evaluation, an information-disclosure or rule-of-law
    report: :func:`~extract.reference.vocabulary.not_a_disclosure`), whatever budget words
    and tables it holds; a disclosure title met first ("2026年…部门预算") settles it."""
    previous = ""
    for line in title_lines:
        text = flat(line.text)
        if len(text) > TITLE_LINE_MAX:
            break
        noun = not_a_disclosure(text)
        if noun:
            title = previous + text if previous and not doc_kind(previous) else text
            raise DocumentError(f"not a budget disclosure: {noun} ('{title}')")
        if doc_kind(text):
            return
        previous = "" if _ATTACHMENT_LABEL.match(text) else text
