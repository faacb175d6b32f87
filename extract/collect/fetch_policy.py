"""How gently the fetcher treats a host: settings, per-host limits, backoff between retries.

Kept apart from :mod:`extract.collect.fetch` (the HTTP client) so the rules can be read and
tested on their own. Every request the fetcher sends, a retry or a robots.txt included,
passes :class:`HostLimiter` first, so the limits hold whatever the retry layer does.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

TOOL_NAME = "county-budgets"
TOOL_VERSION = "0.1"
DEFAULT_USER_AGENT = f"{TOOL_NAME}/{TOOL_VERSION} (budget disclosure collector; batch, polite)"


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    deadline_s: float = 120.0  # whole request incl. body, against servers that trickle
    max_attempts: int = 3
    backoff_base_s: float = 2.0
    backoff_max_s: float = 60.0
    max_bytes: int = 64 * 1024 * 1024
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_interval_s: float = 1.0
    allowed_hosts: frozenset[str] = frozenset()
    allow_any_host: bool = False  # only for ad-hoc CSV manifests a person wrote
    obey_robots: bool = True  # read each host's robots.txt once per run and obey it
    max_crawl_delay_s: float = 30.0  # a robots.txt Crawl-delay is honoured up to this

    def __post_init__(self) -> None:
        for name in ("connect_timeout_s", "read_timeout_s", "deadline_s", "max_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchSettings.{name} must be positive")
        if self.max_attempts < 1 or self.per_host_concurrency < 1:
            raise ValueError("FetchSettings: max_attempts and per_host_concurrency must be >= 1")
        if min(self.max_redirects, self.per_host_interval_s, self.backoff_base_s, self.max_crawl_delay_s) < 0:
            raise ValueError("FetchSettings: redirects, interval and backoff cannot be negative")
        object.__setattr__(self, "allowed_hosts", frozenset(h.lower() for h in self.allowed_hosts))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class HostLimiter:
    """At most N requests in flight per host, and at least ``interval`` between starts.

    Thread-safe; the interval is between request *starts*, whichever thread sends them.
    """

    def __init__(self, concurrency: int, interval_s: float, clock=time.monotonic, sleep=time.sleep):
        self._concurrency, self._interval = concurrency, interval_s
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._intervals: dict[str, float] = {}

    def acquire(self, host: str) -> None:
        with self._lock:
            slot = self._slots.setdefault(host, threading.Semaphore(self._concurrency))
        slot.acquire()
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + self._intervals.get(host, self._interval)
        if start > now:
            self._sleep(start - now)

    def release(self, host: str) -> None:
        self._slots[host].release()

    def slow_down(self, host: str, interval_s: float) -> None:
        """Space this host's requests at least ``interval_s`` apart (a robots.txt Crawl-delay)."""
        with self._lock:
            self._intervals[host] = max(interval_s, self._intervals.get(host, self._interval))


def backoff_delay(attempt: int, settings: FetchSettings, retry_after: float | None = None) -> float:
    """Exponential with full jitter; a server's Retry-After wins when it asks for longer."""
    ceiling = min(settings.backoff_max_s, settings.backoff_base_s * 2 ** (attempt - 1))
    delay = random.uniform(ceiling / 2, ceiling) if ceiling else 0.0
    if retry_after is not None:
        delay = max(delay, min(retry_after, settings.backoff_max_s))
    return delay


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds from now."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None
