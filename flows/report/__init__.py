"""The offline HTML report: comparison, three-public trend, execution, coverage, data quality.

``data`` gathers the rows (the one ranking through :mod:`load.ranking`, the rest through
:mod:`load.comparison`), ``evidence`` links each failed rule to its documents and pages, ``links``
each table figure to its page, ``sections`` builds each section, ``charts`` the ECharts options
(the partial ECharts bundle in ``vendor/``), ``render`` fills the Jinja2 template ``report.html.j2``,
``write`` writes the file, ``publish`` is the nightly flow's hook, ``cli`` the ``report`` command.
"""
