"""``county-budgets compare`` and ``county-budgets departments``: departments of one kind side by side.

``compare --category 信访 [--year 2026] [--province 河北省] [--metric expenditure|three_public|operating]``
ranks every department of the category per fiscal year (largest first) with its figure as the
documents state it, its share of the year's stated total and its failed rules; a department
that does not state the figure is listed last, unranked, never counted as zero.
``departments [--unmapped]`` lists each department's category and why it got it (the pattern,
and whether it matched the department's own name or the parent its documents state), so an
unmapped name is seen, never guessed. Mounted by :mod:`flows.cli`.
"""

from __future__ import annotations

from typing import List, Optional

import typer

from extract.reference.departments import category_names, group_names, resolve_category
from flows.conform import refresh
from flows.safe_text import safe_text
from flows.output import (
    FORMAT, PROVINCE, REGION, WAREHOUSE, YEAR, console, emit, pct, queried, region_filter, table, wan,
)
from load.comparison import METRICS, category_comparison, departments, yuan
from load.warehouse import opened
from schemas.errors import SetupError

METRIC_LABELS = {"expenditure": "支出总计 expenditure total", "three_public": "“三公”经费 total",
                 "operating": "机关运行经费 operating expenses"}
KINDS = {"budget": "department_budget", "final_account": "final_account"}


def compare_command(
    category: str = typer.Option(..., "--category", "-c", help="a department category (信访) or group (党委部门)"),
    year: Optional[List[int]] = YEAR,
    province: Optional[str] = PROVINCE,
    region: Optional[str] = REGION,
    metric: str = typer.Option("expenditure", "--metric", "-m", help="expenditure, three_public or operating"),
    kind: str = typer.Option("budget", "--kind", help="budget (department budgets) or final_account"),
    fmt: str = FORMAT,
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Rank every department of a category per fiscal year, figures as the documents state them."""
    categories = resolve_category(category)
    if not categories:
        raise SetupError(f"--category: unknown category {category!r}; categories: {', '.join(category_names())}; "
                         f"groups: {', '.join(group_names())}")
    if metric not in METRICS or kind not in KINDS:
        raise SetupError(f"--metric takes {', '.join(METRICS)}; --kind takes {', '.join(KINDS)}")
    with queried(warehouse) as engine:
        ranking = category_comparison(engine, categories, metric=metric, years=year or None,
                                      province=province, region_prefix=region_filter(region),
                                      doc_kind=KINDS[kind])
    if fmt != "table":
        emit(ranking, fmt)
        return
    if ranking.is_empty():
        console.print(safe_text(f"no {kind} of a {category} department in the warehouse for this selection"))
        return
    for (fiscal_year,), rows in ranking.group_by(["fiscal_year"], maintain_order=True):
        title = f"{category} · {fiscal_year} · {METRIC_LABELS[metric]} · {kind}: {rows.height} departments"
        body = [[r["rank"] or "—", r["province_name"] or "—", r["region_name"] or "—", r["department_name"],
                 yuan(r["value_yuan"]), wan(r["value_yuan"]), pct(r["share"]), r["document_count"],
                 r["quality_failures"]] for r in rows.iter_rows(named=True)]
        console.print(table(title, ["rank", "province", "region", "department", "yuan", "万元", "share", "docs",
                                    "failed rules"], body, right=("rank", "yuan", "万元", "share", "docs",
                                                                  "failed rules")))


def departments_command(
    unmapped: bool = typer.Option(False, "--unmapped", help="only departments no category pattern matches"),
    province: Optional[str] = PROVINCE,
    region: Optional[str] = REGION,
    fmt: str = FORMAT,
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Each department's category and why; --unmapped lists the names the mapping does not cover."""
    with opened(warehouse) as engine:  # writes: the mapping file may have changed since the last load
        report = refresh(engine)
        rows = departments(engine, unmapped_only=unmapped, province=province,
                           region_prefix=region_filter(region))
    if fmt != "table":
        emit(rows, fmt)
        return
    title = (f"{rows.height} unmapped departments" if unmapped
             else f"{rows.height} departments, {len(report.unmapped)} unmapped in the whole warehouse")
    body = [[r["region_code"] or "—", r["region_name"] or "—", r["department_name"], r["department_category"] or "—",
             r["category_group"] or "", r["matched_on"] or "", r["matched_pattern"] or "",
             r["parent_department_name"] or ""] for r in rows.iter_rows(named=True)]
    console.print(table(title, ["code", "region", "department", "category", "group", "matched on", "pattern",
                                "parent (as stated)"], body))
    if unmapped and rows.height:
        console.print("add a pattern to extract/reference/data/department_categories.toml (see its header)")
