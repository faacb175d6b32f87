"""Each failed rule linked to the documents and pages it compares.

A cross-document result names its documents itself (``fct_cross_document_evidence``: role,
page, line, printed text). A per-document result names only its document; the lines it
compared are found from the rule's inputs in the catalogue (:mod:`transform.rules.catalogue`,
``expenditure.total@narrative`` → the narrative line of 支出总计): the printed line whose
amount is the value provided, then the one whose amount is the expected value, else the first
line of the rule's first stated input. A rule that reads no stored figure (a year printed in
the text) is located by the value itself where it is a year (``2020`` → the line printing
``2020年``); otherwise the link is to the document as a whole.

Links: a local file as ``file://…#page=N`` (percent-encoded, so 高邑县 survives any browser), a
URL as it is, a relative path as a relative link.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from urllib.parse import quote

import polars as pl
from sqlalchemy.engine import Engine

from load.evidence import cross_document_evidence, documents, printed_figures
from transform.rules.catalogue import CATALOGUE

RULE_INPUTS: dict[str, tuple[str, ...]] = {rule.code: tuple(rule.inputs) for rule in CATALOGUE}
YEARS = range(1949, 2101)


@dataclass(frozen=True)
class Location:
    """One document a result involves and, where known, the page and line of the compared figure."""

    source_uri: str
    role: str | None = None
    page_no: int | None = None
    line_no: int | None = None
    source_text: str | None = None

    @property
    def href(self) -> str:
        return document_href(self.source_uri, self.page_no)

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.source_uri.split("?")[0].rstrip("/")).name or self.source_uri

    @property
    def where(self) -> str:
        """``p. 3, line 12`` / ``p. 3`` / ``whole document``."""
        if self.page_no is None:
            return "whole document"
        return f"p. {self.page_no}" + (f", line {self.line_no}" if self.line_no is not None else "")


def document_href(source_uri: str, page_no: int | None = None) -> str:
    """``/data/高邑县.pdf`` + page 3 → ``file:///data/%E9%AB%98….pdf#page=3``; a URL is kept as it is."""
    if "://" in source_uri:
        if source_uri.startswith("file://") and page_no is not None and "#" not in source_uri:
            return f"{source_uri}#page={page_no}"
        return source_uri
    fragment = f"#page={page_no}" if page_no is not None else ""
    if source_uri.startswith("/"):
        return "file://" + quote(source_uri) + fragment
    return quote(source_uri) + fragment


def _parse_input(text: str) -> tuple[str, str | None, str | None]:
    """``revenue.total@narrative`` → (revenue, total, narrative); ``change.total%`` → (change, total, None);
    ``fct_expenditure_by_function`` → (fct_expenditure_by_function, None, None)."""
    name, _, source = text.partition("@")
    statement, _, item = name.partition(".")
    item = item.split("|")[0].rstrip("%") or None
    return statement, item, source or None


def _candidates(inputs: tuple[str, ...], lines: list[dict]) -> list[dict]:
    """The document's printed lines that are inputs of the rule, in the order of the rule's inputs."""
    out: list[dict] = []
    for statement, item, source in map(_parse_input, inputs):
        matching = [r for r in lines if r["statement"] == statement and (item is None or r["item"] == item)
                    and (source is None or r["source"] == source)]
        matching.sort(key=lambda r: (r["source"] != "table", r["page_no"], r["line_no"]))
        out.extend(r for r in matching if r not in out)
    return out


def locate(rule_code: str, actual: Decimal | None, expected: Decimal | None, lines: list[dict]) -> list[dict]:
    """The printed lines of one document that a failed per-document rule compared (see module doc)."""
    candidates = _candidates(RULE_INPUTS.get(rule_code, ()), lines)
    found: list[dict] = []
    for value in (actual, expected):
        hit = next((r for r in candidates if value is not None and r["amount_yuan"] == value), None)
        if hit is not None and hit not in found:
            found.append(hit)
    if not found and candidates:
        found.append(candidates[0])
    if not found and actual is not None and actual == actual.to_integral_value() and int(actual) in YEARS:
        printed = f"{int(actual)}年"
        found = [r for r in lines if printed in (r["source_text"] or "")][:1]
    return found


def _document_locations(engine: Engine, failures: pl.DataFrame) -> dict[tuple[str, str], list[Location]]:
    ids = failures["document_ids"].drop_nulls().unique().to_list()
    by_document = {d: g.to_dicts() for (d,), g in printed_figures(engine, ids).group_by(["document_id"])}
    uris = dict(documents(engine, ids).select("document_id", "source_uri").iter_rows())
    out: dict[tuple[str, str], list[Location]] = {}
    for row in failures.iter_rows(named=True):
        document_id = row["document_ids"]
        lines = locate(row["rule_code"], row["actual"], row["expected"], by_document.get(document_id, []))
        out[(row["rule_code"], document_id)] = [
            Location(r["source_uri"], None, r["page_no"], r["line_no"], r["source_text"]) for r in lines
        ] or [Location(uris[document_id])]
    return out


def _cross_locations(engine: Engine, failures: pl.DataFrame) -> dict[str, list[Location]]:
    evidence = cross_document_evidence(engine, failures["check_id"].drop_nulls().to_list())
    return {check_id: [Location(r["source_uri"], r["role"], r["page_no"], r["line_no"], r["source_text"])
                       for r in rows.iter_rows(named=True)]
            for (check_id,), rows in evidence.group_by(["check_id"], maintain_order=True)}


def failure_locations(engine: Engine, failures: pl.DataFrame) -> list[list[Location]]:
    """For each row of ``failures`` (rows of :func:`load.comparison.quality_results`), its locations."""
    per_document = failures.filter(pl.col("category") == "document")
    cross = failures.filter(pl.col("category") == "cross_document")
    by_document = _document_locations(engine, per_document)
    by_check = _cross_locations(engine, cross)
    return [by_check.get(r["check_id"], []) if r["category"] == "cross_document"
            else by_document.get((r["rule_code"], r["document_ids"]), [])
            for r in failures.iter_rows(named=True)]


def with_pages(engine: Engine, results: pl.DataFrame) -> pl.DataFrame:
    """``results`` (rows of :func:`load.comparison.quality_results`) with ``pages`` filled for every
    failed per-document result too (``file p3; file p11``, as cross-document results give them), so
    ``quality`` names the pages in every format."""
    failed = (pl.col("category") == "document") & (pl.col("passed") == False)  # noqa: E712
    indexed = results.with_row_index("_row")
    rows = indexed.filter(failed)
    if rows.is_empty():
        return results
    where = [("; ".join(f"{loc.file_name} p{loc.page_no}" if loc.page_no is not None else loc.file_name
                        for loc in locations) or None)
             for locations in failure_locations(engine, rows.drop("_row"))]
    pages = pl.DataFrame({"_row": rows["_row"], "_pages": where}, schema={"_row": pl.UInt32, "_pages": pl.Utf8})
    return indexed.join(pages, on="_row", how="left").with_columns(
        pl.coalesce("_pages", "pages").alias("pages")).drop("_row", "_pages")
