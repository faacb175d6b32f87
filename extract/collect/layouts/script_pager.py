"""Pagers a script writes: ``createPageHTML(total, current, "index", "html")`` (TRS WCM and its clones).

The page holds no link to its further pages: a script draws the pager from the total, so
the further pages (``index_1.html`` … ``index_{total-1}.html`` beside the page) are read
from the call itself, at most :data:`MAX_SCRIPT_PAGES`. Numbered page links and "下一页"
work as on static pages.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from extract.collect.layouts.static_pager import StaticPager
from extract.collect.links import HtmlPage

_SCRIPT_PAGER = re.compile(
    r"""createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?\d+['"]?\s*,\s*['"]([\w-]+)['"]\s*,\s*['"](\w+)['"]""")
MAX_SCRIPT_PAGES = 200


def script_pages(html: str, base_url: str) -> tuple[str, ...]:
    """``createPageHTML(5, 0, "index", "html")`` → index_1.html … index_4.html beside the page."""
    m = _SCRIPT_PAGER.search(html)
    if not m:
        return ()
    count, stem, ext = min(int(m.group(1)), MAX_SCRIPT_PAGES), m.group(2), m.group(3)
    return tuple(urljoin(base_url, f"{stem}_{i}.{ext}") for i in range(1, count))


class ScriptPager(StaticPager):
    name = "script_pager"

    def list_pages(self, page: HtmlPage) -> list[str]:
        return super().list_pages(page) + list(script_pages(page.html, page.url))
