"""Only disclosures are loaded (issue 8 item 5): documents that mention budgets and years
but are not disclosures are quarantined with their type named; a 部门整体绩效目标申报表 is
a disclosure of its own kind."""

from __future__ import annotations

import pytest

from extract.parse.document import parse_document
from extract.read.reader import read_document
from reference.vocabulary import doc_kind, not_a_disclosure
from schemas.errors import DocumentError
from tests.conftest import require_shared

BUDGET_TABLE = "收支总表\n单位：万元\n项目\t预算数\t项目\t预算数\n收入总计\t120.00\t支出总计\t120.00\n"


def parse_text(text: str):
    return parse_document(read_document(text.encode("utf-8"), "mem://doc.txt"))


@pytest.mark.parametrize("title, noun", [
    ("预算评审管理暂行办法", "a regulation"),
    ("关于印发《部门预算项目支出管理办法》的通知", "a regulation"),
    ("某某县财政局2023年度项目支出绩效评价报告", "a performance evaluation report (绩效评价报告)"),
    ("某某县民政局2023年度部门整体支出绩效自评表", "a performance self-evaluation (绩效自评)"),
    ("某某县财政局2023年政府信息公开工作年度报告", "an annual report on government information disclosure (政府信息公开年度报告)"),
    ("某某县财政局2025年度法治政府建设报告", "a report on building rule-of-law government (法治政府建设报告)"),
])
def test_documents_that_are_no_disclosure_are_refused_with_their_type_named(title, noun):
    """Each holds budget words, a year and even a budget-like table: the title decides."""
    body = f"附件\n{title}\n第一章 总则\n第一条 为加强部门预算管理，根据（财预〔2021〕5 号）制定本办法。\n{BUDGET_TABLE}"
    assert not_a_disclosure(title) == noun and doc_kind(title) is None
    with pytest.raises(DocumentError) as caught:
        parse_text(body)
    assert caught.value.reason == f"not a budget disclosure: {noun} ('{title}')"


def test_a_disclosure_title_met_first_settles_it():
    """A budget whose contents list 部门整体支出绩效自评表 is still a budget."""
    result = parse_text("某某县民政局2023年部门决算\n目录\n部门整体支出绩效自评表\n" + BUDGET_TABLE)
    assert (result.meta.doc_kind, result.meta.fiscal_year) == ("final_account", 2023)


def test_the_regulation_case_is_quarantined_as_a_regulation():
    """cases/03: a 预算评审管理暂行办法 that mentions 部门预算 and 国发〔2021〕5号 (loaded as a 2021
    department budget before)."""
    path = require_shared("corpus", "cases", "03_regulation_not_a_disclosure.pdf")
    with pytest.raises(DocumentError) as caught:
        parse_document(read_document(path.read_bytes(), str(path)))
    assert caught.value.reason == "not a budget disclosure: a regulation ('预算评审管理暂行办法')"


FORM = """高邑县民政局2024年部门整体绩效目标申报表
单位：万元
部门（单位）名称\t高邑县民政局\t\t
年度预算申请\t部门预算支出\t基本支出\t项目支出
\t1200.00\t800.00\t400.00
年度总体目标\t保障民政事业正常运转，兜牢民生底线。\t\t
年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值
\t产出指标\t数量指标\t救助人数\t≥500人
\t\t质量指标\t救助准确率\t≥95%
\t满意度指标\t服务对象满意度指标\t群众满意度\t≥90%
"""


def test_a_department_performance_target_form_loads_as_its_own_kind():
    result = parse_text(FORM)
    meta = result.meta
    assert (meta.doc_kind, meta.fiscal_year, meta.department_name, meta.region_code) == (
        "performance_target_form", 2024, "高邑县民政局", "130127")
    spending = {a.item: (a.amount_text, a.unit) for a in result.amounts if a.statement == "expenditure"}
    assert spending == {"total": ("1200.00", "万元"), "basic": ("800.00", "万元"), "project": ("400.00", "万元")}
    [form] = result.projects
    assert (form.scope, form.project_name, form.goal) == ("department", "高邑县民政局", "保障民政事业正常运转，兜牢民生底线。")
    assert [(i.level1, i.level2, i.level3, i.target_text) for i in result.indicators] == [
        ("产出指标", "数量指标", "救助人数", "≥500人"), ("产出指标", "质量指标", "救助准确率", "≥95%"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%")]


def test_the_form_inside_a_budget_does_not_restate_its_spending():
    """A budget that prints the form among its tables: the 收支总表 states the spending."""
    result = parse_text("高邑县民政局2024年部门预算\n" + BUDGET_TABLE + "\n部门整体支出绩效目标表\n" + FORM.split("\n", 1)[1])
    assert result.meta.doc_kind == "department_budget"
    assert {(a.item, a.amount_text) for a in result.amounts if a.statement == "expenditure" and a.source == "table"} \
        == {("total", "120.00")}
    assert [a.item for a in result.amounts if a.statement == "department_form"] == ["total", "basic", "project"]
