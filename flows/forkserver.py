"""The workers' forkserver: the one process the worker processes (:mod:`flows.isolation`) are forked from.

It is a fresh interpreter that imports the pipeline once (:data:`PRELOAD`, about 0.8 s), so each
worker forked from it starts ready. Its life is this module's: :func:`start` starts it early — the
command's first step for a run (:func:`cli.main.entry`), before the command's own imports — and
:func:`stop` kills it at exit, whether a worker was forked from it or not (registered by
:func:`start`; :func:`flows.isolation.close_shared` calls it after stopping the pools).

Only the standard library is imported here, so that starting it costs the command 20 ms, not the
0.2 s that importing :mod:`flows.isolation` (pebble, the failure messages, the progress display)
would put before it.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import signal

PRELOAD = ["flows.pipeline", "extract.read.pdf_reader", "extract.read.text_reader", "extract.read.html_reader"]

_REGISTERED: list[bool] = []  # stop is registered for the exit once per process


def context():
    """The ``forkserver`` multiprocessing context, its preload set to :data:`PRELOAD`."""
    found = multiprocessing.get_context("forkserver")
    found.set_forkserver_preload(PRELOAD)
    return found


def worker_started() -> None:
    """Run by each worker process as it starts (the pool's initializer): ``gc.freeze()``. What the worker
    holds then — the pipeline's modules, a hundred thousand objects — is never garbage, and frozen it is
    no longer walked by each full collection while a document is read: the collector's time over the 24
    synthetic benchmark PDFs, in one process, went from 0.21 s to 0.08 s."""
    gc.freeze()


def start() -> None:
    """Start the forkserver now, not a worker, and have :func:`stop` run at exit; a no-op when it runs
    already. It imports the pipeline on the other core while this process imports its own modules, opens
    the warehouse and checks the first files; the first document then forks a ready worker, and a run
    with nothing to prepare does not wait for it."""
    from multiprocessing import forkserver

    context()
    forkserver.ensure_running()
    if not _REGISTERED:
        atexit.register(stop)
        _REGISTERED.append(True)


def stop() -> None:
    """SIGKILL this process's forkserver, if it has one, and forget it as multiprocessing's own ``_stop``
    does (the process reaped, its socket removed): the next document starts another. Call it once no pool
    of this process has a worker left. Killed, not asked to stop (closing its "alive" pipe): it would
    first tear down the pipeline it imported, 0.2 s in which it still holds this process's stdout and
    stderr, so whoever reads the command's output to its end (a pipe, ``tee``, a scheduler's log) would
    wait for it; and left to itself it notices this process's exit only after it."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    pid = getattr(server, "_forkserver_pid", None)
    if not pid:
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        server._stop()
    except (ChildProcessError, OSError):  # reaped or removed by someone else: nothing left to forget
        server._forkserver_pid = server._forkserver_address = server._forkserver_alive_fd = None
