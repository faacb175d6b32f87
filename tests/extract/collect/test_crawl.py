"""Crawling fake county portals on 127.0.0.1: discovery, incremental re-runs, every fault."""

from __future__ import annotations

import time

import pytest

from extract.collect.crawl import Crawler, KnownDocument
from extract.collect.fetch import Fetcher, FetchSettings
from extract.collect.links import doc_kind, fiscal_year, html_text, is_disclosure_title, parse_html
from extract.collect.portal_config import PortalConfig, parse_portal_configs
from tests.extract.collect.conftest import fast_settings
from tests.fake_portal import FAULTS, build_gaoyi, build_putuo, build_zhaoxian, html_page

MAX_BYTES = 200_000


def settings(**kw) -> FetchSettings:
    return fast_settings(**{"max_attempts": 2, "max_bytes": MAX_BYTES, **kw})


def crawl(portal, store, path, known=None, config=None, **kw):
    with Fetcher(settings()) as fetcher:
        return Crawler(fetcher, store, config).crawl("src", portal.url(path), known=known, **kw)


def known_from(report) -> dict[str, KnownDocument]:
    return {
        d.url: KnownDocument(d.document_id, d.etag, d.last_modified, d.fiscal_year)
        for d in report.documents if d.status != "failed"
    }


def test_first_crawl_collects_every_document(portal, store):
    docs = build_gaoyi(portal)
    report = crawl(portal, store, "/gaoyi/index.html")
    by_url = {d.url: d for d in report.documents}
    assert set(by_url) == set(docs.values())
    assert {d.status for d in report.documents} == {"new"}
    assert report.status == "ok" and report.listing_complete and report.withdrawn == []
    assert report.pages_fetched == 3  # index, index_2, index_3, each once
    assert portal.hits("/gaoyi/index.html") == 1 and portal.hits("/gaoyi/index_2.html") == 1
    # the seed is an HTML detail page whose text is the disclosure
    seed = by_url[docs["seed_html"]]
    assert (seed.fiscal_year, seed.doc_kind) == (2021, "department_budget")
    assert b"2422400" in store.get(seed.document_id) or "242.24".encode() in store.get(seed.document_id)
    jy = by_url[docs["jy_pdf"]]
    assert (jy.fiscal_year, jy.doc_kind) == (2022, "final_account")
    assert by_url[docs["mz_xls"]].content_type == "application/vnd.ms-excel"  # stored though not parsed
    # the same PDF at two URLs: two URL rows, one stored document, one to extract
    assert by_url[docs["mz_pdf"]].document_id == by_url[docs["mz_copy"]].document_id
    assert len(report.to_extract()) == 5
    assert sorted(store.document_ids()) == sorted(report.to_extract())
    assert store.meta(by_url[docs["mz_pdf"]].document_id)["urls"] == [docs["mz_pdf"], docs["mz_copy"]]
    # government budgets and unrelated links are not fetched; other hosts not followed
    assert portal.hits("/gaoyi/zfys2021.html") == 0 and portal.hits("/gaoyi/contact.html") == 0
    assert portal.hits("/gaoyi/files/other.pdf") == 0
    assert [r for _, r in report.skipped] == [
        "not followed: host 'localhost' is not on the allow-list for this source"
    ]
    assert all(f.error_reason is None for f in report.fetches)


def test_second_crawl_of_an_unchanged_portal_fetches_nothing_new(portal, store):
    build_gaoyi(portal)
    first = crawl(portal, store, "/gaoyi/index.html")
    second = crawl(portal, store, "/gaoyi/index.html", known=known_from(first))
    assert second.counts() == {"new": 0, "changed": 0, "unchanged": 6, "failed": 0, "withdrawn": 0}
    assert second.to_extract() == {}
    assert sum(f.not_modified for f in second.fetches) == 6  # documents asked conditionally
    pdf_requests = portal.requests_for("/gaoyi/files/mz2021.pdf")
    assert len(pdf_requests) == 2 and "if-none-match" in pdf_requests[1].headers
    # the seed page answered 304 and was read back from the raw store for its links
    seed = next(d for d in second.documents if d.url.endswith("xinfang2021.html"))
    assert seed.status == "unchanged" and seed.fiscal_year == 2021


def test_changed_pdf_is_changed_and_removed_link_is_withdrawn(portal, store):
    docs = build_gaoyi(portal)
    first = crawl(portal, store, "/gaoyi/index.html")
    portal.routes["/gaoyi/files/cz2021.pdf"].body += b"\n% corrected edition\n"
    portal.add("/gaoyi/index_3.html", html_page("预决算公开 第3页", [("index_2.html", "上一页")]))
    second = crawl(portal, store, "/gaoyi/index.html", known=known_from(first))
    status = {d.url: d.status for d in second.documents}
    assert status[docs["cz_pdf"]] == "changed"
    assert second.withdrawn == [docs["mz_copy"]]
    changed = second.to_extract()
    assert list(changed) == [next(d.document_id for d in second.documents if d.url == docs["cz_pdf"])]
    assert second.counts() == {"new": 0, "changed": 1, "unchanged": 4, "failed": 0, "withdrawn": 1}


def test_a_link_to_a_vanished_page_is_a_failure_not_a_withdrawal(portal, store):
    docs = build_gaoyi(portal)
    first = crawl(portal, store, "/gaoyi/index.html")
    page3 = portal.routes["/gaoyi/index_3.html"]
    page3.body = page3.body.replace(b'href="art/mz2021_repost.html"', b'href="art/gone.html"')
    second = crawl(portal, store, "/gaoyi/index.html", known=known_from(first))
    assert second.withdrawn == [] and not second.listing_complete
    gone = next(d for d in second.documents if d.url.endswith("gone.html"))
    assert gone.status == "failed" and gone.reason.endswith("HTTP 404 Not Found")
    assert docs["mz_copy"] not in {d.url for d in second.documents}


def test_no_withdrawals_when_a_page_could_not_be_read(portal, store):
    build_gaoyi(portal)
    first = crawl(portal, store, "/gaoyi/index.html")
    portal.routes["/gaoyi/index_2.html"].fail_times = 99
    second = crawl(portal, store, "/gaoyi/index.html", known=known_from(first))
    assert second.status == "partial" and not second.listing_complete
    assert second.withdrawn == []  # jy2022/cz2021 were only hidden, not removed
    assert "index page" in second.reason and "index_2.html could not be read" in second.reason


def test_unreachable_index_fails_the_source_with_a_reason(portal, store):
    report = crawl(portal, store, "/nowhere/index.html")
    assert report.status == "failed" and report.documents == []
    assert report.fetches[0].error_reason.endswith("HTTP 404 Not Found")


def test_every_fault_ends_in_a_recorded_reason(portal, store):
    urls = build_zhaoxian(portal, MAX_BYTES)
    report = crawl(portal, store, "/zhao/index.html")
    by_url = {d.url: d for d in report.documents}
    assert set(by_url) == set(urls.values())
    for name, (_, _, reason) in FAULTS.items():
        doc = by_url[urls[name]]
        if reason is None:
            assert doc.status == "new", name
        else:
            assert doc.status == "failed" and reason in doc.reason, (name, doc.reason)
            assert doc.document_id is None
    assert report.status == "partial" and report.listing_complete
    assert "7 document(s) could not be fetched" in report.reason
    # nothing half-stored: only the one good PDF is in the raw store
    assert list(store.document_ids()) == [by_url[urls["flaky"]].document_id]
    failed_fetches = [f for f in report.fetches if f.error_reason]
    assert len(failed_fetches) == 7 and all(f.document_id is None for f in failed_fetches)


def test_year_filter_fetches_only_wanted_years_and_withdraws_nothing(portal, store):
    docs = build_gaoyi(portal)
    first = crawl(portal, store, "/gaoyi/index.html")
    portal.requests.clear()
    report = crawl(portal, store, "/gaoyi/index.html", known=known_from(first), years={2022})
    assert [d.url for d in report.documents] == [docs["jy_pdf"]]
    assert report.withdrawn == []
    assert portal.hits("/gaoyi/files/cz2021.pdf") == 0
    # …but a 2022 document that went away is seen to go
    portal.add("/gaoyi/index_2.html", html_page("第2页", [("files/cz2021.pdf", "高邑县财政局2021年部门预算")]))
    report = crawl(portal, store, "/gaoyi/index.html", known=known_from(first), years={2022})
    assert report.documents == [] and report.withdrawn == [docs["jy_pdf"]]


def test_portal_config_narrows_where_links_are_read(portal, store):
    build_putuo(portal)
    assert len(crawl(portal, store, "/putuo/list.html").documents) == 1
    config = parse_portal_configs('[default]\nlink_xpath = "//div[@class=\'footer\']//a"').for_source()
    assert crawl(portal, store, "/putuo/list.html", config=config).documents == []


def test_extra_allowed_hosts_let_attachments_on_another_host_through(portal, store):
    build_gaoyi(portal)
    config = PortalConfig(extra_allowed_hosts=("LOCALHOST",))
    report = crawl(portal, store, "/gaoyi/index.html", config=config)
    assert report.skipped == []
    assert portal.hits("/gaoyi/files/other.pdf") == 1


def test_max_documents_cap_is_reported(portal, store):
    build_gaoyi(portal)
    report = crawl(portal, store, "/gaoyi/index.html", config=PortalConfig(max_documents=2))
    assert len(report.documents) == 2 and report.status == "partial"
    assert "more than 2 documents" in report.reason and report.withdrawn == []


@pytest.mark.parametrize(
    ("title", "year", "kind", "wanted"),
    [
        ("高邑县信访局2021年部门预算", 2021, "department_budget", True),
        ("高邑县教育局2022年度部门决算公开", 2022, "final_account", True),
        ("某中心2020年单位预算", 2020, "unit_budget", True),
        ("2023年预算公开", 2023, "department_budget", True),
        # government-wide look-alikes name no disclosure kind at all (issue 15)
        ("高邑县2021年政府预算", 2021, None, False),
        ("关于2021年预算执行情况的报告", 2021, None, False),
        ("县长信箱", None, None, False),
    ],
)
def test_title_rules(title, year, kind, wanted):
    assert fiscal_year(title) == year
    assert doc_kind(title) == kind
    assert is_disclosure_title(title, PortalConfig()) is wanted


def test_gbk_page_without_declared_charset_is_read():
    data = "<html><body><a href='/a.pdf'>高邑县2021年部门预算</a></body></html>".encode("gbk")
    text = html_text(None, data)
    assert "高邑县" in text
    page = parse_html(text, "http://x.gov.cn/list/")
    assert page.links[0].url == "http://x.gov.cn/a.pdf" and page.links[0].text == "高邑县2021年部门预算"


def test_html_text_uses_the_one_detector_and_the_headers():
    page = "<html><body><a href='/a.pdf'>高邑县2021年部门预算</a></body></html>"
    # a Content-Type charset is honoured; a declared non-HTML type is never a page
    assert html_text("text/html; charset=GBK", page.encode("gbk")) == page
    assert html_text("application/pdf", page.encode()) is None
    assert html_text("text/html", b"%PDF-1.4 a budget") is None
    # text/html with one broken byte still yields its links (replacement character)
    broken = page.encode("utf-8").replace("县".encode(), b"\xff")
    assert "\ufffd2021年部门预算" in html_text("text/html", broken)
    # untyped plain text that quotes a tag is not a page
    assert html_text(None, "高邑县信访局\n<p>1.正常运行</p>".encode()) is None


def test_bad_portal_config_is_refused():
    with pytest.raises(ValueError, match="unknown portal config keys"):
        parse_portal_configs("[host.'a.gov.cn']\nmax_pagez = 3")
    with pytest.raises(ValueError, match="not a regular expression"):
        PortalConfig(document_pattern="部门(预算")
    with pytest.raises(ValueError, match="unknown sections"):
        parse_portal_configs("[portal]\nx = 1")


def test_script_pager_and_truncated_link_text(portal, store):
    pdf = b"%PDF-1.4 a budget"
    portal.add("/trs/files/a.pdf", pdf, content_type="application/pdf")
    portal.add("/trs/files/b.pdf", pdf + b" b", content_type="application/pdf")
    portal.add("/trs/index.html", "<html><body><ul>"
               "<li><a href='files/a.pdf' title='某县水利局2021年部门预算'>某县水利局2021年部...</a></li></ul>"
               "<script>createPageHTML(3, 0, \"index\", \"html\");</script></body></html>")
    portal.add("/trs/index_1.html", "<html><body><a href='files/b.pdf'>某县林业局2022年部门决算</a></body></html>")
    portal.add("/trs/index_2.html", "<html><body>末页</body></html>")
    report = crawl(portal, store, "/trs/index.html")
    assert [(d.url.rsplit("/", 1)[-1], d.fiscal_year, d.doc_kind) for d in report.documents] == [
        ("a.pdf", 2021, "department_budget"), ("b.pdf", 2022, "final_account")]
    assert report.pages_fetched == 3 and portal.hits("/trs/index_3.html") == 0


def test_column_pages_are_followed_one_level_down(portal, store):
    portal.add("/col/files/x.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    portal.add("/col/files/y.pdf", b"%PDF-1.4 y", content_type="application/pdf")
    portal.add("/col/index.html", html_page("预决算公开", [("2021/index.html", "2021年部门预算公开")]))
    portal.add("/col/2021/index.html", html_page("2021年部门预算公开", [
        ("d1.html", "某县审计局2021年部门预算"), ("index_1.html", "下一页")]))
    portal.add("/col/2021/index_1.html", html_page("2021年部门预算公开", [("d2.html", "某县统计局2021年部门预算")]))
    portal.add("/col/2021/d1.html", html_page("某县审计局2021年部门预算", [("../files/x.pdf", "附件.pdf")]))
    portal.add("/col/2021/d2.html", html_page("某县统计局2021年部门预算", [("../files/y.pdf", "附件.pdf")]))
    report = crawl(portal, store, "/col/index.html")
    assert sorted((d.url.rsplit("/", 1)[-1], d.title) for d in report.documents) == [
        ("x.pdf", "某县审计局2021年部门预算 / 附件.pdf"), ("y.pdf", "某县统计局2021年部门预算 / 附件.pdf")]
    assert report.status == "ok" and report.skipped == []
    shallow = crawl(portal, store, "/col/index.html", config=PortalConfig(max_depth=1))
    assert shallow.documents == [] and shallow.skipped[0][0].endswith("/col/2021/index.html")


def test_a_link_to_another_port_of_the_portals_host_is_never_fetched(portal, store):
    from tests.fake_portal import FakePortal

    with FakePortal() as other:
        elsewhere = other.add("/x/budget.pdf", b"%PDF-1.4 other server", content_type="application/pdf")
        portal.add("/p/index.html", html_page("预决算公开", [(elsewhere, "高邑县某局2021年部门预算"),
                                                               ("/p/moved.html", "高邑县另一局2021年部门预算")]))
        portal.add("/p/moved.html", redirect_to=other.url("/x/budget.pdf"))
        report = crawl(portal, store, "/p/index.html")
        assert other.hits("/x/budget.pdf") == 0
    assert report.skipped == [(elsewhere, f"not followed: http://127.0.0.1:{other.port} is not on the allow-list: "
                                          f"another port or scheme of http://127.0.0.1:{portal.port} for this source")]
    [moved] = report.documents
    assert moved.status == "failed" and "is not on the allow-list: another port" in moved.reason
    assert list(store.document_ids()) == []


def test_a_link_with_credentials_is_refused_and_kept_with_its_password_hidden(portal, store, tmp_path):
    secret = portal.url("/c/budget.pdf").replace("://", "://user:pw-4k@")
    portal.add("/c/budget.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    portal.add("/c/index.html", html_page("预决算公开", [(secret, "高邑县信访局2021年部门预算")]))
    report = crawl(portal, store, "/c/index.html")
    masked = secret.replace("pw-4k", "***")
    assert [(d.url, d.status, d.reason) for d in report.documents] == [
        (masked, "failed", f"{masked}: the address carries a user name or password; addresses with credentials are "
                           "refused (nothing was requested)")]
    assert portal.hits("/c/budget.pdf") == 0
    assert "pw-4k" not in repr(report)
    assert not any(b"pw-4k" in p.read_bytes() for p in (tmp_path / "raw").rglob("*") if p.is_file())


def test_three_thousand_self_links_cost_a_bounded_number_of_requests(portal, store):
    # a page linking itself 3,000 times: 1,000 "next pages" that are itself, 1,000 times as its next
    # page, 1,000 times as a disclosure
    links = [(f"/s/index.html?page={i}", "下一页") for i in range(1000)]
    links += [("/s/index.html", "下一页")] * 1000 + [("/s/index.html", "高邑县信访局2021年部门预算")] * 1000
    portal.add("/s/index.html", html_page("预决算公开", links))
    started = time.monotonic()
    report = crawl(portal, store, "/s/index.html")
    assert len(portal.requests) <= 2 + 50  # robots.txt, the page as detail, the index pages the config allows
    assert report.status == "partial" and "more than 50 index pages; rest skipped" in report.reason
    assert time.monotonic() - started < 60
