"""Batches prepared somewhere else (a Prefect task, a Dask worker) and what happens when that fails.

A task carries a batch of documents (:data:`flows.runner.BATCH_SIZE`), not one page or one
document, so orchestration stays a small share of the work; :func:`batch_label` names
the task run after the batch's first and last file. Wherever the batch runs, its
documents are prepared by :func:`prepare_batch` under the same per-document limits
(:mod:`flows.isolation`: each document in a worker process with a time and memory limit),
so a bad document costs only itself there too. If the batch's task itself is lost — a
Dask worker dies or is cut off, the task breaks outside any document — :class:`Recovering`
re-runs that batch's documents here, each in its own isolated worker, so only a culprit
document is quarantined and no document is lost or loaded twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Sequence

from flows.isolation import preparer_for
from flows.pipeline import Prepared
from flows.progress import short_name
from flows.request import Limits

log = logging.getLogger(__name__)


def batch_label(items: Sequence[tuple[bytes, str]]) -> str:
    """``a.pdf`` for one document, ``a.pdf … z.pdf (16 documents)`` for a batch."""
    if not items:
        return "(no documents)"
    first, last = short_name(items[0][1]), short_name(items[-1][1])
    return first if len(items) == 1 else f"{first} … {last} ({len(items)} documents)"


def prepare_batch(items: Sequence[tuple[bytes, str]], loaded_at: datetime, limits: Limits | None,
                  workers: int | None = None) -> list[Prepared]:
    """Prepare ``items`` in this process's isolated workers (``workers`` of them, else the limits'),
    or in this process when ``limits`` is None or has no time limit."""
    if limits is not None and workers:
        limits = replace(limits, workers=workers)
    return preparer_for(limits)(list(items), loaded_at)


@dataclass
class Recovering:
    """A submitted batch whose loss is survivable: ``result`` falls back to preparing the batch here,
    each document isolated under ``limits`` (the default limits when the run has none)."""

    future: Any  # anything with result(): a PrefectFuture, a concurrent future
    items: Sequence[tuple[bytes, str]]
    loaded_at: datetime
    limits: Limits | None

    def result(self) -> list[Prepared]:
        try:
            prepared = self.future.result()
            if len(prepared) == len(self.items):
                return prepared
            problem = f"{len(prepared)} results for {len(self.items)} documents"
        except Exception as exc:  # noqa: BLE001 - a lost worker or a broken task: the documents are re-run
            problem = f"{type(exc).__name__}: {exc}"
        log.warning("the batch %s was lost (%s); preparing its documents here, one by one in isolation",
                    batch_label(self.items), problem)
        limits = self.limits if self.limits is not None and self.limits.isolated else Limits()
        return preparer_for(limits)(list(self.items), self.loaded_at)
