"""ParseResult → ``stg_*`` polars frames: the hand-off from extract to transform.

Staging frames hold text exactly as printed plus provenance; they are the boundary
after which nothing reads a document again. Column names and types are declared
once, in :mod:`schemas.staging`, and consumed by :mod:`transform`.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from extract.read.model import Document
from extract.parse.identity.classify import identity_columns
from extract.parse.parent_department import find_parent_department
from extract.parse.records import ParseResult, Provenance
from schemas.frames import polars_schema
from schemas.staging import STAGING_TABLES

# Column names and dtypes come from the staging tables (schemas.staging): the one contract.
STAGING_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    name: polars_schema(staging_table) for name, staging_table in STAGING_TABLES.items()
}


@dataclass(frozen=True)
class Staged:
    document_id: str
    frames: dict[str, pl.DataFrame]

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.frames[name]


def _prov(where: Provenance) -> dict:
    return {"page_no": where.page_no, "line_no": where.line_no, "source_text": where.snippet}


def _frame(name: str, document_id: str, rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame([{"document_id": document_id, **row} for row in rows], schema=STAGING_SCHEMAS[name],
                        orient="row")


def stage(doc: Document, result: ParseResult, byte_size: int) -> Staged:
    meta = result.meta
    parent = find_parent_department(doc, meta.department_name)
    frames = {
        "stg_amount": [
            {"statement": a.statement, "item": a.item, "item_key": a.key, "column_name": a.column, "label": a.label,
             "source": a.source, "amount_text": a.amount_text, "unit": a.unit, **_prov(a.where)}
            for a in result.amounts
        ],
        "stg_project": [
            {"project_seq": p.seq, "project_code_text": p.project_code_text, "project_name": p.project_name,
             "amount_text": p.amount_text, "fiscal_funds_text": p.fiscal_funds_text,
             "other_funds_text": p.other_funds_text, "unit": p.unit, "unit_code": p.unit_code,
             "unit_name": p.unit_name, "scope": p.scope, **_prov(p.where)}
            for p in result.projects
        ],
        "stg_asset": [
            {"category": a.category, "measure": a.measure, "quantity_text": a.quantity_text,
             "quantity_unit": a.quantity_unit, "value_text": a.value_text, "value_unit": a.value_unit,
             "threshold_text": a.threshold_text, "label": a.label, "source": a.source, **_prov(a.where)}
            for a in result.assets
        ],
        "stg_plan": [
            {"project_seq": p.project_seq, "plan_seq": p.seq, "period_label": p.period_label,
             "pct_text": p.pct_text, **_prov(p.where)}
            for p in result.plans
        ],
        "stg_indicator": [
            {"project_seq": i.project_seq, "target_seq": i.seq, "level1": i.level1, "level2": i.level2,
             "level3": i.level3, "description": i.description, "target_text": i.target_text, "basis": i.basis,
             "weight_text": i.weight_text, **_prov(i.where)}
            for i in result.indicators
        ],
        "stg_unit": [
            {"unit_seq": k, "unit_name": u.unit_name, "unit_nature": u.unit_nature, "unit_rank": u.unit_rank,
             "funding_form": u.funding_form, "unit_code": u.unit_code, **_prov(u.where)}
            for k, u in enumerate(result.units, start=1)
        ],
        "stg_stated_year": [{"stated_year": year, **_prov(where)} for year, where in meta.stated_years],
        "stg_page": [
            {"page_no": p.page_no, "kind": p.kind, "char_count": sum(len(l.text) for l in p.lines),
             "image_count": p.image_count,
             "ocr_confidence": None if p.ocr_confidence is None else f"{p.ocr_confidence:.3f}",
             "ocr_held": p.ocr_held if p.kind == "ocr" else None}
            for p in doc.pages
        ],
        "stg_document": [{
            "source_uri": doc.source_uri, "format": doc.format, "byte_size": byte_size, "encoding": doc.encoding,
            "page_count": doc.page_count, "department_name": meta.department_name, "publisher": meta.publisher,
            "fiscal_year": meta.fiscal_year, "fiscal_year_source": meta.fiscal_year_source, "doc_kind": meta.doc_kind, "region_code": meta.region_code,
            "region_name": meta.region_name, "province_name": meta.province_name, "city_name": meta.city_name,
            "county_name": meta.county_name, "unit_code": meta.unit_code,
            "budget_unit_count": meta.budget_unit_count,
            "scanned_pages": ",".join(str(n) for n in doc.scanned_pages) or None,
            "parent_department_name": parent.name if parent else None,
            "parent_department_source": parent.source if parent else None,
            **identity_columns(meta, parent.name if parent else None),
        }],
        "stg_link": [
            {"link_seq": k, "kind": "attachment", "url": url, "label": None, "page_no": 1, "line_no": 0,
             "source_text": url}
            for k, url in enumerate(doc.attachments, start=1)
        ],
    }
    return Staged(doc.document_id, {name: _frame(name, doc.document_id, rows) for name, rows in frames.items()})
