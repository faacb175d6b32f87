"""A run's per-document reports, streamed to the warehouse instead of kept in the writer's memory.

:class:`RunLog` stands where :class:`flows.runner.RunSummary` kept a list of
:class:`flows.runner.DocumentReport`: ``append`` buffers a report and writes the buffer
(:data:`FLUSH_EVERY` reports, one transaction) to ``ops_run_document`` (:mod:`load.run_log`);
iterating reads the run's reports back in order, a partition at a time; ``counts`` and
``len`` are kept as the reports come. A run of at most :data:`KEEP_IN_MEMORY` documents also keeps
its reports here (iterated without the warehouse, which may be closed by then); a longer one
drops them at that point. So while documents stream the run holds a count per status and at most
a bounded number of reports, whatever the number of documents (2.8 million in a national night).
The closing table, the exit code and the run artifact iterate it at the end.
Rows of runs older than :data:`schemas.refresh.RUN_LOG_DAYS` days are deleted when a log starts.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from sqlalchemy.engine import Engine

from load import run_log
from schemas.refresh import RUN_LOG_DAYS

FLUSH_EVERY = 500
KEEP_IN_MEMORY = 2_000  # reports a run keeps in memory as well (about 3 KB each), beyond which it reads them back


class RunLog:
    """A list-like log of one run's reports (append, iterate, len, counts): dataclasses of ``report_type``
    (:class:`flows.runner.DocumentReport`; its fields are the columns of ``ops_run_document``)."""

    def __init__(self, engine: Engine, report_type: type, flush_every: int | None = None, keep: int | None = None):
        self.engine, self.report_type = engine, report_type
        self.flush_every = FLUSH_EVERY if flush_every is None else flush_every
        self.keep = KEEP_IN_MEMORY if keep is None else keep
        self._memory: Optional[list[Any]] = []  # None once the run outgrew ``keep``
        self.run_id = uuid.uuid4().hex
        self.counts: Counter = Counter()
        self._buffer: list[dict] = []
        self._length = 0
        self.started = datetime.now(timezone.utc)
        run_log.prune(engine, self.started - timedelta(days=RUN_LOG_DAYS))

    def append(self, report: Any) -> None:
        self._buffer.append({"run_id": self.run_id, "seq": self._length, "logged_at": datetime.now(timezone.utc),
                             **asdict(report)})
        self._length += 1
        self.counts[report.status] += 1
        if self._memory is not None:
            self._memory.append(report)
            if len(self._memory) > self.keep:
                self._memory = None
        if len(self._buffer) >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        run_log.append(self.engine, self._buffer)
        self._buffer = []

    def replace(self, report: Any) -> None:
        """The report of a document of this run replaced by ``report`` (the same ``document_id``)."""
        self.flush()
        for status in run_log.update(self.engine, self.run_id, report.document_id, asdict(report)):
            self.counts[status] -= 1
            self.counts[report.status] += 1
        if self._memory is not None:
            self._memory = [report if r.document_id == report.document_id else r for r in self._memory]

    def __iter__(self) -> Iterator[Any]:
        if self._memory is not None:
            yield from list(self._memory)
            return
        self.flush()
        fields = self.report_type.__dataclass_fields__
        for row in run_log.rows(self.engine, self.run_id):
            yield self.report_type(**{k: row[k] for k in fields})

    def __len__(self) -> int:
        return self._length

    def __bool__(self) -> bool:
        return self._length > 0

    def __eq__(self, other: object) -> bool:
        """Equal to a list of the same reports, in order (or to another log's)."""
        if isinstance(other, (list, RunLog)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  (mutable, as a list)
