"""The polite client against a real local server: every fault ends in a readable reason."""

from __future__ import annotations

import threading
import time

import pytest

from extract.collect.fetch import Fetcher, FetchRecord, FetchSettings, HostLimiter, backoff_delay
from schemas.errors import FetchError, PermanentFetchError
from tests.extract.collect.conftest import fast_settings


def fast(**kw) -> FetchSettings:
    return fast_settings(**{"backoff_max_s": 0.05, "per_host_concurrency": 2, "max_bytes": 10_000, **kw})


def fetch(portal, path, settings=None, **kw):
    with Fetcher(settings or fast()) as f:
        return f.fetch(portal.url(path), **kw)


def test_ok_with_user_agent_and_metadata(portal):
    portal.add("/doc.pdf", b"%PDF-1.4 hello", content_type="application/pdf")
    result = fetch(portal, "/doc.pdf")
    assert result.content == b"%PDF-1.4 hello"
    assert result.status == 200 and result.attempts == 1 and result.byte_size == 14
    assert result.content_type == "application/pdf"
    assert result.etag and result.last_modified
    ua = portal.requests_for("/doc.pdf")[0].headers["user-agent"]
    assert ua.startswith("county-budgets/")
    record = FetchRecord.of_result(result, "src1")
    assert record.document_id == result.sha256 and len(record.fetch_id) == 64
    assert record.error_reason is None


def test_500_then_success_is_retried(portal):
    portal.add("/flaky.html", "<html><body>ok</body></html>", fail_times=2)
    result = fetch(portal, "/flaky.html")
    assert result.attempts == 3
    assert portal.hits("/flaky.html") == 3


def test_500_forever_gives_up_with_reason(portal):
    portal.add("/down.html", "x", fail_times=99)
    with pytest.raises(FetchError) as err:
        fetch(portal, "/down.html")
    assert not isinstance(err.value, PermanentFetchError)
    assert "HTTP 500" in str(err.value) and "gave up after 3 attempts" in str(err.value)
    assert portal.hits("/down.html") == 3


def test_4xx_is_not_retried(portal):
    with pytest.raises(PermanentFetchError, match="HTTP 404 Not Found"):
        fetch(portal, "/missing.pdf")
    assert portal.hits("/missing.pdf") == 1


def test_timeout_is_retried_then_reported(portal):
    portal.add("/hang.html", "late", delay_s=5.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out \(ReadTimeout\).*gave up after 2 attempts"):
        fetch(portal, "/hang.html", fast(max_attempts=2))
    # each attempt gives up at the 0.4 s read timeout (about 1 s for both); a fetcher that waited for the
    # answer would take 5 s for the first attempt alone: a bound that holds on a loaded machine
    assert time.monotonic() - started < 5.0
    assert portal.hits("/hang.html") == 2


def test_trickling_server_hits_the_deadline(portal):
    portal.add("/slow.html", "<p>" + "x" * 2000 + "</p>", trickle_s=0.05)
    with pytest.raises(FetchError, match=r"server too slow, no complete answer after 0.8 s \(connect, headers and body\)"):
        fetch(portal, "/slow.html", fast(max_attempts=1))


def test_truncated_body_is_retryable_and_reported(portal):
    portal.add("/cut.pdf", b"%PDF-" + b"x" * 995, content_type="application/pdf", truncate_to=100)
    with pytest.raises(FetchError, match=r"truncated.*gave up after 2 attempts") as err:
        fetch(portal, "/cut.pdf", fast(max_attempts=2))
    assert not isinstance(err.value, PermanentFetchError)
    assert portal.hits("/cut.pdf") == 2


def test_redirect_followed_on_allowed_host(portal):
    portal.add("/old.html", redirect_to="/new.html")
    portal.add("/new.html", "<html><body>moved</body></html>")
    result = fetch(portal, "/old.html")
    assert result.final_url == portal.url("/new.html") and result.content.endswith(b"</html>")


def test_redirect_loop_is_permanent(portal):
    portal.add("/a.html", redirect_to="/b.html")
    portal.add("/b.html", redirect_to="/a.html")
    with pytest.raises(PermanentFetchError, match=r"redirect loop \(.*/a\.html -> .*/b\.html -> .*/a\.html\)"):
        fetch(portal, "/a.html")
    assert portal.hits("/a.html") == 1 and portal.hits("/b.html") == 1


def test_too_many_redirects(portal):
    for i in range(5):
        portal.add(f"/r{i}.html", redirect_to=f"/r{i + 1}.html")
    with pytest.raises(PermanentFetchError, match="more than 2 redirects"):
        fetch(portal, "/r0.html", fast(max_redirects=2))


def test_redirect_to_a_host_off_the_allow_list_is_not_followed(portal):
    portal.add("/away.html", redirect_to=portal.url("/elsewhere.html", host="localhost"))
    portal.add("/elsewhere.html", "<html>other site</html>")
    with pytest.raises(PermanentFetchError, match="host 'localhost' is not on the allow-list"):
        fetch(portal, "/away.html")
    assert portal.hits("/elsewhere.html") == 0


def test_disallowed_host_is_never_requested(portal):
    portal.add("/x.html", "<html></html>")
    with Fetcher(fast()) as f, pytest.raises(PermanentFetchError, match="not on the allow-list"):
        f.fetch(portal.url("/x.html", host="localhost"))
    assert portal.hits("/x.html") == 0
    # a call can narrow the allow-list further
    with Fetcher(fast()) as f, pytest.raises(PermanentFetchError, match="'127.0.0.1' is not on"):
        f.fetch(portal.url("/x.html"), allowed=frozenset({"example.invalid"}))


def test_html_error_page_served_as_pdf(portal):
    portal.add("/fake.pdf", "<!DOCTYPE html><html><body>文件不存在</body></html>", content_type="application/pdf")
    with pytest.raises(PermanentFetchError, match=r"served as application/pdf but the body is an HTML page"):
        fetch(portal, "/fake.pdf")
    assert portal.hits("/fake.pdf") == 1


@pytest.mark.parametrize("content_type", ["application/pdf", "application/vnd.ms-excel", "application/zip",
                                          "application/octet-stream"])
def test_office_and_zip_bodies_pass_the_body_check_whatever_their_label(portal, content_type):
    from tests.office_inputs import zip_of

    workbook = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    portal.add("/t.xlsx", workbook, content_type=content_type)
    assert fetch(portal, "/t.xlsx").content == workbook


def test_html_error_page_served_as_a_word_file(portal):
    portal.add("/t.doc", "<html><head><title>404</title></head><body>文件不存在</body></html>",
               content_type="application/msword")
    with pytest.raises(PermanentFetchError, match=r"served as application/msword but the body is an HTML page"):
        fetch(portal, "/t.doc")


def test_body_over_the_cap(portal):
    portal.add("/huge.pdf", b"%PDF-" + b"0" * 20_000, content_type="application/pdf")
    with pytest.raises(PermanentFetchError, match=r"20,005 bytes declared, over the 10,000-byte cap"):
        fetch(portal, "/huge.pdf")
    assert portal.hits("/huge.pdf") == 1


def test_conditional_request_gets_304(portal):
    portal.add("/doc.pdf", b"%PDF-1.4 v1", content_type="application/pdf")
    first = fetch(portal, "/doc.pdf")
    second = fetch(portal, "/doc.pdf", etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content is None and second.sha256 is None
    sent = portal.requests_for("/doc.pdf")[1].headers
    assert sent["if-none-match"] == first.etag and sent["if-modified-since"] == first.last_modified
    portal.add("/doc.pdf", b"%PDF-1.4 v2", content_type="application/pdf")
    third = fetch(portal, "/doc.pdf", etag=first.etag)
    assert third.status == 200 and third.content == b"%PDF-1.4 v2"


def test_429_is_retried_after_the_servers_retry_after(portal):
    sleeps: list[float] = []
    portal.add("/limited.html", "<html>ok</html>", fail_times=1, fail_status=429,
               fail_headers={"Retry-After": "2"})
    with Fetcher(fast(backoff_max_s=5), sleep=sleeps.append) as f:
        result = f.fetch(portal.url("/limited.html"))
    assert result.attempts == 2 and sleeps == [2.0]


def test_backoff_grows_exponentially_within_bounds():
    settings = FetchSettings(backoff_base_s=1, backoff_max_s=10)
    assert 0.5 <= backoff_delay(1, settings) <= 1
    assert 2 <= backoff_delay(3, settings) <= 4
    assert 5 <= backoff_delay(30, settings) <= 10
    assert backoff_delay(1, settings, retry_after=60) == 10  # capped even when asked for more


def test_per_host_concurrency_cap(portal):
    portal.add("/slowish.html", "<html>x</html>", delay_s=0.2)

    def run(settings) -> float:
        with Fetcher(settings) as f:
            threads = [threading.Thread(target=f.fetch, args=(portal.url("/slowish.html"),)) for _ in range(3)]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return time.monotonic() - started

    serial = run(fast(per_host_concurrency=1))
    assert serial >= 0.6 and portal.max_in_flight == 1  # three 0.2 s answers one after the other
    parallel = run(fast(per_host_concurrency=3))
    # all three at once; timed as a ratio of the serial run, so a loaded machine slows both alike
    assert portal.max_in_flight == 3 and parallel < serial


def test_host_limiter_spaces_request_starts():
    now = [0.0]
    slept: list[float] = []
    limiter = HostLimiter(2, 1.5, clock=lambda: now[0], sleep=slept.append)
    for _ in range(3):
        limiter.acquire("a.gov.cn")
        limiter.release("a.gov.cn")
    limiter.acquire("b.gov.cn")  # another host is not held back
    assert slept == [1.5, 3.0]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"read_timeout_s": 0}, "read_timeout_s must be positive"),
        ({"max_attempts": 0}, "max_attempts and per_host_concurrency must be >= 1"),
        ({"max_redirects": -1}, "cannot be negative"),
    ],
)
def test_settings_are_validated(kw, message):
    with pytest.raises(ValueError, match=message):
        FetchSettings(**kw)
