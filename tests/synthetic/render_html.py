"""The seed template as a portal's HTML article page: navigation around, tables inside.

Portals publish the same disclosure as an HTML article: the body sits in a CMS
container between a site header and footer, paragraphs are ``<p>``, tables are
``<table>`` with merged cells. Empty cells following a label are written as a
``colspan`` of the label (how office suites export them), so the reader must expand
spans back into the seed's column positions for the same parser to work.
"""

from __future__ import annotations

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
