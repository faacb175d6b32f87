"""Round trip: generated documents, read and parsed, match their truth field by field.

200 seed-template texts (UTF-8, GBK, GB18030, UTF-8 with BOM), 20 portal HTML pages of
the same template, 48 image-only or attachment-only portal pages (seen only: what their
title states, where their content is), 12 seed-template PDFs (every third with a scanned
page), 18 with every 绩效目标表 broken across a page (with and without a repeated head),
and 30 standard-table PDFs with the quirks of real files. Every stated figure is compared
as exact yuan after its unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from extract.parse.document import parse_document
from extract.read.reader import read_document
from tests.synthetic import generate_truth, render_seed_text
from tests.synthetic.compare import (
    Comparison,
    actual_seed_fields,
    compare,
    compare_seed,
    compare_standard,
    expected_seed_fields,
    squeeze_spaces,
)

pytest.importorskip("reportlab")
from tests.synthetic.render_html import render_seed_html  # noqa: E402
from tests.synthetic.render_pdf import render_seed_pdf, render_standard_tables_pdf  # noqa: E402

TEXT_SEEDS = range(0, 200)
HTML_SEEDS = range(3000, 3020)
SEED_PDF_SEEDS = range(1000, 1012)
STANDARD_PDF_SEEDS = range(2000, 2030)
ENCODINGS = ("utf-8", "gbk", "gb18030", "utf-8-sig")


def _parse(data: bytes, uri: str):
    doc = read_document(data, uri)
    return doc, parse_document(doc)


def _report(mismatches: dict[int, tuple[str, ...]]) -> str:
    lines = [f"seed {seed}: {m}" for seed, ms in mismatches.items() for m in ms[:5]]
    return f"{len(mismatches)} documents with mismatches:\n" + "\n".join(lines[:40])


def _roundtrip(seeds: range, outcome_of: Callable[[int], Comparison], fields_per_document: int) -> None:
    """Every seed's document matches its truth, and enough fields were compared."""
    compared, mismatches = 0, {}
    for seed in seeds:
        outcome = outcome_of(seed)
        compared += outcome.compared
        if outcome.mismatches:
            mismatches[seed] = outcome.mismatches
    assert not mismatches, _report(mismatches)
    assert compared >= fields_per_document * len(seeds)


def test_seed_text_roundtrip():
    def outcome(seed: int) -> Comparison:
        truth = generate_truth(seed)
        _, result = _parse(render_seed_text(truth, ENCODINGS[seed % 4]), f"synthetic://{seed}.txt")
        return compare_seed(truth, result)

    _roundtrip(TEXT_SEEDS, outcome, 101)


def test_seed_html_roundtrip():
    def outcome(seed: int) -> Comparison:
        truth = generate_truth(seed)
        doc, result = _parse(render_seed_html(truth, ("utf-8", "gbk")[seed % 2]), f"synthetic://{seed}.html")
        assert doc.format == "html"
        return compare_seed(truth, result)

    _roundtrip(HTML_SEEDS, outcome, 101)


SEEN_ONLY_SEEDS = range(3100, 3124)


@pytest.mark.parametrize("layout", ["images", "attachment"])
def test_seen_only_html_roundtrip(layout):
    """Image-only and attachment-only portal pages: no figures, but the year, kind, department
    and region their title states, and every image or attachment address, field by field."""
    from flows.pipeline import prepare
    from tests.synthetic.render_html import render_seen_only_html, seen_only_page

    def outcome(seed: int) -> Comparison:
        truth = generate_truth(seed)
        page = seen_only_page(truth, layout)
        prepared = prepare(render_seen_only_html(truth, layout, ("utf-8", "gbk")[seed % 2]), page.uri)
        [doc] = prepared.frames["dim_document"].to_dicts()
        links = prepared.frames["fct_document_link"].sort("link_seq").to_dicts()
        assert doc["status_reason"].startswith("seen only, no figures: the page ")
        expected = {"status": "seen_only", "department": truth.department, "year": truth.year, "kind": page.kind,
                    "region": truth.region_code, "year_source": "title", "format": "html",
                    **{f"link.{k}": link for k, link in enumerate(page.links, start=1)}, "links": len(page.links)}
        actual = {"status": doc["status"], "department": doc["department_name"], "year": doc["fiscal_year"],
                  "kind": doc["doc_kind"], "region": doc["region_code"], "year_source": doc["fiscal_year_source"],
                  "format": doc["format"], **{f"link.{r['link_seq']}": (r["kind"], r["url"], r["label"] or "")
                                             for r in links}, "links": len(links)}
        return compare(expected, actual)

    _roundtrip(SEEN_ONLY_SEEDS, outcome, 9)


def test_html_table_cells_match_the_text_rendering():
    """Spans expanded back: every HTML table row has the seed text's cells (trailing blanks aside)."""
    truth = generate_truth(3001)

    def rows(doc):
        out = []
        for line in doc.lines():
            if line.cells is not None:
                cells = list(line.cells)
                while cells and cells[-1] == "":
                    cells.pop()
                out.append(tuple(cells))
        return out

    html_rows = rows(read_document(render_seed_html(truth), "a.html"))
    text_rows = rows(read_document(render_seed_text(truth), "a.txt"))
    assert len(html_rows) > 20 and html_rows == text_rows


@pytest.mark.slow  # a many-page synthetic PDF rendered and read: full suite only
def test_seed_pdf_roundtrip_with_scanned_pages():
    def outcome(seed: int) -> Comparison:
        truth = generate_truth(seed)
        scanned = seed % 3 == 0
        doc, result = _parse(render_seed_pdf(truth, with_scanned_page=scanned), f"synthetic://{seed}.pdf")
        assert len(doc.scanned_pages) == (1 if scanned else 0), (seed, [p.kind for p in doc.pages])
        return compare(squeeze_spaces(expected_seed_fields(truth)), squeeze_spaces(actual_seed_fields(result)))

    _roundtrip(SEED_PDF_SEEDS, outcome, 51)


SPLIT_SEEDS = range(1100, 1106)


@pytest.mark.slow
@pytest.mark.parametrize("repeat_rows", [0, 1, 2], ids=["no-header", "code-row-repeated", "two-rows-repeated"])
def test_seed_pdf_with_every_project_table_split_across_a_page(repeat_rows):
    """Each 绩效目标表 broken across a page as a word processor breaks it, with no header
    repeated, its 项目编码 row repeated, or its first two rows: a continuation never becomes a
    project and every indicator row is read (regression: the repeated 项目编码 row made a
    second project with no amount, and its indicators were lost — 62 of 70)."""
    def outcome(seed: int) -> Comparison:
        truth = generate_truth(seed)
        doc, result = _parse(render_seed_pdf(truth, split_projects=True, repeat_rows=repeat_rows),
                             f"synthetic://{seed}-split.pdf")
        openings = [line.page_no for line in doc.lines() if line.cells and line.cells[0] == "项目编码"]
        assert len(openings) == len(truth.projects) * (2 if repeat_rows else 1), (seed, openings)
        return compare(squeeze_spaces(expected_seed_fields(truth)), squeeze_spaces(actual_seed_fields(result)))

    _roundtrip(SPLIT_SEEDS, outcome, 51)


def test_split_project_tables_break_in_every_part_of_the_card():
    """The breaks fall in the card's head, at its indicator header and among its indicators,
    so every kind of continuation is exercised."""
    truth = generate_truth(1005)
    doc = read_document(render_seed_pdf(truth, split_projects=True), "synthetic://split.pdf")
    firsts = {}  # project name -> first cell of the first row on its continuation page
    rows = [line for line in doc.lines() if line.cells is not None]
    current = None
    for previous, row in zip(rows, rows[1:]):
        if row.cells[0] == "项目编码":
            current = row.cells[4]
        elif current and row.page_no != previous.page_no:
            firsts.setdefault(current, row.cells[0] or row.cells[1][:4])
    assert len(firsts) == len(truth.projects)
    assert {"一级指标", "绩效目标"} & set(firsts.values()) and len(set(firsts.values())) >= 4, firsts


@pytest.mark.slow  # a many-page synthetic PDF rendered and read: full suite only
def test_standard_tables_pdf_roundtrip():
    def outcome(seed: int) -> Comparison:
        truth = generate_truth(seed)
        _, result = _parse(render_standard_tables_pdf(truth, with_scanned_page=seed % 5 == 0),
                           f"synthetic://{seed}-tables.pdf")
        return compare_standard(truth, result)

    _roundtrip(STANDARD_PDF_SEEDS, outcome, 61)


def test_scanned_page_is_reported_and_the_rest_loaded():
    truth = generate_truth(1003)
    doc = read_document(render_seed_pdf(truth, with_scanned_page=True), "synthetic://scan.pdf")
    (page_no,) = doc.scanned_pages
    scanned = doc.pages[page_no - 1]
    assert scanned.lines == [] and scanned.image_count == 1
    assert f"scanned images): {page_no}" in " ".join(doc.notes)
    assert [p.kind for p in doc.pages].count("text") == doc.page_count - 1
    assert compare_seed(truth, parse_document(doc)).compared > 50


def test_a_wrong_figure_is_caught():
    """The comparison is not vacuous: a document that misstates one figure fails it."""
    truth = generate_truth(5)
    first = truth.projects[0]
    lying = replace(truth, projects=(replace(first, amount=first.amount + Decimal("0.01")), *truth.projects[1:]))
    _, result = _parse(render_seed_text(lying), "synthetic://lying.txt")
    outcome = compare_seed(truth, result)
    assert outcome.mismatches == (
        f"project.1.amount: expected {first.amount}, got {first.amount + Decimal('0.01')}",
    )


def test_a_misprinted_balancing_row_is_caught():
    """The standard-table comparison reads the balancing rows: a 上年结转 printed 100 yuan
    off (and its grand total with it) shows as exactly those mismatches."""
    truth = next(t for t in map(generate_truth, STANDARD_PDF_SEEDS) if t.balancing["carryover_in"] > 0)
    off = {**truth.balancing, "carryover_in": truth.balancing["carryover_in"] + 100}
    _, result = _parse(render_standard_tables_pdf(replace(truth, balancing=off)), "synthetic://off.pdf")
    outcome = compare_standard(truth, result)
    got = {m.split(":")[0]: Decimal(m.rsplit("got ", 1)[1]) for m in outcome.mismatches}
    assert got == {"revenue.carryover": off["carryover_in"], "revenue.total": truth.revenue_grand_total + 100}
