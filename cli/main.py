"""``county-budgets``: the installed command (and ``python -m cli``).

A nightly ``run`` (or ``backfill``, ``serve``) needs only :mod:`cli.run`; the other commands'
modules — queries, audit, review, sources, and what they import (polars, the parser, the
comparison refresh) — are imported, and registered on the same app, only when the command
line names one of them or asks for help. That keeps the start of a run, which an unchanged
night is mostly made of, to the imports the run itself uses.
"""

from __future__ import annotations

import sys

RUN_COMMANDS = ("run", "backfill", "serve")


def command_named(argv: list[str]) -> str | None:
    """The command an argument list names: its first argument that is not an option (``--verbose``
    is the one option before a command); None when there is none."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: list[str] | None = None) -> None:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``)."""
    args = sys.argv[1:] if argv is None else argv
    from cli.run import app

    if command_named(args) not in RUN_COMMANDS:
        import cli.app  # noqa: F401  (registers every other command on the same app)
    app(args=args, prog_name="county-budgets")
