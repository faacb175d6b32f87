"""Attachments behind download servlets: ``downfile.jsp?id=…``, ``download.do?fileId=…``.

Many county CMSes never link a file by its name: a detail page's "附件1" points at a
script, and the file's name arrives only in the answer's ``Content-Disposition`` header —
as RFC 6266/5987 ``filename*=UTF-8''%E9%AB%98…``, as a quoted name in UTF-8 or GBK bytes,
or percent-encoded by a Java servlet. Here a link is an attachment when its address is such
a script (``download_href_pattern``) or its text names a file ("附件1：预算表.xls"); the
document is recorded under "detail title / file name", so its year and kind can be read from
the name the server gives when the page says only "附件1".
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from extract.collect.fetch_record import FetchResult
from extract.collect.layouts.base import Entry
from extract.collect.layouts.column_pages import ColumnPages
from extract.collect.links import HtmlPage, Link

_EXTENDED = re.compile(r"""filename\*\s*=\s*"?([\w!#$%&+^`{}~-]+)'[^']*'([^;"\s]+)""", re.I)
_PLAIN = re.compile(r"""filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))""", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def file_name(disposition: str | None) -> str | None:
    """The file name a ``Content-Disposition`` value gives, decoded, without any folder; else None.

    ``disposition`` is the header as received, its bytes as Latin-1 characters (how
    :class:`~extract.collect.fetch_record.FetchResult` keeps it), so a GBK or UTF-8 name
    sent raw is decoded here: ``filename*`` (its declared charset) first, then ``filename``
    (UTF-8, else GB18030; percent-encoding undone the same way).
    """
    if not disposition:
        return None
    m = _EXTENDED.search(disposition)
    if m:
        try:
            name = unquote(m.group(2), encoding=m.group(1), errors="strict")
        except (LookupError, UnicodeDecodeError):
            name = None
        if name:
            return _tidy(name)
    m = _PLAIN.search(disposition)
    if not m:
        return None
    raw = m.group(1) if m.group(1) is not None else m.group(2).strip()
    name = _decode(raw.replace('\\"', '"'))
    if re.search(r"%[0-9A-Fa-f]{2}", name):
        name = _decode(unquote(name, encoding="latin-1"))
    return _tidy(name)


def _decode(text: str) -> str:
    """Header characters back to the bytes they were, read as UTF-8, else GB18030."""
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return text  # already decoded text
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return text


def _tidy(name: str) -> str | None:
    name = _CONTROL.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip().strip('"')
    return name[:200] or None


class DownloadServlet(ColumnPages):
    name = "download_servlet"

    def is_document(self, link: Link | Entry) -> bool:
        return super().is_document(link) or bool(self.config.download_re.search(link.url))

    def attachments(self, page: HtmlPage) -> list[Link]:
        found = super().attachments(page)
        named = [link for link in page.links if link not in found and self._names_a_file(link.text)]
        return found + named

    def _names_a_file(self, text: str) -> bool:
        return text.lower().rstrip().endswith(self.config.document_extensions)

    def document_title(self, title: str, got: FetchResult) -> str:
        name = file_name(got.content_disposition)
        if name and name not in title:
            title = f"{title} / {name}"
        return super().document_title(title, got)
