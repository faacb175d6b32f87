"""Every section of the seed (高邑县信访局 2021), figures exactly as printed."""

import pytest

from extract.parse.document import parse_document
from extract.read.text_reader import read_text


@pytest.fixture(scope="module")
def seed():
    from tests.conftest import SEED_PATH

    return parse_document(read_text(SEED_PATH.read_bytes(), source_uri="seed"))


def amounts(result, statement, column="amount", source="narrative"):
    return {a.item: (a.amount_text, a.unit) for a in result.amounts
            if a.statement == statement and a.column == column and a.source == source}


def test_department_and_unit_facts(seed):
    meta = seed.meta
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind) == ("高邑县信访局", 2021, "department_budget")
    assert meta.unit_code == "542001"
    assert meta.budget_unit_count == 1
    [unit] = seed.units
    assert (unit.unit_name, unit.unit_nature, unit.unit_rank, unit.funding_form) == ("高邑县信访局", "行政", "正科级", "财政拨款")


def test_region_is_resolved_from_the_name(seed):
    meta = seed.meta
    assert (meta.province_name, meta.city_name, meta.county_name, meta.region_code) == ("河北省", "石家庄市", "高邑县", "130127")
    assert all(p.project_code_text.startswith("130127") for p in seed.projects)


def test_revenue_by_source(seed):
    assert amounts(seed, "revenue") == {
        "total": ("242.24", "万元"), "general_budget": ("242.24", "万元"), "gov_fund": ("0", "万元"),
        "state_capital": ("0", "万元"), "special_account": ("0", "万元"), "other": ("0", "万元"),
    }


def test_expenditure_by_type(seed):
    assert amounts(seed, "expenditure") == {
        "total": ("242.24", "万元"), "basic": ("111", "万元"), "project": ("131.24", "万元"), "other": ("0", "万元"),
    }


def test_change_on_previous_year_amounts_and_percentages(seed):
    assert amounts(seed, "change") == {"total": ("60.38", "万元"), "basic": ("1.78", "万元"),
                                       "project": ("58.6", "万元"), "other": ("0", "万元")}
    assert amounts(seed, "change", "pct") == {"total": ("33.20", "%"), "basic": ("1.63", "%"),
                                              "project": ("80.67", "%"), "other": ("0", "%")}


def test_operating_expenses(seed):
    assert amounts(seed, "operating_expenses") == {"total": ("14.33", "万元")}


def test_three_public_all_five_parts(seed):
    assert amounts(seed, "three_public") == {
        "total": ("1.06", "万元"), "abroad": ("0", "万元"), "vehicle": ("1", "万元"),
        "vehicle_purchase": ("0", "万元"), "vehicle_operation": ("1", "万元"), "reception": ("0.06", "万元"),
    }


def test_procurement_none_is_a_stated_zero(seed):
    assert amounts(seed, "procurement") == {"total": ("0", "元")}
    assert amounts(seed, "procurement", source="table") == {"total": ("0", "万元")}


def test_asset_table_and_narrative(seed):
    table = {(a.category, a.measure): (a.quantity_text, a.quantity_unit, a.value_text, a.value_unit)
             for a in seed.assets if a.source == "table"}
    assert table == {("total", "held"): ("", "", "89.022001", "万元"), ("vehicles", "held"): ("1", "台、辆", "9.19", "万元"),
                     ("other", "held"): ("", "", "79.832001", "万元")}
    prose = {(a.category, a.measure): (a.quantity_text, a.value_text, a.value_unit)
             for a in seed.assets if a.source == "narrative"}
    # "上年末固定资产金额为 89.022001 万元，2021 年度无购置车辆计划，本年度拟购置固定资产 0 万元"
    assert prose == {("total", "held"): ("", "89.022001", "万元"), ("vehicles", "planned_purchase"): ("0", "", ""),
                     ("total", "planned_purchase"): ("", "0", "万元")}


def test_ten_projects_with_codes_names_and_funds(seed):
    assert len(seed.projects) == 10
    first, last = seed.projects[0], seed.projects[-1]
    assert (first.project_code_text, first.project_name, first.amount_text, first.fiscal_funds_text,
            first.other_funds_text, first.unit) == ("130127210XAPPLY3 A5B8", "信访经费", "300000.00", "300000.00", "0", "元")
    assert (last.project_name, last.amount_text) == ("群众工作中心", "50000.00")
    assert [p.project_name for p in seed.projects] == [
        "信访经费", "信访视频内网费用", "信访岗位津贴", "信访稳控经费", "疑难纠纷", "联席办经费", "进京值班费",
        "信访维稳经费", "信访救助资金", "群众工作中心"]
    assert {p.unit_code for p in seed.projects} == {"542001"}


def test_spending_plan_keeps_four_percentages_under_three_headers(seed):
    weiwen = [p for p in seed.plans if p.project_seq == 8]
    assert [(p.period_label, p.pct_text) for p in weiwen] == [
        ("3 月底", "25.00%"), ("6 月底", "50.00%"), ("10 月底", "75.00%"), ("", "100.00%")]
    wenkong = [p for p in seed.plans if p.project_seq == 4]
    assert [p.period_label for p in wenkong] == ["3 月底", "6 月底", "10 月底", "12 月底"]
    assert len(seed.plans) == 34


def test_seventy_indicator_rows_with_levels_carried_down(seed):
    assert len(seed.indicators) == 70
    assert {sum(1 for i in seed.indicators if i.project_seq == k) for k in range(1, 11)} == {7}
    quality = seed.indicators[1]
    assert (quality.level1, quality.level2, quality.level3, quality.target_text, quality.basis) == (
        "产出指标", "质量指标", "完成率", "≥90百分比", "根据上年办案数据")
    targets = [i.target_text for i in seed.indicators if i.level2 == "成本指标"]
    assert targets == ["30 万元", "元", "元", "20 元万元", "元", "元", "元", "74400 元", "元", "元"]


def test_year_stated_beside_revenue_is_recorded(seed):
    assert [(year, where.line_no) for year, where in seed.meta.stated_years] == [(2020, 30), (2021, 34)]


def test_sections_found(seed):
    assert set(seed.sections_found) >= {"revenue", "expenditure", "change", "operating_expenses", "three_public",
                                        "performance", "procurement", "asset"}


def test_a_change_is_not_read_as_the_amount_itself():
    # regression (福州): "基本支出增加49.12万元" was taken as the basic expenditure
    from extract.parse.narrative import read_narrative
    from extract.parse.sections import page_texts, split_sections

    text = "高邑县信访局\n2021年部门预算\n2. 支出说明\n2021年支出预算242.24万元，其中基本支出增加49.12万元。\n"
    doc = read_text(text.encode("utf-8"))
    records, _ = read_narrative(page_texts(doc), split_sections(doc), False)
    found = {(r.statement, r.item): r.amount_text for r in records}
    assert found == {("expenditure", "total"): "242.24"}
