"""``county-budgets quality [--region] [--province] [--year]``: the data-quality report.

One validation report over both kinds of rule: the per-document identities
(``v_data_quality``) and the cross-document checks (``v_cross_document_check``: this year's
上年 figure vs last year's document, execution against the budget, missing years, a
department against its units). It prints a summary by rule, the departments with failures,
and each failure as rule, what it is (``contradiction``: the document prints both sides and they
disagree; ``unreconciled``: the pipeline could not make them meet), message, value provided,
expected, difference, and the documents and pages involved (per-document failures located at the
printed lines they compare, as the report does); ``--finding`` keeps one kind. Messages are printed
whole, wrapped, never cut. ``--format csv|json`` writes every result (passed, failed, not
evaluated) in that one shape, pages included. Mounted by :mod:`cli.app`.
"""

from __future__ import annotations

from typing import List, Optional

import polars as pl
import typer

from cli.output import (
    FORMAT, PROVINCE, REGION, WAREHOUSE, YEAR, console, emit, queried, region_filter, table,
)
from flows.report.evidence import with_pages
from load.comparison import quality_by_department, quality_by_rule, quality_results, yuan


def quality_command(
    region: Optional[str] = REGION,
    province: Optional[str] = PROVINCE,
    year: Optional[List[int]] = YEAR,
    rule: Optional[str] = typer.Option(None, "--rule", help="only this rule code"),
    finding: Optional[str] = typer.Option(None, "--finding", help="only failures of this kind: contradiction "
                                                                  "(the document disagrees with itself) or "
                                                                  "unreconciled (the pipeline could not make "
                                                                  "its figures meet)"),
    limit: int = typer.Option(50, "--limit", help="show at most N failures and departments (0: all)"),
    fmt: str = FORMAT,
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Summarise data quality by rule and by department, and list each failure with its documents."""
    with queried(warehouse) as engine:
        results = quality_results(engine, region_prefix=region_filter(region), province=province,
                                  years=year or None)
        if rule:
            results = results.filter(pl.col("rule_code") == rule)
        if finding:
            results = results.filter(pl.col("finding") == finding)
        results = with_pages(engine, results)
    if fmt != "table":
        emit(results, fmt)
        return
    failed = results.filter(pl.col("passed") == False)  # noqa: E712
    passed = results.filter(pl.col("passed") == True).height  # noqa: E712
    errors = failed.filter(pl.col("severity") == "error")
    console.print(f"{results.height} rule results: {passed} passed, {failed.height} failed "
                  f"({errors.height} errors: {errors.filter(pl.col('finding') == 'contradiction').height} "
                  f"contradictions, {errors.filter(pl.col('finding') == 'unreconciled').height} unreconciled), "
                  f"{results['passed'].null_count()} not evaluated")
    by_rule = quality_by_rule(results)
    counts = ("passed", "failed", "contradictions", "unreconciled", "not evaluated")
    console.print(table("by rule", ["rule", "kind", "severity", *counts],
                        [[r["rule_code"], r["category"], r["severity"], r["passed"], r["failed"], r["contradictions"],
                          r["unreconciled"], r["not_evaluated"]] for r in by_rule.iter_rows(named=True)],
                        right=counts))
    cut = limit or None
    by_department = quality_by_department(results)
    console.print(table(f"departments with failures ({by_department.height})",
                        ["region", "department", "year", "errors", "warnings", "not evaluated"],
                        [[r["region_name"] or r["region_code"] or "—", r["department_name"] or "—",
                          r["fiscal_year"] or "—", r["errors"], r["warnings"], r["not_evaluated"]]
                         for r in by_department.head(cut).iter_rows(named=True)],
                        right=("errors", "warnings", "not evaluated")))
    shown = failed.sort(["severity", "rule_code", "region_code"]).head(cut)
    console.print(table(f"failures ({failed.height}{'' if cut is None or failed.height <= cut else f', first {cut}'})",
                        ["rule", "severity", "finding", "department", "year", "message", "value provided",
                         "expected", "difference", "document and page"],
                        [[r["rule_code"], r["severity"], r["finding"] or "—", r["department_name"] or "—",
                          r["fiscal_year"] or "—",
                          r["message"] or "", yuan(r["actual"]), yuan(r["expected"]),
                          yuan(r["difference"]), r["pages"] or r["documents"] or "—"]
                         for r in shown.iter_rows(named=True)],
                        right=("value provided", "expected", "difference")))
