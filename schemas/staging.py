"""Staging tables ``stg_*``: the hand-off from extract to transform, declared once.

Staging frames hold figures exactly as printed (text) plus provenance; nothing reads a
document after them. These tables live on their own :data:`staging_metadata`, which is
never created in the warehouse: they exist to give every ``stg_*`` frame a contract
(:func:`schemas.frames.polars_schema`, :func:`schemas.frames.check_frame`), the same way
the warehouse tables do. Text is ``Text`` (as printed, any length); counts are integers.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Table, Text

from schemas.base import NAMING, SHA256

staging_metadata = MetaData(naming_convention=NAMING)


def _provenance() -> list[Column]:
    """Where the figure was printed: page, line and the line's text."""
    return [Column("page_no", Integer), Column("line_no", Integer), Column("source_text", Text)]


def _staging(name: str, *columns: Column) -> Table:
    return Table(name, staging_metadata, Column("document_id", SHA256, nullable=False), *columns)


def _text(*names: str) -> list[Column]:
    return [Column(name, Text) for name in names]


def _int(*names: str) -> list[Column]:
    return [Column(name, Integer) for name in names]


stg_amount = _staging(
    "stg_amount",
    *_text("statement", "item", "item_key", "column_name", "label", "source", "amount_text", "unit"),
    *_provenance(),
)
stg_project = _staging(
    "stg_project",
    *_int("project_seq"),
    *_text("project_code_text", "project_name", "amount_text", "fiscal_funds_text", "other_funds_text", "unit",
           "unit_code", "unit_name", "scope"),
    *_provenance(),
)
stg_asset = _staging(
    "stg_asset",
    *_text("category", "measure", "quantity_text", "quantity_unit", "value_text", "value_unit", "threshold_text",
           "label", "source"),
    *_provenance(),
)
stg_plan = _staging("stg_plan", *_int("project_seq", "plan_seq"), *_text("period_label", "pct_text"), *_provenance())
stg_indicator = _staging(
    "stg_indicator",
    *_int("project_seq", "target_seq"),
    *_text("level1", "level2", "level3", "description", "target_text", "basis", "weight_text"),
    *_provenance(),
)
stg_unit = _staging(
    "stg_unit",
    *_int("unit_seq"),
    *_text("unit_name", "unit_nature", "unit_rank", "funding_form", "unit_code"),
    *_provenance(),
)
stg_stated_year = _staging("stg_stated_year", *_int("stated_year"), *_provenance())
stg_page = _staging("stg_page", *_int("page_no"), *_text("kind"), *_int("char_count", "image_count"),
                    *_text("ocr_confidence"), *_int("ocr_held"))
stg_document = _staging(
    "stg_document",
    *_text("source_uri", "format"),
    *_int("byte_size"),
    *_text("encoding"),
    *_int("page_count"),
    *_text("department_name", "publisher"),
    *_int("fiscal_year"),
    *_text("fiscal_year_source", "doc_kind", "region_code", "region_name", "province_name", "city_name", "county_name", "unit_code"),
    *_int("budget_unit_count"),
    *_text("scanned_pages", "parent_department_name", "parent_department_source"),
    *_text("doc_class", "class_evidence", "document_title", "department_source", "admin_level", "body_type",
           "region_source"),
)


#: where a page's content is when its text holds none (images, attachments): a seen-only page's
#: links, and the attachments a read HTML page links (line 0: the page's markup, not a text line)
stg_link = _staging("stg_link", *_int("link_seq"), *_text("kind", "url", "label"), *_provenance())


def staging_table(name: str) -> Table:
    """A staging table by name; KeyError names the ones that exist."""
    try:
        return staging_metadata.tables[name]
    except KeyError:
        raise KeyError(f"no staging table {name!r}; known: {sorted(staging_metadata.tables)}") from None


STAGING_TABLES: dict[str, Table] = dict(staging_metadata.tables)
