"""Comparison marts: views that compare departments across regions and years.

Built on ``v_department_year`` (:mod:`schemas.views`) and the conformed tables of
:mod:`schemas.conformed`. Rules every mart keeps:

- a figure a document did not state stays NULL, and a total over several departments is
  NULL unless every one of them states the figure (never a sum that silently treats a
  missing figure as zero): :func:`sum_if_all_stated`;
- rankings are the one ranking's (:mod:`schemas.ranking`): department budgets ranked within their
  category, year, administrative level and body type — a unit's budget is part of its
  department's, not a peer of it (unit budgets stay in ``v_department_year``); sums per region
  (``v_three_public_trend``) take a region's department budgets of one category and level;
- ratios are plain SQL both DuckDB and PostgreSQL evaluate alike.
"""

from __future__ import annotations

from sqlalchemy import Integer, and_, case, cast, func, literal, null, select, union_all
from sqlalchemy.sql import Select

from schemas.base import MONEY
from schemas.conformed import (
    dim_classification, fct_cross_document_check, fct_cross_document_evidence,
    fct_disclosure_observation,
)
from schemas.figures import column
from schemas.normalised import COMPARED_KIND, RATIO, v_execution
from schemas.preference import preferred_sql
from schemas.ranking import SHARE, v_department_ranking
from schemas.registry import src_source
from schemas.views import pct_change, v_department_year
from schemas.vocabulary import LOADED
from schemas.warehouse import dim_document, dim_region, fct_expenditure_by_function, fct_three_public

__all__ = ["COMPARED_KIND", "MARTS", "RATIO", "SHARE", "sum_if_all_stated", "v_category_comparison", "v_coverage",
           "v_cross_document_check", "v_cross_document_evidence", "v_department_ranking", "v_execution",
           "v_expenditure_by_function_conformed", "v_three_public_trend"]
STATUS_RANK = {"read": 3, "seen_only": 2, "found": 1}


def sum_if_all_stated(column):
    """SUM over a group, or NULL when any member did not state the figure (exact yuan, DECIMAL(18,2))."""
    return cast(case((func.count(column) == func.count(), func.sum(column))), MONEY)


def _department_years():
    return v_department_year().subquery("department_year")


def _compared(dy) -> tuple:
    """Department budgets with a category and a region: what the marts rank and sum."""
    return dy.c.doc_kind == COMPARED_KIND, dy.c.department_category.is_not(None), dy.c.region_code.is_not(None)


def v_category_comparison() -> Select:
    """The department budgets of :func:`schemas.ranking.v_department_ranking` by 支出总计, per category:
    one row per department and year, ranked within its category, year and level (issue 20: before,
    one row per region, ranked across levels). ``rank_in_category``/``share_of_category_total`` are
    the ranking's ``rank_in_level``/``share_of_level``; the level, body type, department and the
    province and all-level ranks are appended."""
    r = v_department_ranking().subquery("ranking")
    return select(
        r.c.department_category, r.c.fiscal_year, r.c.region_code, r.c.region_name,
        r.c.value_yuan.label(column("expenditure", "total")), r.c.rank_in_level.label("rank_in_category"),
        r.c.share_of_level.label("share_of_category_total"), r.c.three_public_total_yuan,
        # appended (issue 20)
        r.c.admin_level, r.c.body_type, r.c.department_id, r.c.department_name, r.c.province_name,
        r.c.peers_in_level, r.c.rank_in_province, r.c.rank_all_levels, r.c.share_all_levels,
    ).where(r.c.metric == "expenditure", r.c.compared_as == "category", r.c.doc_kind == COMPARED_KIND)


def _vehicle_stated():
    """The vehicle total (公务用车购置及运行费) as a document states it, per department-year."""
    d, t = dim_document, fct_three_public
    keys = (d.c.department_id, d.c.fiscal_year, d.c.doc_kind)
    return select(*keys, preferred_sql(t, t.c.item == "vehicle", t.c.amount_yuan).label("vehicle_yuan")).select_from(
        t.join(d, d.c.document_id == t.c.document_id)).where(d.c.status == LOADED).group_by(*keys)


def v_three_public_trend() -> Select:
    """三公 per region, category, year, level and body type (department budgets), with the change of
    the total: a national unit placed in a region (a 教育部 university in 重庆) is summed apart from
    the region's own departments.

    The vehicle figure is the stated 公务用车购置及运行费, else purchase + operation where both
    are stated."""
    dy = _department_years()
    stated = _vehicle_stated().subquery("vehicle_stated")
    vehicle = func.coalesce(stated.c.vehicle_yuan,
                            dy.c.three_public_vehicle_purchase_yuan + dy.c.three_public_vehicle_operation_yuan)
    keys = (dy.c.region_code, dy.c.department_category, dy.c.fiscal_year, dy.c.admin_level, dy.c.body_type)
    per_year = select(
        *keys,
        sum_if_all_stated(dy.c.three_public_abroad_yuan).label("abroad_yuan"),
        sum_if_all_stated(vehicle).label("vehicle_yuan"),
        sum_if_all_stated(dy.c.three_public_reception_yuan).label("reception_yuan"),
        sum_if_all_stated(dy.c.three_public_total_yuan).label("total_yuan"),
    ).select_from(dy.outerjoin(stated, and_(stated.c.department_id == dy.c.department_id,
                                            stated.c.fiscal_year == dy.c.fiscal_year,
                                            stated.c.doc_kind == dy.c.doc_kind))
                  ).where(*_compared(dy)).group_by(*keys)
    cur = per_year.cte("three_public_year")
    prev = cur.alias("three_public_previous")
    return select(
        cur.c.region_code, cur.c.department_category, cur.c.fiscal_year, cur.c.abroad_yuan, cur.c.vehicle_yuan,
        cur.c.reception_yuan, cur.c.total_yuan, pct_change(cur.c.total_yuan, prev.c.total_yuan).label("yoy_pct"),
        cur.c.admin_level, cur.c.body_type,  # appended (issue 20): a region's departments of one level and kind
    ).select_from(cur.outerjoin(prev, and_(prev.c.region_code == cur.c.region_code,
                                            prev.c.department_category == cur.c.department_category,
                                            prev.c.admin_level.is_not_distinct_from(cur.c.admin_level),
                                            prev.c.body_type.is_not_distinct_from(cur.c.body_type),
                                            prev.c.fiscal_year == cur.c.fiscal_year - 1)))


def v_coverage() -> Select:
    """Per registered (or observed) region, the categories it publishes, year and kind: read,
    seen_only (found, no figures: images or an attachment), found (a link or a document that
    could not be read) or missing; with how many documents and when last seen. A region where
    nothing was found has one row: category, year and kind NULL, status missing. A national body
    placed in a region (a 教育部 university in 重庆) is not the region's disclosure."""
    o = select(fct_disclosure_observation).where(  # a national body's disclosure is no region's
        fct_disclosure_observation.c.admin_level.is_distinct_from("national")).subquery("observation")
    observed = select(o.c.region_code).where(o.c.region_code.is_not(None))
    regions = union_all(select(src_source.c.region_code).where(src_source.c.region_code.is_not(None)),
                        observed).subquery("regions")
    categories = select(o.c.region_code, o.c.department_category).where(
        o.c.region_code.is_not(None)).distinct().subquery("cats")
    years = select(o.c.region_code, o.c.fiscal_year, o.c.kind).where(
        o.c.region_code.is_not(None), o.c.fiscal_year.is_not(None), o.c.kind.is_not(None)).distinct().subquery("years")
    rank = case(*[(o.c.status == s, r) for s, r in STATUS_RANK.items()], else_=0)
    stats = select(o.c.region_code, o.c.department_category, o.c.fiscal_year, o.c.kind,
                   func.max(rank).label("best"), func.count().label("documents"),
                   func.max(o.c.seen_at).label("last_seen_at")).group_by(
        o.c.region_code, o.c.department_category, o.c.fiscal_year, o.c.kind).subquery("stats")
    status = case(*[(stats.c.best == r, s) for s, r in STATUS_RANK.items()], else_="missing")
    cells = select(
        categories.c.region_code, categories.c.department_category, years.c.fiscal_year, years.c.kind.label("doc_kind"),
        status.label("status"), cast(func.coalesce(stats.c.documents, 0), Integer).label("documents"),
        stats.c.last_seen_at,
    ).select_from(categories.join(years, years.c.region_code == categories.c.region_code).outerjoin(
        stats, and_(stats.c.region_code == categories.c.region_code,
                    stats.c.department_category.is_not_distinct_from(categories.c.department_category),
                    stats.c.fiscal_year == years.c.fiscal_year, stats.c.kind == years.c.kind)))
    silent = select(  # typed NULLs: PostgreSQL types a DISTINCT select's bare NULLs as text
        regions.c.region_code, cast(null(), o.c.department_category.type).label("department_category"),
        cast(null(), Integer).label("fiscal_year"), cast(null(), o.c.kind.type).label("doc_kind"),
        literal("missing").label("status"), literal(0).label("documents"),
        cast(null(), o.c.seen_at.type).label("last_seen_at"),
    ).where(regions.c.region_code.not_in(observed)).distinct()
    matrix = union_all(cells, silent).subquery("matrix")
    return select(
        matrix.c.region_code, dim_region.c.region_name, matrix.c.department_category,
        cast(matrix.c.fiscal_year, Integer).label("fiscal_year"),
        cast(matrix.c.doc_kind, o.c.kind.type).label("doc_kind"),
        cast(matrix.c.status, o.c.status.type).label("status"), cast(matrix.c.documents, Integer).label("documents"),
        cast(matrix.c.last_seen_at, o.c.seen_at.type).label("last_seen_at"),
    ).select_from(matrix.outerjoin(dim_region, dim_region.c.region_code == matrix.c.region_code))


def v_expenditure_by_function_conformed() -> Select:
    """Function-classification lines with today's code (crosswalk followed) beside the printed one."""
    f, d, k = fct_expenditure_by_function, dim_document, dim_classification
    return select(
        f.c.document_id, d.c.fiscal_year, f.c.function_code, f.c.function_name, f.c.level, k.c.conformed_code,
        k.c.conformed_name, f.c.amount_yuan, f.c.basic_yuan, f.c.project_yuan,
    ).select_from(f.join(d, d.c.document_id == f.c.document_id).outerjoin(
        k, and_(k.c.scheme == "function", k.c.code == f.c.function_code, k.c.fiscal_year == d.c.fiscal_year)))


def v_cross_document_check() -> Select:
    """Cross-document rule results with the region's names and how many documents each involves."""
    x, e = fct_cross_document_check, fct_cross_document_evidence
    involved = select(e.c.check_id, func.count().label("n")).group_by(e.c.check_id).subquery("involved")
    return select(
        x.c.check_id, x.c.rule_code, x.c.severity, x.c.passed, x.c.region_code, dim_region.c.region_name,
        dim_region.c.province_name, x.c.department_name, x.c.fiscal_year, x.c.doc_kind, x.c.item, x.c.expected,
        x.c.actual, x.c.difference, x.c.tolerance, x.c.message,
        cast(func.coalesce(involved.c.n, 0), Integer).label("documents"),
    ).select_from(x.outerjoin(dim_region, dim_region.c.region_code == x.c.region_code)
                  .outerjoin(involved, involved.c.check_id == x.c.check_id))


def v_cross_document_evidence() -> Select:
    """Every document a cross-document result involves, with the page and line compared."""
    e, d = fct_cross_document_evidence, dim_document
    return select(e.c.check_id, e.c.document_id, e.c.role, e.c.fiscal_year, e.c.page_no, e.c.line_no,
                  e.c.source_text, d.c.source_uri).select_from(e.outerjoin(d, d.c.document_id == e.c.document_id))


MARTS = {
    "v_category_comparison": v_category_comparison,
    "v_three_public_trend": v_three_public_trend,
    "v_execution": v_execution,
    "v_coverage": v_coverage,
    "v_expenditure_by_function_conformed": v_expenditure_by_function_conformed,
    "v_cross_document_check": v_cross_document_check,
    "v_cross_document_evidence": v_cross_document_evidence,
    "v_department_ranking": v_department_ranking,
}
