"""Column pages: a link from the index leads to a list of its own ("2021年部门预算" → one link per department).

County portals nest a column per year or kind under the disclosure index, and those columns
mix budgets and finals with notices (采购公告, 招标, 政府预算…). A detail page with no
attachment and no disclosure in its text is read as such a list, down to ``max_depth`` links
from the index: only its disclosure-looking entries are followed (the rest are not
requested, as on the index), and its further pages (static or script pager) are read as
the same column. This is the default layout: what every portal got before layouts existed.
"""

from __future__ import annotations

from extract.collect.layouts.base import Listing
from extract.collect.layouts.script_pager import ScriptPager
from extract.collect.links import HtmlPage


class ColumnPages(ScriptPager):
    name = "column_pages"

    def column(self, page: HtmlPage, url: str, depth: int) -> Listing | None:
        if depth >= self.config.max_depth:
            return None
        entries = tuple(e for e in self.entries(page) if e.url != url and self.is_disclosure(e.text))
        if not entries:
            return super().column(page, url, depth)
        return Listing(entries, tuple(self.list_pages(page)))
