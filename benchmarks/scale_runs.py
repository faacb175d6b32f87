"""What the scale benchmarks share: timing a command with its peak memory, warehouses, a Prefect server.

``timed(command)`` runs a command to the end and returns its wall time and its peak
resident memory, sampled every 0.1 s with psutil: of the command's own process (the
writer: what would grow with the number of documents) and of its whole process tree
(worker processes included). Nothing here is a test: numbers depend on the machine.
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import psutil

REPO_ROOT = Path(__file__).resolve().parents[1]
# this checkout's command, whatever the environment's entry point was installed from: ``python -m cli``
# this checkout's command (the cli/ package), whatever the venv's entry point points at
CLI = [sys.executable, "-m", "cli"]
QUIET = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"}


@dataclass
class Timed:
    seconds: float
    peak_rss_mb: float  # the command's own process
    peak_tree_mb: float  # the command and every process it started, summed at the same instant
    output: str
    marked_peak_rss_mb: float | None = None  # the command's own peak until the marker line appeared
    marked_seconds: float | None = None  # when it appeared
    cpu_seconds: float = 0.0  # user + system CPU of the command and every process it started (see timed)


def _rss(process: psutil.Process) -> tuple[float, float]:
    try:
        own = process.memory_info().rss
        tree = own + sum(c.memory_info().rss for c in process.children(recursive=True))
    except psutil.Error:
        return 0.0, 0.0
    return own / 2**20, tree / 2**20


def _cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def timed(command: list[str], env: dict | None = None, cwd: Path = REPO_ROOT, marker: str | None = None) -> Timed:
    """Run ``command`` to the end (``env`` over this one's; a None value unsets); fail loudly (with its
    output) when it exits non-zero. With ``marker``, also the peak of the command's own process until
    the first output line starting with it (e.g. the progress line of the last document: the peak of
    the document phase, before the comparison refresh).

    ``cpu_seconds`` is the CPU time of the whole process tree — what the work costs whatever else
    loads the machine: the larger of the command's reaped-children rusage (exact for a command that
    starts no process of its own) and the sum over every process of the tree of its CPU time when
    last sampled (every 0.05 s; a process's last moments are missed)."""
    full = {**os.environ, **QUIET}
    for key, value in (env or {}).items():  # None: unset
        full.pop(key, None) if value is None else full.__setitem__(key, value)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peaks = [0.0, 0.0]
    marked: list[float] = []
    done = threading.Event()
    cpu: dict[int, float] = {}

    def sample() -> None:
        watched = psutil.Process(proc.pid)
        while not done.is_set():
            own, tree = _rss(watched)
            peaks[0], peaks[1] = max(peaks[0], own), max(peaks[1], tree)
            try:
                for p in [watched, *watched.children(recursive=True)]:
                    cpu[p.pid] = max(cpu.get(p.pid, 0.0), _cpu(p))
            except psutil.Error:
                pass
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if marker and not marked and line.startswith(marker):
            marked += [peaks[0], time.perf_counter() - started]
    proc.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    output = "".join(lines)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {proc.returncode}:\n{output[-3000:]}")
    return Timed(seconds, peaks[0], peaks[1], output, *(marked or [None, None]),
                 cpu_seconds=max(reaped, sum(cpu.values())))


def median(values: list[float]) -> float:
    return statistics.median(values)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


class Warehouses:
    """Fresh, migrated, empty DuckDB warehouses, copied from one made once (migrating costs seconds)."""

    def __init__(self, root: Path):
        self.root = root
        self.template = root / "template.duckdb"
        self.count = 0

    def fresh(self) -> str:
        if not self.template.exists():
            from load.warehouse import opened

            with opened(f"duckdb:///{self.template}"):
                pass
        self.count += 1
        path = self.root / f"w{self.count}.duckdb"
        shutil.copy(self.template, path)
        return f"duckdb:///{path}"


def run_command(source: Path, warehouse: str, *extra: str) -> list[str]:
    return [*CLI, "run", "--source", str(source), "--warehouse", warehouse, *extra]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def prefect_server() -> Iterator[dict]:
    """``prefect server start`` on 127.0.0.1 (a throwaway PREFECT_HOME); yields the environment that
    points a run at it (``PREFECT_API_URL``), as the README's deployment set-up does."""
    home = tempfile.mkdtemp(prefix="cb-bench-prefect-")
    port = _free_port()
    env = {**os.environ, **QUIET, "PREFECT_HOME": home}
    env.pop("PREFECT_API_URL", None)
    prefect = str(Path(sys.executable).with_name("prefect"))
    server = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{api}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the Prefect server did not start within 120 s")
            time.sleep(0.5)
        yield {"PREFECT_HOME": home, "PREFECT_API_URL": api}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(home, ignore_errors=True)


def no_server_env() -> dict:
    """A run with no server configured: Prefect starts its temporary in-process API server."""
    return {"PREFECT_HOME": tempfile.mkdtemp(prefix="cb-bench-prefect-"), "PREFECT_API_URL": None}
