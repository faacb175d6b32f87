"""``county-budgets``: the installed command (and ``python -m cli``).

A nightly ``run`` (or ``backfill``, ``serve``) needs only :mod:`cli.run`; the other commands'
modules — queries, audit, review, sources, and what they import (polars, the parser, the
comparison refresh) — are imported, and registered on the same app, only when the command
line names one of them or asks for help. That keeps the start of a run, which an unchanged
night is mostly made of, to the imports the run itself uses.
"""

from __future__ import annotations

import gc
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


def prepares_here(argv: list[str]) -> bool:
    """True when ``argv`` is a ``run`` or ``backfill`` whose documents this machine's worker processes will
    prepare: not ``--help``, not on Dask (``--dask``, ``--dask-address`` or its environment variable), not
    in the command's own process (``--time-limit 0``). A guess from the words alone, before typer has
    parsed them: a wrong yes costs a forkserver started and stopped unused."""
    import os

    if command_named(argv) not in ("run", "backfill") or os.environ.get("COUNTY_BUDGETS_DASK_ADDRESS"):
        return False
    words = [w for arg in argv for w in arg.split("=", 1)]
    if {"--help", "--dask", "--dask-address"} & set(words):
        return False
    return not any(a == "--time-limit" and b in ("0", "0.0") for a, b in zip(words, words[1:]))


def entry() -> None:
    """The process's entry (the installed command, ``python -m cli``). A run or a backfill whose documents
    this machine prepares (:func:`prepares_here`) starts the workers' forkserver first of all; then
    :func:`main`, then ``gc.freeze()`` on the way out, however the command ended. Python's finalization
    otherwise walks every object the command's imports made (SQLAlchemy's, DuckDB's, polars') looking for
    cycles to collect: 0.15–0.2 s at the end of every command, a fifth of an unchanged night's run.
    Nothing is left for it to close: a run disposes of its warehouse, its workers and their forkserver in
    their own blocks and exit handlers, and the interpreter still flushes stdout and stderr. Not for
    callers of :func:`main` inside a longer-lived process: frozen objects are never collected."""
    if prepares_here(sys.argv[1:]):
        # the workers' forkserver imports the pipeline (0.8 s) while this process imports the command's own
        # modules (0.3 s), instead of after them: the first document reaches a ready worker 0.5 s sooner
        from flows import forkserver

        forkserver.start()
    try:
        main()
    finally:
        gc.freeze()
