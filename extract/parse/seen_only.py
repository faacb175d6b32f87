"""A disclosure seen but not readable: an HTML page whose content is images or an attachment.

Portals publish many disclosures as a page of scanned images or as a page linking the
PDF. Nothing on the page can be read as figures, but its title says what it is
("XX市公安局2026年部门预算情况说明"): that is enough to count it as published. Such a page
is recorded with ``dim_document.status = 'seen_only'``, the year, kind, department and
region its title states, a reason saying why it has no figures, and the image or
attachment addresses (``fct_document_link``).

A page whose title names no disclosure with a year (a portal's image gallery, a
regulation) is not seen-only: it stays quarantined with the reader's reason. A title
without a year may take one from the hints (:mod:`extract.parse.year_hints`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

import re

from extract.parse.document import NoFiscalYearError
from extract.parse.identity.classify import NotADisclosureError, assign_class, identity_columns, set_level
from extract.parse.identity.lines import title_text
from extract.parse.identity.names import body_type
from extract.parse.identity.statements import statements, year_first_subject
from extract.parse.metadata import department_in_title, read_region
from extract.parse.records import DocumentMeta
from extract.parse.staging import STAGING_SCHEMAS
from extract.parse.year_hints import DocumentHints, apply_year_hints
from extract.read.html_reader import HtmlContentError
from extract.read.model import PageLink
from reference.regions import region_by_code
from reference.vocabulary import arabic_years, doc_kind, fiscal_year, flat, look_alike


@dataclass(frozen=True)
class SeenOnly:
    """What a page without figures states about itself, and where its content is."""

    meta: DocumentMeta
    reason: str
    links: tuple[PageLink, ...]
    title: str


def _department(title: str) -> str | None:
    """The department a page's title names, in any of the orders titles use (三公-only ones included)."""
    named = department_in_title(title)
    if named:
        return named
    found = [s.subject for s in statements(title) if s.subject]
    return found[0] if found else (year_first_subject(title).subject if year_first_subject(title) else None)


def identify_seen_only(error: HtmlContentError, hints: DocumentHints | None = None) -> SeenOnly | None:
    """The disclosure an image-only or attachment-only page names in its title, or None.

    The year is the title's, else the one its attachments' printed names state (链接 "某局2021年
    部门预算.pdf" on the page itself), else the hints'. Raises
    :class:`~extract.parse.identity.classify.NotADisclosureError` for a title naming a look-alike
    (a government-wide report, an audit report …), :class:`~extract.parse.document.NoFiscalYearError`
    for a title naming a disclosure but no year that the page or the hints supply."""
    title = arabic_years(flat(title_text(error.title) or ""))
    if not error.page_links or not title:
        return None
    look = look_alike(title)
    if look is not None:
        raise NotADisclosureError(look, title, DocumentMeta(fiscal_year=fiscal_year(title), title=title))
    kind = doc_kind(title)
    if kind is None:
        return None
    meta = DocumentMeta(doc_kind=kind, department_name=_department(title), title=title,
                        class_evidence=f"title '{title}'")
    meta.department_source = "title" if meta.department_name else None
    year = fiscal_year(title)
    if year is not None:
        meta.fiscal_year, meta.fiscal_year_source = year, "title"
    labels = [arabic_years(flat(link.label)) for link in error.page_links if link.label]
    linked = sorted({y for label in labels if doc_kind(label) and (y := fiscal_year(label))})
    if meta.fiscal_year is None and len(linked) == 1:
        meta.fiscal_year, meta.fiscal_year_source = linked[0], "page_link"
    apply_year_hints(meta, hints)
    meta.body_type = body_type(meta.department_name, kind)
    assign_class(meta, three_public_only="三公" in title and not re.search(r"部门|单位", title))
    if meta.fiscal_year is None:
        raise NoFiscalYearError(f"{error.reason}; its title '{title}' names no fiscal year", meta)
    meta.publisher = meta.department_name
    read_region(meta, meta.department_name or title)
    set_level(meta, region_by_code(meta.region_code) if meta.region_code else None)
    return SeenOnly(meta, _reason(error.page_links), error.page_links, title)


def _reason(links: tuple[PageLink, ...]) -> str:
    """Why a seen-only page has no figures, for ``dim_document.status_reason``."""
    images = [link for link in links if link.kind == "image"]
    if images:
        return (f"seen only, no figures: the page carries its content only as {len(images)} image(s) "
                "(scanned or rasterised pages, no text to read); their addresses are in fct_document_link")
    names = "、".join(link.label or link.url for link in links[:3]) + (" …" if len(links) > 3 else "")
    return (f"seen only, no figures: the page only links its attachment(s) {names}, a document of its own "
            "that was not read with the page; the address(es) are in fct_document_link")


def stage_seen_only(seen: SeenOnly, document_id: str, source_uri: str, byte_size: int) -> dict[str, pl.DataFrame]:
    """``stg_document`` (one row, what the title states) and ``stg_link`` of a seen-only page;
    every other staging frame empty."""
    m = seen.meta
    document = {name: None for name in STAGING_SCHEMAS["stg_document"]}
    document.update({
        "document_id": document_id, "source_uri": source_uri, "format": "html", "byte_size": byte_size,
        "page_count": 1, "department_name": m.department_name, "publisher": m.publisher,
        "fiscal_year": m.fiscal_year, "fiscal_year_source": m.fiscal_year_source, "doc_kind": m.doc_kind,
        "region_code": m.region_code, "region_name": m.region_name, "province_name": m.province_name,
        "city_name": m.city_name, "county_name": m.county_name, **identity_columns(m),
    })
    links = [{"document_id": document_id, "link_seq": k, "kind": link.kind, "url": link.url,
              "label": link.label or None, "page_no": 1, "line_no": 0, "source_text": link.label or link.url}
             for k, link in enumerate(seen.links, start=1)]
    frames = {name: pl.DataFrame(schema=schema) for name, schema in STAGING_SCHEMAS.items()}
    frames["stg_document"] = pl.DataFrame([document], schema=STAGING_SCHEMAS["stg_document"])
    frames["stg_link"] = pl.DataFrame(links, schema=STAGING_SCHEMAS["stg_link"], orient="row")
    return frames
