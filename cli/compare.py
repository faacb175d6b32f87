"""``county-budgets compare`` and ``county-budgets departments``: departments of one kind side by side.

``compare --category 信访 [--year 2026] [--province 河北省] [--level county|…|all] [--peers 130127]
[--metric expenditure|…] [--kind budget|final_account]`` prints the rows of the one ranking,
``v_department_ranking`` (:mod:`load.ranking`): per fiscal year and level, every department of the
category (or group) ranked among the departments of its own level and body type — the ranks and
shares ``v_category_comparison`` and the report give. ``--level all`` ranks across levels, asked
for explicitly; ``--peers REGION`` ranks the region's department among the same category and level
in its province. A department that does not state the figure is listed last, unranked, never
counted as zero; a selection that matches nothing is refused (exit 2). ``departments [--unmapped]``
lists each department's category, level and body type and why; ``--unmapped`` those whose
category or level is unknown. Mounted by :mod:`cli.app`.
"""

from __future__ import annotations

from typing import List, Optional

import polars as pl
import typer

from reference.departments import category_names, group_names, normalise, resolve_category
from reference.regions import region_by_code
from cli.options import as_callback, check_region
from cli.output import (
    FORMAT, PROVINCE, REGION, WAREHOUSE, YEAR, console, emit, queried, region_filter, table, wan,
)
from load.comparison import departments, yuan
from load.ranking import RANKED_WITHIN, ranking_rows
from load.warehouse import opened
from schemas.errors import SetupError
from schemas.ranking import METRICS
from schemas.vocabulary import ADMIN_LEVELS, ALL_LEVELS, DEPARTMENT_BUDGET, FINAL_ACCOUNT

KINDS = {"budget": DEPARTMENT_BUDGET, "final_account": FINAL_ACCOUNT}
LEVEL_LABELS = {"national": "national (中央)", "provincial": "provincial (省级)", "city": "city (地级)",
                "county": "county (县级)", "township": "township (乡级)", None: "level unknown"}
# what compare prints in csv/json: the columns it always printed, then the ranking's own
COLUMNS = ["fiscal_year", "rank", "region_code", "region_name", "province_name", "department_name",
           "department_category", "doc_kind", "value_yuan", "share", "document_count", "quality_failures",
           "admin_level", "body_type", "peers", "ranked_within", "metric", "value_ratio", "numerator_yuan",
           "denominator_yuan", "department_id", "comparison"]


def check_level(value: str) -> str:
    if value not in (*ADMIN_LEVELS, ALL_LEVELS):
        raise ValueError(f"unknown level {value!r}: use {', '.join(ADMIN_LEVELS)}, or {ALL_LEVELS} to rank across "
                         "levels")
    return value


LEVEL = typer.Option(None, "--level", callback=as_callback(check_level),
                     help="only this level (national, provincial, city, county, township), or 'all' to rank "
                          "across levels; default: every level, each ranked within its own")
PEERS = typer.Option(None, "--peers", callback=as_callback(check_region),
                     help="rank this region's department among the same category and level in its province")


def comparison_of(category: str) -> tuple[str, str]:
    """(``compared_as``, name): a group (党委部门, 政府部门) ranks its whole group, else the category."""
    if not resolve_category(category):
        raise SetupError(f"--category: unknown category {category!r}; categories: {', '.join(category_names())}; "
                         f"groups: {', '.join(group_names())}")
    name = normalise(category)
    return ("group", name) if name in group_names() else ("category", name)


def shown(rows: pl.DataFrame, within: str) -> pl.DataFrame:
    """The ranking's rows with the rank, share and peers of ``within`` (level, province, all_levels)."""
    rank, share, peers = RANKED_WITHIN[within]
    return rows.with_columns(pl.col(rank).alias("rank"), pl.col(share).alias("share"), pl.col(peers).alias("peers"),
                             pl.lit(within).alias("ranked_within")).select(COLUMNS)


def _peer_rows(engine, code: str, comparisons: list[str], **query) -> pl.DataFrame:
    """The ranking within the province at the level of ``code``'s department(s) of the category."""
    rows = ranking_rows(engine, comparisons, **query, region_prefix=code[:2])
    own = rows.filter(pl.col("region_code") == code)
    if own.is_empty():
        place = region_by_code(code)
        raise SetupError(f"--peers: no {'/'.join(comparisons)} department of {place.name if place else code} ({code}) "
                         "in the warehouse for this selection")
    keep = own.select("admin_level", "body_type").unique()
    return rows.join(keep, on=["admin_level", "body_type"], how="semi")


def compare_command(
    category: str = typer.Option(..., "--category", "-c", help="a department category (信访) or group (党委部门)"),
    year: Optional[List[int]] = YEAR,
    province: Optional[str] = PROVINCE,
    region: Optional[str] = REGION,
    level: Optional[str] = LEVEL,
    peers: Optional[str] = PEERS,
    metric: str = typer.Option("expenditure", "--metric", "-m", help=", ".join(METRICS)),
    kind: str = typer.Option("budget", "--kind", help="budget (department budgets) or final_account"),
    fmt: str = FORMAT,
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Rank every department of a category per fiscal year within its level, figures as the documents state them."""
    compared_as, name = comparison_of(category)
    if metric not in METRICS or kind not in KINDS:
        raise SetupError(f"--metric takes {', '.join(METRICS)}; --kind takes {', '.join(KINDS)}")
    doc_kind = FINAL_ACCOUNT if metric == "execution_rate" else KINDS[kind]
    query = dict(compared_as=compared_as, metric=metric, doc_kind=doc_kind, years=year or None)
    with queried(warehouse) as engine:
        if peers:
            rows, within = _peer_rows(engine, peers, [name], **query), "province"
        else:
            rows = ranking_rows(engine, [name], **query, province=province, region_prefix=region_filter(region),
                                levels=[level] if level else None)
            within = "all_levels" if level == ALL_LEVELS else "level"
    if rows.is_empty():
        raise SetupError(f"no {kind} of a {category} department in the warehouse for this selection "
                         "(--year, --province, --region, --level)")
    out = shown(rows, within)
    if within == "all_levels":
        out = out.sort(["fiscal_year", "rank"], descending=[True, False], nulls_last=True, maintain_order=True)
    if fmt != "table":
        emit(out, fmt)
        return
    _print(out, category, metric, kind, within, peers)


def _print(out: pl.DataFrame, category: str, metric: str, kind: str, within: str, peers: str | None) -> None:
    ratio = METRICS[metric].unit == "ratio"
    keys = ["fiscal_year"] if within == "all_levels" else ["fiscal_year", "admin_level", "body_type"]
    for key, rows in out.group_by(keys, maintain_order=True):
        year = key[0]
        where = ("all levels" if within == "all_levels" else
                 f"{LEVEL_LABELS.get(key[1], key[1])} {key[2] or ''}s" + (" in its province" if peers else ""))
        stated = rows["rank"].drop_nulls().len()
        title = (f"{category} · {year} · {where} · {METRICS[metric].label} · {kind}: {stated} ranked of "
                 f"{rows.height}")
        body = [[("▶ " if r["region_code"] == peers else "") + (f"{r['rank']}/{r['peers']}" if r["rank"] else "—"),
                 r["admin_level"] or "—", r["province_name"] or "—", r["region_name"] or "—", r["department_name"],
                 *([_percent(r["value_ratio"]), yuan(r["numerator_yuan"]), yuan(r["denominator_yuan"])] if ratio else
                   [yuan(r["value_yuan"]), wan(r["value_yuan"]), _percent(r["share"])]),
                 r["document_count"], r["quality_failures"]] for r in rows.iter_rows(named=True)]
        values = ["value", "numerator (yuan)", "denominator (yuan)"] if ratio else ["yuan", "万元", "share"]
        console.print(table(title, ["rank", "level", "province", "region", "department", *values, "docs",
                                    "failed rules"], body, right=("rank", *values, "docs", "failed rules")))


def _percent(value) -> str:
    return "—" if value is None else f"{float(value):.2%}"


def departments_command(
    unmapped: bool = typer.Option(False, "--unmapped", help="only departments whose category or level is unknown"),
    province: Optional[str] = PROVINCE,
    region: Optional[str] = REGION,
    fmt: str = FORMAT,
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Each department's category, level and body type and why; --unmapped lists those whose category
    or level is unknown."""
    with opened(warehouse) as engine:  # writes: the mapping file may have changed since the last load
        from flows.conform import refresh  # the comparison refresh (transform): imported when asked for

        report = refresh(engine)
        rows = departments(engine, unmapped_only=unmapped, province=province,
                           region_prefix=region_filter(region))
    if fmt != "table":
        emit(rows, fmt)
        return
    title = (f"{rows.height} departments with no category or level" if unmapped
             else f"{rows.height} departments, {len(report.unmapped)} with no category or level in the whole "
                  "warehouse")
    body = [[r["region_code"] or "—", r["region_name"] or "—", r["department_name"], r["department_category"] or "—",
             r["category_group"] or "", r["admin_level"] or "—", r["body_type"] or "", r["matched_on"] or "",
             r["matched_pattern"] or "", r["parent_department_name"] or ""] for r in rows.iter_rows(named=True)]
    console.print(table(title, ["code", "region", "department", "category", "group", "level", "body", "matched on",
                                "pattern", "parent (as stated)"], body))
    if unmapped and rows.height:
        console.print("no category: add a pattern to reference/data/department_categories.toml (see its "
                      "header); no level: the department names no region and no level (国家…, 镇/乡/街道)")
