"""State-owned assets (国有资产占用情况): what a department holds and plans to buy.

Read from the 国有资产 section's prose and from its 固定资产占用情况表:

- prose: "截至2025年12月31日，本部门共有车辆16辆 … 单位价值100万元（含）以上设备0台（套）",
  "固定资产总量为4295.98万元，房屋和构筑物3773.63万元 … 设备335.24万元；家具和用具172.11万元；
  无形资产15万元", "2026年单位预算安排购置车辆2辆 … 单价100万元以上设备0台（套）"; a clause
  about buying (安排/计划/拟购置) and those after it state ``planned_purchase``, one about
  holding (截至, 共有, 现有, 年末, 账上) ``held``; "无购置车辆计划" / "未安排购置…设备" state a
  zero;
- the table (项目 | 数量 | 价值): one row per category, its unit in the header
  ("价值（金额单位：万元）"); a blank or "——" cell is not a zero and stays NULL.

Categories (accountants' terms; GB/T 14885 固定资产分类 for the kinds): ``total`` (固定资产
总额/总量), ``buildings`` (房屋(和构筑物): area in 平方米 or value), ``office_buildings`` (办公用房),
``vehicles`` (车辆/公务用车/机动车, 辆), ``equipment`` (设备, value), ``large_equipment`` (设备 of
unit value above a printed threshold: 单价20万元/50万元/100万元以上, counted in 台（套）; the
threshold is kept), ``furniture`` (家具和用具), ``intangible`` (无形资产), ``other`` (其他固定资产).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.read.model import Line
from extract.parse.records import AssetRecord, provenance
from extract.parse.sections import RunningText
from extract.parse.small_tables import table_after
from reference.vocabulary import MONEY_UNIT, NUMBER, NUMBER_CELL, UNIT_LINE, flat

_Q = r"(?P<q>\d+)"
_V = rf"(?P<v>{NUMBER})(?P<vu>{MONEY_UNIT})"
_THRESHOLD = rf"(?:单价|单位价值)(?:在)?(?P<t>{NUMBER})(?P<tu>{MONEY_UNIT})(?:[（(]含[）)])?以上的?"
_PIECES = r"(?P<qu>台[（(][件、套]+[）)]|台套|台|套|件)"
_AFTER = r"(?:^|(?<=[，,；;、：:。]))"

#: (category, pattern): first match per category and measure wins (totals before breakdowns).
PROSE: tuple[tuple[str, re.Pattern[str]], ...] = tuple((c, re.compile(p)) for c, p in (
    ("vehicles", rf"(?:车辆|公务用车|机动车)(?:共计|共|总数|数量)?(?:为)?{_Q}(?P<qu>辆|台)(?:[、，,]{_V})?"),
    ("large_equipment", rf"{_THRESHOLD}(?:通用|专用|大型)?设备(?:[（(]不含车辆[）)])?(?:共|为)?{_Q}{_PIECES}(?:[、，,]{_V})?"),
    ("total", rf"(?:固定资产|资产)(?:总量|总额|金额|原值|账面价值|合计|总值)(?:为|共|是)?{_V}"),
    ("buildings", rf"房屋(?:和构筑物|及构筑物)?(?:建筑)?(?:面积)?(?:为|共)?(?P<q>{NUMBER})(?P<qu>平方米|㎡|m²)"),
    ("buildings", rf"{_AFTER}房屋(?:和构筑物|及构筑物)?(?:价值|原值)?(?:为)?{_V}"),
    ("office_buildings", rf"办公用房(?:面积)?(?:为|共)?(?P<q>{NUMBER})(?P<qu>平方米|㎡|m²)"),
    ("equipment", rf"{_AFTER}(?:通用|专用)?设备(?:价值|原值)?(?:为)?{_V}"),
    ("furniture", rf"家具(?:和|及)?用具(?:价值|原值)?(?:为)?{_V}"),
    ("intangible", rf"无形资产(?:价值|原值)?(?:为)?{_V}"),
    ("total", rf"拟购置固定资产{_V}"),
))
#: Stated zeros: no purchase planned.
NONE_PLANNED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("vehicles", re.compile(r"无(?:购置)?车辆(?:购置)?计划|未安排(?:购置)?车辆|不安排购置车辆")),
    ("large_equipment", re.compile(rf"未安排购置{_THRESHOLD}(?:的)?(?:大型)?设备")),
)
_PLANNED = re.compile(r"(?:安排|计划|拟)购置|购置计划|新增计划|预算安排|^购置")
_HELD = re.compile(r"截至|截止|共有|现有|占有|年末|账上|年底")
_FOLIO = re.compile(r"^[-—－\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—－\s]*$")


def _clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of running text: split at ，；。 (a comma inside 1,234.5 stays)."""
    spans, start = [], 0
    for m in re.finditer(r"[，；;。]|,(?!\d{3})", text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _record(category: str, measure: str, m: re.Match[str], text: RunningText, offset: int) -> AssetRecord:
    g = m.groupdict()
    where = provenance(text.lines_over(offset + m.start(), offset + m.end()), focus=g.get("q") or g.get("v") or "")
    threshold = f"{g['t']}{g['tu']}" if g.get("t") else ""
    return AssetRecord(category, measure, g.get("q") or "", g.get("qu") or "", g.get("v") or "", g.get("vu") or "",
                       threshold, m.group(0)[:40], where, "narrative")


_VEHICLES_HELD = re.compile(rf"(?:共有|现有|保有)(?:各类)?(?:车辆|公务用车|机动车){_Q}(?P<qu>辆|台)")


def read_asset_prose(sections: Sequence[RunningText], pages: Sequence[RunningText] = ()) -> list[AssetRecord]:
    """Asset figures stated in the 国有资产 sections' prose (see the module docstring); where
    no such section states the vehicles held, a "共有车辆N辆" anywhere (a 三公 explanation)."""
    found: dict[tuple[str, str, str], AssetRecord] = {}
    for section in sections:
        if section.name == "asset":
            _read_section(section, found)
    if ("vehicles", "held", "") not in found:
        for page in pages:
            m = _VEHICLES_HELD.search(page.text)
            if m:
                found[("vehicles", "held", "")] = _record("vehicles", "held", m, page, 0)
                break
    return list(found.values())


def _read_section(section: RunningText, found: dict[tuple[str, str, str], AssetRecord]) -> None:
    text = RunningText("asset")
    for line in section.lines:
        if not _FOLIO.match(line.text):  # a page number between two halves of a sentence
            text.add(line, flat(line.text))
    measure = "held"
    for start, end in _clauses(text.text):
        sentence = text.text[start:end]
        measure = "planned_purchase" if _PLANNED.search(sentence) else "held" if _HELD.search(sentence) else measure
        for category, pattern in PROSE:
            m = pattern.search(sentence)
            if m:
                record = _record(category, measure, m, text, start)
                found.setdefault((category, measure, record.threshold_text), record)
        for category, pattern in NONE_PLANNED:
            m = pattern.search(sentence)
            if m:
                record = _record(category, "planned_purchase", m, text, start)
                record = AssetRecord(category, "planned_purchase", "0", "", "", "", record.threshold_text,
                                     record.label, record.where, "narrative")
                found.setdefault((category, "planned_purchase", record.threshold_text), record)


# ------------------------------------------------------------------ the 固定资产占用情况表

TABLE_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("total", re.compile(r"资产总额|合计|总计")),
    ("office_buildings", re.compile(r"办公用房")),
    ("buildings", re.compile(r"房屋")),
    ("vehicles", re.compile(r"车辆")),
    ("large_equipment", re.compile(r"万元以上的?设备|大型设备")),
    ("equipment", re.compile(r"设备")),
    ("furniture", re.compile(r"家具")),
    ("intangible", re.compile(r"无形资产")),
    ("other", re.compile(r"其他固定资产|其他资产")),
)
_ROW_UNIT = re.compile(r"[（(]\s*([^）)]*?(?:平方米|辆|台|套|件)[^）)]*)\s*[）)]")
_ROW_THRESHOLD = re.compile(rf"(?P<t>{NUMBER})\s*(?P<tu>{MONEY_UNIT})\s*以上")


def read_asset_tables(lines: list[Line]) -> list[AssetRecord]:
    """Quantity and value per category of each 固定资产占用 table (数量 | 价值 columns)."""
    records: list[AssetRecord] = []
    for at, line in enumerate(lines):
        header = [flat(c) for c in line.cells or ()]
        if not (any("数量" in c for c in header) and any("价值" in c for c in header)):
            continue
        unit_match = UNIT_LINE.search("".join(header)) or UNIT_LINE.search(flat(lines[at - 1].text) if at else "")
        unit = unit_match.group(1) if unit_match else "元"
        q_col = next(i for i, c in enumerate(header) if "数量" in c)
        v_col = next(i for i, c in enumerate(header) if "价值" in c)
        for row in table_after(lines, at):
            cells = row.cells or ()
            name = flat(cells[0]) if cells else ""
            category = next((c for c, pattern in TABLE_CATEGORIES if pattern.search(name)), None)
            if category is None:
                continue
            q = flat(cells[q_col]) if q_col < len(cells) else ""
            v = flat(cells[v_col]) if v_col < len(cells) else ""
            q, v = (q if NUMBER_CELL.match(q) else ""), (v if NUMBER_CELL.match(v) else "")
            if not (q or v):
                continue
            threshold = _ROW_THRESHOLD.search(name)
            q_unit = _ROW_UNIT.search(name)
            records.append(AssetRecord(
                category, "held", q, (q_unit.group(1) if q_unit else "") if q else "", v, unit if v else "",
                f"{threshold.group('t')}{threshold.group('tu')}" if threshold and category == "large_equipment" else "",
                cells[0].strip(), provenance(row), "table"))
    return records
