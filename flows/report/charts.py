"""The report's charts: Apache ECharts options built from a section's rows, drawn as SVG in the page.

Why ECharts: the report inlines its chart library once, and a partial ECharts build with only
what the report draws (bar and line charts, tooltips, mark lines, the SVG renderer:
``vendor/echarts.min.js``, rebuilt by ``vendor/build.sh``) is about 0.54 MB, half of plotly.js's
smallest partial bundle (plotly.js-basic, 1.1 MB) and a ninth of the full plotly.js (4.9 MB).

Tooltips name the bar or the line and its year (the page adds them) above the exact yuan.
A chart is drawn only where the data carries it: every series has at least two stated points
(a ranking at least two departments, a trend at least two years), else the section shows its
table alone. Value axes start at zero; a trend labels each line's change from its first to its
last year. Amounts are drawn in 万元 rounded to two decimals (drawing and labels only); the
tooltip and the tables carry the exact yuan. A figure a document did not state is never drawn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup

from flows.report.format import WAN, pct, yuan

VENDOR_JS = Path(__file__).with_name("vendor") / "echarts.min.js"
FONT = "'Noto Sans CJK SC','WenQuanYi Zen Hei','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
COLOURS = ["#1f5f8b", "#e07b39", "#5a9e4b", "#b0413e", "#7b5ea7", "#8c6d31", "#3b8ea5", "#c76b98"]
SEVERITY_COLOURS = {"error": "#b0413e", "warning": "#e0a030"}
BAND = (0.7, 1.3)  # the ±30% band of final_account_within_30pct_of_budget
MOST_BARS = 20  # a ranking chart draws the largest 20; the table lists every department
MOST_LINES = 8  # a trend chart draws the 8 largest latest totals; the table lists every department
MOST_RATES = 30  # an execution chart draws the 30 furthest from their budgets
WAN_LABEL = "wan"  # a bar label the page writes as 万元 with two decimals and thousands separators


@dataclass(frozen=True)
class Chart:
    """One chart: its element id, kind, height in px and ECharts option."""

    chart_id: str
    kind: str
    height: int
    option: dict


def echarts_js() -> Markup:
    """The partial ECharts bundle, to inline in the page once (no CDN)."""
    return Markup(VENDOR_JS.read_text("utf-8"))


def options_json(charts: list[Chart]) -> Markup:
    """``{chart_id: option}`` as JSON safe inside a ``<script>`` element."""
    text = json.dumps({c.chart_id: c.option for c in charts}, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("</", "<\\/"))


def _wan2(value: Decimal | None) -> float | None:
    """万元 rounded to two decimals, for drawing."""
    return None if value is None else round(float(Decimal(value) / WAN), 2)


def _base(*, left_labels: bool) -> dict:
    return {"textStyle": {"fontFamily": FONT}, "animation": False, "color": COLOURS,
            "grid": {"left": 8, "right": 70 if left_labels else 150, "top": 28, "bottom": 24, "containLabel": True},
            "tooltip": {"trigger": "item", "confine": True}}


def ranking_chart(chart_id: str, title: str, rows: list[dict]) -> Chart | None:
    """支出总计 of one year's departments of one category and level, largest on top, in 万元 from zero.
    ``rows``: ranked rows (``rank``, ``label``, ``value_yuan``, ``share``); None when fewer than two
    departments state the figure."""
    stated = [r for r in rows if r["value_yuan"] is not None and r["rank"] is not None]
    if len(stated) < 2:
        return None
    shown = sorted(stated, key=lambda r: r["rank"])[:MOST_BARS]
    data = [{"value": _wan2(r["value_yuan"]), "tip": f"支出总计 {yuan(r['value_yuan'])} 元\n第 {r['rank']} 名 · 占 "
                                                      f"{pct(r['share'])}"} for r in shown]
    height = 60 + 22 * len(shown)
    option = _base(left_labels=True) | {
        "xAxis": {"type": "value", "min": 0, "name": "万元", "nameGap": 6, "position": "top"},
        "yAxis": {"type": "category", "inverse": True, "data": [r["label"] for r in shown],
                  "axisLabel": {"width": 260, "overflow": "truncate"}},
        "series": [{"type": "bar", "name": title, "data": data, "barMaxWidth": 16,
                    "label": {"show": True, "position": "right", "formatter": WAN_LABEL}}],
    }
    return Chart(chart_id, "ranking", height, option)


def trend_chart(chart_id: str, lines: list[dict]) -> Chart | None:
    """“三公”经费合计 of each region's departments of one category and level over the years, from zero, each line labelled with its change
    from its first to its last stated year. ``lines``: ``{"label", "points": [(year, yuan)…]}``
    (stated years only); lines of fewer than two years are not drawn (None if none is left)."""
    drawn = [line for line in lines if len(line["points"]) >= 2]
    if not drawn:
        return None
    drawn = sorted(drawn, key=lambda line: -line["points"][-1][1])[:MOST_LINES]
    years = sorted({year for line in drawn for year, _ in line["points"]})
    series = []
    for line in drawn:
        by_year = dict(line["points"])
        first, last = line["points"][0][1], line["points"][-1][1]
        change = f"{(last - first) / first:+.2%}" if first else "—"
        series.append({"type": "line", "name": line["label"], "connectNulls": True, "symbolSize": 6,
                       "endLabel": {"show": True, "formatter": f"{line['label']} {change}"},
                       "labelLayout": {"moveOverlap": "shiftY"},
                       "data": [None if by_year.get(y) is None else
                                {"value": _wan2(by_year[y]), "tip": f"“三公”经费合计 {yuan(by_year[y])} 元"}
                                for y in years]})
    option = _base(left_labels=False) | {
        "xAxis": {"type": "category", "data": [str(y) for y in years], "name": "年度"},
        "yAxis": {"type": "value", "min": 0, "name": "万元"},
        "series": series,
    }
    return Chart(chart_id, "trend", 320, option)


def execution_chart(chart_id: str, rows: list[dict]) -> Chart | None:
    """Execution rate (决算 ÷ 预算, %) of the final accounts furthest from their budgets, from zero,
    with lines at 70 %, 100 % and 130 % (the rule's band); None when fewer than two rates."""
    rated = [r for r in rows if r["execution_rate"] is not None]
    if len(rated) < 2:
        return None
    shown = rated[:MOST_RATES]
    data = [{"value": round(float(r["execution_rate"]) * 100, 2),
             "itemStyle": {"color": COLOURS[0] if BAND[0] <= float(r["execution_rate"]) <= BAND[1] else COLOURS[3]},
             "tip": f"预算 {yuan(r['budget_expenditure_yuan'])} 元\n决算 {yuan(r['final_expenditure_yuan'])} 元\n"
                    f"执行率 {pct(r['execution_rate'])}"} for r in shown]
    height = 70 + 22 * len(shown)
    option = _base(left_labels=True) | {
        "xAxis": {"type": "value", "min": 0, "name": "执行率 %", "position": "top"},
        "yAxis": {"type": "category", "inverse": True, "data": [f"{r['label']} {r['fiscal_year']}" for r in shown],
                  "axisLabel": {"width": 300, "overflow": "truncate"}},
        "series": [{"type": "bar", "name": "执行率", "data": data, "barMaxWidth": 14,
                    "label": {"show": True, "position": "right", "formatter": "{c}%"},
                    "markLine": {"symbol": "none", "silent": True, "label": {"formatter": "{c}%"},
                                 "lineStyle": {"color": "#888"},
                                 "data": [{"xAxis": 70}, {"xAxis": 100}, {"xAxis": 130}]}}],
    }
    return Chart(chart_id, "execution", height, option)


def quality_chart(chart_id: str, by_rule: list[dict]) -> Chart | None:
    """Failed results per rule, coloured by severity; None when fewer than two rules fail."""
    failing = sorted([r for r in by_rule if r["failed"]], key=lambda r: -r["failed"])
    if len(failing) < 2:
        return None
    data = [{"value": r["failed"], "itemStyle": {"color": SEVERITY_COLOURS.get(r["severity"], COLOURS[0])},
             "tip": f"{r['severity']}: {r['failed']} failed"} for r in failing]
    height = 60 + 22 * len(failing)
    option = _base(left_labels=True) | {
        "xAxis": {"type": "value", "min": 0, "name": "未通过 failed", "minInterval": 1, "position": "top"},
        "yAxis": {"type": "category", "inverse": True, "data": [r["rule_code"] for r in failing]},
        "series": [{"type": "bar", "name": "failed", "data": data, "barMaxWidth": 14,
                    "label": {"show": True, "position": "right"}}],
    }
    return Chart(chart_id, "quality", height, option)


__all__ = ["BAND", "Chart", "echarts_js", "execution_chart", "options_json", "quality_chart", "ranking_chart",
           "trend_chart"]
