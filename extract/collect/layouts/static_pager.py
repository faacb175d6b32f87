"""Static list pages paged as ``index.html``, ``index_1.html``, ``index_2.html`` … or ``?page=N``.

The most common county CMS habit: a column's list is cut into pages written out as files
(or served with a page parameter), linked by "下一页" / "»" and by numbered page links.
A link is a further page when its text is a pager's (``next_page_pattern``) or its address is
a numbered list page (``pagination_href_pattern``), unless its text names a disclosure.
"""

from __future__ import annotations

from extract.collect.layouts.base import Layout
from extract.collect.links import HtmlPage, is_next_page


class StaticPager(Layout):
    name = "static_pager"

    def list_pages(self, page: HtmlPage) -> list[str]:
        found = [link.url for link in page.links
                 if not self.is_disclosure(link.text) and is_next_page(link, self.config)]
        return super().list_pages(page) + found
