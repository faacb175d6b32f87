"""Plain query functions over the comparison views: filters in, polars frames out.

What the ``coverage``, ``quality`` and ``departments`` commands print, and what a report can
draw, without writing SQL (the ranking ``compare`` prints is :mod:`load.ranking`'s). Amounts are exact ``Decimal`` yuan; a figure a
document did not state is null and is never ranked or summed as zero. Region filters take a
code prefix (``13`` a province, ``1301`` a city, ``130127`` a county: the caller derives it
from GB/T 2260), province filters the full name as ``dim_region`` spells it (``河北省``).
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from sqlalchemy import Select, func, literal, select
from sqlalchemy.engine import Engine

from schemas.conformed import dim_department_conformed, fct_cross_document_check, fct_cross_document_evidence
from schemas.frames import polars_dtype
from schemas.marts import v_coverage, v_execution, v_three_public_trend
from schemas.views import v_department_year
from schemas.vocabulary import DEPARTMENT_BUDGET, LOADED
from schemas.warehouse import dim_document, dim_region, fct_data_quality

def frame(engine: Engine, query: Select) -> pl.DataFrame:
    """Run a select; column dtypes from its SQLAlchemy types (decimals stay exact)."""
    schema = {c.name: polars_dtype(c.type) for c in query.selected_columns}
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(query)]
    return pl.DataFrame(rows, schema=schema, orient="row")


def _where(query: Select, sub, *, region_prefix: str | None = None, years: list[int] | None = None) -> Select:
    """Keep rows of ``sub`` whose region_code starts with the prefix and whose fiscal_year is listed."""
    if region_prefix:
        query = query.where(sub.c.region_code.like(f"{region_prefix}%"))
    if years:
        query = query.where(sub.c.fiscal_year.in_(list(years)))
    return query


def _with_region(sub, *names: str) -> Select:
    """``sub``'s columns and the named ``dim_region`` columns of its region (an outer join)."""
    return select(sub, *[dim_region.c[name] for name in names]).select_from(
        sub.outerjoin(dim_region, dim_region.c.region_code == sub.c.region_code))


def _in_scope(query: Select, sub, *, region_prefix: str | None = None, years: list[int] | None = None,
              province: str | None = None) -> Select:
    """:func:`_where` plus a province filter on the joined ``dim_region``."""
    query = _where(query, sub, region_prefix=region_prefix, years=years)
    return query.where(dim_region.c.province_name == province) if province else query


def department_years(engine: Engine, *, categories: list[str] | None = None, years: list[int] | None = None,
                     province: str | None = None, region_prefix: str | None = None,
                     doc_kind: str | None = DEPARTMENT_BUDGET) -> pl.DataFrame:
    """``v_department_year`` rows (one per department, year and kind), filtered."""
    dy = v_department_year().subquery("dy")
    query = _where(select(dy), dy, region_prefix=region_prefix, years=years)
    if province:
        query = query.where(dy.c.province_name == province)
    if categories:
        query = query.where(dy.c.department_category.in_(categories))
    if doc_kind:
        query = query.where(dy.c.doc_kind == doc_kind)
    return frame(engine, query.order_by(dy.c.fiscal_year, dy.c.region_code, dy.c.department_name))


def document_counts(engine: Engine, *, province: str | None = None, region_prefix: str | None = None,
                    years: list[int] | None = None) -> dict[str, int]:
    """How many documents the warehouse holds per ``dim_document.status`` (loaded, quarantined …)."""
    d = dim_document
    query = select(d.c.status, func.count().label("n")).select_from(
        d.outerjoin(dim_region, dim_region.c.region_code == d.c.region_code))
    query = _in_scope(query, d, region_prefix=region_prefix, years=years, province=province)
    with engine.connect() as connection:
        return {status: n for status, n in connection.execute(query.group_by(d.c.status))}


def three_public_trend(engine: Engine, *, categories: list[str] | None = None, province: str | None = None,
                       region_prefix: str | None = None) -> pl.DataFrame:
    t = v_three_public_trend().subquery("t")
    query = _in_scope(_with_region(t, "region_name", "province_name"), t, region_prefix=region_prefix,
                      province=province)
    if categories:
        query = query.where(t.c.department_category.in_(categories))
    return frame(engine, query.order_by(t.c.department_category, t.c.region_code, t.c.fiscal_year))


def execution(engine: Engine, *, years: list[int] | None = None, province: str | None = None,
              region_prefix: str | None = None) -> pl.DataFrame:
    e = v_execution().subquery("e")
    query = _in_scope(_with_region(e, "region_name", "province_name"), e, region_prefix=region_prefix, years=years,
                      province=province)
    return frame(engine, query.order_by(e.c.fiscal_year, e.c.region_code, e.c.department_name))


def coverage(engine: Engine, *, province: str | None = None, region_prefix: str | None = None,
             years: list[int] | None = None) -> pl.DataFrame:
    """``v_coverage`` rows with the province's name; regions that published nothing have null year."""
    c = v_coverage().subquery("c")
    query = _in_scope(_with_region(c, "province_name", "level"), c, region_prefix=region_prefix, province=province)
    if years:
        query = query.where(c.c.fiscal_year.in_(years) | c.c.fiscal_year.is_(None))
    return frame(engine, query.order_by(c.c.region_code, c.c.department_category, c.c.fiscal_year))


def departments(engine: Engine, *, unmapped_only: bool = False, province: str | None = None,
                region_prefix: str | None = None) -> pl.DataFrame:
    """Each department with its category and why (pattern, own name or stated parent), its level and
    body type; ``unmapped_only``: those whose category or level is unknown."""
    k = dim_department_conformed
    query = _in_scope(_with_region(k, "region_name", "province_name"), k, region_prefix=region_prefix,
                      province=province)
    if unmapped_only:
        query = query.where(k.c.department_category.is_(None) | k.c.admin_level.is_(None))
    return frame(engine, query.order_by(k.c.region_code, k.c.department_name))


def _document_results(engine: Engine, region_prefix, province, years) -> pl.DataFrame:
    q, d = fct_data_quality, dim_document
    query = select(
        q.c.rule_code, q.c.severity, q.c.passed, literal("document").label("category"), d.c.region_code,
        dim_region.c.region_name, d.c.department_name, d.c.fiscal_year, q.c.message, q.c.actual, q.c.expected,
        q.c.tolerance, d.c.source_uri, q.c.document_id, q.c.finding,
    ).select_from(q.join(d, d.c.document_id == q.c.document_id).outerjoin(
        dim_region, dim_region.c.region_code == d.c.region_code)).where(d.c.status == LOADED)
    query = _in_scope(query, d, region_prefix=region_prefix, years=years, province=province)
    return frame(engine, query).with_columns(
        pl.lit(None, dtype=pl.Utf8).alias("check_id"),
        pl.col("source_uri").str.split("/").list.last().alias("documents"), pl.lit(None, dtype=pl.Utf8).alias("pages"),
        pl.col("document_id").alias("document_ids"))


def _cross_results(engine: Engine, region_prefix, province, years) -> pl.DataFrame:
    x, e, d = fct_cross_document_check, fct_cross_document_evidence, dim_document
    query = select(
        x.c.rule_code, x.c.severity, x.c.passed, literal("cross_document").label("category"), x.c.region_code,
        dim_region.c.region_name, x.c.department_name, x.c.fiscal_year, x.c.message, x.c.actual, x.c.expected,
        x.c.tolerance, x.c.check_id,
    ).select_from(x.outerjoin(dim_region, dim_region.c.region_code == x.c.region_code))
    query = _in_scope(query, x, region_prefix=region_prefix, years=years, province=province)
    checks = frame(engine, query).with_columns(pl.lit(None, dtype=pl.Utf8).alias("finding"))  # per document only
    evidence = frame(engine, select(e.c.check_id, e.c.document_id, d.c.source_uri, e.c.page_no, e.c.fiscal_year)
                     .select_from(e.join(d, d.c.document_id == e.c.document_id))
                     .order_by(e.c.check_id, e.c.fiscal_year, d.c.source_uri))
    where = evidence.with_columns(
        pl.col("source_uri").str.split("/").list.last().alias("file"),
        pl.when(pl.col("page_no").is_not_null()).then(pl.format("p{}", pl.col("page_no"))).otherwise(pl.lit(""))
        .alias("page"),
    ).group_by("check_id", maintain_order=True).agg(
        pl.col("file").unique(maintain_order=True).str.join("; ").alias("documents"),
        pl.col("document_id").str.join(";").alias("document_ids"),
        pl.format("{} {}", pl.col("file"), pl.col("page")).str.strip_chars().str.join("; ").alias("pages"))
    return checks.join(where, on="check_id", how="left")


QUALITY_COLUMNS = ["rule_code", "category", "severity", "passed", "region_code", "region_name", "department_name",
                   "fiscal_year", "message", "actual", "expected", "difference", "tolerance", "documents", "pages",
                   "check_id", "document_ids", "finding"]


def quality_results(engine: Engine, *, region_prefix: str | None = None, province: str | None = None,
                    years: list[int] | None = None) -> pl.DataFrame:
    """Every rule result, per-document and cross-document, in one shape: rule, category, severity,
    passed (null = not evaluated), where, message, value provided (actual), expected, difference,
    tolerance, the documents involved (file names; ``document_ids``: their sha256 ids, ``;``-joined,
    to link each result to ``v_document``) and the pages of the compared figures (``file p3; …``);
    ``check_id`` keys a cross-document result in ``v_cross_document_evidence``; ``finding`` says what
    a per-document failure is (``contradiction`` / ``unreconciled``, see ``v_data_quality``)."""
    frames = [_document_results(engine, region_prefix, province, years), _cross_results(engine, region_prefix,
                                                                                         province, years)]
    out = pl.concat([f.with_columns((pl.col("actual") - pl.col("expected")).alias("difference")).select(QUALITY_COLUMNS)
                     for f in frames], how="vertical_relaxed")
    return out.sort(["category", "rule_code", "region_code", "fiscal_year"], nulls_last=True)


def quality_by_rule(results: pl.DataFrame) -> pl.DataFrame:
    return results.group_by(["category", "rule_code", "severity"]).agg(
        (pl.col("passed") == True).sum().alias("passed"),  # noqa: E712  (polars: null stays null)
        (pl.col("passed") == False).sum().alias("failed"),  # noqa: E712
        pl.col("passed").is_null().sum().alias("not_evaluated"),
        (pl.col("finding") == "contradiction").sum().alias("contradictions"),
        (pl.col("finding") == "unreconciled").sum().alias("unreconciled"),
    ).sort(["failed", "category", "rule_code"], descending=[True, False, False])


def quality_by_department(results: pl.DataFrame) -> pl.DataFrame:
    failed = pl.col("passed") == False  # noqa: E712
    return results.group_by(["region_code", "region_name", "department_name", "fiscal_year"]).agg(
        (failed & (pl.col("severity") == "error")).sum().alias("errors"),
        (failed & (pl.col("severity") == "warning")).sum().alias("warnings"),
        pl.col("passed").is_null().sum().alias("not_evaluated"),
    ).filter((pl.col("errors") + pl.col("warnings")) > 0).sort(
        ["errors", "warnings", "region_code", "department_name"], descending=[True, True, False, False],
        nulls_last=True)


def yuan(value: Decimal | None) -> str:
    """Exact yuan with thousands separators, or an em dash for a figure not stated."""
    return "—" if value is None else f"{value:,.2f}"


__all__ = ["coverage", "departments", "department_years",
           "document_counts", "execution", "frame", "quality_by_department", "quality_by_rule", "quality_results",
           "three_public_trend", "yuan"]
