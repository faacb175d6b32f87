"""How gently the fetcher treats a host, and how far it goes: settings, per-host limits, backoff
between retries, time budgets, the allow-list.

Kept apart from :mod:`extract.collect.fetch` (the HTTP client) so the rules can be read and
tested on their own. Every request the fetcher sends, a retry or a robots.txt included,
passes :class:`HostLimiter` first, so the limits hold whatever the retry layer does, and
:class:`Budgets` second: a request never outlives ``deadline_s`` (connect, headers and body), a
host never gets more than ``host_budget_s`` of a run, a run's fetching never more than
``crawl_budget_s``, so a hostile host cannot stall a night.

The allow-list (:func:`admits`) holds origins and host names. An origin (``http://127.0.0.1:8080``,
what a registry's portal address gives) admits its own scheme, host and port only — the same host
on another port is another server — and, for ``http`` on port 80, the same host's ``https`` on 443
(portals upgrade). A bare host name, which only a person writes (``extra_allowed_hosts`` in
``portals.toml``), admits that host on any port.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from extract.collect.folder import MAX_DOCUMENT_BYTES
from schemas.errors import PermanentFetchError
from schemas.redact import mask_url

TOOL_NAME = "county-budgets"
TOOL_VERSION = "0.1"
DEFAULT_USER_AGENT = f"{TOOL_NAME}/{TOOL_VERSION} (budget disclosure collector; batch, polite)"


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    deadline_s: float = 120.0  # a whole request: connect, headers and body, against servers that trickle
    host_budget_s: float = 1800.0  # seconds one host may take of a run (its requests and retry waits)
    crawl_budget_s: float = 6 * 3600.0  # seconds of fetching in all, from the fetcher's start
    max_attempts: int = 3
    backoff_base_s: float = 2.0
    backoff_max_s: float = 60.0
    max_bytes: int = MAX_DOCUMENT_BYTES
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_interval_s: float = 1.0
    allowed_hosts: frozenset[str] = frozenset()  # origins and host names: see admits()
    allow_any_host: bool = False  # only for ad-hoc CSV manifests a person wrote
    obey_robots: bool = True  # read each host's robots.txt once per run and obey it
    max_crawl_delay_s: float = 30.0  # a robots.txt Crawl-delay is honoured up to this

    def __post_init__(self) -> None:
        for name in ("connect_timeout_s", "read_timeout_s", "deadline_s", "max_bytes", "host_budget_s",
                     "crawl_budget_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchSettings.{name} must be positive")
        if self.max_attempts < 1 or self.per_host_concurrency < 1:
            raise ValueError("FetchSettings: max_attempts and per_host_concurrency must be >= 1")
        if min(self.max_redirects, self.per_host_interval_s, self.backoff_base_s, self.max_crawl_delay_s) < 0:
            raise ValueError("FetchSettings: redirects, interval and backoff cannot be negative")
        object.__setattr__(self, "allowed_hosts", frozenset(allow_entry(h) for h in self.allowed_hosts))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """``scheme://host:port`` with the scheme's default port filled in (``http://a.cn`` → ``http://a.cn:80``)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a port that is not a number: an origin nothing admits
        port = "?"
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def allow_entry(entry: str) -> str:
    """An allow-list entry as :func:`admits` compares it: an origin normalised, a host name lowercased."""
    return origin_of(entry) if "://" in entry else entry.strip().lower()


def admits(allowed: frozenset[str], url: str) -> bool:
    """Whether ``url`` is on the allow-list of normalised entries (:func:`allow_entry`)."""
    origin = origin_of(url)
    if origin in allowed or host_of(url) in allowed:
        return True
    return origin.startswith("https://") and origin.endswith(":443") and \
        f"http://{host_of(url)}:80" in allowed  # an http portal's https upgrade


def refusal(allowed: frozenset[str], url: str) -> str:
    """Why ``url`` is not admitted, naming what was compared."""
    origin, host = origin_of(url), host_of(url)
    same_host = sorted(e for e in allowed if "://" in e and host_of(e) == host)
    if same_host:
        return f"{origin} is not on the allow-list: another port or scheme of {', '.join(same_host)}"
    return f"host {host!r} is not on the allow-list"


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


class Budgets:
    """The time a run's fetching may take (thread-safe): ``host_budget_s`` of requests (and the
    waits before their retries) per host, ``crawl_budget_s`` in all from the fetcher's start.
    Waiting for a host's rate limit or its robots.txt ``Crawl-delay`` is politeness, not the
    host's doing, and does not count."""

    def __init__(self, settings: FetchSettings, clock=time.monotonic):
        self.settings, self._clock = settings, clock
        self._ends = clock() + settings.crawl_budget_s
        self._spent: dict[str, float] = {}
        self._lock = threading.Lock()

    def left(self, url: str) -> float:
        """Seconds a request to ``url`` may still take; PermanentFetchError, nothing sent, when a budget is spent."""
        host, s = host_of(url), self.settings
        if self._clock() >= self._ends:
            raise PermanentFetchError(f"{mask_url(url)}: not fetched: this run's fetching has had its time budget "
                                      f"of {s.crawl_budget_s:g} s (--crawl-budget); the next run fetches it")
        with self._lock:
            host_left = s.host_budget_s - self._spent.get(host, 0.0)
        if host_left <= 0:
            raise PermanentFetchError(f"{mask_url(url)}: not fetched: host {host!r} has had its time budget of "
                                      f"{s.host_budget_s:g} s this run (--host-budget; a slow or stalling server); "
                                      "the next run tries again")
        return min(host_left, self._ends - self._clock())

    def spend(self, url: str, seconds: float) -> None:
        host = host_of(url)
        with self._lock:
            self._spent[host] = self._spent.get(host, 0.0) + seconds
