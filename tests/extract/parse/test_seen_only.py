"""Pages seen but not readable (issue 8 item 4): what their title states, or nothing."""

from __future__ import annotations

import pytest

from extract.parse.document import NoFiscalYearError
from extract.parse.identity.classify import NotADisclosureError
from extract.parse.seen_only import identify_seen_only
from extract.parse.year_hints import DocumentHints
from extract.read.html_reader import HtmlContentError
from extract.read.model import PageLink
from extract.read.reader import read_document
from tests.conftest import require_shared

IMAGES = (PageLink("image", "http://x.gov.cn/a/W1.jpg"), PageLink("image", "http://x.gov.cn/a/W2.jpg"))


def error(title: str, links=IMAGES) -> HtmlContentError:
    return HtmlContentError("HTML page carries its content only as images", tuple(l.url for l in links),
                            title=title, page_links=links)


def test_the_title_states_year_kind_department_and_region():
    seen = identify_seen_only(error("重庆市公安局2026年部门预算情况说明"))
    m = seen.meta
    assert (m.fiscal_year, m.fiscal_year_source, m.doc_kind, m.department_name, m.region_code) == (
        2026, "title", "department_budget", "重庆市公安局", "500000")
    assert seen.links == IMAGES
    assert seen.reason == ("seen only, no figures: the page carries its content only as 2 image(s) (scanned or "
                           "rasterised pages, no text to read); their addresses are in fct_document_link")


@pytest.mark.parametrize("title", ["图片新闻", ""])
def test_a_page_whose_title_names_no_disclosure_is_not_seen_only(title):
    assert identify_seen_only(error(title)) is None


@pytest.mark.parametrize(("title", "doc_class"), [
    ("预算评审管理暂行办法", "regulation"),
    ("关于某县2021年预算执行情况和2022年预算草案的报告", "government_fiscal_report"),
])
def test_a_page_whose_title_names_a_look_alike_says_what_it_is(title, doc_class):
    with pytest.raises(NotADisclosureError) as caught:
        identify_seen_only(error(title))
    assert caught.value.doc_class == caught.value.meta.doc_class == doc_class


def test_a_title_without_a_year_takes_the_one_its_attachment_prints():
    """The page's own link text names the year: "某县水利局2021年部门预算.pdf" (issue 15 item 6)."""
    links = (PageLink("attachment", "http://x.gov.cn/a.pdf", "某县水利局2021年部门预算.pdf"),)
    seen = identify_seen_only(HtmlContentError("only an attachment", title="某县水利局部门预算公开", page_links=links))
    assert (seen.meta.fiscal_year, seen.meta.fiscal_year_source, seen.meta.department_name) == (
        2021, "page_link", "某县水利局")


def test_a_title_without_a_year_takes_one_from_the_hints_or_says_it_has_none():
    with pytest.raises(NoFiscalYearError) as caught:
        identify_seen_only(error("重庆市公安局部门预算情况说明"))
    assert caught.value.meta.department_name == "重庆市公安局"
    seen = identify_seen_only(error("重庆市公安局部门预算情况说明"), DocumentHints(file_name="2026年公安局预算.html"))
    assert (seen.meta.fiscal_year, seen.meta.fiscal_year_source) == (2026, "file_name")


@pytest.mark.parametrize("name, kind, count, department", [
    ("民政局_重庆市社会福利指导中心2026年单位预算情况说明.pdf.html", "image", 17, "重庆市社会福利指导中心"),
    ("气象局_重庆市气象局2026年部门预算情况.pdf.html", "attachment", 1, "重庆市气象局"),
])
def test_the_real_chongqing_pages(name, kind, count, department):
    path = require_shared("corpus", "real", "004_重庆", name)
    with pytest.raises(HtmlContentError) as caught:
        read_document(path.read_bytes(), str(path))
    seen = identify_seen_only(caught.value)
    assert (seen.meta.department_name, seen.meta.fiscal_year, seen.meta.region_code) == (department, 2026, "500000")
    assert [link.kind for link in seen.links] == [kind] * count
