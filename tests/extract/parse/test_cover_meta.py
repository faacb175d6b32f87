"""Department, year and kind from covers laid out in the orders real disclosures use."""

from __future__ import annotations

import pytest

from extract.read.model import Document, Line, Page
from extract.parse.metadata import detect_meta, read_cover
from schemas.errors import DocumentError


def doc_of(*lines: str, more: list[str] | None = None) -> Document:
    pages = [Page(1, [Line(1, n, t) for n, t in enumerate(lines, start=1)])]
    if more:
        pages.append(Page(2, [Line(2, n, t) for n, t in enumerate(more, start=1)]))
    return Document("id", "mem://c", "pdf", pages)


@pytest.mark.parametrize(("lines", "want"), [
    (["2026 年深圳市信访局部门预算"], ("深圳市信访局", 2026, "department_budget")),
    (["上海市2026年市级单位预算", "预算单位：上海市刑事科学技术研究院"],
     ("上海市刑事科学技术研究院", 2026, "unit_budget")),
    (["2026 年度", "福州市公安局治安管理", "支队", "单位预算"], ("福州市公安局治安管理支队", 2026, "unit_budget")),
    (["上海市普陀区财政局", "年度部门决算", "2024"], ("上海市普陀区财政局", 2024, "final_account")),
    (["北京市信访办公室部门 2026 年度部门预算", "信息公开", "目 录", "第一部分"],
     ("北京市信访办公室", 2026, "department_budget")),
    (["江苏省2018年度", "省级部门预算公开报表", "部 门:中共江苏省委办公厅", "江苏省财政厅印制"],
     ("中共江苏省委办公厅", 2018, "department_budget")),
    (["某某县民政局部门预算", "二〇二六年二月"], ("某某县民政局", 2026, "department_budget")),
])
def test_cover_orders(lines, want):
    meta = read_cover(doc_of(*lines))
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind) == want


def test_a_law_based_government_report_is_not_a_disclosure():
    doc = doc_of("长春市财政局 2025 年度", "法治政府建设报告", "长春市财政局围绕学习宣传贯彻党的二十大精神。")
    with pytest.raises(DocumentError, match="not a budget disclosure.*法治政府建设报告"):
        detect_meta(doc)


def test_tables_only_volume_takes_name_from_table_head_and_year_from_its_titles():
    doc = doc_of("收支预算总表", "部门：中国共产党某某省委员会办公厅 单位：万元",
                 more=["2017年政府采购预算表"])
    doc.pages[0].lines.append(Line(1, 3, "收入\t支出", cells=("收入", "支出")))
    doc.pages[0].lines.append(Line(1, 4, "收入合计\t20,849.45", cells=("收入合计", "20,849.45")))
    meta = detect_meta(doc)
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind) == (
        "中国共产党某某省委员会办公厅", 2017, "department_budget")


def test_annual_information_disclosure_report_is_not_a_budget():
    doc = doc_of("某某县财政局2025年政府信息公开工作年度报告", "根据《中华人民共和国政府信息公开条例》规定。")
    with pytest.raises(DocumentError, match="not a budget disclosure"):
        detect_meta(doc)


def test_title_with_guanyu_prefix():
    meta = read_cover(doc_of("关于某某县信访局2026年部门预算的说明"))
    assert (meta.department_name, meta.fiscal_year) == ("某某县信访局", 2026)
