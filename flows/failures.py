"""Turning whatever went wrong with one document into a reason a person understands.

A :class:`~schemas.errors.DocumentError` already carries such a reason. Anything else
raised while a document is read, parsed, transformed or checked is explained here by
kind — a figure too large for ``DECIMAL(18,2)``, memory or nesting beyond the limits, a
frame the warehouse would refuse, and, last, an unexpected error, named as a bug with
its type and message — so the document is quarantined with that reason and the run
goes on.
"""

from __future__ import annotations

import re
import traceback
from decimal import InvalidOperation

from schemas.errors import ContractError, DocumentError

VERB = {"read": "reading", "parse": "parsing", "transform": "transforming", "check": "checking its figures",
        "store": "storing", "worker": "reading"}
MAX_DETAIL = 300
_OUT_OF_RANGE = re.compile(r"decimal precision|can't fit|cannot fit|too large to fit|decimal128|numeric field overflow"
                           r"|out of range for (?:type )?(?:numeric|decimal)|building Series of type Decimal", re.I)
# a frame inside these modules means the data-quality rules were running
_CHECK_MODULES = re.compile(r"[/\\]transform[/\\](?:quality|rules)")


def _detail(exc: BaseException) -> str:
    """The first line of the error's message (polars adds its expression context below it)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def stage_of(exc: BaseException, stage: str) -> str:
    """``check`` when the error came from the data-quality rules, else the stage it was raised in."""
    if stage == "transform":
        files = [frame.filename for frame in traceback.extract_tb(exc.__traceback__)]
        if any(_CHECK_MODULES.search(f) for f in files):
            return "check"
    return stage


def explain(exc: BaseException, stage: str, *, memory_limit_mb: int | None = None) -> str:
    """One sentence: what about this document stopped it at ``stage``."""
    if isinstance(exc, DocumentError):
        return exc.reason
    verb = VERB.get(stage, stage)
    if isinstance(exc, MemoryError):
        limit = f" (the limit is {memory_limit_mb:,} MB per document)" if memory_limit_mb else ""
        return f"ran out of memory while {verb} it{limit}"
    if isinstance(exc, RecursionError):
        return f"its structure is nested too deeply to finish {verb} it"
    if isinstance(exc, InvalidOperation) or _OUT_OF_RANGE.search(str(exc)):
        detail = "decimal.InvalidOperation" if isinstance(exc, InvalidOperation) else _detail(exc)
        return (f"a printed figure is out of range while {verb} it: beyond DECIMAL(18,2) yuan "
                f"(16 digits before the decimal point) ({detail})")
    if isinstance(exc, ContractError):
        return f"its figures do not fit the warehouse ({_detail(exc)})"
    return (f"unexpected error while {verb} it: {type(exc).__name__}: {_detail(exc)} "
            "(a bug in county-budgets: please report it with this file)")
