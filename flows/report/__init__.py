"""The offline HTML report: comparison, three-public trend, execution, coverage, data quality.

``data`` gathers the rows (through :mod:`load.comparison`), ``evidence`` links each failed
rule to its documents and pages, ``charts`` builds the plotly figures, ``render`` fills the
Jinja2 template ``report.html.j2``, ``publish`` writes the file and is the nightly flow's hook,
``cli`` is the ``report`` command.
"""
