"""Progress people can see: documents done, rate, time left and the current file.

A long run (``run``, ``backfill``, ``audit``) reports each finished document to
:func:`tracker`, which hands it to every *sink* that is active (:func:`reporting`): on a
terminal a rich progress bar (:class:`TerminalProgress`), elsewhere — a log file, cron's
mail, CI — plain lines (:class:`PlainProgress`: the first document, then one line every
``interval_s`` seconds, and the last), and inside a Prefect flow run a progress artifact
(``flows.etl``). Sinks write to stderr, so a command's report on stdout stays the same
whatever the progress did (two ``audit`` outputs can be compared line by line). With no
sink active, reporting costs nothing. Which sink a console gets is decided by rich's
``Console.is_terminal`` (:func:`for_console`).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import IO, Iterator, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from flows.safe_text import safe_text


class Sink(Protocol):
    def start(self, label: str, total: int) -> None: ...

    def advance(self, name: str, status: str) -> None: ...

    def finish(self) -> None: ...


_ACTIVE: list[Sink] = []
_LOCK = threading.Lock()


@contextmanager
def reporting(*sinks: Sink) -> Iterator[None]:
    """Make ``sinks`` receive the progress of every run started inside the block (this process)."""
    with _LOCK:
        _ACTIVE.extend(sinks)
    try:
        yield
    finally:
        with _LOCK:
            for sink in sinks:
                _ACTIVE.remove(sink)


class Tracker:
    """One run's progress, fanned out to the sinks active when it started."""

    def __init__(self, label: str, total: int):
        with _LOCK:
            self.sinks = list(_ACTIVE)
        for sink in self.sinks:
            sink.start(label, total)

    def advance(self, name: str, status: str) -> None:
        name = safe_text(name, markup=None)  # a file name is the world's text (flows.safe_text)
        for sink in self.sinks:
            sink.advance(name, status)

    def finish(self) -> None:
        for sink in self.sinks:
            sink.finish()


@contextmanager
def tracker(label: str, total: int) -> Iterator[Tracker]:
    """``with tracker("run", len(items)) as t: … t.advance(name, status)``; finished on exit."""
    t = Tracker(label, total)
    try:
        yield t
    finally:
        t.finish()


def short_name(uri: str) -> str:
    """The file name of a path or URL (what a person recognises in a progress line), as plain text safe
    for a terminal (a file name may hold escape sequences: flows.safe_text)."""
    return safe_text(uri.rstrip("/").rsplit("/", 1)[-1] or uri, markup=None)


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class PlainProgress:
    """Plain lines for logs: ``run: 12/28 documents (43%), 2.1 documents/s, about 0:00:07 left — file``."""

    def __init__(self, stream: IO[str], interval_s: float = 10.0):
        self.stream, self.interval_s = stream, interval_s
        self.label, self.total, self.done, self.started, self.last = "", 0, 0, 0.0, 0.0

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.started = self.last = time.monotonic()

    def advance(self, name: str, status: str) -> None:
        self.done += 1
        now = time.monotonic()
        if self.done == 1 or now - self.last >= self.interval_s or self.done == self.total:
            self.last = now
            self._line(f"{name}: {status}")

    def _line(self, current: str) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        share = f" ({self.done / self.total:.0%})" if self.total else ""
        left = (self.total - self.done) / rate if rate and self.total else 0.0
        eta = f", about {_clock(left)} left" if self.done < self.total else f", {_clock(elapsed)} in all"
        print(f"{self.label}: {self.done}/{self.total} documents{share}, {rate:.1f} documents/s{eta} — {current}",
              file=self.stream, flush=True)

    def finish(self) -> None:
        if self.done and self.done != self.total:  # stopped early: say where
            self._line("stopped")


class _Rate(ProgressColumn):
    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "– docs/s", style="progress.data.speed")


class TerminalProgress:
    """A rich progress bar on a terminal: documents done of all, rate, time left, the current file."""

    def __init__(self, console: Console):
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(),
                                 TimeRemainingColumn(), TextColumn("{task.fields[current]}"), console=console,
                                 transient=False)
        self.task = None

    def start(self, label: str, total: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task(label, total=total, current="")

    def advance(self, name: str, status: str) -> None:
        self.progress.update(self.task, advance=1, current=safe_text(f"{name[:60]} {status}"))  # rich markup

    def finish(self) -> None:
        self.progress.stop()  # the last frame stays on screen: the count, the rate, the last file


def for_console(console: Console, interval_s: float = 10.0) -> Sink:
    """A progress bar when ``console`` is a terminal, else plain lines on its file."""
    return TerminalProgress(console) if console.is_terminal else PlainProgress(console.file, interval_s)


@contextmanager
def shown(interval_s: float = 10.0) -> Iterator[None]:
    """Progress of the runs inside the block on stderr (bar or plain lines, as stderr is a terminal or not)."""
    with reporting(for_console(Console(stderr=True), interval_s)):
        yield
