"""Hostile servers on 127.0.0.1 against the fetcher: every one is cut in bounded time and memory,
with a reason a person understands. Times are generous bounds (the machine is shared), each
a few times the limit under test and far below what the attack would take unchecked."""

from __future__ import annotations

import time
import zlib

import pytest

from extract.collect.fetch import Fetcher
from schemas.errors import FetchError, PermanentFetchError
from tests.extract.collect.conftest import fast_settings
from tests.fake_portal import FakePortal
from tests.memory import PeakRss

MIB = 2**20


def fetcher(**kw) -> Fetcher:
    return Fetcher(fast_settings(**{"max_attempts": 1, **kw}))


def timed_failure(fetch, url: str, error=FetchError) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(error) as err:
        fetch(url)
    return str(err.value), time.monotonic() - started


def test_headers_sent_a_byte_at_a_time_are_cut_at_the_deadline(portal):
    # about 120 header bytes at 0.1 s each: 12 s unchecked, where every single read is quick
    url = portal.add("/trickle.html", "<html>x</html>", header_trickle_s=0.1)
    with fetcher() as f:
        reason, took = timed_failure(f.fetch, url)
    assert reason == (f"{url}: server too slow, no complete answer after 0.8 s (connect, headers and body) "
                      "(gave up after 1 attempts)")
    assert took < 12 / 2  # the 0.8 s deadline, with room for a loaded machine; unchecked: 12 s


def test_a_host_that_stalls_spends_its_budget_then_is_not_asked_again(portal):
    slow = [portal.add(f"/stall{i}.html", "<html>x</html>", header_trickle_s=0.1) for i in range(3)]
    fine = portal.add("/fine.html", "<html>fine</html>")
    with fetcher(max_attempts=3, host_budget_s=2.0, allowed_hosts=frozenset({"127.0.0.1", "localhost"})) as f:
        started = time.monotonic()
        reasons = [timed_failure(f.fetch, url)[0] for url in slow]
        took = time.monotonic() - started
        assert "server too slow" in reasons[0] or "time budget" in reasons[0]
        assert reasons[-1] == (f"{slow[-1]}: not fetched: host '127.0.0.1' has had its time budget of 2 s this run "
                               "(--host-budget; a slow or stalling server); the next run tries again")
        assert "has had its time budget" in timed_failure(f.fetch, fine, PermanentFetchError)[0]
        # another host keeps its own budget
        assert f.fetch(portal.url("/fine.html", host="localhost")).content == b"<html>fine</html>"
    # the 2 s budget and one 0.8 s deadline, with room for a loaded machine; unchecked: 3 URLs x 3 attempts x 12 s
    assert took < 30


def test_the_whole_run_stops_fetching_when_its_budget_is_spent(portal):
    url = portal.add("/stall.html", "<html>x</html>", header_trickle_s=0.1)
    ok = portal.add("/ok.html", "<html>ok</html>")
    with fetcher(crawl_budget_s=1.0, deadline_s=30.0) as f:
        assert f.fetch(ok).status == 200
        cut, _ = timed_failure(f.fetch, url, PermanentFetchError)
        reason, took = timed_failure(f.fetch, ok, PermanentFetchError)
    assert cut == (f"{url}: stopped: its host's time budget of 1800 s (--host-budget) or the run's (--crawl-budget) "
                   "ran out during the request")
    assert reason == (f"{ok}: not fetched: this run's fetching has had its time budget of 1 s (--crawl-budget); "
                      "the next run fetches it")
    assert took < 5 and portal.hits("/ok.html") == 1  # refused without a request (a request may wait 30 s)


def test_a_redirect_to_another_port_of_the_same_host_is_not_followed(portal):
    with FakePortal() as other:
        target = other.add("/b.html", "<html>other server</html>")
        url = portal.add("/a.html", redirect_to=target)
        # the portal's own origin, as a crawl or a registry run passes it, admits its own port only
        with Fetcher(fast_settings(allowed_hosts=frozenset({portal.url("/")}))) as f:
            reason, _ = timed_failure(f.fetch, url, PermanentFetchError)
            assert f.fetch(portal.add("/c.html", "<html>c</html>")).status == 200
        assert reason == (f"{target}: http://127.0.0.1:{other.port} is not on the allow-list: another port or scheme "
                          f"of http://127.0.0.1:{portal.port}")
        assert other.hits("/b.html") == 0


def test_an_address_with_credentials_is_never_requested(portal):
    secret = portal.url("/secret.pdf").replace("://", "://user:pw-9q@")
    portal.add("/secret.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    moved = portal.add("/moved.pdf", redirect_to=secret)
    with fetcher() as f:
        direct, _ = timed_failure(f.fetch, secret, PermanentFetchError)
        redirected, _ = timed_failure(f.fetch, moved, PermanentFetchError)
    masked = secret.replace("pw-9q", "***")
    assert direct == redirected == (f"{masked}: the address carries a user name or password; addresses with "
                                    "credentials are refused (nothing was requested)")
    assert portal.hits("/secret.pdf") == 0


def _zeros_compressed(size: int, wbits: int) -> bytes:
    packer, chunk = zlib.compressobj(9, zlib.DEFLATED, wbits), bytes(MIB)
    return b"".join(packer.compress(chunk) for _ in range(size // MIB)) + packer.flush()


@pytest.mark.parametrize("kind, body, headers, fragment", [
    ("endless body, no Content-Length", None, {}, "body exceeds the 67,108,864-byte cap"),
    ("gzip bomb", "gzip", {"Content-Encoding": "gzip"}, "body exceeds the 67,108,864-byte cap"),
    ("deflate bomb", "deflate", {"Content-Encoding": "deflate"}, "body exceeds the 67,108,864-byte cap"),
    ("stacked gzip", "gzip", {"Content-Encoding": "gzip, gzip"}, "served with Content-Encoding 'gzip, gzip'"),
])
def test_bodies_past_the_size_cap_are_refused_in_bounded_memory(portal, kind, body, headers, fragment):
    route = {"stream_bytes": 200 * MIB} if body is None else {
        "body": _zeros_compressed(256 * MIB, 31 if body == "gzip" else 15), "headers": headers}
    url = portal.add("/big.bin", content_type="application/octet-stream", **route)
    # a deadline (and read timeout) far above the fast settings' 0.8 s: 64 MiB must reach the cap first on a loaded
    # machine too (with 0.8 s the deadline could stop it, and the reason would not be the size cap's)
    with fetcher(max_bytes=64 * MIB, deadline_s=60.0, read_timeout_s=10.0) as f, PeakRss() as memory:
        reason, took = timed_failure(f.fetch, url, PermanentFetchError)
    assert fragment in reason, reason
    assert memory.grew < 3 * 64 * MIB, memory.grew  # what the cap lets in, plus one inflated read
    assert took < 60


@pytest.mark.parametrize("declared, fragment, error", [
    ("10000", "connection broke off mid-response, body truncated", FetchError),  # promises more, hangs up
    ("abc", "the server's answer is not valid HTTP", FetchError),
    (str(10**12), "1,000,000,000,000 bytes declared, over the 200,000-byte cap", PermanentFetchError),
])
def test_a_content_length_that_lies_gives_a_reason(portal, declared, fragment, error):
    url = portal.add("/lie.pdf", b"%PDF-1.4 " + b"x" * 100, content_type="application/pdf", content_length=declared,
                     **({"truncate_to": 109} if declared == "10000" else {}))
    with fetcher() as f:
        reason, took = timed_failure(f.fetch, url, error)
    assert fragment in reason and took < 12 / 2, reason  # the 0.8 s deadline, with room for a loaded machine
