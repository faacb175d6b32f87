"""``county-budgets report --out report.html [--province] [--region] [--year] [--category]``.

Writes the report (:mod:`flows.report`) for the warehouse or a part of it, and prints what it
holds and where it is. Mounted by :mod:`cli.app`.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from reference.departments import category_names, group_names, resolve_category
from cli.output import PROVINCE, REGION, WAREHOUSE, YEAR, console, queried, region_filter
from flows.report.data import ReportScope
from flows.safe_text import safe_text
from flows.warehouse import resolved_url
from flows.report.write import NothingSelected, write_report
from schemas.errors import SetupError


def _categories(names: list[str]) -> tuple[str, ...]:
    resolved: list[str] = []
    for name in names:
        found = resolve_category(name)
        if not found:
            raise SetupError(f"--category: unknown category {name!r}; categories: {', '.join(category_names())}; "
                             f"groups: {', '.join(group_names())}")
        resolved.extend(c for c in found if c not in resolved)
    return tuple(resolved)


def report_command(
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="the HTML file to write"),
    province: Optional[str] = PROVINCE,
    region: Optional[str] = REGION,
    year: Optional[List[int]] = YEAR,
    category: Optional[List[str]] = typer.Option(None, "--category", "-c",
                                                 help="only this category or group (repeat for several)"),
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Write one self-contained HTML report (works offline): comparison, three-public trend,
    execution, coverage and data quality with links to the source pages. A selection that matches
    nothing is refused (exit 2)."""
    scope = ReportScope(province=province, region_prefix=region_filter(region),
                        years=tuple(year or ()), categories=_categories(category or []))
    url = resolved_url(warehouse)
    with queried(url) as engine:
        try:
            summary = write_report(engine, out, scope, warehouse=url, refuse_empty=True)
        except NothingSelected as exc:
            raise SetupError(f"{exc} (check --province, --region, --year, --category)") from None
    console.print(safe_text(summary.line()), soft_wrap=True)
    console.print(f"open it with a browser: {summary.path.resolve().as_uri()}", soft_wrap=True)
