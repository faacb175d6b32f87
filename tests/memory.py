"""How much this process's resident memory grew while a block ran: sampled every 10 ms by a thread
(the peak, which ``ru_maxrss`` cannot give for a part of a long test session)."""

from __future__ import annotations

import threading
import time

import psutil


class PeakRss:
    """``with PeakRss() as memory: …``; then ``memory.grew`` is the peak's growth in bytes."""

    def __enter__(self) -> PeakRss:
        self.base = self.peak = psutil.Process().memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        process = psutil.Process()
        while self.running:
            self.peak = max(self.peak, process.memory_info().rss)
            time.sleep(0.01)

    def __exit__(self, *exc) -> None:
        self.running = False
        self.thread.join()

    @property
    def grew(self) -> int:
        return self.peak - self.base


def command_peak_rss(args: list[str], env: dict[str, str], timeout: float = 600) -> tuple[int, int, bytes]:
    """``county-budgets ARGS`` as its own process: (exit code, peak resident set in bytes sampled every
    10 ms, stdout). Its own process, so nothing an earlier test left in this one counts."""
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    child = subprocess.Popen([sys.executable, "-m", "cli", *args], env=env, cwd=REPO_ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    process, peak = psutil.Process(child.pid), 0
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(child.stdout.read()), daemon=True)
    reader.start()
    started = time.monotonic()
    while child.poll() is None and time.monotonic() - started < timeout:
        try:
            peak = max(peak, process.memory_info().rss)
        except psutil.Error:
            break
        time.sleep(0.01)
    code = child.wait(timeout=max(1.0, timeout - (time.monotonic() - started)))
    reader.join()
    return code, peak, b"".join(output)
