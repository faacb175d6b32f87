"""The report as one self-contained HTML page: sections built from :class:`ReportData`
(:mod:`flows.report.sections`), a Jinja2 template (``report.html.j2`` beside this module), the
partial ECharts bundle inlined once, the charts' options and the linked documents as JSON, no
request to anything.

Sections: 部门支出比较 (the one ranking, per category and level), “三公”经费趋势 (each department over
the years), 预算执行 (final account against budget), 公开情况 (coverage matrix) and 数据质量
(data-quality summary with each failure linked to its documents and pages). A level selector
shows one level at a time.
"""

from __future__ import annotations

import json
from itertools import count

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from flows.report.charts import WAN_LABEL, echarts_js, options_json
from flows.report.data import ReportData
from flows.report.format import NOT_STATED, exact, pct, plain, wan, yuan
from flows.report.table_rows import TableRows
from flows.report.sections import (
    BODY_LABELS, KIND_LABELS, LEVEL_LABELS, STATUS_SYMBOLS, category_sections, coverage_section, execution_section,
    quality_section, three_public_sections,
)
from schemas.vocabulary import ADMIN_LEVELS
from transform.rules.catalogue import CATALOGUE

STATUS_LABELS = {"read": "已读取 read", "seen_only": "仅发现无数据 seen-only", "found": "已发现未读取 found",
                 "missing": "缺失 missing"}
# rules whose expected/actual are counts or years, not yuan (tolerance kind "exact": a yes/no finding)
NOT_MONEY = {rule.code for rule in CATALOGUE if rule.tolerance == "exact"}
ROLE_LABELS = {"this_year": "本年 this year", "last_year": "上年 last year", "budget": "预算 budget",
               "final_account": "决算 final account", "department": "部门 department", "unit": "单位 unit",
               "neighbour": "相邻年度 neighbouring year"}


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("flows.report", "."), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(yuan=yuan, wan=wan, pct=pct, plain=plain, exact=exact)
    env.globals.update(NOT_STATED=NOT_STATED, STATUS_SYMBOLS=STATUS_SYMBOLS, STATUS_LABELS=STATUS_LABELS,
                       STATUS_CLASSES={"read": "r", "seen_only": "s", "found": "f", "missing": "m"}, WAN_LABEL=WAN_LABEL,
                       KIND_LABELS=KIND_LABELS, ROLE_LABELS=ROLE_LABELS, LEVEL_LABELS=LEVEL_LABELS,
                       BODY_LABELS=BODY_LABELS)
    return env


def _levels(*sections: list[dict]) -> list[tuple[str, str]]:
    """(value, label) of the levels the sections show, national first."""
    present = {g["level"] for section in sections for s in section for g in s.get("groups", [])}
    return [(level, LEVEL_LABELS[level]) for level in ADMIN_LEVELS if level in present] + (
        [("unknown", LEVEL_LABELS[None])] if "unknown" in present else [])


def render(data: ReportData) -> str:
    """The whole page as one string (UTF-8 when written)."""
    ids = (f"chart-{n}" for n in count(1))
    charts: list = []
    tables = TableRows()
    categories = category_sections(data, ids, charts, tables)
    three_public = three_public_sections(data, ids, charts, tables)
    execution = execution_section(data, ids, charts)
    quality = quality_section(data, ids, charts, NOT_MONEY)
    context = {
        "data": data, "echarts_js": echarts_js(), "charts_json": options_json(charts), "tables_json": tables.json(),
        "categories": categories, "three_public": three_public, "execution": execution,
        "coverage": coverage_section(data), "quality": quality,
        "levels": _levels(categories, three_public, [execution]),
        "documents_json": Markup(json.dumps(data.links.folded(), ensure_ascii=False, separators=(",", ":"))
                                 .replace("</", "<\\/")),
    }
    return _environment().get_template("report.html.j2").render(**context)
