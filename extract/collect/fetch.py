"""A polite HTTP client for government portals: one host is never hammered, nothing hangs.

County portals are small servers run by small offices; a nightly job over thousands of
them must be gentle (per-host concurrency cap and minimum interval between requests,
a User-Agent that names the tool) and must never stall or fill the disk (timeouts, a
total deadline against trickling servers, a size cap, a redirect limit with loop
detection). Redirects are followed by hand so every hop is checked against the host
allow-list derived from the registry.

What goes wrong becomes a :class:`~schemas.errors.FetchError` (retried here with
exponential backoff: timeouts, 5xx, 429, truncated bodies) or a
:class:`~schemas.errors.PermanentFetchError` (4xx, size cap, host not allowed, redirect
loop, a body that is not what its Content-Type says); either way ``str(error)`` is a
sentence a person understands, and the crawl records it.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable
from urllib.parse import urljoin, urlsplit

import httpx

from extract.collect.fetch_record import FetchRecord, FetchResult
from extract.read.sniff import sniff
from schemas.errors import FetchError, PermanentFetchError

__all__ = [
    "DEFAULT_USER_AGENT", "FetchRecord", "FetchResult", "FetchSettings", "Fetcher", "HostLimiter",
    "backoff_delay", "check_body_matches_type", "host_of",
]

TOOL_NAME = "county-budgets"
TOOL_VERSION = "0.1"
DEFAULT_USER_AGENT = f"{TOOL_NAME}/{TOOL_VERSION} (budget disclosure collector; batch, polite)"
_REDIRECTS = (301, 302, 303, 307, 308)
_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


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

    def __post_init__(self) -> None:
        for name in ("connect_timeout_s", "read_timeout_s", "deadline_s", "max_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchSettings.{name} must be positive")
        if self.max_attempts < 1 or self.per_host_concurrency < 1:
            raise ValueError("FetchSettings: max_attempts and per_host_concurrency must be >= 1")
        if self.max_redirects < 0 or self.per_host_interval_s < 0 or self.backoff_base_s < 0:
            raise ValueError("FetchSettings: redirects, interval and backoff cannot be negative")
        object.__setattr__(self, "allowed_hosts", frozenset(h.lower() for h in self.allowed_hosts))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class HostLimiter:
    """At most N requests in flight per host, and at least ``interval`` between starts."""

    def __init__(self, concurrency: int, interval_s: float, clock=time.monotonic, sleep=time.sleep):
        self._concurrency, self._interval = concurrency, interval_s
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    def acquire(self, host: str) -> None:
        with self._lock:
            slot = self._slots.setdefault(host, threading.Semaphore(self._concurrency))
        slot.acquire()
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + self._interval
        if start > now:
            self._sleep(start - now)

    def release(self, host: str) -> None:
        self._slots[host].release()


def backoff_delay(attempt: int, settings: FetchSettings, retry_after: float | None = None) -> float:
    """Exponential with full jitter; a server's Retry-After wins when it asks for longer."""
    ceiling = min(settings.backoff_max_s, settings.backoff_base_s * 2 ** (attempt - 1))
    delay = random.uniform(ceiling / 2, ceiling) if ceiling else 0.0
    if retry_after is not None:
        delay = max(delay, min(retry_after, settings.backoff_max_s))
    return delay


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None


def check_body_matches_type(content_type: str | None, body: bytes, url: str) -> None:
    """Portals answer a missing file with their HTML error page, still labelled PDF."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype == "application/pdf" and b"%PDF-" not in body[:1024]:
        head = body[:64].decode("utf-8", "replace").strip().replace("\n", " ")
        kind = "an HTML page" if sniff(body).format == "html" else "not a PDF"
        raise PermanentFetchError(
            f"{url} was served as application/pdf but the body is {kind} "
            f"(starts with {head[:40]!r}): probably the portal's error page"
        )


class Fetcher:
    """Thread-safe; share one per run so the per-host limits hold across tasks."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings or FetchSettings()
        self._sleep = sleep
        self._limiter = HostLimiter(
            self.settings.per_host_concurrency, self.settings.per_host_interval_s, sleep=sleep
        )
        s = self.settings
        self._client = httpx.Client(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(s.read_timeout_s, connect=s.connect_timeout_s),
            follow_redirects=False,
            transport=transport,
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def allows(self, url: str, allowed: frozenset[str] | None = None) -> bool:
        s = self.settings
        if allowed is not None:
            return host_of(url) in allowed
        return s.allow_any_host or host_of(url) in s.allowed_hosts

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allowed: frozenset[str] | None = None,
    ) -> FetchResult:
        """GET ``url`` with retries; conditional when ``etag``/``last_modified`` are known.

        ``allowed`` narrows the hosts for this call (a crawl passes its source's hosts,
        so a redirect to another county's portal is refused too).
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._follow(url, etag, last_modified, attempt, allowed)
            except PermanentFetchError:
                raise
            except FetchError as exc:
                if attempt >= self.settings.max_attempts:
                    raise FetchError(f"{exc} (gave up after {attempt} attempts)") from exc
                self._sleep(backoff_delay(attempt, self.settings, getattr(exc, "retry_after", None)))

    def _follow(self, url, etag, last_modified, attempt, allowed) -> FetchResult:
        seen: list[str] = []
        current = url
        while True:
            if not self.allows(current, allowed):
                raise PermanentFetchError(f"{current}: host {host_of(current)!r} is not on the allow-list")
            if current in seen:
                raise PermanentFetchError(f"{url}: redirect loop ({' -> '.join(seen + [current])})")
            if len(seen) > self.settings.max_redirects:
                raise PermanentFetchError(
                    f"{url}: more than {self.settings.max_redirects} redirects (last {current})"
                )
            seen.append(current)
            status, headers, body = self._one_request(current, etag, last_modified)
            if status in _REDIRECTS:
                location = headers.get("location")
                if not location:
                    raise PermanentFetchError(f"{current}: HTTP {status} redirect without a Location")
                current = urljoin(current, location)
                continue
            return self._result(url, current, status, headers, body, attempt)

    def _one_request(self, url: str, etag: str | None, last_modified: str | None):
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = host_of(url)
        self._limiter.acquire(host)
        try:
            return self._stream(url, headers)
        finally:
            self._limiter.release(host)

    def _stream(self, url: str, headers: dict[str, str]):
        s = self.settings
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > s.max_bytes:
                    raise PermanentFetchError(
                        f"{url}: {int(declared):,} bytes declared, over the {s.max_bytes:,}-byte cap"
                    )
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > s.max_bytes:
                        raise PermanentFetchError(f"{url}: body exceeds the {s.max_bytes:,}-byte cap")
                    if time.monotonic() - started > s.deadline_s:
                        raise FetchError(f"{url}: server too slow, body not complete after {s.deadline_s:g} s")
                    chunks.append(chunk)
                body = b"".join(chunks)
                _check_status(url, response)
                if (
                    declared and declared.isdigit() and "content-encoding" not in response.headers
                    and len(body) != int(declared)
                ):
                    raise FetchError(f"{url}: truncated body, got {len(body):,} of {int(declared):,} bytes")
                return response.status_code, response.headers, body
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out ({type(exc).__name__})") from exc
        except httpx.RemoteProtocolError as exc:
            raise FetchError(f"{url}: connection broke off mid-response, body truncated ({exc})") from exc
        except httpx.TransportError as exc:
            raise FetchError(f"{url}: network error ({type(exc).__name__}: {exc})") from exc

    def _result(self, url, final_url, status, headers, body, attempt) -> FetchResult:
        content = None if status == 304 else body
        ctype = headers.get("content-type")
        if content is not None:
            check_body_matches_type(ctype, content, final_url)
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            content=content,
            content_type=ctype,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            fetched_at=datetime.now(timezone.utc),
            attempts=attempt,
        )


def _check_status(url: str, response: httpx.Response) -> None:
    code = response.status_code
    if code < 400 or code in _REDIRECTS:
        return
    reason = f"{url}: HTTP {code} {response.reason_phrase}".rstrip()
    if code in _RETRYABLE_STATUS or code >= 500:
        error = FetchError(reason)
        error.retry_after = _retry_after(response)  # type: ignore[attr-defined]
        raise error
    raise PermanentFetchError(reason)

