"""The seed template as a portal's HTML article page: navigation around, tables inside.

Portals publish the same disclosure as an HTML article: the body sits in a CMS
container between a site header and footer, paragraphs are ``<p>``, tables are
``<table>`` with merged cells. Empty cells following a label are written as a
``colspan`` of the label (how office suites export them), so the reader must expand
spans back into the seed's column positions for the same parser to work.

Many portals publish the disclosure as a page of scanned images or as a page that only
links the PDF: :func:`render_seen_only_html` writes such pages, their truth in
:func:`seen_only_page`.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from tests.synthetic.render_text import seed_blocks
from tests.synthetic.truth import Truth

NAV = ('<div class="header"><a href="/">首页</a><a href="/zwgk/">政务公开</a>'
       '<a href="/zwgk/ysjs/">预算/决算</a></div><ul class="nav"><li><a href="/a">机构职能</a></li>'
       '<li><a href="/b">政策文件</a></li></ul>')
FOOTER = '<div class="footer">主办单位：{dept} 网站标识码 1301270001 版权所有</div>'


def _cells(row: list[str]) -> str:
    """<td>s with each run of empty cells after a non-empty one folded into its colspan."""
    out, i = [], 0
    while i < len(row):
        span = 1
        if row[i]:
            while i + span < len(row) and row[i + span] == "" and i + span < len(row) - 1:
                span += 1
        attr = f' colspan="{span}"' if span > 1 else ""
        out.append(f"<td{attr}>{escape(row[i])}</td>")
        i += span
    return "".join(out)


def render_seed_html(truth: Truth, encoding: str = "utf-8") -> bytes:
    parts = [f'<!DOCTYPE html><html><head><meta charset="{encoding}"><title>{escape(truth.department)}'
             f'{truth.year}年部门预算信息公开_政务公开</title></head><body>', NAV,
             '<div class="main"><div class="TRS_Editor">']
    for block in seed_blocks(truth):
        if isinstance(block, str):
            parts.append(f"<p>{escape(block)}</p>")
        else:
            rows = "".join(f"<tr>{_cells(row)}</tr>" for row in block)
            parts.append(f'<table border="1" cellspacing="0">{rows}</table>')
    parts += ["</div></div>", FOOTER.format(dept=escape(truth.department)), "</body></html>"]
    return "\n".join(parts).encode(encoding)


SEEN_ONLY_BASE = "http://www.example.gov.cn/zwgk/ysjs/"
_CN = str.maketrans("0123456789", "〇一二三四五六七八九")


@dataclass(frozen=True)
class SeenOnlyPage:
    """What an image-only or attachment-only page states, as the round trip expects it."""

    title: str
    kind: str  # department_budget | unit_budget
    links: tuple[tuple[str, str, str], ...]  # (image|attachment, absolute url, label)
    uri: str


def seen_only_page(truth: Truth, layout: str) -> SeenOnlyPage:
    """The page's truth: ``layout`` is ``images`` (scanned pages as <img>) or ``attachment``
    (one link to the PDF). The title is a unit's or a department's 预算情况说明, its year in
    digits or (every third seed) in Chinese numerals."""
    year = str(truth.year).translate(_CN) if truth.seed % 3 == 0 else str(truth.year)
    kind = ("单位预算", "unit_budget") if truth.seed % 2 else ("部门预算", "department_budget")
    title = f"{truth.department}{year}年{kind[0]}情况说明"
    uri = f"{SEEN_ONLY_BASE}{truth.seed}.html"
    if layout == "images":
        links = tuple(("image", f"{SEEN_ONLY_BASE}W02{truth.seed:04d}{k:03d}_ORIGIN.jpg", "")
                      for k in range(1, 3 + truth.seed % 15))
    else:
        links = (("attachment", f"{SEEN_ONLY_BASE}W02{truth.seed:04d}.pdf", f"{title}.pdf"),)
    return SeenOnlyPage(title, kind[1], links, uri)


def render_seen_only_html(truth: Truth, layout: str, encoding: str = "utf-8") -> bytes:
    """A portal article whose body is only images, or only a link to the attachment: the
    title in an <h1> (or, every fourth seed, only in <title> with the site's name after it)."""
    page = seen_only_page(truth, layout)
    heading = "" if truth.seed % 4 == 0 else f'<h1 class="title">{escape(page.title)}</h1>'
    if layout == "images":
        body = "".join(f'<p style="text-align:center"><img src="./{url.rsplit("/", 1)[1]}" /></p>'
                       for _, url, _ in page.links)
    else:
        (_, url, label), = page.links
        body = f'<p>附件：<a href="./{url.rsplit("/", 1)[1]}">{escape(label)}</a></p>'
    parts = [f'<!DOCTYPE html><html><head><meta charset="{encoding}"><title>{escape(page.title)}_'
             f'{escape(truth.county)}人民政府</title></head><body>', NAV,
             f'<div class="main">{heading}<div class="TRS_Editor">{body}</div></div>',
             FOOTER.format(dept=escape(truth.department)), "</body></html>"]
    return "\n".join(parts).encode(encoding)
