"""Parsing as a chain: a context built once, one provenance constructor, templates as data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import extract.parse.context as context
from extract.parse.document import parse_document
from extract.parse.narrative import read_narrative
from extract.parse.records import SOURCE_TEXT_MAX, provenance
from extract.parse.sections import page_texts, split_sections
from extract.parse.templates import TEMPLATES, template_for
from extract.read.model import Document, Line, Page
from extract.read.reader import read_document
from tests.conftest import SEED_PATH

PARSE_DIR = Path(context.__file__).parent


def doc_of(*lines: str) -> Document:
    return Document("id", "mem://c", "pdf", [Page(1, [Line(1, n, t) for n, t in enumerate(lines, start=1)])])


def test_table_blocks_and_sections_are_found_once_per_document(monkeypatch):
    calls = {"blocks": 0, "sections": 0}
    find_blocks, split = context.find_table_blocks, context.split_sections

    def counted_blocks(doc):
        calls["blocks"] += 1
        return find_blocks(doc)

    def counted_sections(doc):
        calls["sections"] += 1
        return split(doc)

    monkeypatch.setattr(context, "find_table_blocks", counted_blocks)
    monkeypatch.setattr(context, "split_sections", counted_sections)
    result = parse_document(read_document(SEED_PATH.read_bytes(), SEED_PATH.name))
    assert result.meta.fiscal_year == 2021 and result.amounts
    assert calls == {"blocks": 1, "sections": 1}


def test_no_parser_builds_provenance_but_through_the_one_constructor():
    builders = []
    for path in PARSE_DIR.glob("*.py"):
        if path.name == "records.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Provenance":
                builders.append(f"{path.name}:{node.lineno}")
    assert builders == []


def test_a_wrapped_statement_keeps_every_line_it_runs_over():
    doc = doc_of("二、收入情况", "2026 年度收入预算 9626.78", "万元，比 2025 年增加。")
    records, _ = read_narrative(page_texts(doc), split_sections(doc), False)
    totals = [r for r in records if (r.statement, r.item) == ("revenue", "total")]
    assert len(totals) == 2  # read by a page rule and by a section rule: the same lines either way
    for total in totals:
        assert (total.amount_text, total.where.page_no, total.where.line_no) == ("9626.78", 1, 2)
        assert total.where.snippet == "2026 年度收入预算 9626.78万元，比 2025 年增加。"


def test_a_long_printed_line_is_cut_around_its_figure():
    line = Line(3, 7, "说明" * 200 + "机关运行经费14.33万元" + "其他" * 200)
    where = provenance(line, focus="14.33")
    assert (where.page_no, where.line_no) == (3, 7)
    assert len(where.snippet) == SOURCE_TEXT_MAX and "14.33" in where.snippet
    assert provenance(Line(1, 1, "  收入总计\t490,808.40  ")).snippet == "收入总计\t490,808.40"
    with pytest.raises(ValueError):
        provenance([])


def test_every_template_that_reads_a_table_names_its_statement():
    readers = [t for t in TEMPLATES if t.parser is not None]
    assert readers and all(t.statement for t in readers)
    assert template_for("某某表").kind == "other" and template_for("某某表").parser is None
