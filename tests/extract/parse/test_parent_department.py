"""The parent department a unit's disclosure states, read from the text (never the file name)."""

from __future__ import annotations

import pytest

from extract.parse.parent_department import find_parent_department
from extract.read.model import Document, Line, Page
from extract.read.reader import read_document
from tests.conftest import require_shared


def _doc(*lines: str, cells: bool = False) -> Document:
    rows = [Line(1, k, text, cells=tuple(text.split("\t")) if cells else None) for k, text in enumerate(lines, 1)]
    return Document("0" * 64, "mem://x.txt", "text", [Page(1, rows)])


@pytest.mark.parametrize("file, unit, parent, page", [
    # the file is named 上海市公安局; the document says whose unit it is
    ("001_上海/2026年上海市公安局_部门预算.pdf", "上海市刑事科学技术研究院", "上海市公安局", 3),
    ("001_上海/2026年上海市水务局_部门预算.pdf", "上海市海洋监测预报中心", "上海市水务局", 3),
    ("017_福州/2026年福州市公安局部门预算.pdf", "福州市公安局治安管理支队", "福州市公安局", 29),
])
def test_real_unit_budgets_state_their_parent(file, unit, parent, page):
    path = require_shared("corpus", "real", *file.split("/"))
    found = find_parent_department(read_document(path.read_bytes(), str(path)), unit)
    assert (found.name, found.page_no) == (parent, page)
    assert parent in found.text


@pytest.mark.parametrize("file, department", [
    ("002_北京/2026年北京市信访办公室部门预算.pdf", "北京市信访办公室"),
    ("040_长春/2026年长春市信访局部门预算.pdf", "长春市信访局（本级）"),
])
def test_department_budgets_state_no_parent(file, department):
    path = require_shared("corpus", "real", *file.split("/"))
    assert find_parent_department(read_document(path.read_bytes(), str(path)), department) is None


def test_a_ministry_stated_after_the_unit_s_foreign_name_is_its_parent():
    found = find_parent_department(_doc("西南大学（Southwest University）是教育部直属，教育部、农业农村部和重庆市共建的"
                                        "重点综合大学"), "西南大学")
    assert found.name == "教育部"  # three characters: a ministry
    assert find_parent_department(_doc("本单位是市局所属单位"), "某中心") is None  # three characters, no ministry


def test_the_real_university_states_its_ministry():
    path = require_shared("corpus", "cases", "01_university_budget_2021.pdf")
    found = find_parent_department(read_document(path.read_bytes(), str(path)), "西南大学")
    assert found.name == "教育部" and "是教育部直属" in found.text


def test_the_glossary_sentence_about_departments_in_general_is_not_a_parent():
    doc = _doc("（一）财政拨款收入：是市级预算主管部门及所属预算单位本年度从本级财政部门取得的财政拨款。",
               "（七）“三公”经费：是与市级财政有经费领拨关系的部门及其下属预算单位使用市级财政拨款安排的费用。")
    assert find_parent_department(doc, "某某中心") is None


def test_a_labelled_cell_and_an_alias_in_brackets():
    doc = _doc("主管部门\t某某市水务局（某某市海洋局）\t\t实施单位\t某某市水文站", cells=True)
    assert find_parent_department(doc, "某某市水文站").name == "某某市水务局"


def test_only_the_unit_itself_is_described_as_belonging():
    doc = _doc("某某县第二小学是某某县教育局所属事业单位。")
    assert find_parent_department(doc, "某某县第一中学") is None  # a sentence about another unit
    assert find_parent_department(doc, "某某县第二小学").name == "某某县教育局"
    assert find_parent_department(_doc("本单位是某某县教育局下属事业单位。"), None).name == "某某县教育局"


def test_a_department_naming_itself_is_not_its_own_parent():
    assert find_parent_department(_doc("主管部门：某某县信访局"), "某某县信访局") is None
