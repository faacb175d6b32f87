"""The report's charts, drawn by plotly.js from figures built with plotly's Python API.

Each function takes a section's rows (exact ``Decimal`` yuan, nulls for figures not stated)
and returns a :class:`Chart`: a ``<div>`` and the ``Plotly.newPlot`` call that draws it into
SVG, with no script source of its own (the report inlines plotly.js once,
:func:`plotly_js`). A figure not stated is left out of a chart (no bar, no point), never drawn
as 0. Amounts are plotted in 万元 as floats for drawing only; the hover text and the
tables carry the exact yuan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from flows.report.format import pct, region_labels, wan_float, yuan

FONT = "'Noto Sans CJK SC','WenQuanYi Zen Hei','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
COLOURS = ["#1f5f8b", "#e07b39", "#5a9e4b", "#b0413e", "#7b5ea7", "#8c6d31", "#3b8ea5", "#c76b98"]
STATUS_COLOURS = {"read": "#2e7d32", "seen_only": "#f9a825", "found": "#1565c0", "missing": "#c62828"}
STATUS_LABELS = {"read": "已读取 read", "seen_only": "仅发现无数据 seen-only", "found": "已发现未读取 found",
                 "missing": "缺失 missing"}
SEVERITY_COLOURS = {"error": "#b0413e", "warning": "#e0a030"}
MARKERS = ["diamond", "circle", "square", "triangle-up", "x"]
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
BAND = (0.7, 1.3)  # the ±30% band of final_account_within_30pct_of_budget


@dataclass(frozen=True)
class Chart:
    """One drawn chart: its element id, kind, and the HTML (a div and its newPlot call)."""

    chart_id: str
    kind: str
    html: Markup


def plotly_js() -> Markup:
    """plotly.js as shipped inside the ``plotly`` package, to inline in the page (no CDN)."""
    return Markup(get_plotlyjs())


def _layout(fig: go.Figure, *, height: int, x_title: str = "", y_title: str = "", legend: bool = True) -> None:
    fig.update_layout(
        template="none", height=height, font={"family": FONT, "size": 12, "color": "#222"}, colorway=COLOURS,
        paper_bgcolor="white", plot_bgcolor="white", margin={"l": 10, "r": 20, "t": 36, "b": 48},
        showlegend=legend, legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(title_text=x_title, gridcolor="#e6e6e6", zeroline=False, automargin=True)
    fig.update_yaxes(title_text=y_title, gridcolor="#e6e6e6", zeroline=False, automargin=True)


def _chart(fig: go.Figure, chart_id: str, kind: str) -> Chart:
    height = fig.layout.height or 400
    html = pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=chart_id, config=CONFIG,
                       default_width="100%", default_height=f"{height}px", validate=False)
    return Chart(chart_id, kind, Markup(html))


def category_chart(chart_id: str, category: str, rows: pl.DataFrame) -> Chart:
    """支出总计 per region of one category: a bar for the latest year, a marker for each earlier year;
    regions in the order of the latest year's rank (largest on top), then the others."""
    order = rows.sort(["fiscal_year", "rank_in_category", "region_code"], descending=[True, False, False],
                      nulls_last=True)["region_code"].unique(maintain_order=True).to_list()
    labels = region_labels(rows)
    years = sorted(rows["fiscal_year"].unique().to_list(), reverse=True)
    fig = go.Figure()
    for k, year in enumerate(years):
        stated = rows.filter((pl.col("fiscal_year") == year) & pl.col("expenditure_total_yuan").is_not_null())
        points = dict(
            name=str(year), y=[labels[c] for c in stated["region_code"]],
            x=[wan_float(v) for v in stated["expenditure_total_yuan"]],
            customdata=[[yuan(r["expenditure_total_yuan"]), r["rank_in_category"], pct(r["share_of_category_total"]),
                         r["department_names"] or ""] for r in stated.iter_rows(named=True)],
            hovertemplate=("%{y} · %{fullData.name}<br>%{customdata[3]}<br>支出总计 %{customdata[0]} 元"
                           "<br>第 %{customdata[1]} 名 · 占 %{customdata[2]}<extra></extra>"),
        )
        if k == 0:
            fig.add_bar(orientation="h", marker={"color": COLOURS[0]}, **points)
        else:
            fig.add_scatter(mode="markers", marker={"color": COLOURS[k % len(COLOURS)], "size": 7,
                                                    "symbol": MARKERS[(k - 1) % len(MARKERS)]}, **points)
    _layout(fig, height=max(200, 80 + 17 * len(order)), x_title=f"{category} · 支出总计（万元）")
    fig.update_layout(bargap=0.35)
    fig.update_xaxes(side="top")
    fig.update_yaxes(categoryorder="array", categoryarray=[labels[c] for c in reversed(order)], gridcolor=None)
    fig.update_layout(legend={"y": -0.02, "yanchor": "top"}, margin={"t": 48, "b": 30})
    return _chart(fig, chart_id, "category")


def three_public_chart(chart_id: str, category: str, rows: pl.DataFrame) -> Chart:
    """“三公”经费合计 per region over the years, one line per region (largest latest total first)."""
    latest = rows.sort(["fiscal_year", "total_yuan"], descending=True, nulls_last=True)
    order = latest["region_code"].unique(maintain_order=True).to_list()
    labels = region_labels(rows)
    fig = go.Figure()
    for code in order:
        stated = rows.filter((pl.col("region_code") == code) & pl.col("total_yuan").is_not_null()).sort("fiscal_year")
        if stated.is_empty():
            continue
        fig.add_scatter(
            name=labels[code], x=stated["fiscal_year"].to_list(), y=[wan_float(v) for v in stated["total_yuan"]],
            mode="lines+markers", marker={"size": 7 if len(order) <= 12 else 5},
            line={"width": 2 if len(order) <= 12 else 1.2},
            customdata=[[yuan(r["abroad_yuan"]), yuan(r["vehicle_yuan"]), yuan(r["reception_yuan"]),
                         yuan(r["total_yuan"]), pct(r["yoy_pct"], points=True)] for r in stated.iter_rows(named=True)],
            hovertemplate=("%{fullData.name} · %{x}<br>合计 %{customdata[3]} 元（同比 %{customdata[4]}）"
                           "<br>因公出国（境）费 %{customdata[0]}<br>公务用车购置及运行费 %{customdata[1]}"
                           "<br>公务接待费 %{customdata[2]}<extra></extra>"),
        )
    _layout(fig, height=360, x_title="年度 fiscal year", y_title="“三公”经费合计（万元）", legend=len(order) <= 20)
    fig.update_xaxes(dtick=1, tickformat="d")
    return _chart(fig, chart_id, "three_public")


def execution_chart(chart_id: str, rows: pl.DataFrame) -> Chart:
    """Final account against budget (万元, log scales: a zero is listed in the table, not drawn);
    the lines are 100 % and the ±30 % band."""
    both = rows.filter((pl.col("budget_expenditure_yuan") > 0) & (pl.col("final_expenditure_yuan") > 0))
    rate = pl.col("execution_rate").cast(pl.Float64)
    fig = go.Figure()
    span = [wan_float(v) for v in [*both["budget_expenditure_yuan"], *both["final_expenditure_yuan"]]]
    low, high = (min(span) / 1.5, max(span) * 1.5) if span else (1.0, 10.0)
    if both.height:
        for factor, dash in ((1.0, "solid"), (BAND[0], "dot"), (BAND[1], "dot")):
            fig.add_scatter(x=[low, high], y=[low * factor, high * factor], mode="lines", hoverinfo="skip",
                            line={"color": "#999", "dash": dash, "width": 1}, showlegend=False)
    for name, keep, colour in (("±30% 以内 within", rate.is_between(*BAND), "#1f5f8b"),
                               ("超出 ±30% outside", ~rate.is_between(*BAND), "#b0413e")):
        part = both.filter(keep)
        fig.add_scatter(
            name=name, mode="markers", marker={"size": 8, "color": colour, "line": {"width": 0}},
            x=[wan_float(v) for v in part["budget_expenditure_yuan"]],
            y=[wan_float(v) for v in part["final_expenditure_yuan"]],
            customdata=[[r["department_name"], r["fiscal_year"], yuan(r["budget_expenditure_yuan"]),
                         yuan(r["final_expenditure_yuan"]), pct(r["execution_rate"])] for r in part.iter_rows(named=True)],
            hovertemplate=("%{customdata[0]} · %{customdata[1]}<br>预算 %{customdata[2]} 元<br>决算 %{customdata[3]} 元"
                           "<br>执行率 %{customdata[4]}<extra></extra>"),
        )
    _layout(fig, height=460, x_title="预算支出（万元）budget", y_title="决算支出（万元）final account")
    fig.update_xaxes(type="log", range=[math.log10(low), math.log10(high)], dtick="D2")
    fig.update_yaxes(type="log", range=[math.log10(low), math.log10(high)], dtick="D2")
    return _chart(fig, chart_id, "execution")


def coverage_chart(chart_id: str, cells: pl.DataFrame, order: list[str]) -> Chart:
    """Region-year cells per category, stacked by status (read / seen-only / found / missing)."""
    present = [c for c in order if c in set(cells["department_category"].to_list())]
    present += sorted({c for c in cells["department_category"].to_list() if c and c not in present})
    counts = cells.group_by("department_category", "status").len()
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        part = dict(counts.filter(pl.col("status") == status).select("department_category", "len").iter_rows())
        shown = [c for c in present if part.get(c)]
        if shown:
            fig.add_bar(name=STATUS_LABELS[status], x=shown, y=[part[c] for c in shown], marker={"color": colour},
                        hovertemplate="%{x} · " + status + ": %{y}<extra></extra>")
    _layout(fig, height=380, y_title="地区 × 年度 region-years")
    fig.update_layout(barmode="stack")
    return _chart(fig, chart_id, "coverage")


def quality_chart(chart_id: str, by_rule: pl.DataFrame) -> Chart:
    """Failed results per rule, coloured by severity."""
    failing = by_rule.filter(pl.col("failed") > 0).sort("failed")
    fig = go.Figure()
    for severity, colour in SEVERITY_COLOURS.items():
        part = failing.filter(pl.col("severity") == severity)
        if part.height:
            fig.add_bar(name=severity, orientation="h", y=part["rule_code"].to_list(), x=part["failed"].to_list(),
                        marker={"color": colour}, hovertemplate="%{y}: %{x} failed<extra></extra>")
    _layout(fig, height=90 + 26 * max(failing.height, 1), x_title="未通过 failed")
    fig.update_yaxes(categoryorder="array", categoryarray=failing["rule_code"].to_list(), gridcolor=None)
    return _chart(fig, chart_id, "quality")
