"""The shared vocabulary: one reading of years and document kinds for crawler and parsers."""

from __future__ import annotations

import re

import pytest

from extract.collect import links
from extract.parse import metadata
from reference.vocabulary import NUMBER, UNIT_LINE, arabic_years, doc_kind, fiscal_year


@pytest.mark.parametrize(("text", "kind"), [
    ("高邑县信访局2021年部门预算", "department_budget"),
    ("某中心2020年单位预算", "unit_budget"),
    ("某中心2020年单位综合预算", "unit_budget"),
    ("高邑县教育局2022年度部门决算公开", "final_account"),
    ("上海市普陀区财政局年度部门决算2024", "final_account"),
    # a page listing both budgets and final accounts names neither kind
    ("2021年部门预决算公开", None),
    ("某某县2021年预决算公开 2020年度部门决算", "final_account"),
    ("县长信箱", None),
])
def test_document_kind(text, kind):
    assert doc_kind(text) == kind


def test_crawler_and_parsers_share_one_classifier():
    """The link classifier is the vocabulary's, and the metadata reader uses it too."""
    assert links.doc_kind is doc_kind and links.fiscal_year is fiscal_year
    assert metadata.doc_kind is doc_kind


@pytest.mark.parametrize(("texts", "year"), [
    (("高邑县信访局2021年部门预算",), 2021),
    (("关于印发〔2019〕12号文", "2021年预算"), 2021),  # <year>年 in any text beats a bare number
    (("附件2023",), 2023),
    (("成立于1906年",), None),  # not a plausible fiscal year
    (("县长信箱",), None),
])
def test_fiscal_year(texts, year):
    assert fiscal_year(*texts) == year


def test_chinese_numeral_years_and_numbers_and_unit_lines():
    assert arabic_years("二〇二六年二月") == "2026年二月"
    assert re.fullmatch(NUMBER, "1,234.56") and re.fullmatch(NUMBER, "１２３４．５")
    assert UNIT_LINE.search("单位：万元").group(1) == "万元"
    assert UNIT_LINE.search("金额单位：元").group(1) == "元"
    assert UNIT_LINE.search("单位：元宝区财政局") is None


@pytest.mark.parametrize(("text", "blank"), [
    ("", True), ("-", True), ("—", True), ("——", True), ("－", True), ("/", True), ("／", True), ("无", True),
    ("0", False), ("-5", False), ("0.00", False), ("无偿", False),
])
def test_one_blank_figure_for_table_cells_and_transform(text, blank):
    from reference.vocabulary import blank_figure
    from transform.numbers import parse_decimal

    assert blank_figure(text) is blank
    if blank:
        assert parse_decimal(text) is None


def test_the_year_family_reads_years_before_nian_and_alone():
    from reference.vocabulary import YEAR_ALONE, YEAR_NIAN

    text = "2020年预算较2019 年度增加，文号12021年，成立于1949年，2026"
    assert YEAR_NIAN.findall(text) == ["2020", "2019"]  # 12021 is no year, nor is 1949 a fiscal one
    assert YEAR_ALONE.findall(text) == ["2020", "2019", "2026"]
    assert fiscal_year("附件：2026", "高邑县2025年部门预算") == 2025  # a year before 年 in any text first
