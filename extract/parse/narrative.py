"""Figures stated in the narrative (情况说明): the one narrative reader.

Runs the statement rules of :mod:`extract.parse.narrative_rules` over the document's
running text: first the page-scope rules (the 决算 outturn rules first in a final
account), where the first statement in reading order wins because summaries come
before details; then the section-scope rules, which fill what the page rules did not
read and add changes and percentages. Figures are kept as printed; a narrative that
contradicts a table is not corrected. Directions (增加/减少) become a sign on the
printed text so the transform never has to re-read the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extract.parse import narrative_pairs as pairs
from extract.parse.narrative_guards import judge
from extract.parse.narrative_rules import (
    FINAL_RULES, NEGATIVE, NO_OPERATING, NO_PROCUREMENT, PAGE_RULES, SECTION_RULES, Rule,
)
from extract.parse.records import AmountRecord, Provenance, provenance
from extract.parse.sections import RunningText
from reference.vocabulary import MONEY_UNIT, count_digits

_MONEY = set(MONEY_UNIT.split("|")) | {"万"}


def _signed(text: str, direction: str | None) -> str:
    if direction in NEGATIVE and text.strip("0.．０") != "":
        return "-" + text
    return text


def _records(rule: Rule, text: RunningText, match: re.Match[str], label: str) -> list[AmountRecord]:
    """The figure (and percentage) one statement makes, with where it was printed; the
    label is the statement's words as matched."""
    groups = match.groupdict()
    where = provenance(text.lines_over(match.start(), match.end()), focus=groups.get("num") or "")
    records: list[AmountRecord] = []
    direction = groups.get("dir")
    if groups.get("num") is not None:
        unit = groups["unit"] if groups["unit"] in _MONEY else ""  # a count (3辆) has no money unit
        unit = "万元" if unit == "万" else unit
        number = groups["num"] if unit else count_digits(groups["num"])  # "四个项目" counts 4
        records.append(AmountRecord(rule.statement, rule.item, _signed(number, direction), unit, where,
                                    label=label, column=rule.column))
    elif direction == "持平":
        records.append(AmountRecord(rule.statement, rule.item, "0", "元", where, label=label))
    if groups.get("pct") is not None:
        pct_direction = groups.get("pdir") or direction
        records.append(AmountRecord(rule.statement, rule.item, _signed(groups["pct"], pct_direction), "%", where,
                                    label=label, column="pct"))
    elif direction == "持平" and rule.statement == "change":
        records.append(AmountRecord(rule.statement, rule.item, "0", "%", where, label=label, column="pct"))
    return records


def _scoped(record: AmountRecord, scope: str) -> AmountRecord:
    """A statement's figure marked with what it is of (一般公共预算, 财政拨款, 本级) where not the department's
    whole: its ``key``, so that a rule compares it only with a figure of the same scope."""
    return replace(record, key=scope) if scope else record


@dataclass(frozen=True)
class Reading:
    """What the page pass knows of the document: its fiscal year and whether it is a 决算."""

    fiscal_year: int | None = None
    final_account: bool = False


def _first_own(rule: Rule, pages: list[RunningText], reading: Reading) -> AmountRecord | None:
    """The first statement of ``rule`` that is this field's own figure (:mod:`extract.parse.narrative_guards`):
    one naming another year only when none names the fiscal year; a final account's outturn, not its budget."""
    fallback: AmountRecord | None = None
    for page in pages:
        for match in rule.pattern.finditer(page.text):
            verdict = judge(rule.statement, rule.item, page.text, match, fiscal_year=reading.fiscal_year,
                            final_account=reading.final_account)
            if verdict.skip:
                continue
            record = _scoped(_records(rule, page, match, match.group(0)[:40])[0], verdict.scope)
            if verdict.actual is not None:
                number, unit, at = verdict.actual
                where = provenance(page.lines_over(match.start(), at + len(number)), focus=number)
                return replace(record, amount_text=number, unit=unit, where=where)
            if not verdict.fallback:
                return record
            fallback = fallback or record
    return fallback


def _page_pass(rules: tuple[Rule, ...], pages: list[RunningText], found: dict, reading: Reading) -> None:
    """Per (statement, item), the first statement on any page that is the field's own figure."""
    for rule in rules:
        if (rule.statement, rule.item) in found:
            continue
        record = _first_own(rule, pages, reading)
        if record is not None:
            found[(rule.statement, rule.item)] = record


def _several_at_once(pages: list[RunningText], lines, found: dict) -> None:
    """Statements that give several fields at once (:mod:`extract.parse.narrative_pairs`), read
    before the one-label rules so that 分别为 and paired totals are never half-read."""
    for page in pages:
        for record in (*pairs.respectively(page), *pairs.paired_totals(page), *pairs.no_three_public(page)):
            found.setdefault((record.statement, record.item), record)
    for record in pairs.cell_lines(lines):
        found.setdefault((record.statement, record.item), record)


def _stated_zero(pattern: re.Pattern[str], texts: list[RunningText], statement: str) -> AmountRecord | None:
    """'本单位无机关运行经费' / '无政府采购项目' state a zero, not a missing figure."""
    for text in texts:
        match = pattern.search(text.text)
        if match:
            where = provenance(text.lines_over(match.start(), match.end()))
            return AmountRecord(statement, "total", "0", "元", where, label=match.group(0))
    return None


def _sentence(text: str, match: re.Match[str]) -> str:
    """The sentence (between full stops) a statement is made in."""
    start = text.rfind("。", 0, match.start()) + 1
    end = text.find("。", match.end())
    return text[start : end if end >= 0 else len(text)]


_JUDGED = {"revenue", "expenditure", "three_public", "operating_expenses"}


def _section_pass(sections: list[RunningText], stated_years: list[tuple[int, Provenance]],
                  reading: Reading) -> list[AmountRecord]:
    """Per (statement, item, column), the first statement made in a section where it belongs
    that is the field's own (the guards of :mod:`extract.parse.narrative_guards`; a statement
    naming another year is kept here, where the stated-year rule reports it)."""
    found: dict[tuple[str, str, str], AmountRecord] = {}
    for section in sections:
        for rule in SECTION_RULES:
            if section.name not in rule.sections:
                continue
            for match in rule.pattern.finditer(section.text):
                if rule.sentence is not None and not rule.sentence.search(_sentence(section.text, match)):
                    continue
                verdict = judge(rule.statement, rule.item, section.text, match, fiscal_year=reading.fiscal_year,
                                final_account=reading.final_account) if rule.statement in _JUDGED else None
                if verdict is not None and (verdict.skip or verdict.actual is not None):
                    continue
                records = [_scoped(r, verdict.scope if verdict else "") for r in
                           _records(rule, section, match, match.group(0)[:40])]
                if not records:
                    continue
                for record in records:
                    found.setdefault((record.statement, record.item, record.column), record)
                if match.groupdict().get("year"):
                    stated_years.append((int(match.group("year")), records[0].where))
                break
        if section.name == "procurement" and ("procurement", "total", "amount") not in found:
            zero = _stated_zero(NO_PROCUREMENT, [section], "procurement")
            if zero is not None:
                found[("procurement", "total", "amount")] = zero
    return list(found.values())


def read_narrative(pages: list[RunningText], sections: list[RunningText], final_account: bool,
                   fiscal_year: int | None = None, lines=()) -> tuple[list[AmountRecord], list[tuple[int, Provenance]]]:
    """Narrative records (statements of several fields, then page-scope statements, then
    section-scope ones and the sources a revenue total breaks down into) and the years stated
    beside a total ("2020年预算收入"), each with its provenance. ``lines``: the document's lines,
    for a table printed one cell per line."""
    found: dict[tuple[str, str], AmountRecord] = {}
    reading = Reading(fiscal_year, final_account)
    _several_at_once(pages, list(lines), found)
    if final_account:
        _page_pass(FINAL_RULES, pages, found, reading)
    _page_pass(PAGE_RULES, pages, found, reading)
    for record in (r for page in pages for r in pairs.headed(page)):
        found.setdefault((record.statement, record.item), record)
    if ("operating_expenses", "total") not in found:
        zero = _stated_zero(NO_OPERATING, pages, "operating_expenses")
        if zero is not None:
            found[("operating_expenses", "total")] = zero
    stated_years: list[tuple[int, Provenance]] = []
    sources = [record for page in pages for record in pairs.breakdown(page)]
    return list(found.values()) + _section_pass(sections, stated_years, reading) + sources, stated_years
