"""What the report shows, gathered once from the comparison views.

:func:`gather` runs every query of the report for one scope (province, region, years,
categories) and returns frames as the views give them: exact ``Decimal`` yuan, a figure not
stated as null. The ranking is the one ranking view's (:mod:`load.ranking`, the ranks and shares
``compare`` prints); the three-public trend, execution, coverage and quality come from
:mod:`load.comparison`; each table figure's page from :mod:`load.evidence`. Nothing
here formats or draws; :mod:`flows.report.render` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import polars as pl
from sqlalchemy.engine import Engine

from reference.departments import category_names
from flows.conform import ensure_conformed
from flows.report.evidence import Location, failure_locations
from flows.report.links import FigureLinks
from load.comparison import (
    coverage, document_counts, execution, quality_by_department, quality_by_rule, quality_results, three_public_trend,
)
from schemas.redact import mask_url
from load.evidence import figure_lines
from load.ranking import category_ranking


@dataclass(frozen=True)
class ReportScope:
    """Which part of the warehouse the report covers. ``province`` is the full name (河北省),
    ``region_prefix`` a GB/T 2260 code prefix (``13`` a province, ``1301`` a city, ``130127`` a county)."""

    province: str | None = None
    region_prefix: str | None = None
    years: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [f"province {self.province}" if self.province else "",
                 f"region {self.region_prefix}*" if self.region_prefix else "",
                 "years " + ", ".join(map(str, self.years)) if self.years else "",
                 "categories " + "、".join(self.categories) if self.categories else ""]
        return "; ".join(p for p in parts if p) or "the whole warehouse"

    def filters(self) -> dict:
        return {"province": self.province, "region_prefix": self.region_prefix}


@dataclass
class ReportData:
    """Frames of every section, as :mod:`load.comparison` returns them."""

    scope: ReportScope
    warehouse: str
    generated_at: datetime
    documents: dict[str, int]
    categories: pl.DataFrame  # v_department_ranking: department budgets by 支出总计, with the ratios beside
    three_public: pl.DataFrame  # v_three_public_trend + region_name, province_name
    execution: pl.DataFrame  # v_execution + region_name, province_name
    coverage: pl.DataFrame  # v_coverage + province_name, level
    quality: pl.DataFrame  # every rule result (passed, failed, not evaluated)
    failures: pl.DataFrame  # the failed results, in the order of ``locations``
    locations: list[list[Location]] = field(default_factory=list)
    category_order: list[str] = field(default_factory=list)
    links: FigureLinks = field(default_factory=FigureLinks)

    def is_empty(self) -> bool:
        """Nothing in scope: no ranking, trend, final account, rule result or coverage cell."""
        cells = self.coverage.filter(pl.col("fiscal_year").is_not_null())
        return all(f.is_empty() for f in (self.categories, self.three_public, self.execution, self.quality, cells))

    @property
    def quality_by_rule(self) -> pl.DataFrame:
        return quality_by_rule(self.quality)

    @property
    def quality_by_department(self) -> pl.DataFrame:
        return quality_by_department(self.quality)


def _in_categories(frame: pl.DataFrame, categories: tuple[str, ...]) -> pl.DataFrame:
    """Rows of these categories, and the rows of regions where nothing was found (no category)."""
    if not categories:
        return frame
    return frame.filter(pl.col("department_category").is_in(list(categories)) | pl.col("fiscal_year").is_null())


def gather(engine: Engine, scope: ReportScope, *, warehouse: str = "") -> ReportData:
    """Every section's rows for ``scope``; refreshes the conformed tables first where never built."""
    ensure_conformed(engine)
    years = list(scope.years) or None
    categories = list(scope.categories) or None
    ranked = category_ranking(engine, categories=categories, years=years, **scope.filters())
    trend = three_public_trend(engine, categories=categories, **scope.filters())
    if years:  # yoy_pct is the view's, so each kept year keeps its change against the year before
        trend = trend.filter(pl.col("fiscal_year").is_in(years))
    executed = execution(engine, years=years, **scope.filters())
    if categories:
        executed = executed.filter(pl.col("department_category").is_in(categories))
    quality = quality_results(engine, years=years, **scope.filters())
    failures = quality.filter(pl.col("passed") == False).sort(  # noqa: E712
        ["severity", "category", "rule_code", "region_code", "fiscal_year"], nulls_last=True)
    departments = set(ranked["department_id"].to_list()) | set(executed["department_id"].drop_nulls().to_list())
    return ReportData(
        scope=scope, warehouse=mask_url(warehouse), generated_at=datetime.now(timezone.utc),
        documents=document_counts(engine, years=years, **scope.filters()),
        categories=ranked, three_public=trend, execution=executed,
        coverage=_in_categories(coverage(engine, years=years, **scope.filters()), scope.categories),
        quality=quality, failures=failures, locations=failure_locations(engine, failures),
        category_order=category_names(), links=FigureLinks.of(figure_lines(engine, sorted(departments))),
    )
