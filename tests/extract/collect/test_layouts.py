"""Portal layouts (extract/collect/layouts/): each CMS habit crawled on a fake portal of its own.

Every test crawls the same fake portal twice where that shows the point: once with the layout
the habit needs, once without it, so each layout is seen to be what reads its portal.
"""

from __future__ import annotations

import pytest

from extract.collect.crawl import Crawler, KnownDocument
from extract.collect.fetch import Fetcher
from extract.collect.layouts import LAYOUTS, layout_for
from extract.collect.layouts.download_servlet import file_name
from extract.collect.layouts.gkml_table import iso_date
from extract.collect.portal_config import (
    DEFAULT_LAYOUT, LAYOUT_NAMES, PortalConfig, load_portal_configs, parse_portal_configs,
)
from tests.extract.collect.conftest import fast_settings
from tests.fake_portal import (
    GKML_ROWS, SERVLET_FILES, build_gkml, build_mixed_column, build_script_pager, build_servlet_portal,
    build_static_pager, content_disposition,
)


def crawl(portal, store, path, layout=None, known=None, **config):
    config = PortalConfig(layout=layout, **config) if layout is not None else PortalConfig(**config)
    with Fetcher(fast_settings(max_attempts=2)) as fetcher:
        return Crawler(fetcher, store, config).crawl("src", portal.url(path), known=known)


def names(report) -> list[str]:
    return sorted(d.url.rsplit("/", 1)[-1] for d in report.documents)


# ------------------------------------------------------------------ choosing a layout
def test_portals_toml_names_a_layout_in_one_line_and_refuses_an_unknown_one():
    configs = parse_portal_configs('[host."gk.example.gov.cn"]\nlayout = "gkml_table"\n'
                                   '[source."s1"]\nlayout = ["gkml_table", "download_servlet"]\n')
    assert configs.for_source().layout_names == ("column_pages",) == (DEFAULT_LAYOUT,)
    assert type(layout_for(configs.for_source())).__name__ == "ColumnPages"
    assert layout_for(configs.for_source(host="GK.example.gov.cn")).name == "gkml_table"
    assert layout_for(configs.for_source("s1")).name == "gkml_table+download_servlet"
    # a layout named beside one it extends adds nothing
    assert layout_for(PortalConfig(layout=("static_pager", "gkml_table"))).name == "gkml_table"
    with pytest.raises(ValueError, match=r"layout: unknown \['gkml'\]; known: \['column_pages', 'download_servlet', 'gkml_table'"):
        parse_portal_configs('[default]\nlayout = "gkml"')
    assert tuple(LAYOUTS) == LAYOUT_NAMES
    assert load_portal_configs().for_source().layout_names == (DEFAULT_LAYOUT,)  # the bundled portals.toml


# ------------------------------------------------------------------ static list pages
def test_static_pager_reads_index_index_1_index_2(portal, store):
    urls = build_static_pager(portal)
    report = crawl(portal, store, "/st/index.html", layout="static_pager")
    assert sorted(d.url for d in report.documents) == sorted(urls)
    assert report.pages_fetched == 3 and report.status == "ok"
    assert [portal.hits(f"/st/{p}") for p in ("index.html", "index_1.html", "index_2.html")] == [1, 1, 1]
    assert names(crawl(portal, store, "/st/index.html")) == names(report)  # the default includes it


# ------------------------------------------------------------------ script pagers
def test_script_pager_reads_the_pages_createpagehtml_draws(portal, store):
    urls = build_script_pager(portal)
    report = crawl(portal, store, "/trs2/index.html", layout="script_pager")
    assert [d.url for d in report.documents] == urls
    assert [(d.fiscal_year, d.doc_kind) for d in report.documents] == [(2022, "final_account")] * 3
    assert report.pages_fetched == 3
    # a static pager alone sees no further page: no link names one
    static = crawl(portal, store, "/trs2/index.html", layout="static_pager")
    assert names(static) == ["0.pdf"] and static.pages_fetched == 1
    assert names(crawl(portal, store, "/trs2/index.html")) == ["0.pdf", "1.pdf", "2.pdf"]  # the default reads them


# ------------------------------------------------------------------ download servlets
@pytest.mark.parametrize(("style", "name"), [
    ("rfc5987", "高邑县民政局2021年部门预算.pdf"),
    ("gbk", "高邑县教育局2020年部门决算.pdf"),
    ("percent", "预算 公开表（2021）.xls"),
    ("utf8", "附件2：高邑县2021年部门预算.pdf"),
])
def test_file_name_from_content_disposition(style, name):
    assert file_name(content_disposition(name, style)) == name


def test_file_name_edge_cases():
    assert file_name(None) is None and file_name("inline") is None
    assert file_name('attachment; filename="..\\\\..\\\\etc\\\\预算.pdf"') == "预算.pdf"  # no folders
    assert file_name("attachment; filename*=GBK''%B8%DF%D2%D8.pdf") == "高邑.pdf"
    assert file_name("attachment; filename*=NOPE''%B8.pdf; filename=a.pdf") == "a.pdf"


def test_download_servlet_names_documents_by_content_disposition(portal, store):
    urls = build_servlet_portal(portal)
    report = crawl(portal, store, "/sv/index.html", layout="download_servlet")
    by_url = {d.url: d for d in report.documents}
    assert set(by_url) == set(urls.values()) and {d.status for d in report.documents} == {"new"}
    got = {path: (by_url[url].title, by_url[url].fiscal_year, by_url[url].doc_kind) for path, url in urls.items()}
    assert got == {
        "/sv/downfile.jsp?id=101": ("部门预算公开 / 附件1 / 高邑县民政局2021年部门预算.pdf", 2021, "department_budget"),
        "/sv/download.do?fileId=202": ("部门决算公开 / 下载 / 高邑县教育局2020年部门决算.pdf", 2020, "final_account"),
        "/sv/attach/303": ("预算公开表 / 附件：预算公开表.xls / 高邑县审计局2021年部门预算公开表.xls", 2021,
                           "department_budget"),
    }
    assert portal.hits("/sv/print.jsp?id=3") == 0 and report.skipped == [] and report.status == "ok"
    # the next night the servlet answers 304 without the name: the title is the same, read from the store
    known = {d.url: KnownDocument(d.document_id, d.etag, d.last_modified, d.fiscal_year) for d in report.documents}
    again = crawl(portal, store, "/sv/index.html", layout="download_servlet", known=known)
    assert {d.status for d in again.documents} == {"unchanged"} and sum(f.not_modified for f in again.fetches) == 3
    assert sorted(d.title for d in again.documents) == sorted(d.title for d in report.documents)
    # without the layout, "附件1" and "下载" lead nowhere: two detail pages recorded as skipped
    plain = crawl(portal, store, "/sv/index.html")
    assert [u.rsplit("/", 1)[-1] for u, _ in plain.skipped] == ["1.html", "2.html"]
    assert {why for _, why in plain.skipped} == {"detail page has neither attachments nor a disclosure in its text"}
    assert [(d.url.rsplit("/", 1)[-1], d.title) for d in plain.documents] == [("303", "附件：预算公开表.xls")]


# ------------------------------------------------------------------ 政府信息公开 tables
def test_iso_date():
    assert [iso_date(t) for t in ("2021年03月01日", "2021-8-20", "2022.2.9", "2021年13月1日", "无")] == [
        "2021-03-01", "2021-08-20", "2022-02-09", None, None]


def test_gkml_table_reads_publisher_and_date_from_the_row(portal, store):
    docs = build_gkml(portal)
    report = crawl(portal, store, "/gk/list.html", layout="gkml_table")
    got = sorted((d.title, d.publisher, d.published, d.fiscal_year, d.doc_kind) for d in report.documents)
    assert got == [
        ("高邑县教育局2020年部门决算 / 附件", "高邑县教育局", "2021-08-20", 2020, "final_account"),
        ("高邑县林业站2022年单位预算 / 附件", "高邑县林业站", "2022-02-09", 2022, "unit_budget"),
        ("高邑县民政局2021年部门预算 / 附件", "高邑县民政局", "2021-03-01", 2021, "department_budget"),
    ]
    assert sorted(d.url for d in report.documents) == sorted(v for k, v in docs.items() if "公告" not in k)
    assert portal.hits(GKML_ROWS[2][4]) == 0  # the procurement notice's row is not followed
    assert report.pages_fetched == 2 and report.status == "ok"
    # the default layout finds the same files but knows neither body nor date
    plain = crawl(portal, store, "/gk/list.html")
    assert sorted((d.title, d.publisher) for d in plain.documents)[0] == ("2021年部门预算 / 附件", None)


def test_gkml_table_with_download_servlet_combined(portal, store):
    build_gkml(portal, servlet=True)
    report = crawl(portal, store, "/gk/list.html", layout=("gkml_table", "download_servlet"))
    assert sorted((d.url.rsplit("/", 1)[-1], d.title, d.publisher) for d in report.documents) == [
        ("downfile.jsp?id=1", "高邑县民政局2021年部门预算 / 附件 / 1.pdf", "高邑县民政局"),
        ("downfile.jsp?id=2", "高邑县教育局2020年部门决算 / 附件 / 2.pdf", "高邑县教育局"),
        ("downfile.jsp?id=4", "高邑县林业站2022年单位预算 / 附件 / 4.pdf", "高邑县林业站"),
    ]
    # gkml alone cannot see the servlet attachments: each detail page is skipped
    alone = crawl(portal, store, "/gk/list.html", layout="gkml_table")
    assert alone.documents == [] and len(alone.skipped) == 3


# ------------------------------------------------------------------ columns mixing notices
def test_column_pages_follow_only_disclosures_among_notices(portal, store):
    docs = build_mixed_column(portal)
    report = crawl(portal, store, "/mx/index.html")  # column_pages is the default
    assert sorted(d.url for d in report.documents) == sorted(docs.values())
    assert sorted((d.fiscal_year, d.doc_kind) for d in report.documents) == [
        (2020, "final_account"), (2021, "department_budget")]
    for path in ("/mx/notice/index.html", "/mx/col/a/zb.html", "/mx/col/a/cg.html", "/mx/col/a/zf.html",
                 "/mx/col/a/zx.html", "/mx/col/a/hy.html"):
        assert portal.hits(path) == 0, path  # notices, the government's budget, its execution: never asked
    # the existing policy: a link not followed is not recorded; a column page without a disclosure is
    assert report.skipped == [(portal.url("/mx/col/index_1.html"),
                               "detail page has neither attachments nor a disclosure in its text")]
    # a static pager alone does not read a column: the column page itself is skipped
    flat = crawl(portal, store, "/mx/index.html", layout="static_pager")
    assert flat.documents == [] and flat.skipped == [(portal.url("/mx/col/index.html"),
                                                      "detail page has neither attachments nor a disclosure in its text")]
