"""Template parsers: a read :class:`~extract.read.model.Document` in, a :class:`ParseResult` out.

Each parser looks for its own section or table and ignores the rest, so a document
of any template yields whatever it contains; the data-quality rules, not the
parsers, judge whether that is complete.
"""

from __future__ import annotations

from extract.read.model import Document
from extract.parse.metadata import detect_meta
from extract.parse.narrative import parse_narrative
from extract.parse.narrative_real import parse_narrative_real
from extract.parse.performance import parse_performance_tables
from extract.parse.sections import split_sections
from extract.parse.small_tables import parse_asset_table, parse_budget_units, parse_procurement_table
from extract.parse.standard_tables import parse_standard_tables
from extract.parse.records import AmountRecord, ParseResult
from extract.reference.regions import region_by_code
from schemas.errors import DocumentError

PARSER_VERSION = "0.1.0"


def _dedupe(records: list[AmountRecord]) -> list[AmountRecord]:
    """One record per (statement, item, key, column, source): the first printed wins."""
    seen: set[tuple[str, str, str, str, str]] = set()
    kept: list[AmountRecord] = []
    for record in records:
        key = (record.statement, record.item, record.key, record.column, record.source)
        if key not in seen:
            seen.add(key)
            kept.append(record)
    return kept


def _region_from_project_codes(result: ParseResult) -> None:
    """Project codes start with the county's 6-digit code: a fallback when no name is printed."""
    if result.meta.region_code or not result.projects:
        return
    region = region_by_code(result.projects[0].project_code_text.replace(" ", "")[:6])
    if region is not None:
        meta = result.meta
        meta.region_code, meta.region_name = region.code, region.name
        meta.province_name, meta.city_name, meta.county_name = region.province_name, region.city_name, region.county_name


def parse_document(doc: Document) -> ParseResult:
    meta = detect_meta(doc)
    sections = split_sections(doc)
    narrative, stated_years = parse_narrative(sections)
    meta.stated_years.extend(stated_years)
    projects, plans, indicators = parse_performance_tables(doc)
    # Both narrative readers run; where both state a figure the one written for wrapped,
    # real-world prose (and 决算 wording) wins, the section-aware seed reader fills the gaps.
    real_prose = parse_narrative_real(doc, meta.doc_kind == "final_account")
    tables, tables_found = parse_standard_tables(doc)
    amounts = real_prose + narrative + tables + parse_asset_table(doc) + parse_procurement_table(doc)
    result = ParseResult(meta=meta, amounts=_dedupe(amounts), units=parse_budget_units(doc),
                         projects=projects, plans=plans, indicators=indicators)
    result.sections_found = sorted({s.name for s in sections} - {"preamble"})
    result.tables_found.extend(tables_found)
    if projects:
        result.tables_found.append("绩效目标表")
        meta.unit_code = meta.unit_code or projects[0].unit_code or None
    _region_from_project_codes(result)
    if meta.fiscal_year is None and not result.amounts and not projects:
        raise DocumentError(
            "not a budget disclosure: no '<year>年部门预算/单位预算/部门决算' title and no budget figures found"
        )
    if meta.fiscal_year is None:
        raise DocumentError("budget figures found but no fiscal year in the title or cover")
    return result
