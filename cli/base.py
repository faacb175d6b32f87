"""What every ``county-budgets`` command shares: set-up errors as one line, ``--verbose``.

:class:`CommandGroup` is the click group behind the typer app, so every command and
sub-command (``run``, ``sources import``, ``export`` …) gets the same treatment: a
:class:`~schemas.errors.SetupError` — or the warehouse going away in the middle of a
run — is printed as one line on stderr naming the problem and the fix, and the command
exits 2; ``--verbose`` anywhere on the command line (or ``COUNTY_BUDGETS_VERBOSE=1``)
also prints the traceback. A damaged warehouse file found in the middle of a command (a
checksum that does not match) is such a line too. What reaches stderr shows URLs with their
password as ``***`` (:func:`schemas.redact.mask_url`) and no control characters
(:func:`flows.safe_text.safe_text`).
"""

from __future__ import annotations

import os
import sys
import traceback

import click
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from rich.console import Console
from typer.core import TyperGroup

from flows.safe_text import safe_text
from load.warehouse import damage
from schemas.errors import ContractError, SetupError
from schemas.redact import mask_url

VERBOSE_FLAG = "--verbose"
VERBOSE_ENV = "COUNTY_BUDGETS_VERBOSE"
SETUP_EXIT = 2


def _one_line(text: object) -> str:
    return " ".join(safe_text(mask_url(text), markup=None).split())


class CommandGroup(TyperGroup):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if VERBOSE_FLAG in args:
            ctx.meta["verbose"] = True
            args = [a for a in args if a != VERBOSE_FLAG]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SetupError as exc:
            self._fail(ctx, f"error: {_one_line(exc)}")
        except DBAPIError as exc:
            if damaged := damage(exc):
                self._fail(ctx, f"error: {_one_line(damaged)}")
            if not isinstance(exc, (OperationalError, InterfaceError)):
                raise
            detail = _one_line(getattr(exc, "orig", None) or exc).split(" [SQL:")[0]
            self._fail(ctx, f"error: the warehouse failed during the run ({detail}). Every document stored so far is "
                            "complete (one transaction each); fix the warehouse and run again to continue")
        except ContractError as exc:
            self._fail(ctx, f"error: contract broken, run stopped (a bug in county-budgets): {_one_line(exc)}")

    @staticmethod
    def _fail(ctx: click.Context, message: str) -> None:
        if ctx.meta.get("verbose") or os.environ.get(VERBOSE_ENV):
            sys.stderr.write(mask_url(traceback.format_exc()))
        click.echo(message, err=True)
        ctx.exit(SETUP_EXIT)


PIPED_WIDTH = 200  # columns of a table written to a file or a pipe (rich's default there is 80)


def report_console(**kwargs) -> Console:
    """The console commands print their tables on: the terminal's width on a terminal; elsewhere (a
    log file, cron's mail, ``| less``) ``COLUMNS`` if set, else :data:`PIPED_WIDTH`, so tables are
    not cut to 80 columns with names elided."""
    console = Console(**kwargs)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console
