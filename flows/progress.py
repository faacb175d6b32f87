"""Progress people can see: documents done, pages per second, time left, the file just finished.

A long run (``run``, ``backfill``, ``audit``) reports each document to its :func:`tracker` the
moment its outcome is known — settled on reading (unchanged, unreadable) or prepared by a
worker (:func:`document_done`, called as each worker finishes, not when its whole batch is
stored) — and the tracker hands a :class:`Snapshot` to every *sink* that is active
(:func:`reporting`): on a terminal a rich progress bar (:class:`TerminalProgress`), elsewhere
— a log file, cron's mail, CI — plain lines (:class:`PlainProgress`: one when the run starts,
one for the first document, then one every ``interval_s`` seconds whether or not a document
finished, and the last), and inside a Prefect flow run a progress artifact
(``flows.prefect_engine``). Sinks write to stderr, so a command's report on stdout stays the
same whatever the progress did (two ``audit`` outputs can be compared line by line). With no
sink active, reporting costs nothing. Which sink a console gets is decided by rich's
``Console.is_terminal`` (:func:`for_console`).

Time left is measured in pages, the unit work is done in (:class:`Estimate`): the pages of the
documents in preparation (counted from their bytes as they are read), and of those not read yet
(at the pages per byte so far), at the pages per second so far. Documents settled without
reading (unchanged bytes) are no work: they neither speed the rate up nor stay in what is left.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Iterator, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from flows.safe_text import safe_text
from schemas.vocabulary import LOADED, SEEN_ONLY

PREPARED = {LOADED: "read", SEEN_ONLY: "seen only"}  # what a prepared document's status means yet


@dataclass(frozen=True)
class Snapshot:
    """A run's progress at one moment, as every sink shows it."""

    label: str
    done: int
    total: int
    pages: int
    elapsed_s: float
    left_s: float | None  # None until something was read
    current: str  # "file: status" of the document finished last

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def line(self) -> str:
        share = f" ({self.done / self.total:.0%})" if self.total else ""
        if self.done >= self.total:
            when = f"{_clock(self.elapsed_s)} in all"
        else:
            when = "time left not known yet" if self.left_s is None else f"about {_clock(self.left_s)} left"
        return (f"{self.label}: {self.done}/{self.total} documents{share}, {self.pages:,} pages, "
                f"{self.pages_per_s:.1f} pages/s, {when}" + (f" — {self.current}" if self.current else ""))


class Estimate:
    """Documents and pages done, and the time left (not thread-safe: :class:`Tracker` locks).

    Time left = pages left / pages per second. Pages per second are counted from the first
    document read (the workers' start is not a page's cost). Pages left are those of the documents
    read and in preparation (:meth:`expect`: counted from their bytes, flows.read's
    ``expected_pages``), plus the documents not read yet at the pages per byte read so far (per
    document where sizes are unknown). A document settled without reading (unchanged bytes) is no
    work: it counts as done and leaves what is left.
    """

    def __init__(self, total: int, total_bytes: int, started: float):
        self.total, self.total_bytes, self.started = total, total_bytes, started
        self.done = self.pages = 0
        self.first: tuple[float, int] | None = None  # when the first document was read, and its pages
        self.seen_bytes = 0  # bytes of the documents read so far, whatever became of them
        self.expected: dict[str, int] = {}  # pages expected of documents in preparation
        self.work_pages = self.work_bytes = self.work_docs = 0  # pages (expected or read) of the work seen

    def expect(self, key: str, pages: int | None, size: int) -> None:
        """A document read and handed to a worker, ``pages`` expected (None: not known from its bytes)."""
        if pages is not None and key not in self.expected:
            self.expected[key] = pages
            self.seen_bytes, self.work_pages = self.seen_bytes + size, self.work_pages + pages
            self.work_bytes, self.work_docs = self.work_bytes + size, self.work_docs + 1

    def record(self, key: str, pages: int | None, size: int, now: float) -> None:
        """A document done: read (``pages`` it had, ``size`` bytes), or settled unread (``pages`` None)."""
        self.done += 1
        guess = self.expected.pop(key, None)
        if guess is None:
            self.seen_bytes += size
        if pages is None:
            return
        if guess is None:
            self.work_pages, self.work_bytes, self.work_docs = (self.work_pages + pages, self.work_bytes + size,
                                                                self.work_docs + 1)
        else:
            self.work_pages += pages - guess  # the count replaces the guess
        self.pages += pages
        if self.first is None:
            self.first = (now, pages)

    def left_s(self, now: float) -> float | None:
        if self.first is None:
            return None
        since, first_pages = self.first
        if self.pages > first_pages and now > since:
            rate = (self.pages - first_pages) / (now - since)
        else:
            rate = self.pages / (now - self.started) if now > self.started else 0.0
        if rate <= 0:
            return None
        unread_docs = self.total - self.done - len(self.expected)
        if self.total_bytes and self.work_bytes:
            unread = max(self.total_bytes - self.seen_bytes, 0) * self.work_pages / self.work_bytes
        else:
            unread = unread_docs * self.work_pages / max(self.work_docs, 1)
        return (sum(self.expected.values()) + unread) / rate


class Sink(Protocol):
    def start(self, run: "Tracker") -> None: ...

    def advance(self, snapshot: Snapshot) -> None: ...

    def finish(self, snapshot: Snapshot) -> None: ...


_ACTIVE: list[Sink] = []
_LIVE: list["Tracker"] = []
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
    """One run's progress, fanned out to the sinks active when it started. Thread-safe: workers' outcomes
    arrive on the threads that collect them. A document given a ``key`` (its URI) counts once, however
    often it is reported (by its worker, then when stored); one without is counted each time."""

    def __init__(self, label: str, total: int, total_bytes: int = 0):
        with _LOCK:
            self.sinks = list(_ACTIVE)
        self.label, self.estimate = label, Estimate(total, total_bytes, time.monotonic())
        self.current, self._seen, self._lock = "", set(), threading.Lock()
        for sink in self.sinks:
            sink.start(self)

    def snapshot(self) -> Snapshot:
        now, e = time.monotonic(), self.estimate
        return Snapshot(self.label, e.done, e.total, e.pages, now - e.started, e.left_s(now), self.current)

    def expect(self, key: str, pages: int | None, size: int) -> None:
        """A document read and handed to a worker, with the pages it is expected to have."""
        with self._lock:
            self.estimate.expect(key, pages, size)

    def grow(self, more: int) -> None:
        """``more`` documents found inside one item (a ZIP release's members after its first)."""
        if more > 0:
            with self._lock:
                self.estimate.total += more

    def advance(self, name: str, status: str, *, key: str | None = None, pages: int | None = None,
                size: int = 0, final: bool = False) -> None:
        """One document done: read (``pages``), or settled without reading (``pages`` None). ``final``: the
        last report of ``key`` (the writer's, once stored): its key is let go, so what the tracker keeps is
        the documents in flight, not every document of the run."""
        with self._lock:
            if key is not None and key in self._seen:
                if final:
                    self._seen.discard(key)
                return
            if key is not None and not final:
                self._seen.add(key)
            self.estimate.record(key or "", pages, size, time.monotonic())
            # a file name is the world's text (flows.safe_text)
            self.current = f"{safe_text(name, markup=None)}: {status}"
            snapshot = self.snapshot()
        for sink in self.sinks:
            sink.advance(snapshot)

    def finish(self) -> None:
        snapshot = self.snapshot()
        for sink in self.sinks:
            sink.finish(snapshot)


@contextmanager
def tracker(label: str, total: int, total_bytes: int = 0) -> Iterator[Tracker]:
    """``with tracker("run", len(items), bytes) as t: … t.advance(name, status, …)``; finished on exit.
    While it lives, :func:`document_done` reports to it."""
    t = Tracker(label, total, total_bytes)
    with _LOCK:
        _LIVE.append(t)
    try:
        yield t
    finally:
        with _LOCK:
            _LIVE.remove(t)
        t.finish()


def document_done(uri: str, status: str, pages: int, size: int) -> None:
    """A worker has prepared ``uri`` (``status`` of :class:`flows.pipeline.Prepared`): tell the live trackers."""
    with _LOCK:
        live = list(_LIVE)
    for t in live:
        t.advance(short_name(uri), PREPARED.get(status, status), key=uri, pages=pages, size=size)


def short_name(uri: str) -> str:
    """The file name of a path or URL (what a person recognises in a progress line), as plain text safe
    for a terminal (a file name may hold escape sequences: flows.safe_text)."""
    return safe_text(uri.rstrip("/").rsplit("/", 1)[-1] or uri, markup=None)


def _bytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB" if size >= 2**20 else f"{size / 1024:,.0f} KiB"


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class PlainProgress:
    """Plain lines for logs: one at the start, the first document, one every ``interval_s`` seconds
    (a clock thread writes it when no document finished meanwhile), and the last."""

    def __init__(self, stream: IO[str], interval_s: float = 10.0):
        self.stream, self.interval_s = stream, interval_s
        self.run: Tracker | None = None
        self.last_line, self.started, self._stop = 0.0, False, threading.Event()
        self._lock, self._clock = threading.Lock(), None

    def start(self, run: Tracker) -> None:
        self.run, self.started = run, False
        size = f" ({_bytes(run.estimate.total_bytes)})" if run.estimate.total_bytes else ""
        self._write(f"{run.label}: {run.estimate.total} documents to read{size}")
        self._stop.clear()
        self._clock = threading.Thread(target=self._tick, daemon=True, name="progress-lines")
        self._clock.start()

    def advance(self, snapshot: Snapshot) -> None:
        with self._lock:
            due = not self.started or time.monotonic() - self.last_line >= self.interval_s
            self.started = True
        if due and snapshot.done < snapshot.total:
            self._write(snapshot.line())

    def _tick(self) -> None:
        while not self._stop.wait(min(1.0, self.interval_s)):
            with self._lock:
                due = self.started and time.monotonic() - self.last_line >= self.interval_s
            if due and self.run is not None and not self._stop.is_set():
                self._write(self.run.snapshot().line())

    def _write(self, line: str) -> None:
        with self._lock:
            self.last_line = time.monotonic()
            print(line, file=self.stream, flush=True)

    def finish(self, snapshot: Snapshot) -> None:
        self._stop.set()
        if self._clock is not None:
            self._clock.join()
        if snapshot.done:
            self._write(snapshot.line() if snapshot.done == snapshot.total else snapshot.line() + " (stopped)")


class TerminalProgress:
    """A rich progress bar on a terminal: documents done of all, pages per second, time left, the file
    just finished."""

    def __init__(self, console: Console):
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TextColumn("{task.fields[left]}"),
                                 TextColumn("{task.fields[current]}"), console=console, transient=False)
        self.task = None

    def start(self, run: Tracker) -> None:
        self.progress.start()
        self.task = self.progress.add_task(run.label, total=run.estimate.total, rate="– pages/s", left="",
                                           current="")

    def advance(self, snapshot: Snapshot) -> None:
        left = "" if snapshot.left_s is None else f"{_clock(snapshot.left_s)} left"
        self.progress.update(self.task, completed=snapshot.done, rate=f"{snapshot.pages_per_s:.1f} pages/s",
                             left=left, current=safe_text(snapshot.current[:70]))  # rich reads markup here

    def finish(self, snapshot: Snapshot) -> None:
        if self.task is not None and snapshot.done:
            self.progress.update(self.task, left=f"{_clock(snapshot.elapsed_s)} in all")
        self.progress.stop()  # the last frame stays on screen: the count, the rate, the last file


def for_console(console: Console, interval_s: float = 10.0) -> Sink:
    """A progress bar when ``console`` is a terminal, else plain lines on its file."""
    return TerminalProgress(console) if console.is_terminal else PlainProgress(console.file, interval_s)


@contextmanager
def shown(interval_s: float = 10.0) -> Iterator[None]:
    """Progress of the runs inside the block on stderr (bar or plain lines, as stderr is a terminal or not)."""
    with reporting(for_console(Console(stderr=True), interval_s)):
        yield
