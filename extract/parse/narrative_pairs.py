"""Statements that give several fields at once, which one-label rules cannot read right.

- ``分别为``: "基本支出和项目支出分别为60万元和40万元" fills both, in order (one amount for
  two fields without 分别 fills neither: :mod:`extract.parse.narrative_guards`);
- paired totals: "收、支总计各是4125.49,4143.91万元" (the unit printed once, after the last), "收、支
  总计均为4680.58万元" (one figure for both);
- a breakdown: "本年收入合计3765.66万元,其中:一般公共预算财政拨款收入1008.64万元,…事业收入
  2148.69万元,其他收入2.34万元" — the sources listed after a revenue total, wherever it is
  said (no 收入 heading needed);
- no 三公 in words: "我单位无“三公”经费的预算与支出" states 0 for the total and each part;
- a table printed one cell per line ("收入总计 |" / "690.36 |"), under its 单位：万元 line;
- a heading that names the field, its figure in the sentence after it ("(二)项目支出:2018年
  年初预算…经费22.00万元。", "(二)支出预算:2026年年初预算数3,009.40万元,其中:…") — taken only
  when that sentence (or its clause before 其中) states exactly one amount.

Each returns :class:`~extract.parse.records.AmountRecord` s with provenance, figures as printed.
"""

from __future__ import annotations

import re

from extract.parse.records import AmountRecord, provenance
from extract.parse.sections import RunningText
from extract.read.model import Line
from reference.vocabulary import (
    MONEY_UNIT, NUMBER_CELL, SIGNED_NUMBER, THREE_PUBLIC_ABROAD, THREE_PUBLIC_OPERATION, THREE_PUBLIC_PURCHASE,
    THREE_PUBLIC_RECEPTION, UNIT_LINE, flat,
)

_N = SIGNED_NUMBER
_SEP = r"[和与及、,，]"
#: Labels a 分别为 statement lists, as (statement, item, pattern).
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("expenditure", "basic", r"基本支出"),
    ("expenditure", "project", r"项目支出"),
    ("revenue", "total", r"收入(?:预算)?(?:总计|总额|合计)?"),
    ("expenditure", "total", r"支出(?:预算)?(?:总计|总额|合计)?"),
    ("three_public", "abroad", THREE_PUBLIC_ABROAD),
    ("three_public", "reception", THREE_PUBLIC_RECEPTION),
    ("three_public", "vehicle_purchase", THREE_PUBLIC_PURCHASE),
    ("three_public", "vehicle_operation", THREE_PUBLIC_OPERATION),
)
_LABEL = "|".join(f"(?:{p})" for _, _, p in FIELDS)
_RESPECTIVELY = re.compile(
    rf"(?P<labels>(?:{_LABEL})(?:{_SEP}(?:{_LABEL})){{1,3}})(?:预算)?(?:数)?(?:分别为|分别是|各为|各是|分别)"
    rf"(?P<amounts>{_N}(?:{MONEY_UNIT})?(?:{_SEP}{_N}(?:{MONEY_UNIT})?){{1,3}})"
)
_LISTED = re.compile(rf"(?P<num>{_N})(?P<unit>{MONEY_UNIT})?")  # one figure of a 分别为 list
_PAIRED_TOTALS = re.compile(
    rf"收(?:入)?、?支(?:出)?(?:预算)?(?:总计|总额|合计)(?:各(?:是|为)(?P<a>{_N})(?P<ua>{MONEY_UNIT})?{_SEP}(?P<b>{_N})(?P<ub>{MONEY_UNIT})"
    rf"|均为(?P<both>{_N})(?P<unit>{MONEY_UNIT}))"
)
#: Sources a breakdown lists after a revenue total ("其中:…").
SOURCES: tuple[tuple[str, str], ...] = (
    ("general_budget", r"一般公共预算(?:财政)?(?:拨款)?(?:收入)?"),
    ("gov_fund", r"(?:政府性)?基金预算(?:财政)?(?:拨款)?(?:收入)?"),
    ("state_capital", r"国有资本经营预算(?:财政)?(?:拨款)?(?:收入)?"),
    ("special_account", r"财政专户(?:管理资金|核拨)?(?:收入)?"),
    ("operating_income", r"事业收入"),
    ("business_income", r"(?:事业单位)?经营收入"),
    ("superior_subsidy", r"上级补助收入"),
    ("subordinate_remit", r"附属单位上缴收入"),
    ("other", r"其他(?:来源)?收入"),
)
_REVENUE_HEAD = re.compile(rf"(?:本年|当年)?(?:预算)?收入(?:预算)?(?:合计|总计|总额)?(?:为|是)?{_N}(?:{MONEY_UNIT})[,，]?其中[:：]?")
_SOURCE = re.compile("(?:" + "|".join(f"(?P<{item}>{pattern})" for item, pattern in SOURCES) + ")"
                     + rf"(?:为|是)?(?P<num>{_N})(?P<unit>{MONEY_UNIT})")
_NO_THREE_PUBLIC = re.compile(r"(?:无|没有|未发生|不存在)(?:任何)?(?:一般公共预算)?(?:财政拨款)?三公经费")
THREE_PUBLIC_PARTS = ("total", "abroad", "vehicle_purchase", "vehicle_operation", "reception")


def _field(label: str) -> tuple[str, str] | None:
    for statement, item, pattern in FIELDS:
        if re.fullmatch(pattern, label):
            return statement, item
    return None


def respectively(page: RunningText) -> list[AmountRecord]:
    """Fields listed with 分别为 and their amounts in order; nothing when the counts differ."""
    out: list[AmountRecord] = []
    for m in _RESPECTIVELY.finditer(page.text):
        labels = re.findall(_LABEL, m.group("labels"))
        fields = [_field(label) for label in labels]
        amounts = list(_LISTED.finditer(m.group("amounts")))
        units = [a.group("unit") for a in amounts]
        last_unit = next((u for u in reversed(units) if u), None)
        if len(fields) != len(amounts) or None in fields or last_unit is None:
            continue
        where = provenance(page.lines_over(m.start(), m.end()), focus=amounts[0].group("num"))
        for (statement, item), amount in zip(fields, amounts):
            out.append(AmountRecord(statement, item, amount.group("num"), amount.group("unit") or last_unit, where,
                                    label=m.group(0)[:40]))
    return out


def paired_totals(page: RunningText) -> list[AmountRecord]:
    """收、支总计各是A,B万元: the revenue and the expenditure grand totals."""
    m = _PAIRED_TOTALS.search(page.text)
    if m is None:
        return []
    where = provenance(page.lines_over(m.start(), m.end()), focus=m.group("a") or m.group("both"))
    if m.group("both"):  # 收、支总计均为4680.58万元
        return [AmountRecord(side, "total", m.group("both"), m.group("unit"), where, label=m.group(0)[:40])
                for side in ("revenue", "expenditure")]
    return [AmountRecord("revenue", "total", m.group("a"), m.group("ua") or m.group("ub"), where, label=m.group(0)[:40]),
            AmountRecord("expenditure", "total", m.group("b"), m.group("ub"), where, label=m.group(0)[:40])]


def breakdown(page: RunningText) -> list[AmountRecord]:
    """The revenue sources a "收入…合计A，其中：…" statement lists, up to the end of its sentence."""
    out: list[AmountRecord] = []
    for head in _REVENUE_HEAD.finditer(page.text):
        stop = page.text.find("。", head.end())
        end = stop if stop >= 0 else len(page.text)
        for m in _SOURCE.finditer(page.text, head.end(), end):
            item = next(name for name, _ in SOURCES if m.group(name))
            where = provenance(page.lines_over(m.start(), m.end()), focus=m.group("num"))
            out.append(AmountRecord("revenue", item, m.group("num"), m.group("unit"), where, label=m.group(0)[:40]))
    return out


def no_three_public(page: RunningText) -> list[AmountRecord]:
    """无“三公”经费: 0 for the total and each part."""
    m = _NO_THREE_PUBLIC.search(page.text)
    if m is None:
        return []
    where = provenance(page.lines_over(m.start(), m.end()))
    return [AmountRecord("three_public", item, "0", "元", where, label=m.group(0)) for item in THREE_PUBLIC_PARTS]


_CELL_LABELS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("revenue", "total", re.compile(r"^(?:收入总计|收入合计)$")),
    ("revenue", "this_year", re.compile(r"^(?:本年|当年)收入(?:合计|小计)$")),
    ("expenditure", "total", re.compile(r"^(?:支出总计|支出合计)$")),
    ("expenditure", "this_year", re.compile(r"^(?:本年|当年)支出(?:合计|小计)$")),
    ("expenditure", "basic", re.compile(r"^基本支出$")),
    ("expenditure", "project", re.compile(r"^项目支出$")),
)


def cell_lines(lines: list[Line]) -> list[AmountRecord]:
    """A table printed one cell per line: a label line (收入总计 |) followed by its figure
    line (690.36 |), in the unit of the last 单位：… line above."""
    out: list[AmountRecord] = []
    unit = None
    cells = [(line, flat(line.text).strip("|｜")) for line in lines if not line.is_table_row]
    for (line, text), (after, figure) in zip(cells, cells[1:]):
        found = UNIT_LINE.search(text)
        if found:
            unit = found.group(1)
            continue
        if unit is None or not NUMBER_CELL.match(figure):
            continue
        for statement, item, pattern in _CELL_LABELS:
            if pattern.match(text):
                out.append(AmountRecord(statement, item, figure, unit, provenance([line, after]), source="table",
                                        label=text))
    return out


_HEADED = re.compile(r"(?:[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}、)"
                     r"(?P<label>项目支出|基本支出|支出预算|收入预算|支出总计|收入总计|支出决算|收入决算)(?:情况)?[:：]")
_HEADED_FIELDS = {"项目支出": ("expenditure", "project"), "基本支出": ("expenditure", "basic"),
                  "支出预算": ("expenditure", "total"), "支出总计": ("expenditure", "total"),
                  "支出决算": ("expenditure", "total"), "收入预算": ("revenue", "total"),
                  "收入总计": ("revenue", "total"), "收入决算": ("revenue", "total")}
_LIST_START = re.compile(r"^(?:\d{1,2}[.、．]|[（(]\d|[一二三四五六七八九十]是)")
_MONEY = re.compile(rf"(?P<num>{_N})(?P<unit>{MONEY_UNIT})")
_BEFORE_PARTS = re.compile(r"(?P<first>[^,，]*)[,，]其中")


def headed(page: RunningText) -> list[AmountRecord]:
    """A field's heading and the one amount the sentence after it states (see the module docstring)."""
    out: list[AmountRecord] = []
    for m in _HEADED.finditer(page.text):
        stop = page.text.find("。", m.end())
        sentence = page.text[m.end() : stop if stop >= 0 else len(page.text)]
        if _LIST_START.match(sentence):
            continue
        amounts = list(_MONEY.finditer(sentence))
        if len(amounts) != 1:
            clause = _BEFORE_PARTS.match(sentence)
            amounts = list(_MONEY.finditer(clause.group("first"))) if clause else []
            if len(amounts) != 1:
                continue
        amount = amounts[0]
        statement, item = _HEADED_FIELDS[m.group("label")]
        start = m.end() + amount.start()
        where = provenance(page.lines_over(m.start(), start + len(amount.group(0))), focus=amount.group("num"))
        out.append(AmountRecord(statement, item, amount.group("num"), amount.group("unit"), where,
                                label=(m.group(0) + sentence[: amount.end()])[:40]))
    return out
