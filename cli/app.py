"""The ``county-budgets`` command line: every command on one typer app.

The run commands and the app itself are in :mod:`cli.run`; this module registers the others (one
module each) on it. ``cli.app.app`` is the whole command line (what the tests invoke);
the installed command starts at :func:`cli.main.main`.
"""

from __future__ import annotations

from cli.run import app, parse_years, year_lines  # noqa: F401  (re-exported: the app and its helpers)

from cli.audit import audit_command
from cli.compare import compare_command, departments_command
from cli.coverage import coverage_command
from cli.export import export_command
from cli.quality import quality_command
from cli.report import report_command
from cli.rules import rules_command
from cli.review import review_app
from cli.sources import sources_app

app.add_typer(sources_app, name="sources")
app.add_typer(review_app, name="review")
app.command("audit")(audit_command)
app.command("export")(export_command)
app.command("compare")(compare_command)
app.command("coverage")(coverage_command)
app.command("quality")(quality_command)
app.command("departments")(departments_command)
app.command("report")(report_command)
app.command("rules")(rules_command)


def main() -> None:  # pragma: no cover
    app(prog_name="county-budgets")


if __name__ == "__main__":  # python -m cli.app …
    main()
