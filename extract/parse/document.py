"""Parsing as an explicit chain: a read :class:`~extract.read.model.Document` in, a
:class:`~extract.parse.records.ParseResult` out.

A :class:`~extract.parse.context.ParseContext` (lines, sections, pages of running text,
table blocks) is built once; then each parser of ``PARSERS`` runs over it in order and
adds what it reads to the result. Each looks for its own section or table and ignores
the rest, so a document of any template yields whatever it contains; the data-quality
rules, not the parsers, judge whether that is complete. A new parser (another kind of
table, another section) is one more entry in ``PARSERS``.

Raises :class:`~schemas.errors.DocumentError` for a document that is not a disclosure,
:class:`NoFiscalYearError` for one that states no fiscal year its hints cannot supply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from extract.read.model import Document
from extract.parse.context import ParseContext
from extract.parse.identity.classify import assign_class
from extract.parse.metadata import read_metadata
from extract.parse.narrative import read_narrative
from extract.parse.performance import parse_performance_tables
from extract.parse.records import AmountRecord, DocumentMeta, ParseResult
from extract.parse.assets import read_asset_prose, read_asset_tables
from extract.parse.small_tables import parse_budget_units, parse_procurement_table
from extract.parse.standard_tables import parse_standard_tables
from extract.parse.three_public_numbered import parse_numbered_three_public
from extract.parse.version import NO_FISCAL_YEAR, PARSER_VERSION  # noqa: F401 (re-exported: the parser's names)
from extract.parse.year_hints import DocumentHints, apply_year_hints
from reference.regions import region_by_code
from schemas.errors import DocumentError
from schemas.vocabulary import FINAL_ACCOUNT, PERFORMANCE_TARGET_FORM


@dataclass(frozen=True)
class Parser:
    name: str
    run: Callable[[ParseContext, ParseResult], None]


def _metadata(ctx: ParseContext, result: ParseResult) -> None:
    result.meta = read_metadata(ctx)


def _narrative(ctx: ParseContext, result: ParseResult) -> None:
    records, stated_years = read_narrative(ctx.pages, ctx.sections, result.meta.doc_kind == FINAL_ACCOUNT,
                                           result.meta.fiscal_year, ctx.lines)
    result.amounts.extend(records)
    result.meta.stated_years.extend(stated_years)
    result.sections_found = sorted({s.name for s in ctx.sections} - {"preamble"})


def _performance(ctx: ParseContext, result: ParseResult) -> None:
    tables = parse_performance_tables(ctx.lines)
    result.projects, result.plans, result.indicators = tables.projects, tables.plans, tables.indicators
    result.amounts.extend(tables.amounts)


def _performance_form(ctx: ParseContext, result: ParseResult) -> None:
    """A 部门整体绩效目标申报表 published on its own states the department's spending: its
    部门预算支出 / 基本支出 / 项目支出 are the expenditure total and parts (in a budget
    disclosure that also prints the form, the 收支总表's figures are those)."""
    if result.meta.doc_kind != PERFORMANCE_TARGET_FORM:
        return
    for a in list(result.amounts):
        if a.statement == "department_form":
            result.amounts.append(replace(a, statement="expenditure"))


def _standard_tables(ctx: ParseContext, result: ParseResult) -> None:
    records, found = parse_standard_tables(ctx.blocks)
    result.amounts.extend(records)
    result.tables_found.extend(found)


def _numbered_three_public(ctx: ParseContext, result: ParseResult) -> None:
    records = parse_numbered_three_public(ctx.lines, result.meta.doc_kind == FINAL_ACCOUNT)
    if records:
        result.amounts.extend(records)
        result.tables_found.append("three_public")


def _small_tables(ctx: ParseContext, result: ParseResult) -> None:
    result.amounts.extend(parse_procurement_table(ctx.lines))
    result.units = parse_budget_units(ctx.lines)


def _assets(ctx: ParseContext, result: ParseResult) -> None:
    result.assets = read_asset_tables(ctx.lines) + read_asset_prose(ctx.sections, ctx.pages)


#: Run in this order: the metadata first (the narrative reads a 决算 differently), and
#: narrative before tables (the order records are kept in).
PARSERS: tuple[Parser, ...] = (
    Parser("metadata", _metadata),
    Parser("narrative", _narrative),
    Parser("performance", _performance),
    Parser("performance_form", _performance_form),
    Parser("standard_tables", _standard_tables),
    Parser("three_public_numbered", _numbered_three_public),
    Parser("small_tables", _small_tables),
    Parser("assets", _assets),
)


def _dedupe(records: list[AmountRecord]) -> list[AmountRecord]:
    """One record per (statement, item, key, column, source): the first printed wins. A table
    line is also told apart by its name, so a code printed for two names (长春 预算表6: 30208 for
    both 取暖费 and 物业管理费) keeps both lines for the rules to see."""
    seen: set[tuple[str, ...]] = set()
    kept: list[AmountRecord] = []
    for record in records:
        name = record.label if record.source == "table" and record.item == "line" else ""
        key = (record.statement, record.item, record.key, record.column, record.source, name)
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


class NoFiscalYearError(DocumentError):
    """Budget figures, but no fiscal year printed and none the hints give: ``meta`` is what was
    read (department, kind), so the flows layer can look for the volume's siblings."""

    def __init__(self, reason: str, meta: DocumentMeta):
        super().__init__(reason)
        self.meta = meta


def _finish(result: ParseResult, hints: DocumentHints | None) -> None:
    meta: DocumentMeta = result.meta
    result.amounts = _dedupe(result.amounts)
    if result.projects:
        result.tables_found.append("绩效目标表")
        meta.unit_code = meta.unit_code or result.projects[0].unit_code or None
    _region_from_project_codes(result)
    if meta.fiscal_year is None and not result.amounts and not result.projects:
        raise DocumentError(
            "not a budget disclosure: no '<year>年部门预算/单位预算/部门决算' title and no budget figures found"
        )
    assign_class(meta, three_public_only=bool(result.amounts) and not result.tables_found
                 and all(a.statement == "three_public" for a in result.amounts))
    apply_year_hints(meta, hints)
    if meta.fiscal_year is None:
        raise NoFiscalYearError(
            f"{NO_FISCAL_YEAR}: none printed in the title, cover or table titles, "
            "and no sibling volume, link text, file name or address names one", meta)


def parse_document(doc: Document, hints: DocumentHints | None = None) -> ParseResult:
    """Records of one read document. ``hints`` (what the flows layer knows of where it was
    found) give a year only to a volume that prints none (:mod:`extract.parse.year_hints`)."""
    ctx = ParseContext.of(doc)
    result = ParseResult(meta=DocumentMeta())
    for parser in PARSERS:
        parser.run(ctx, result)
    _finish(result, hints)
    return result
