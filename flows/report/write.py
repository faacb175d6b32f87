"""Writing the report file (:func:`write_report`) and what it holds (:class:`ReportSummary`).

Plain functions, no Prefect: the ``report`` command calls them, and so does the nightly hook
(:mod:`flows.report.publish`). The file is replaced whole: written beside its path, then renamed.
Its default path: ``COUNTY_BUDGETS_REPORT``, else ``report.html`` beside a DuckDB warehouse
file, else ``./report.html``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from sqlalchemy.engine import Engine, make_url

from flows.report.data import ReportData, ReportScope, gather
from flows.report.format import yuan
from flows.report.render import render
from flows.safe_text import safe_markdown as md
from schemas.figures import column

EXPENDITURE_TOTAL = column("expenditure", "total")  # the leaders' figure, named as in the views

REPORT_ENV = "COUNTY_BUDGETS_REPORT"


def default_report_path(warehouse: str) -> Path:
    """``COUNTY_BUDGETS_REPORT``, else ``report.html`` beside a DuckDB file, else ``./report.html``."""
    if os.environ.get(REPORT_ENV):
        return Path(os.environ[REPORT_ENV])
    url = make_url(warehouse)
    if url.get_backend_name() == "duckdb" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser().parent / "report.html"
    return Path("report.html")


@dataclass
class ReportSummary:
    """What a written report holds: counts per section, leaders, failing rules, its path and size."""

    path: Path
    size_bytes: int
    scope: str
    counts: dict[str, int]
    leaders: list[dict] = field(default_factory=list)  # per category: its latest year's rank 1
    failing_rules: list[dict] = field(default_factory=list)

    def line(self) -> str:
        c = self.counts
        return (f"report {self.path} ({self.size_bytes / 1e6:.2f} MB): {c['categories']} categories, "
                f"{c['category_rows']} department-years ranked, {c['execution_rows']} final accounts, "
                f"{c['coverage_regions']} regions in the coverage matrix, {c['failures']} rule failures")

    def markdown(self) -> str:
        c = self.counts
        lines = [f"## county-budgets report\n\nFile: {md(self.path.resolve())} ({self.size_bytes:,} bytes, opens "
                 f"offline in any browser) · scope: {md(self.scope)}\n",
                 "| section | rows |", "|---|---|",
                 f"| category comparison | {c['categories']} categories, {c['category_rows']} department-years |",
                 f"| three-public trend | {c['three_public_rows']} department-years |",
                 f"| execution | {c['execution_rows']} final accounts, {c['execution_outside']} outside ±30% |",
                 f"| coverage | {c['coverage_regions']} regions with disclosures, {c['coverage_missing']} missing "
                 f"cells, {c['coverage_silent']} registered regions with nothing found |",
                 f"| data quality | {c['quality_results']} results, {c['failures']} failed |", ""]
        if self.leaders:
            lines += ["### Top-ranked per category (支出总计, latest year)", "",
                      "| category | year | region | department | 支出总计（元） |", "|---|---|---|---|---|"]
            lines += [f"| {md(r['department_category'])} | {r['fiscal_year']} | {md(r['region_name'] or r['region_code'])} "
                      f"| {md(r['department_names'])} | {yuan(r[EXPENDITURE_TOTAL])} |" for r in self.leaders]
            lines.append("")
        if self.failing_rules:
            lines += ["### Failing rules", "", "| rule | kind | severity | failed |", "|---|---|---|---|"]
            lines += [f"| `{r['rule_code']}` | {r['category']} | {r['severity']} | {r['failed']} |"
                      for r in self.failing_rules]
        return "\n".join(lines)


def summarise(data: ReportData, path: Path, size_bytes: int) -> ReportSummary:
    categories = data.categories
    latest = categories.group_by("department_category").agg(pl.col("fiscal_year").max())
    leaders = categories.join(latest, on=["department_category", "fiscal_year"]).filter(
        pl.col("rank_in_level") == 1).sort("department_category", "admin_level").select(
        "department_category", "fiscal_year", "region_code", "region_name", "admin_level",
        pl.col("department_name").alias("department_names"), pl.col("value_yuan").alias(EXPENDITURE_TOTAL))
    cells = data.coverage.filter(pl.col("fiscal_year").is_not_null())
    rate = pl.col("execution_rate").cast(pl.Float64)
    counts = {
        "categories": categories["department_category"].n_unique(), "category_rows": categories.height,
        "three_public_rows": data.three_public.height, "execution_rows": data.execution.height,
        "execution_outside": data.execution.filter(rate.is_not_null() & ~rate.is_between(0.7, 1.3)).height,
        "coverage_regions": cells["region_code"].n_unique(),
        "coverage_missing": cells.filter(pl.col("status") == "missing").height,
        "coverage_silent": data.coverage.filter(pl.col("fiscal_year").is_null()).height,
        "quality_results": data.quality.height, "failures": data.failures.height,
    }
    failing = data.quality_by_rule.filter(pl.col("failed") > 0).to_dicts()
    return ReportSummary(path, size_bytes, data.scope.describe(), counts, leaders.to_dicts(), failing)


class NothingSelected(ValueError):
    """The scope selects nothing: no ranking, trend, final account, rule result or coverage cell."""


def write_report(engine: Engine, out: Path, scope: ReportScope = ReportScope(), *,
                 warehouse: str = "", refuse_empty: bool = False) -> ReportSummary:
    """Gather, render and write the report to ``out`` (replaced whole: written beside it, then renamed).
    ``refuse_empty``: raise :class:`NothingSelected` (writing nothing) when the scope selects nothing."""
    data = gather(engine, scope, warehouse=warehouse)
    if refuse_empty and data.is_empty():
        raise NothingSelected(f"nothing in the warehouse matches {scope.describe()}: no department, final "
                              "account, rule result or coverage cell; no report written")
    html = render(data).encode("utf-8")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(html)
    partial.replace(out)
    return summarise(data, out, len(html))
