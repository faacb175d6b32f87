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
