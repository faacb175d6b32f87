"""The ``county-budgets`` command line: typer commands over :mod:`flows` (runs, the refresh, the report),
:mod:`load` (queries), :mod:`transform`, :mod:`extract` and :mod:`reference`. Nothing imports ``cli``."""
