"""A polite HTTP client for government portals: one host is never hammered, nothing hangs.

County portals are small servers run by small offices; a nightly job over thousands of
them must be gentle (per-host concurrency cap and minimum interval between requests,
a User-Agent that names the tool) and must never stall or fill the disk (timeouts, one
deadline per request covering connect, headers and body (:mod:`extract.collect.deadline`),
time budgets per host and for the whole run, a size cap, a redirect limit with loop
detection). Redirects are followed by hand so every hop is checked against the allow-list
derived from the registry (scheme, host and port of its portals: :func:`admits`) and against
that host's robots.txt (read once per host per run, see :mod:`extract.collect.robots`).

This is the one retry layer of the pipeline (flows add none): what goes wrong becomes a
:class:`~schemas.errors.FetchError` (retried here, ``max_attempts`` requests in all, with
exponential backoff and jitter: timeouts, 5xx, 429, truncated bodies) or a
:class:`~schemas.errors.PermanentFetchError` (4xx, size cap, host not allowed, redirect
loop, a body that is not what its Content-Type says, a URL robots.txt disallows, an address that carries a user
name or password); either way ``str(error)`` is a sentence a person understands, and the crawl records it.
Credentials in an address are never sent: such a URL (a link, a redirect's Location) is refused before any
request, and named with its password as ``***`` (:func:`schemas.redact.mask_url`).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urljoin

import httpx

from extract.collect.deadline import DeadlineTransport, deadline
from extract.collect.fetch_policy import (
    DEFAULT_USER_AGENT, Budgets, FetchSettings, HostLimiter, admits, backoff_delay, host_of, refusal,
    retry_after_seconds,
)
from extract.collect.fetch_record import FetchRecord, FetchResult
from extract.collect.robots import (
    HostRobots, RobotsDisallowed, agent_token, parsed, robots_url, unavailable, unreachable,
)
from extract.read.sniff import sniff
from schemas.errors import FetchError, PermanentFetchError
from schemas.redact import has_credentials, mask_url

__all__ = [
    "DEFAULT_USER_AGENT", "FetchRecord", "FetchResult", "FetchSettings", "Fetcher", "HostLimiter",
    "RobotsDisallowed", "backoff_delay", "check_body_matches_type", "host_of",
]

_REDIRECTS = (301, 302, 303, 307, 308)
_ENCODINGS = ("", "identity", "gzip", "x-gzip", "deflate")  # httpx decodes one layer: at most ~1,000 × a read
_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


_DOCUMENT_TYPES = ("application/pdf", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-works",
                   "application/vnd.openxmlformats-officedocument.", "application/zip", "application/x-zip-compressed",
                   "application/kswps", "application/kset", "application/wps-office.")
_DOCUMENT_BODIES = frozenset({"pdf", "xlsx", "xls", "docx", "doc", "zip"})  # what the readers and the run open


def check_body_matches_type(content_type: str | None, body: bytes, url: str) -> None:
    """Portals answer a missing file with their HTML error page, still labelled PDF (or Word, Excel,
    ZIP). A body the sniffer knows as a document the run reads passes whatever the label says
    (a workbook served as application/pdf is still a workbook); an HTML page under any document
    type, and anything but a document under application/pdf, is refused."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if not ctype.startswith(_DOCUMENT_TYPES) or (ctype == "application/pdf" and b"%PDF-" in body[:1024]):
        return
    found = sniff(body)
    if found.format in _DOCUMENT_BODIES or (ctype != "application/pdf" and found.format != "html"):
        return  # a document the run reads; a damaged Office file is its reader's to judge, not the fetcher's
    head = body[:64].decode("utf-8", "replace").strip().replace("\n", " ")
    kind = "an HTML page" if found.format == "html" else "not a PDF"
    raise PermanentFetchError(
        f"{url} was served as {ctype} but the body is {kind} "
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
        self._agent = agent_token(s.user_agent)
        self._robots: dict[str, HostRobots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._robots_guard = threading.Lock()
        self._budgets = Budgets(s)
        self._client = httpx.Client(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(s.read_timeout_s, connect=s.connect_timeout_s),
            follow_redirects=False,
            transport=transport or DeadlineTransport(),
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _allow_list(self, allowed: frozenset[str] | None) -> frozenset[str] | None:
        """The entries a call is held to (``allowed`` narrows the fetcher's own); None: any host."""
        if allowed is not None:
            return allowed
        return None if self.settings.allow_any_host else self.settings.allowed_hosts

    def allows(self, url: str, allowed: frozenset[str] | None = None) -> bool:
        entries = self._allow_list(allowed)
        return entries is None or admits(entries, url)

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allowed: frozenset[str] | None = None,
    ) -> FetchResult:
        """GET ``url`` with retries; conditional when ``etag``/``last_modified`` are known.

        ``allowed`` narrows the allow-list for this call (a crawl passes its source's portal origin,
        so a redirect to another county's portal, or to another port of its host, is refused too). Raises
        :class:`~extract.collect.robots.RobotsDisallowed` (a PermanentFetchError, no request
        sent) when the host's robots.txt refuses the URL or one of its redirects.
        """
        return self._with_retries(url, etag, last_modified, allowed, self.settings.obey_robots)

    def robots(self, url: str) -> HostRobots:
        """The robots.txt rules of ``url``'s origin: read on first use, kept for this fetcher's run."""
        origin = robots_url(url)
        with self._robots_guard:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # other threads wait for the first reader instead of asking again
            found = self._robots.get(origin)
            if found is None:
                found = self._robots[origin] = self._read_robots(origin)
                delay = found.crawl_delay(self._agent)
                if delay:
                    self._limiter.slow_down(host_of(url), min(delay, self.settings.max_crawl_delay_s))
        return found

    def _read_robots(self, url: str) -> HostRobots:
        try:
            result = self._with_retries(url, None, None, None, robots=False)
        except PermanentFetchError:  # 4xx, redirect loop or off-list redirect: "unavailable"
            return unavailable(url)
        except FetchError as exc:  # 5xx, 429, timeout, network, after retries: "unreachable"
            return unreachable(url, str(exc))
        return parsed(url, result.content or b"")

    def _with_retries(self, url, etag, last_modified, allowed, robots: bool) -> FetchResult:
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._follow(url, etag, last_modified, attempt, allowed, robots)
            except PermanentFetchError:
                raise
            except FetchError as exc:
                if attempt >= self.settings.max_attempts:
                    raise FetchError(f"{exc} (gave up after {attempt} attempts)") from exc
                delay = backoff_delay(attempt, self.settings, getattr(exc, "retry_after", None))
                self._budgets.spend(url, delay)  # a host that must be waited for spends its own budget
                self._sleep(delay)

    def _follow(self, url, etag, last_modified, attempt, allowed, robots: bool) -> FetchResult:
        seen: list[str] = []
        current = url
        while True:
            if has_credentials(current):
                raise PermanentFetchError(f"{mask_url(current)}: the address carries a user name or password; "
                                          "addresses with credentials are refused (nothing was requested)")
            if not self.allows(current, allowed):
                raise PermanentFetchError(f"{current}: {refusal(self._allow_list(allowed), current)}")
            if current in seen:
                raise PermanentFetchError(f"{url}: redirect loop ({' -> '.join(seen + [current])})")
            if len(seen) > self.settings.max_redirects:
                raise PermanentFetchError(
                    f"{url}: more than {self.settings.max_redirects} redirects (last {current})"
                )
            seen.append(current)
            if robots and not (rules := self.robots(current)).allows(current, self._agent):
                raise rules.refusal(current)
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
            left = self._budgets.left(url)  # after the politeness wait, which is not the host's doing
            limit = min(self.settings.deadline_s, left)
            started = time.monotonic()
            try:
                with deadline(limit) as ends:
                    return self._stream(url, headers, ends, limit < self.settings.deadline_s)
            finally:
                self._budgets.spend(url, time.monotonic() - started)
        finally:
            self._limiter.release(host)

    def _too_slow(self, url: str, budget: bool) -> FetchError:
        if budget:
            return PermanentFetchError(f"{url}: stopped: its host's time budget of {self.settings.host_budget_s:g} s "
                                       "(--host-budget) or the run's (--crawl-budget) ran out during the request")
        return FetchError(f"{url}: server too slow, no complete answer after {self.settings.deadline_s:g} s "
                          "(connect, headers and body)")

    def _stream(self, url: str, headers: dict[str, str], ends: float, budget: bool):
        s = self.settings
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                encoding = response.headers.get("content-encoding", "").strip().lower()
                if encoding not in _ENCODINGS:
                    raise PermanentFetchError(
                        f"{url}: served with Content-Encoding {encoding!r}; only one layer of gzip or deflate is "
                        "read (stacked or other encodings are refused, as decompression bombs are)")
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
                    if time.monotonic() > ends:
                        raise self._too_slow(url, budget)
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
            if time.monotonic() >= ends:
                raise self._too_slow(url, budget) from exc
            raise FetchError(f"{url}: timed out ({type(exc).__name__})") from exc
        except httpx.RemoteProtocolError as exc:
            if "complete message body" in str(exc) or "Server disconnected" in str(exc):
                raise FetchError(f"{url}: connection broke off mid-response, body truncated ({exc})") from exc
            raise FetchError(f"{url}: the server's answer is not valid HTTP ({exc})") from exc
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
            content_disposition=next(  # its bytes as received (httpx would guess their charset)
                (v.decode("latin-1") for k, v in headers.raw if k.lower() == b"content-disposition"), None),
        )


def _check_status(url: str, response: httpx.Response) -> None:
    code = response.status_code
    if code < 400 or code in _REDIRECTS:
        return
    reason = f"{url}: HTTP {code} {response.reason_phrase}".rstrip()
    if code in _RETRYABLE_STATUS or code >= 500:
        error = FetchError(reason)
        error.retry_after = retry_after_seconds(response.headers.get("retry-after"))  # type: ignore[attr-defined]
        raise error
    raise PermanentFetchError(reason)

