"""HTML disclosures: body text and tables in, navigation and image-only pages out."""

from __future__ import annotations

import pytest

from extract.read.html_reader import HtmlContentError, HtmlSettings, read_html
from schemas.errors import DocumentError

NARRATIVE = "2023年部门预算收入合计1234.56万元，其中一般公共预算拨款收入1200万元。" * 6

PAGE = f"""<!DOCTYPE html><html><head><title>站点标题</title>
<script>var x = "<p>不是正文</p>";</script><style>p {{color: red}}</style></head>
<body>
<div class="header"><a href="/">网站首页</a><a href="/zwgk/">政务公开</a></div>
<ul class="nav"><li><a href="/a">机构职能</a></li><li><a href="/b">政策文件</a></li></ul>
<div class="main">
  <h1>某某县财政局2023年部门预算公开</h1>
  <div class="TRS_Editor">
    <p>一、部门职责</p><p>{NARRATIVE}</p>
    <p>第一行<br>第二行</p>
    <p style="display:none">隐藏的文字</p>
    <table border="1">
      <tr class="table-header"><td rowspan="3">产出指标</td><td>数量指标</td><td>案件处置率</td><td>≥90 百分比</td></tr>
      <tr><td>质量指标</td><td colspan="2">完成率</td></tr>
      <tr><td>时效指标</td><td>及时率</td><td></td></tr>
      <tr><td>合计</td><td>&nbsp;1,234.56 </td><td>0</td><td>0</td></tr>
    </table>
    <p>附件：<a href="files/tables.xls">预算表格.xls</a></p>
  </div>
</div>
<div class="footer">版权所有 某某县人民政府 联系电话 0311-12345678</div>
</body></html>"""


def _read(html: str, uri: str = "https://czj.example.gov.cn/zwgk/2023/t1.html", **kw):
    return read_html(html.encode("utf-8"), "doc-1", uri, **kw)


def test_body_lines_skip_navigation_scripts_and_footer():
    doc = _read(PAGE)
    texts = [line.text for line in doc.lines()]
    assert texts[0] == "某某县财政局2023年部门预算公开"
    assert texts[1] == "一、部门职责"
    assert texts[2] == NARRATIVE
    assert texts[3:5] == ["第一行", "第二行"]
    joined = "\n".join(texts)
    for absent in ("网站首页", "机构职能", "不是正文", "版权所有", "隐藏的文字", "站点标题"):
        assert absent not in joined
    assert doc.format == "html" and doc.encoding == "utf-8" and doc.page_count == 1
    assert [line.line_no for line in doc.lines()] == list(range(1, len(texts) + 1))


def test_table_rows_become_cells_with_spans_expanded_like_the_seed():
    rows = [line.cells for line in _read(PAGE).lines() if line.is_table_row]
    assert rows == [
        ("产出指标", "数量指标", "案件处置率", "≥90 百分比"),
        ("", "质量指标", "完成率", ""),
        ("", "时效指标", "及时率", ""),
        ("合计", "1,234.56", "0", "0"),
    ]
    first = next(line for line in _read(PAGE).lines() if line.is_table_row)
    assert first.text == "产出指标\t数量指标\t案件处置率\t≥90 百分比"


def test_attachments_resolved_against_the_page_address():
    doc = _read(PAGE)
    assert doc.attachments == ["https://czj.example.gov.cn/zwgk/2023/files/tables.xls"]
    assert doc.notes == ["HTML page links 1 attachment(s)"]
    assert _read(PAGE, uri="/data/page.html").attachments == ["files/tables.xls"]


def test_layout_table_around_a_data_table_yields_only_data_rows():
    html = f"""<html><body><table class="layout"><tr><td>
      <p>{NARRATIVE}</p>
      <table><tr><th>科目编码</th><th>科目名称</th><th>金额</th></tr>
             <tr><td>201</td><td>一般公共服务支出</td><td>100.00</td></tr></table>
    </td></tr></table></body></html>"""
    rows = [line.cells for line in _read(html).lines() if line.is_table_row]
    assert rows == [("科目编码", "科目名称", "金额"), ("201", "一般公共服务支出", "100.00")]


def test_unmarked_article_beats_a_marked_sidebar():
    html = f"""<html><body><div class="contentList"><p>热点推荐</p></div>
      <div id="wrap"><div><p>{NARRATIVE}</p></div></div></body></html>"""
    assert [line.text for line in _read(html).lines()] == [NARRATIVE]


def test_logo_heading_is_not_the_title_and_site_name_is_cut():
    body = f"<div class='article'><p>{NARRATIVE}</p></div>"
    logo = f"<html><head><title>x</title></head><body><div class='header'><h1>某市民政局</h1></div>{body}</body></html>"
    assert _read(logo).lines()[0].text == "x"
    titled = f"<html><head><title>某中心2026年单位预算_某市民政局</title></head><body>{body}</body></html>"
    assert _read(titled).lines()[0].text == "某中心2026年单位预算"


def test_gbk_page_decoded_with_its_encoding():
    html = f'<html><head><meta charset="gbk"></head><body><div class="content"><p>{NARRATIVE}</p></div></body></html>'
    doc = read_html(html.encode("gbk"), "d", "x.html")
    assert doc.lines()[0].text == NARRATIVE


def test_image_only_page_names_the_images():
    imgs = "".join(f'<p><img src="./W0_{i}.jpg"></p>' for i in range(7))
    html = f"""<html><body><div class="nav"><img src="logo.png"></div>
      <div class="Title">某单位2026年单位预算情况说明</div>
      <div class="Content"><div class="TRS_UEDITOR">{imgs}</div></div></body></html>"""
    with pytest.raises(HtmlContentError) as err:
        _read(html, uri="https://mzj.example.gov.cn/ys/t1.html")
    reason = err.value.reason
    assert reason.startswith("HTML page '某单位2026年单位预算情况说明' carries its content only as 7 image(s)")
    assert "https://mzj.example.gov.cn/ys/W0_0.jpg" in reason and reason.endswith("and 2 more")
    assert "logo.png" not in reason
    assert len(err.value.links) == 7
    assert isinstance(err.value, DocumentError)


def test_attachment_only_page_names_the_attachment():
    html = """<html><body><h1 class="title">某局2026年部门预算情况</h1><div class="gu-artCon"></div>
      <ul class="fujian"><li><a href="./W0203.pdf">某局2026年部门预算情况说明.pdf</a></li></ul></body></html>"""
    with pytest.raises(HtmlContentError) as err:
        _read(html, uri="/corpus/page.html")
    assert err.value.reason == (
        "HTML page '某局2026年部门预算情况' has no disclosure text, only a link to its "
        "attachment(s): 某局2026年部门预算情况说明.pdf <./W0203.pdf>"
    )
    assert err.value.links == ("./W0203.pdf",)


def test_attachments_behind_download_scripts_and_viewers():
    html = """<html><body><h1>某局2025年部门预算</h1><div class="content">
      <a href="/module/download/downfile.jsp?classid=0&amp;filename=2501.pdf">部门预算公开</a>
      <a href="/down?id=77">2025年部门预算表.xlsx</a><a href="javascript:print()">打印.pdf</a>
      <iframe src="/viewer/W02.pdf"></iframe></div></body></html>"""
    with pytest.raises(HtmlContentError) as err:
        _read(html, uri="http://czj.example.gov.cn/art/1.html")
    assert err.value.links == (
        "http://czj.example.gov.cn/module/download/downfile.jsp?classid=0&filename=2501.pdf",
        "http://czj.example.gov.cn/down?id=77",
        "http://czj.example.gov.cn/viewer/W02.pdf",
    )


def test_error_page_is_not_a_disclosure():
    html = "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>"
    with pytest.raises(HtmlContentError) as err:
        _read(html)
    assert err.value.reason == (
        "HTML page '404 Not Found' has no disclosure text (3 Chinese characters or digits in "
        "its body): not a budget disclosure"
    )


def test_threshold_is_a_setting():
    short = "<html><body><div class='article'><p>2023年预算收入100万元</p></div></body></html>"
    with pytest.raises(HtmlContentError):
        _read(short)
    doc = _read(short, settings=HtmlSettings(min_content_chars=5))
    assert [line.text for line in doc.lines()] == ["2023年预算收入100万元"]
    with pytest.raises(ValueError):
        HtmlSettings(min_content_chars=0)


def test_real_chongqing_pages(real_corpus):
    folder = real_corpus / "004_重庆"
    images = next(folder.glob("民政局_*.html"))
    with pytest.raises(HtmlContentError) as err:
        read_html(images.read_bytes(), "a", str(images))
    assert "carries its content only as 17 image(s)" in err.value.reason
    assert err.value.links[0] == "./W020260302291474350908_ORIGIN.jpg"
    link = next(folder.glob("气象局_*.html"))
    with pytest.raises(HtmlContentError) as err:
        read_html(link.read_bytes(), "b", str(link))
    assert err.value.links == ("./W020260302425669825391.pdf",)
    assert "重庆市气象局2026年部门预算情况说明.pdf" in err.value.reason
