"""The nightly flow's hook: write the report and publish its summary as a Prefect artifact.

:func:`publish_report` is the Prefect task the nightly flow calls once at its end: it writes
the whole-warehouse report to its path (the flow's ``report`` parameter, else
:func:`flows.report.write.default_report_path`) and publishes a markdown artifact
``county-budgets-report``: counts per section, the top-ranked department of every category,
the failing rules and where the file is.
"""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

from flows.report.write import ReportSummary, default_report_path, write_report
from flows.request import RunRequest
from flows.warehouse import resolved_url, run_warehouse

ARTIFACT_KEY = "county-budgets-report"


@task(name="write-report", cache_policy=NONE, retries=0)
def publish_report(warehouse: str | None = None, report: str | None = None) -> ReportSummary:
    """The nightly hook: write the whole-warehouse report and publish its summary as an artifact."""
    url = resolved_url(warehouse)
    out = Path(report) if report else default_report_path(url)
    with run_warehouse(RunRequest(warehouse=url)) as engine:  # the nightly run's own, still open
        summary = write_report(engine, out, warehouse=url)
    create_markdown_artifact(summary.markdown(), key=ARTIFACT_KEY, description=summary.line())
    print(summary.line())
    return summary
