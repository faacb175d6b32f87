"""``prepare`` in worker processes, with a time and a memory limit per document.

A document that makes a reader hang, recurse without end or allocate without bound
must cost the run one quarantined document, not the run. Each document is prepared in a
worker process (a pebble ``ProcessPool``, whose workers are forked from a forkserver
that has already imported the pipeline, so a fresh worker starts in well under a
second). While a document is prepared, the worker's address space is capped at
``memory_limit_mb`` (``RLIMIT_AS``: an allocation beyond it raises MemoryError, which
``prepare`` turns into a quarantine; :func:`within_memory`);
a document still running after ``time_limit_s`` has its worker killed and replaced,
and is quarantined as "took longer than N s". A worker that dies (a crash in a C
extension, the kernel's OOM killer) quarantines only its document.

The pool's unit of work is one document, and the caller hands in batches
(:data:`flows.runner.PrepareMany`, or :meth:`IsolatedPreparer.submit`, which returns at
once so the runner keeps the next batch queued while it stores the last one); ``workers``
processes prepare documents in parallel while one writer stores them. A Dask worker
(``flows.etl``) prepares its batch through the same class, so the limits hold there too.
"""

from __future__ import annotations

import atexit
import resource
import threading
from concurrent.futures import TimeoutError as FutureTimeout, as_completed, wait
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from pebble import ProcessExpired, ProcessPool

from flows import forkserver
from flows.failures import explain
from flows.progress import document_done
from flows.request import Limits

if TYPE_CHECKING:  # the pipeline is imported by the workers (the forkserver's PRELOAD); Prepared here only for types
    from flows.prepared import Prepared


def within_memory(fn: Callable[..., Prepared], cap_mb: int | None, *args, **kwargs) -> Prepared:
    """``fn(*args, **kwargs)`` allowed ``cap_mb`` MB of address space beyond what this worker holds
    when the document arrives (the soft ``RLIMIT_AS``), while it runs, and no longer: a worker
    receives its document and sends its result uncapped. Capped from the worker's start, a worker
    that could not take in a large document died half-way through reading pebble's pipe, which left
    the pool's channel corrupt and the run hung; capped absolutely, a worker that had loaded the OCR
    engine for an earlier scan (about 1.5 GB of address space) failed the next small text under
    ``--memory-limit 2048``."""
    if not cap_mb:
        return fn(*args, **kwargs)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + cap_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    try:
        return fn(*args, **kwargs)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def prepare_in_worker(*args, **kwargs) -> Prepared:
    """:func:`flows.pipeline.prepare`, under a name the writer can hand to the pool without importing the
    pipeline itself (0.6–0.8 s of CPU): the workers' forkserver has imported it
    (:data:`flows.forkserver.PRELOAD`), so the first document is scheduled as soon as it is read, and the
    writer imports the pipeline when the first result reaches it, while the workers prepare the next ones."""
    from flows.pipeline import prepare

    return prepare(*args, **kwargs)


def schedule_order(sizes: Sequence[int], workers: int) -> list[int]:
    """The indexes of a batch's documents (their sizes in bytes) in the order the pool is given them:
    largest first for several workers, as listed for one."""
    if workers <= 1:
        return list(range(len(sizes)))
    return sorted(range(len(sizes)), key=lambda i: sizes[i], reverse=True)


def _address_space() -> int:
    """Bytes of address space this process holds now (Linux ``/proc/self/statm``; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


class IsolatedPreparer:
    """A :data:`~flows.runner.PrepareMany` running ``fn`` (default :func:`flows.pipeline.prepare`)
    in worker processes under :class:`Limits`. Use as a context manager, or :func:`shared`."""

    def __init__(self, limits: Limits = Limits(), fn: Callable[..., Prepared] | None = None):
        self.limits, self._fn = limits, fn
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()

    def _ensure_pool(self) -> ProcessPool:
        with self._lock:
            if self._pool is None or not self._pool.active:
                self._pool = ProcessPool(max_workers=max(1, self.limits.workers), context=forkserver.context(),
                                         initializer=forkserver.worker_started)
            return self._pool

    @property
    def fn(self) -> Callable[..., Prepared]:
        return self._fn or prepare_in_worker

    def warm(self) -> None:
        """Start the workers' forkserver now if it is not running yet (:func:`flows.forkserver.start`)."""
        forkserver.start()

    @property
    def in_flight(self) -> int:
        """Batches worth keeping submitted at once so no worker waits (flows.runner)."""
        return 2 + self.limits.workers // 8

    def submit(self, items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> _Batch:
        """Schedule every document of ``items`` (each its own unit of work); ``.result()`` waits for them, in
        ``items``' order. With several workers the largest are scheduled first (longest processing time
        first): a large document listed last would otherwise keep one worker busy while the others have
        nothing left to do. One worker takes them in ``items``' order, the order the writer stores them in:
        largest first there only made the writer wait for the first-listed document, then store the batch
        in one burst after it, the last batch's after the last document was prepared."""
        pool = self._ensure_pool()
        futures: list = [None] * len(items)
        for i in schedule_order([len(data) for data, _ in items], self.limits.workers):
            data, uri = items[i]
            futures[i] = pool.schedule(within_memory, args=(self.fn, self.limits.memory_limit_mb, data, uri),
                                       kwargs={"loaded_at": loaded_at, "memory_limit_mb": self.limits.memory_limit_mb,
                                               "time_limit_s": self.limits.time_limit_s},
                                       timeout=self.limits.time_limit_s)
        return _Batch(self, futures, items, loaded_at)

    def __call__(self, items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> list[Prepared]:
        return self.submit(items, loaded_at).result()

    def _outcome(self, future, data: bytes, uri: str, loaded_at: datetime) -> Prepared:
        try:
            return future.result()
        except FutureTimeout:
            reason = (f"took longer than {self.limits.time_limit_s:g} s to read and check; stopped "
                      "(raise --time-limit if such documents are expected)")
        except ProcessExpired as exc:
            reason = (f"the worker process reading it died (exit code {exc.exitcode}); most likely it needed "
                      f"more than the memory limit of {self.limits.memory_limit_mb or 0:,} MB or crashed a reader")
        except MemoryError as exc:
            reason = explain(exc, "worker", memory_limit_mb=self.limits.memory_limit_mb)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot travel back from the worker
            reason = f"the worker process failed on it: {type(exc).__name__}: {exc}"
        from flows.prepared import quarantined

        return quarantined(data, uri, reason, "worker", loaded_at=loaded_at)

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.stop()
                self._pool.join()
                self._pool = None

    def __enter__(self) -> IsolatedPreparer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Batch:
    """A submitted batch: its documents' futures, each turned into a Prepared (or a quarantine) as soon
    as it is done — reported to :func:`flows.progress.document_done` then, not when the batch is — and
    handed over as each is done by ``as_done``, in order by ``each`` and ``result``."""

    def __init__(self, preparer: IsolatedPreparer, futures, items, loaded_at: datetime):
        self.preparer, self.futures, self.items, self.loaded_at = preparer, futures, items, loaded_at
        self.outcomes: list[Prepared | None] = [None] * len(items)
        self._lock = threading.Lock()
        for i, future in enumerate(futures):
            future.add_done_callback(lambda _, i=i: self._outcome(i))

    def _outcome(self, i: int) -> Prepared:
        with self._lock:
            if self.outcomes[i] is None:
                data, uri = self.items[i]
                prepared = self.outcomes[i] = self.preparer._outcome(self.futures[i], data, uri, self.loaded_at)
                document_done(uri, prepared.status, prepared.page_count, len(data))
            return self.outcomes[i]

    def as_done(self) -> Iterator[tuple[int, Prepared]]:
        """Each outcome with its place in the batch, as soon as it is done: the writer stores a document
        while the workers still prepare the rest. In the batch's order for one worker (it prepares them so);
        several workers start with the largest, and waiting there for the first-listed, often small and
        started last, left the writer idle until the batch was nearly done, then storing it in one burst
        after the workers had finished (the writer's tail on the synthetic benchmark set: 0.9 s)."""
        try:
            place = {future: i for i, future in enumerate(self.futures)}
            for future in as_completed(self.futures):
                yield place[future], self._outcome(place[future])
        finally:
            self._release()

    def each(self) -> Iterator[Prepared]:
        """The outcomes in order, each as soon as it and those before it are done."""
        try:
            for i in range(len(self.items)):
                wait(self.futures[i:i + 1])
                yield self._outcome(i)
        finally:
            self._release()

    def _release(self) -> None:
        # each future keeps its callback, and the callback this batch: let go of the documents' bytes with
        # the last document, not when the garbage collector finds the cycle (it held a whole batch longer
        # than --memory-limit allows)
        self.futures, self.items = [], []

    def result(self) -> list[Prepared]:
        """Every outcome, in order, once all are done."""
        return list(self.each())


_SHARED: dict[Limits, IsolatedPreparer] = {}
_SHARED_LOCK = threading.Lock()


def shared(limits: Limits) -> IsolatedPreparer:
    """One preparer per limits for this process (workers are reused across runs; closed at exit)."""
    with _SHARED_LOCK:
        if limits not in _SHARED:
            if not _SHARED:
                atexit.register(close_shared)
            _SHARED[limits] = IsolatedPreparer(limits)
        return _SHARED[limits]


def close_shared() -> None:
    """Close every shared preparer (at exit), each pool stopped and joined, then stop the workers'
    forkserver whether or not a worker was forked from it (:func:`flows.forkserver.stop` says why)."""
    with _SHARED_LOCK:
        for preparer in _SHARED.values():
            preparer.close()
        _SHARED.clear()
    forkserver.stop()


def preparer_for(limits: Limits | None):
    """The PrepareMany for these limits: isolated workers, or in this process when the limit is 0."""
    if limits is None or not limits.isolated:
        from flows.pipeline import prepare_sequentially

        return prepare_sequentially
    return shared(limits)
