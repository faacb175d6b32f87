"""政府信息公开 platforms: a list is a table of 索引号 / 标题 / 发布机构 / 成文日期 rows.

The disclosure platforms counties run beside their own site (信息公开目录, "gkml") list each
document as a table row: its index number, its title (the link), the publishing body and
the dates. The title alone often reads "2021年部门预算"; the body that published it is in
its own column. Here a table whose header names a title column and a 发布机构 or 成文日期
column is read row by row: each row's link becomes an entry carrying the publishing body
and the date (ISO), and the body is put before a title that does not name it, so the year,
kind and department read from the title are the row's. Links outside such tables (the
pager, the navigation) are read as on any page (``link_xpath`` narrows those, not the rows).
"""

from __future__ import annotations

import re

from lxml import etree

from extract.collect.layouts.base import Entry
from extract.collect.layouts.column_pages import ColumnPages
from extract.collect.links import HtmlPage, clean, html_root, link_of

_TITLE = re.compile(r"^(标\s*题|名\s*称|文件名称|信息名称|公开事项)$")
_PUBLISHER = re.compile(r"^(发布机构|发文机关|发布单位|公开单位|公开机构|信息来源|来源)$")
_DATE = re.compile(r"^(成文日期|生成日期|发文日期|发布日期|公开日期|日期)$")
_YMD = re.compile(r"(20\d\d|19\d\d)\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")


def iso_date(text: str) -> str | None:
    """"2021年3月1日", "2021-03-01", "2021.3.1" → "2021-03-01"; None when no date is there."""
    m = _YMD.search(text)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]


def _columns(header: list[str]) -> dict[str, int] | None:
    """Where the title, publisher and date are in a header row; None unless it is a listing's."""
    found: dict[str, int] = {}
    for i, text in enumerate(header):
        for key, pattern in (("title", _TITLE), ("publisher", _PUBLISHER), ("date", _DATE)):
            if pattern.match(text) and (key not in found or text == "成文日期"):
                found[key] = i
    return found if "title" in found and ("publisher" in found or "date" in found) else None


def table_entries(page: HtmlPage) -> list[Entry]:
    """Each listed row of the page's listing tables as an entry, in page order."""
    root = html_root(page.html) if page.html else None
    if root is None:
        return []
    entries: dict[str, Entry] = {}  # a nested table's rows are its outer table's too: once each
    for table in root.iter("table"):
        columns = None
        for row in table.iter("tr"):
            cells = _cells(row)
            texts = [clean(c.text_content()) for c in cells]
            if columns is None:
                columns = _columns(texts)
                continue
            entry = _row_entry(cells, texts, columns, page.url)
            if entry is not None:
                entries.setdefault(entry.url, entry)
    return list(entries.values())


def _row_entry(cells, texts: list[str], columns: dict[str, int], base_url: str) -> Entry | None:
    if len(cells) <= columns["title"]:
        return None
    links = [link for a in cells[columns["title"]].iter("a") if (link := link_of(a, base_url)) is not None]
    if not links:
        return None
    publisher = texts[columns["publisher"]] if len(texts) > columns.get("publisher", 10**6) else ""
    published = iso_date(texts[columns["date"]]) if len(texts) > columns.get("date", 10**6) else None
    title = links[0].text
    if publisher and publisher not in title:
        title = publisher + title
    return Entry(links[0].url, title, publisher or None, published)


class GkmlTable(ColumnPages):
    name = "gkml_table"

    def entries(self, page: HtmlPage) -> list[Entry]:
        rows = table_entries(page)
        listed = {e.url for e in rows}
        return rows + [e for e in super().entries(page) if e.url not in listed]
