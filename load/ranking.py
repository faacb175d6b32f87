"""Reading the one ranking, ``v_department_ranking`` (:mod:`schemas.ranking`): filters in, frames out.

``compare`` prints these rows, the report draws and tabulates them, and ``v_category_comparison``
is the same view's department budgets by 支出总计: so a department's rank and share are the same
wherever they are read. A filter (province, region, year, level) narrows which rows are read,
never the ranking: ranks and shares are the view's, over every department of the ranking. Shares
are rounded to :data:`SHARE_DECIMALS` decimals (half up) for every reader; money stays exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from sqlalchemy import case, select
from sqlalchemy.engine import Engine

from load.comparison import frame
from schemas.ranking import METRICS, v_department_ranking
from schemas.vocabulary import ADMIN_LEVELS, ALL_LEVELS, DEPARTMENT_BUDGET

SHARE_DECIMALS = 4
SHARE_QUANTUM = Decimal(1).scaleb(-SHARE_DECIMALS)
SHARES = ("share_of_level", "share_of_province", "share_all_levels")
# the rank a reader asks for → (rank, share, peers) columns of the view
RANKED_WITHIN = {"level": ("rank_in_level", "share_of_level", "peers_in_level"),
                 "province": ("rank_in_province", "share_of_province", "peers_in_province"),
                 "all_levels": ("rank_all_levels", "share_all_levels", "peers_all_levels")}


def round_share(value: Decimal | None) -> Decimal | None:
    """A share to :data:`SHARE_DECIMALS` decimals, half up: 0.601905 → 0.6019."""
    return None if value is None else Decimal(value).quantize(SHARE_QUANTUM, rounding=ROUND_HALF_UP)


def _rounded(rows: pl.DataFrame) -> pl.DataFrame:
    dtype = pl.Decimal(18, SHARE_DECIMALS)
    return rows.with_columns(*[pl.Series(name, [round_share(v) for v in rows[name]], dtype=dtype)
                               for name in SHARES if name in rows.columns])


def ranking_rows(engine: Engine, comparisons: list[str] | None, *, compared_as: str = "category",
                 metric: str = "expenditure", doc_kind: str | None = DEPARTMENT_BUDGET,
                 years: list[int] | None = None, province: str | None = None, region_prefix: str | None = None,
                 levels: list[str] | None = None, department_ids: list[str] | None = None) -> pl.DataFrame:
    """Rows of ``v_department_ranking`` for these categories (or groups; None: every one), one metric,
    filtered; in the order: latest year first, levels from national to township, rank (unranked last)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}: use one of {', '.join(METRICS)}")
    r = v_department_ranking().subquery("r")
    query = select(r).where(r.c.metric == metric, r.c.compared_as == compared_as)
    if comparisons:
        query = query.where(r.c.comparison.in_(list(comparisons)))
    if doc_kind:
        query = query.where(r.c.doc_kind == doc_kind)
    if years:
        query = query.where(r.c.fiscal_year.in_(list(years)))
    if province:
        query = query.where(r.c.province_name == province)
    if region_prefix:
        query = query.where(r.c.region_code.like(f"{region_prefix}%"))
    if levels and ALL_LEVELS not in levels:
        query = query.where(r.c.admin_level.in_(list(levels)))
    if department_ids is not None:
        query = query.where(r.c.department_id.in_(list(department_ids)))
    level_order = case(*[(r.c.admin_level == name, k) for k, name in enumerate(ADMIN_LEVELS)], else_=len(ADMIN_LEVELS))
    query = query.order_by(r.c.comparison, r.c.fiscal_year.desc(), level_order, r.c.body_type,
                           r.c.rank_in_level.asc().nulls_last(), r.c.region_code, r.c.department_name)
    return _rounded(frame(engine, query))


NORMALISED_BESIDE = ("three_public_share", "operating_share", "yoy_expenditure")


def category_ranking(engine: Engine, *, categories: list[str] | None = None, years: list[int] | None = None,
                     province: str | None = None, region_prefix: str | None = None,
                     levels: list[str] | None = None) -> pl.DataFrame:
    """Every category's department budgets by 支出总计 (the rows ``v_category_comparison`` holds), with
    the normalised figures of the same department-year beside them: the ranking's ``value_ratio`` of
    ``three_public_share``, ``operating_share`` and ``yoy_expenditure``, under those names."""
    scope = dict(years=years, province=province, region_prefix=region_prefix, levels=levels)
    rows = ranking_rows(engine, categories, **scope)
    keys = ["department_id", "fiscal_year", "doc_kind", "comparison"]
    for metric in NORMALISED_BESIDE:
        ratios = ranking_rows(engine, categories, metric=metric, **scope).select(
            *keys, pl.col("value_ratio").alias(metric))
        rows = rows.join(ratios, on=keys, how="left")
    return rows
