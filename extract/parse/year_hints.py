"""The fiscal year of a volume that prints none, from what is known about where it was found.

A tables-only volume may print no year at all (its tables titled 收支总表, 收入总表 …).
Its year is then taken — and ``fiscal_year_source`` says from where — in this order:

1. ``sibling_volume``: the year every other volume of the same department found with it
   reads from its own content (the narrative volume beside 附件2 报表; the flows layer
   decides what a sibling is, :mod:`flows.year_hints`);
2. ``crawl_link``: the text of the link the crawler followed to it (the portal's own title
   for the document, ``src_document_url.title``);
3. ``file_name``: its file name ("…2026年度部门预算报表.pdf");
4. ``url``: the path of the address it was fetched from.

Never from a number found elsewhere in its text: a comparison column names last year, a
document number any year (a 2026 volume once got 2024 that way). A year so taken is a
guess about the document, not something it states: the ``fiscal_year_printed`` rule
reports it as a warning. The hints are plain values, so extract never reads the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from extract.parse.records import DocumentMeta
from schemas.vocabulary import PRINTED_YEAR_SOURCES
from reference.vocabulary import arabic_years, fiscal_year

#: Where a fiscal year read from the document itself comes from (schemas.vocabulary).
PRINTED_SOURCES = PRINTED_YEAR_SOURCES


@dataclass(frozen=True)
class DocumentHints:
    """What the flows layer knows of a document's context, as plain values."""

    file_name: str = ""  # "政府办公厅_附件2：北京市信访办公室2026年度部门预算报表.pdf"
    url: str = ""  # the address it was fetched from ("" for a local file)
    link_text: str = ""  # the crawler's link text for it (src_document_url.title)
    sibling_years: tuple[int, ...] = ()  # years other volumes of its department read from their content

    @classmethod
    def of_uri(cls, source_uri: str, **values) -> DocumentHints:
        """Hints from a source URI: a file's name, or a fetched address and its last segment."""
        parts = urlsplit(source_uri)
        name = unquote(PurePosixPath(parts.path).name)
        if parts.scheme in ("http", "https"):
            return cls(file_name=name, url=source_uri, **values)
        return cls(file_name=name, **values)


def _url_path(url: str) -> str:
    return unquote(urlsplit(url).path) if url else ""


def year_from_hints(hints: DocumentHints) -> tuple[int, str] | None:
    """(year, source) from the first hint that names exactly one year, else None."""
    siblings = set(hints.sibling_years)
    if len(siblings) == 1:
        return siblings.pop(), "sibling_volume"
    for source, text in (("crawl_link", hints.link_text), ("file_name", hints.file_name),
                         ("url", _url_path(hints.url))):
        year = fiscal_year(arabic_years(text)) if text else None
        if year is not None:
            return year, source
    return None


def apply_year_hints(meta: DocumentMeta, hints: DocumentHints | None) -> None:
    """Give a volume that prints no year the year its context names (see the module docstring)."""
    if meta.fiscal_year is not None or hints is None:
        return
    found = year_from_hints(hints)
    if found is not None:
        meta.fiscal_year, meta.fiscal_year_source = found
