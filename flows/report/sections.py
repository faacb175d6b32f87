"""The report's sections, built from :class:`flows.report.data.ReportData`: plain dicts the template
writes, charts where the data carries them (:mod:`flows.report.charts`).

Every ranking is the one ranking's (``v_department_ranking``): per category, one group per level
and body type (a county 信访局 among county 信访局s), its departments ranked per year. The trend
follows each region's “三公”经费合计 of a category and level over the years (v_three_public_trend); execution lists every final account.
Each table figure carries the link to the page printing it (:mod:`flows.report.links`).
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from flows.report.charts import BAND, execution_chart, quality_chart, ranking_chart, trend_chart
from flows.report.data import ReportData
from flows.report.format import region_labels
from flows.report.links import FigureLinks
from flows.report.table_rows import TableRows
from schemas.figures import column
from schemas.vocabulary import ADMIN_LEVELS, BODY_TYPES, DEPARTMENT_BUDGET, FINAL_ACCOUNT

THREE_PUBLIC_TOTAL = column("three_public", "total")

LEVEL_LABELS = {"national": "中央 national", "provincial": "省级 provincial", "city": "地级 city",
                "county": "县级 county", "township": "乡级 township", None: "级别未知 level unknown"}
BODY_LABELS = {"department": "部门 departments", "unit": "单位 units", "central_unit": "中央单位 central-ministry units",
               None: ""}
REGION_LEVELS = {"province": "provincial", "city": "city", "county": "county"}
STATUS_SYMBOLS = {"read": "●", "seen_only": "◐", "found": "○", "missing": "✗"}
KIND_LABELS = {"budget": "预算 budget", "final_account": "决算 final account"}
BUDGET = DEPARTMENT_BUDGET


def _ordered(names: list[str], order: list[str]) -> list[str]:
    rank = {name: k for k, name in enumerate(order)}
    return sorted(names, key=lambda c: (rank.get(c, len(rank)), c))


def _groups(frame: pl.DataFrame) -> Iterator[tuple[str | None, str | None, pl.DataFrame]]:
    """(level, body type, rows) from national to township, departments before units."""
    level_rank = {name: k for k, name in enumerate(ADMIN_LEVELS)}
    body_rank = {name: k for k, name in enumerate(BODY_TYPES)}
    keys = frame.select("admin_level", "body_type").unique().rows()
    for level, body in sorted(keys, key=lambda k: (level_rank.get(k[0], 9), body_rank.get(k[1], 9))):
        yield level, body, frame.filter(pl.col("admin_level").eq_missing(level) & pl.col("body_type").eq_missing(body))


def _per_category(frame: pl.DataFrame, order: list[str]) -> Iterator[tuple[str, pl.DataFrame]]:
    for category in _ordered(frame["department_category"].unique().to_list(), order):
        yield category, frame.filter(pl.col("department_category") == category)


def _group_head(level, body) -> dict:
    return {"level": level or "unknown", "level_label": LEVEL_LABELS.get(level, level),
            "body": body, "body_label": BODY_LABELS.get(body, body)}


def category_sections(data: ReportData, ids: Iterator[str], charts: list, tables: TableRows) -> list[dict]:
    """Per category, per level and body type: the ranking of every year (latest first) and a bar
    chart of the latest year where at least two departments state 支出总计."""
    links, out = data.links, []
    for category, rows in _per_category(data.categories, data.category_order):
        groups = []
        for level, body, group in _groups(rows):
            latest = group["fiscal_year"].max()
            table = []
            for r in group.sort(["fiscal_year", "rank_in_level", "region_code", "department_name"],
                                descending=[True, False, False, False], nulls_last=True).iter_rows(named=True):
                table.append(r | {"rank": r["rank_in_level"], "share": r["share_of_level"], "label": r["department_name"]})
            chart = ranking_chart(next(ids), f"{category} {latest}", [r for r in table if r["fiscal_year"] == latest])
            if chart:
                charts.append(chart)
            groups.append(_group_head(level, body) | {
                "latest": latest, "chart": chart, "rows": len(table), "table": tables.add("ranking", [
                    [tables.department(r), r["fiscal_year"], f"{r['rank']}/{r['peers_in_level']}" if r["rank"] else "—",
                     tables.money(r["value_yuan"], links.link(r["department_id"], r["fiscal_year"], BUDGET,
                                                              r["value_yuan"], "expenditure_total")),
                     tables.wan(r["value_yuan"]), tables.ratio(r["share"]),
                     tables.money(r[THREE_PUBLIC_TOTAL], links.link(
                         r["department_id"], r["fiscal_year"], BUDGET, r[THREE_PUBLIC_TOTAL], "three_public_total")),
                     tables.ratio(r["three_public_share"]), tables.ratio(r["yoy_expenditure"], signed=True)]
                    for r in table]),
                "ranked": sum(1 for r in table if r["fiscal_year"] == latest and r["rank"] is not None)})
        out.append({"category": category, "groups": groups})
    return out


def _trend_rows(group: pl.DataFrame, years: list[int], departments: dict, links: FigureLinks,
                tables: TableRows) -> list[dict]:
    """One row per region: its “三公”经费合计 per year (each linked to the page of its department's
    figure) and the change from its first to its last stated year."""
    rows, labels = [], region_labels(group)
    for (region,), own in group.group_by(["region_code"], maintain_order=True):
        first = own.row(0, named=True)
        by_year = {r["fiscal_year"]: r["total_yuan"] for r in own.iter_rows(named=True)}
        points = [(y, by_year[y]) for y in years if by_year.get(y) is not None]
        change = (points[-1][1] - points[0][1]) / points[0][1] if len(points) >= 2 and points[0][1] else None
        span = f"{points[0][0]}→{points[-1][0]} {tables.ratio(change, signed=True)}" if change is not None else "—"
        key = (region, first["department_category"], first["admin_level"], first["body_type"])

        def cell(year):
            link = next((links.link(d, year, BUDGET, by_year.get(year), "three_public_total")
                         for d in departments.get((*key, year), [])), None)
            return tables.money(by_year.get(year), link)
        names = "、".join(sorted({n for y in years for n in departments.get((*key, y, "names"), [])}))
        placed = first["admin_level"] != "national"  # a national body is no region's, wherever a text put it
        rows.append({"label": labels[region] if placed else (names or labels[region]), "points": points,
                     "row": [tables.entity(key, names or labels[region], labels[region] if placed else "—",
                                           first["province_name"] if placed else ""), [cell(y) for y in years], span]})
    return sorted(rows, key=lambda r: (-(r["points"][-1][1] if r["points"] else -1), r["label"]))


def _departments_behind(categories: pl.DataFrame) -> dict:
    """(region, category, level, body, year) → the department ids behind a region's figure, and
    (…, year, "names") → their names."""
    out: dict = {}
    for r in categories.iter_rows(named=True):
        key = (r["region_code"], r["department_category"], r["admin_level"], r["body_type"])
        out.setdefault((*key, r["fiscal_year"]), []).append(r["department_id"])
        out.setdefault((*key, r["fiscal_year"], "names"), []).append(r["department_name"])
    return out


def three_public_sections(data: ReportData, ids: Iterator[str], charts: list, tables: TableRows) -> list[dict]:
    """Per category, level and body type: each region's “三公”经费合计 per year (v_three_public_trend);
    a line chart of the regions with two stated years or more (else the table alone)."""
    out, behind = [], _departments_behind(data.categories)
    for category, rows in _per_category(data.three_public, data.category_order):
        groups = []
        for level, body, group in _groups(rows):
            years = sorted(group["fiscal_year"].unique().to_list())
            table = _trend_rows(group.sort("region_code", "fiscal_year"), years, behind, data.links, tables)
            chart = trend_chart(next(ids), [{"label": r["label"], "points": r["points"]} for r in table])
            if chart:
                charts.append(chart)
            groups.append(_group_head(level, body) | {"years": years, "rows": len(table), "chart": chart,
                                                      "table": tables.add("trend", [r["row"] for r in table]),
                                                      "trends": sum(1 for r in table if len(r["points"]) >= 2)})
        out.append({"category": category, "groups": groups})
    return out


def execution_section(data: ReportData, ids: Iterator[str], charts: list) -> dict:
    """Every final account, furthest from its budget first, per level; a bar chart of the rates
    where at least two are known."""
    rows = data.execution.with_columns(
        (pl.col("execution_rate").cast(pl.Float64) - 1).abs().alias("distance")).sort(
        ["distance", "fiscal_year", "region_code"], descending=[True, False, False], nulls_last=True)
    links, groups = data.links, []
    for level, body, group in _groups(rows):
        table = [r | {"label": r["department_name"],
                      "budget_link": links.link(r["department_id"], r["fiscal_year"], BUDGET, r["budget_expenditure_yuan"],
                                                "expenditure_this_year", "expenditure_total"),
                      "final_link": links.link(r["department_id"], r["fiscal_year"], FINAL_ACCOUNT,
                                               r["final_expenditure_yuan"], "expenditure_this_year", "expenditure_total")}
                 for r in group.iter_rows(named=True)]
        chart = execution_chart(next(ids), table)
        if chart:
            charts.append(chart)
        groups.append(_group_head(level, body) | {"rows": table, "chart": chart})
    rated = rows.filter(pl.col("execution_rate").is_not_null())
    return {"groups": groups, "rows": rows.height, "rated": rated.height,
            "outside": rated.filter(~pl.col("execution_rate").cast(pl.Float64).is_between(*BAND)).height}


def coverage_section(data: ReportData) -> dict:
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
                            "level": REGION_LEVELS.get(first["level"], "unknown"),
                            "years": sorted(region["fiscal_year"].unique().to_list()),
                            "cells": [region.filter(pl.col("department_category").eq_missing(c)).to_dicts()
                                      for c in columns]})
        matrices.append({"kind": kind, "columns": columns, "regions": sorted(regions, key=lambda r: r["code"])})
    provinces: dict[str, list[str]] = {}
    for r in silent.sort("region_code").iter_rows(named=True):
        provinces.setdefault(r["province_name"] or "—", []).append(f"{r['region_name'] or '?'}（{r['region_code']}）")
    status_counts = dict(cells.group_by("status").len().iter_rows())
    by_category = cells.group_by("department_category", "status").len().rows()
    table = {}
    for category, status, n in by_category:
        table.setdefault(category, {})[status] = n
    return {"matrices": matrices, "silent": provinces, "silent_count": silent.height,
            "counts": {s: status_counts.get(s, 0) for s in STATUS_SYMBOLS},
            "by_category": [(c, table[c]) for c in _ordered([c for c in table if c], data.category_order)]
            + ([(None, table[None])] if None in table else []),
            "regions": cells["region_code"].n_unique()}


def quality_section(data: ReportData, ids: Iterator[str], charts: list, not_money: set[str]) -> dict:
    q = data.quality
    by_rule = data.quality_by_rule.to_dicts()
    failures = [r | {"locations": locations, "money": r["rule_code"] not in not_money}
                for r, locations in zip(data.failures.iter_rows(named=True), data.locations)]
    chart = quality_chart(next(ids), by_rule)
    if chart:
        charts.append(chart)
    return {"chart": chart, "results": q.height, "passed": q.filter(pl.col("passed") == True).height,  # noqa: E712
            "failed": data.failures.height, "errors": data.failures.filter(pl.col("severity") == "error").height,
            **{name: data.failures.filter((pl.col("severity") == "error") & (pl.col("finding") == finding)).height
               for name, finding in (("contradictions", "contradiction"), ("unreconciled", "unreconciled"))},
            "not_evaluated": q["passed"].null_count(), "by_rule": by_rule,
            "by_department": data.quality_by_department.to_dicts(), "failures": failures}
