"""robots.txt, read once per host per run and obeyed (RFC 9309; parsed by protego).

What the fetcher does with a host's ``/robots.txt`` depends on how the request for it ends,
as RFC 9309 (section 2.3.1) and Google's crawler do:

- 2xx: the file is parsed (its first 500 KiB, Google's limit) and its rules for our
  product token (``county-budgets``, else ``*``) decide every URL of that host;
- 4xx, or a redirect chain that cannot be followed: "unavailable", every path is allowed;
- 5xx, 429, a timeout or a network error, after the fetcher's own retries: "unreachable",
  every path is treated as **disallowed** for the rest of the run (the conservative
  choice of the RFC and of Google, who also stop crawling a host whose robots.txt
  errors); the next run asks again.

A ``Crawl-delay`` slows that host down for the run (capped by
``FetchSettings.max_crawl_delay_s``). A URL the rules refuse is never requested: the
fetcher raises :class:`RobotsDisallowed`, whose message says "disallowed by robots.txt".
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from schemas.errors import PermanentFetchError

ROBOTS_MAX_BYTES = 500 * 1024


class RobotsDisallowed(PermanentFetchError):
    """The host's robots.txt refuses this URL (or could not be read): not fetched, not retried."""


@dataclass(frozen=True)
class HostRobots:
    """The rules of one origin for this run: parsed rules, or allow-all / disallow-all."""

    robots_url: str
    rules: Protego | None = None
    allow_all: bool = True
    why: str = ""  # for the unreachable case: what went wrong reading robots.txt

    def allows(self, url: str, agent: str) -> bool:
        if self.rules is not None:
            return bool(self.rules.can_fetch(url, agent))
        return self.allow_all

    def crawl_delay(self, agent: str) -> float | None:
        delay = self.rules.crawl_delay(agent) if self.rules is not None else None
        return float(delay) if delay else None

    def refusal(self, url: str) -> RobotsDisallowed:
        if self.rules is None:
            return RobotsDisallowed(
                f"{url}: not fetched, disallowed by robots.txt: {self.robots_url} could not be read "
                f"({self.why}), so every path of this host is treated as disallowed for this run"
            )
        return RobotsDisallowed(f"{url}: disallowed by robots.txt ({self.robots_url})")


def robots_url(url: str) -> str:
    """``https://host:port/robots.txt`` for any URL of that origin."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/robots.txt", "", ""))


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups name: ``county-budgets/0.1 (…)`` → ``county-budgets``."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


def parsed(url: str, body: bytes) -> HostRobots:
    text = body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
    return HostRobots(url, rules=Protego.parse(text))


def unavailable(url: str) -> HostRobots:
    """4xx or an unfollowable redirect: no rules, everything allowed."""
    return HostRobots(url, allow_all=True)


def unreachable(url: str, why: str) -> HostRobots:
    """5xx, 429, timeout or network error: everything disallowed for this run."""
    return HostRobots(url, allow_all=False, why=why)
