"""``python -m cli …``: the ``county-budgets`` command as its own process (the tests run it so)."""

from cli.main import entry

entry()
