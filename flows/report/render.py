"""The report as one self-contained HTML page: sections built from :class:`ReportData`, a Jinja2
template (``report.html.j2`` beside this module), plotly.js inlined, no request to anything.

Sections: 部门支出比较 (category comparison, ranked per category and year), “三公”经费趋势
(three-public trend), 预算执行 (final account against budget), 公开情况 (coverage matrix) and
数据质量 (data-quality summary with each failure linked to its documents and pages).
"""

from __future__ import annotations

from itertools import count

import polars as pl
from jinja2 import Environment, PackageLoader, select_autoescape

from flows.report.charts import (
    STATUS_LABELS, category_chart, coverage_chart, execution_chart, plotly_js, quality_chart, three_public_chart,
)
from flows.report.data import ReportData
from flows.report.format import NOT_STATED, exact, pct, plain, region_labels, wan, yuan
from transform.rules.catalogue import CATALOGUE

STATUS_SYMBOLS = {"read": "●", "seen_only": "◐", "found": "○", "missing": "✗"}
KIND_LABELS = {"budget": "预算 budget", "final_account": "决算 final account"}
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
                       KIND_LABELS=KIND_LABELS, ROLE_LABELS=ROLE_LABELS)
    return env


def _ordered(categories: list[str], order: list[str]) -> list[str]:
    rank = {name: k for k, name in enumerate(order)}
    return sorted(categories, key=lambda c: (rank.get(c, len(rank)), c))


def _per_category(frame: pl.DataFrame, order: list[str]):
    """(category, its rows, their region labels) in the report's category order."""
    for category in _ordered(frame["department_category"].unique().to_list(), order):
        rows = frame.filter(pl.col("department_category") == category)
        yield category, rows, region_labels(rows)


def category_sections(data: ReportData, ids) -> list[dict]:
    out = []
    for category, rows, labels in _per_category(data.categories, data.category_order):
        years = []
        for year in sorted(rows["fiscal_year"].unique().to_list(), reverse=True):
            ranked = rows.filter(pl.col("fiscal_year") == year).sort(["rank_in_category", "region_code"],
                                                                       nulls_last=True)
            years.append({"year": year, "rows": [r | {"label": labels[r["region_code"]]}
                                                 for r in ranked.iter_rows(named=True)]})
        out.append({"category": category, "chart": category_chart(next(ids), category, rows), "years": years,
                    "regions": rows["region_code"].n_unique()})
    return out


def three_public_sections(data: ReportData, ids) -> list[dict]:
    out = []
    for category, rows, labels in _per_category(data.three_public, data.category_order):
        table = rows.sort(["region_code", "fiscal_year"])
        out.append({"category": category, "chart": three_public_chart(next(ids), category, rows),
                    "rows": [r | {"label": labels[r["region_code"]]} for r in table.iter_rows(named=True)],
                    "stated": rows["total_yuan"].is_not_null().sum()})
    return out


def execution_section(data: ReportData, ids) -> dict:
    rows = data.execution.with_columns(
        (pl.col("execution_rate").cast(pl.Float64) - 1).abs().alias("distance")).sort(
        ["distance", "fiscal_year", "region_code"], descending=[True, False, False], nulls_last=True)
    rated = rows.filter(pl.col("execution_rate").is_not_null())
    return {"chart": execution_chart(next(ids), data.execution) if rated.height else None,
            "rows": rows.to_dicts(), "rated": rated.height,
            "outside": rated.filter(~pl.col("execution_rate").cast(pl.Float64).is_between(0.7, 1.3)).height}


def coverage_section(data: ReportData, ids) -> dict:
    cells = data.coverage.filter(pl.col("fiscal_year").is_not_null())
    silent = data.coverage.filter(pl.col("fiscal_year").is_null())
    matrices = []
    for kind in [k for k in KIND_LABELS if k in set(cells["doc_kind"].to_list())]:
        part = cells.filter(pl.col("doc_kind") == kind)
        columns = _ordered([c for c in part["department_category"].unique().to_list() if c], data.category_order)
        if part["department_category"].null_count():
            columns.append(None)
        regions = []
        for (code,), region in part.sort("fiscal_year").group_by(["region_code"], maintain_order=True):
            first = region.row(0, named=True)
            regions.append({"code": code, "name": first["region_name"], "province": first["province_name"],
                            "years": sorted(region["fiscal_year"].unique().to_list()),
                            "cells": [region.filter(pl.col("department_category").eq_missing(c)).to_dicts()
                                      for c in columns]})
        matrices.append({"kind": kind, "columns": columns, "regions": sorted(regions, key=lambda r: r["code"])})
    provinces: dict[str, list[str]] = {}
    for r in silent.sort("region_code").iter_rows(named=True):
        provinces.setdefault(r["province_name"] or "—", []).append(f"{r['region_name'] or '?'}（{r['region_code']}）")
    status_counts = dict(cells.group_by("status").len().iter_rows())
    return {"chart": coverage_chart(next(ids), cells, data.category_order) if cells.height else None,
            "matrices": matrices, "silent": provinces, "silent_count": silent.height,
            "counts": {s: status_counts.get(s, 0) for s in STATUS_SYMBOLS},
            "regions": cells["region_code"].n_unique()}


def quality_section(data: ReportData, ids) -> dict:
    q = data.quality
    by_rule = data.quality_by_rule
    failures = [r | {"locations": locations, "money": r["rule_code"] not in NOT_MONEY}
                for r, locations in zip(data.failures.iter_rows(named=True), data.locations)]
    return {"chart": quality_chart(next(ids), by_rule) if data.failures.height else None,
            "results": q.height, "passed": q.filter(pl.col("passed") == True).height,  # noqa: E712
            "failed": data.failures.height, "errors": data.failures.filter(pl.col("severity") == "error").height,
            **{name: data.failures.filter((pl.col("severity") == "error") & (pl.col("finding") == finding)).height
               for name, finding in (("contradictions", "contradiction"), ("unreconciled", "unreconciled"))},
            "not_evaluated": q["passed"].null_count(), "by_rule": by_rule.to_dicts(),
            "by_department": data.quality_by_department.to_dicts(), "failures": failures}


def render(data: ReportData) -> str:
    """The whole page as one string (UTF-8 when written)."""
    ids = (f"chart-{n}" for n in count(1))
    context = {
        "data": data, "plotly_js": plotly_js(),
        "categories": category_sections(data, ids), "three_public": three_public_sections(data, ids),
        "execution": execution_section(data, ids), "coverage": coverage_section(data, ids),
        "quality": quality_section(data, ids),
    }
    return _environment().get_template("report.html.j2").render(**context)
