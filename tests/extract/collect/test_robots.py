"""robots.txt and the per-host limits, against the fake portal on 127.0.0.1.

Every count here is a request the server saw; every spacing is measured on the server side.
"""

from __future__ import annotations

import threading

import pytest

from extract.collect.crawl import Crawler, KnownDocument
from extract.collect.fetch import Fetcher, RobotsDisallowed
from extract.collect.manifest import ManifestEntry, fetch_entry
from extract.collect.robots import agent_token, robots_url
from schemas.errors import FetchError
from tests.extract.collect.conftest import fast_settings as settings
from tests.fake_portal import build_gaoyi

def test_names():
    assert robots_url("HTTP://Example.gov.cn:8080/a/b.pdf?x=1") == "http://example.gov.cn:8080/robots.txt"
    assert agent_token("county-budgets/0.1 (budget disclosure collector)") == "county-budgets"


def test_disallowed_documents_are_skipped_with_the_reason_and_never_requested(portal, store):
    docs = build_gaoyi(portal)
    portal.add("/robots.txt", "User-agent: *\nDisallow: /gaoyi/files/\n", content_type="text/plain")
    known = {docs["cz_pdf"]: KnownDocument("c" * 64, fiscal_year=2021)}  # loaded by an earlier run
    with Fetcher(settings()) as fetcher:
        report = Crawler(fetcher, store).crawl("src", portal.url("/gaoyi/index.html"), known=known)
    assert sum(r.path.startswith("/gaoyi/files/") for r in portal.requests) == 0
    assert portal.hits("/robots.txt") == 1  # once per host for the whole run
    skipped = {url: why for url, why in report.skipped if "robots.txt" in why}
    expected = {docs[k] for k in ("mz_pdf", "mz_xls", "mz_copy", "jy_pdf", "cz_pdf")}
    assert set(skipped) == expected
    assert all(why.endswith(f"disallowed by robots.txt ({portal.url('/robots.txt')})") for why in skipped.values())
    # recorded as not fetched (src_fetch rows), not as failed documents, and not withdrawn
    refused = {f.url: f for f in report.fetches if f.error_reason and "robots.txt" in f.error_reason}
    assert set(refused) == expected and {f.http_status for f in refused.values()} == {None}
    assert [d.url for d in report.documents] == [docs["seed_html"]]
    assert report.status == "ok" and report.withdrawn == []


def test_a_group_for_our_agent_wins_over_the_wildcard(portal):
    portal.add("/a.html", "<html><body>ok</body></html>")
    portal.add("/robots.txt", "User-agent: *\nAllow: /\n\nUser-agent: county-budgets\nDisallow: /a.html\n")
    with Fetcher(settings()) as fetcher, pytest.raises(RobotsDisallowed, match="disallowed by robots.txt"):
        fetcher.fetch(portal.url("/a.html"))
    assert portal.hits("/a.html") == 0
    with Fetcher(settings(user_agent="other-bot/1.0")) as fetcher:
        assert fetcher.fetch(portal.url("/a.html")).status == 200


def test_missing_robots_allows_everything_and_is_asked_once(portal):
    for i in range(3):
        portal.add(f"/p{i}.html", "<html><body>ok</body></html>")
    with Fetcher(settings()) as fetcher:
        assert [fetcher.fetch(portal.url(f"/p{i}.html")).status for i in range(3)] == [200] * 3
    assert portal.hits("/robots.txt") == 1
    assert [r.path for r in portal.requests][0] == "/robots.txt"


@pytest.mark.parametrize("fault", [dict(fail_times=99, fail_status=503), dict(delay_s=1.0)])
def test_unreachable_robots_disallows_the_host_for_the_run(portal, store, fault):
    """5xx or a timeout: conservative, as RFC 9309 and Google — nothing fetched from that host."""
    build_gaoyi(portal)
    portal.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain", **fault)
    with Fetcher(settings()) as fetcher:
        report = Crawler(fetcher, store).crawl("src", portal.url("/gaoyi/index.html"))
        with pytest.raises(RobotsDisallowed, match="could not be read"):
            fetcher.fetch(portal.url("/gaoyi/files/mz2021.pdf"))
    assert portal.hits("/robots.txt") == 3  # the fetcher's own 3 attempts, then remembered
    assert {r.path for r in portal.requests} == {"/robots.txt"}
    assert report.status == "failed" and report.documents == []
    assert "index page" in report.reason and "treated as disallowed for this run" in report.reason


def test_redirect_into_a_disallowed_path_is_not_followed(portal):
    portal.add("/go.pdf", redirect_to="/private/doc.pdf")
    portal.add("/private/doc.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    portal.add("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    with Fetcher(settings()) as fetcher, pytest.raises(RobotsDisallowed, match="private/doc.pdf: disallowed"):
        fetcher.fetch(portal.url("/go.pdf"))
    assert portal.hits("/go.pdf") == 1 and portal.hits("/private/doc.pdf") == 0


def test_manifest_entry_disallowed_is_recorded_not_fetched(portal, store):
    portal.add("/robots.txt", "User-agent: *\nDisallow: /\n")
    portal.add("/doc.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    with Fetcher(settings()) as fetcher:
        outcome = fetch_entry(ManifestEntry(portal.url("/doc.pdf")), store, fetcher.fetch)
    assert outcome.document_id is None and "disallowed by robots.txt" in outcome.reason
    assert [r["error_reason"] for r in store.fetch_records()] == [outcome.reason]
    assert portal.hits("/doc.pdf") == 0


def test_crawl_delay_spaces_the_hosts_requests(portal):
    portal.add("/robots.txt", "User-agent: *\nCrawl-delay: 0.3\n")
    for i in range(3):
        portal.add(f"/p{i}.html", "<html><body>ok</body></html>")
    with Fetcher(settings()) as fetcher:
        for i in range(3):
            fetcher.fetch(portal.url(f"/p{i}.html"))
    starts = [r.at for r in portal.requests if r.path.startswith("/p")]
    # sent 0.3 s apart; an arrival can lag its send by up to 0.2 s on a loaded machine, so the bounds leave
    # room for that (without the delay the three arrive within milliseconds)
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.1 and starts[-1] - starts[0] >= 0.4


def test_per_host_limits_hold_under_every_retry(portal):
    """Four threads, flaky URLs: each URL gets at most max_attempts requests, every request
    (retries and robots.txt included) starts >= interval after the previous one, and no more
    than the concurrency cap are in flight at once."""
    interval, cap = 0.03, 2  # answers take 0.15 s: without the cap, 5 threads would overlap
    for i in range(4):
        portal.add(f"/f{i}.html", "<html><body>ok</body></html>", fail_times=2, delay_s=0.15)
    portal.add("/dead.html", "x", fail_times=99, delay_s=0.15)
    errors: list[Exception] = []
    with Fetcher(settings(per_host_interval_s=interval, per_host_concurrency=cap)) as fetcher:
        def get(path: str) -> None:
            try:
                fetcher.fetch(portal.url(path))
            except FetchError as exc:
                errors.append(exc)

        threads = [threading.Thread(target=get, args=(p,)) for p in ["/f0.html", "/f1.html", "/f2.html",
                                                                      "/f3.html", "/dead.html"]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [portal.hits(f"/f{i}.html") for i in range(4)] == [3, 3, 3, 3]
    assert portal.hits("/dead.html") == 3 and len(errors) == 1
    assert str(errors[0]).endswith("HTTP 500 Internal Server Error (gave up after 3 attempts)")
    starts = sorted(r.at for r in portal.requests)
    assert len(starts) == 1 + 5 * 3
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    # spaced when sent; an arrival may lag its send on a loaded machine and close up a few gaps. Without the
    # interval, the threads start two at a time (the cap) and about half of the 15 gaps are ~0
    assert sum(g < interval - 0.01 for g in gaps) <= 4, gaps
    assert portal.max_in_flight == cap
