"""Issue 15 item 5: a figure enters a field only from a statement about that field, for the
document's year, of this department — and in a final account the actual. Each test is one kind
of statement county pages print (reduced from real pages), read through ``parse_document``."""

from __future__ import annotations

import pytest

from extract.parse.document import parse_document
from extract.read.reader import read_document

BUDGET = "某县审计局\n2024年部门预算\n"
FINAL = "某县审计局\n2023年度部门决算\n"


def figures(text: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(statement, item) → (amount as printed, unit) of the narrative's records."""
    result = parse_document(read_document(text.encode("utf-8"), "mem://doc.txt"))
    return {(a.statement, a.item): (a.amount_text, a.unit) for a in result.amounts
            if a.column == "amount" and a.source in ("narrative", "table")}


@pytest.mark.parametrize("sentence", [
    "国有资本经营预算收入完成5万元。",
    "政府性基金预算收入预算5万元。",
    "2024年一般公共预算“三公”经费支出预算为5万元。",
    "2024年财政拨款收支总预算5万元。",
])
def test_a_sentence_about_something_else_never_fills_the_totals(sentence):
    got = figures(BUDGET + "2024年收入预算100万元。\n" + sentence)
    assert got[("revenue", "total")] == ("100", "万元")
    assert ("expenditure", "total") not in got


def test_one_amount_for_two_fields_fills_neither_and_fenbiewei_fills_both():
    got = figures(BUDGET + "本级基本支出和项目支出100万元。\n")
    assert ("expenditure", "basic") not in got and ("expenditure", "project") not in got
    got = figures(BUDGET + "基本支出、项目支出分别为60.5万元、39.5万元。\n")
    assert (got[("expenditure", "basic")], got[("expenditure", "project")]) == (("60.5", "万元"), ("39.5", "万元"))
    got = figures(BUDGET + "因公出国（境）费、公务接待费分别为0万元和3万元。\n")
    assert (got[("three_public", "abroad")], got[("three_public", "reception")]) == (("0", "万元"), ("3", "万元"))


def test_last_years_statement_is_never_this_years_figure():
    got = figures(BUDGET + "上年“三公”经费支出22万元。\n2024年“三公”经费预算11.8万元。\n")
    assert got[("three_public", "total")] == ("11.8", "万元")
    got = figures(BUDGET + "2023年“三公”经费支出22万元，下降5.8%。\n2024年“三公”经费预算11.8万元。\n")
    assert got[("three_public", "total")] == ("11.8", "万元")
    # compared with last year is not last year's figure
    got = figures(BUDGET + "较去年增加(二)支出预算:2024年年初预算数3,009.40万元,其中:教育支出6.69万元。\n")
    assert got[("expenditure", "total")] == ("3,009.40", "万元")


@pytest.mark.parametrize(("sentence", "field", "actual"), [
    ("2023年“三公”经费预算为20万元，其中：公务接待费9万元。2023年“三公”经费支出共计9.07万元。",
     ("three_public", "total"), ("9.07", "万元")),
    ("2023年度支出预算调整为500万元，实际完成480万元。", ("expenditure", "total"), ("480", "万元")),
    ("“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元。", ("three_public", "total"), ("0.00", "万元")),
])
def test_a_final_account_keeps_the_actual_not_the_budget(sentence, field, actual):
    got = figures(FINAL + sentence + "\n")
    assert got[field] == actual
    assert ("three_public", "reception") not in got  # a budget sentence's parts are budget parts


def test_totals_printed_in_unusual_forms():
    got = figures("某县文旅局2022年度部门决算\n2022年度收、支总计各是4125.49,4143.91万元。\n")
    assert (got[("revenue", "total")], got[("expenditure", "total")]) == (("4125.49", "万元"), ("4143.91", "万元"))
    got = figures("某镇人民政府2018年部门预算\n一、收入预算712.99万元\n二、支出预算712.99万元\n")
    assert got[("expenditure", "total")] == ("712.99", "万元")
    got = figures(BUDGET + "2024年收入预算100万元，支出预算-242.24万元。\n")
    assert got[("expenditure", "total")] == ("-242.24", "万元")
    got = figures("某镇政府2020年部门预算情况说明\n2020年财政拨款收入预算1166.0944万元。\n2020年财政拨款支出预算1166.0944万元。\n")
    assert got[("revenue", "fiscal_grant")] == got[("expenditure", "fiscal_grant")] == ("1166.0944", "万元")
    assert ("revenue", "total") not in got and ("expenditure", "total") not in got


def test_a_heading_and_the_one_amount_its_sentence_states():
    got = figures("某区疾控中心2018年部门预算\n收入预算120.71万元。\n(二)项目支出:\n"
                  "2018年年初预算重大疾病防控及结核配套经费22.00万元。\n")
    assert got[("expenditure", "project")] == ("22.00", "万元")
    got = figures("某区疾控中心2018年部门预算\n收入预算120.71万元。\n(二)项目支出:\n1.防控经费10万元;2.配套经费12万元。\n")
    assert ("expenditure", "project") not in got  # a list of projects is not the total


def test_sources_listed_after_a_revenue_total_without_a_heading():
    got = figures("某县保健院2020年度单位决算\n2020年本年收入合计3765.66万元,其中:一般公共预算财政拨款收入1008.64万元,"
                  "占26.79%;事业收入2148.69万元,占57.06%;其他收入2.34万元,占0.06%。\n")
    assert (got[("revenue", "general_budget")], got[("revenue", "operating_income")], got[("revenue", "other")]) == (
        ("1008.64", "万元"), ("2148.69", "万元"), ("2.34", "万元"))


def test_no_three_public_in_words_is_zero_for_the_total_and_each_part():
    got = figures("某县植树绿化服务中心2019年度部门决算\n本年支出合计30.92万元。\n2019年度,我单位无“三公”经费的预算与支出。\n")
    assert {item: got[("three_public", item)] for item in
            ("total", "abroad", "vehicle_purchase", "vehicle_operation", "reception")} == dict.fromkeys(
        ("total", "abroad", "vehicle_purchase", "vehicle_operation", "reception"), ("0", "元"))


def test_a_table_printed_one_cell_per_line():
    got = figures("某县某镇财政所2025年部门预算\n单位:万元 |\n收入总计 |\n690.36 |\n支出总计 |\n690.36\n")
    assert got[("revenue", "total")] == got[("expenditure", "total")] == ("690.36", "万元")


@pytest.mark.parametrize(("sentence", "item", "figure"), [
    ("其中：公车运行维护费438.5万元；公务车辆购置费0万元。", "vehicle_operation", ("438.5", "万元")),
    ("其中：公车运行维护费438.5万元；公务车辆购置费0万元。", "vehicle_purchase", ("0", "万元")),
    ("一是因公出国（境）预算数3万元。", "abroad", ("3", "万元")),
    ("公务用车运行维护支出273,702.10元。", "vehicle_operation", ("273,702.10", "元")),
])
def test_three_public_parts_under_every_common_label(sentence, item, figure):
    assert figures(BUDGET + sentence + "\n")[("three_public", item)] == figure


PAIRED = ("一般公共预算财政拨款“三公”经费支出决算表\n单位：万元\n"
          "预算数 决算数 合计 因公出国（境）费 公务用车购置及运行费 公务接待费 合计 因公出国（境）费 "
          "公务用车购置及运行费 公务接待费 小计 公务用车购置费 公务用车运行费 小计 公务用车购置费 公务用车运行费 "
          "栏次 1 2 3 4 5 6 7 8 9 10 11 12 金额 20.00 0.00 11.00 0.00 11.00 9.00 9.07 0.00 4.50 0.00 4.50 4.57\n")


def test_the_paired_budget_and_final_three_public_table_on_one_line_gives_the_actual():
    """公开07表: 预算数 in columns 1–6, 决算数 in 7–12, all run onto one line."""
    got = figures("某县某镇人民政府2021年度部门决算\n" + PAIRED)
    assert {item: got[("three_public", item)][0] for item in
            ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")} == {
        "total": "9.07", "abroad": "0.00", "vehicle": "4.50", "vehicle_purchase": "0.00",
        "vehicle_operation": "4.50", "reception": "4.57"}
    assert got[("three_public", "total")][1] == "万元"
    assert ("expenditure", "total") not in got  # a 三公 total is never the expenditure total


def test_totals_named_as_total_income_or_both_at_once():
    got = figures("某社区卫生服务中心2023年部门预算\n2023年部门预算总收入729.95万元,其中财政拨款收入729.95万元。\n")
    assert got[("revenue", "total")] == ("729.95", "万元")
    got = figures("某卫生院2023年度部门决算\n2023年度收、支总计均为4680.58万元。与2022年度相比,收、支总计各减少2415.45万元。\n")
    assert got[("revenue", "total")] == got[("expenditure", "total")] == ("4680.58", "万元")
    got = figures(BUDGET + "2024年收入预算较上年增加100万元。\n")
    assert ("revenue", "total") not in got  # the change, not the total


def test_wan_printed_alone_and_a_label_before_its_year():
    got = figures(BUDGET + "(2)公务用车购置费0万\n2、公务车辆运行2024年预算25万元,2023年预算45.2万元。\n")
    assert got[("three_public", "vehicle_purchase")] == ("0", "万元")
    assert got[("three_public", "vehicle_operation")] == ("25", "万元")


def test_a_table_saved_with_pipes_is_read_as_a_table():
    got = figures("2024年昌宁县卡斯镇“三公”经费预算财政拨款情况统计表 | ||||\n单位:万元 | ||||\n"
                  "项目 | 2023年预算数 | 2024年预算数 | 比上年增、减情况 | |\n合计 | 18.15 | 22.15 | 4 | 22% |\n"
                  "2.公务接待费 | 3 | 7 | 4 | 133% |\n")
    assert got[("three_public", "total")] == ("22.15", "万元")
    assert got[("three_public", "reception")] == ("7", "万元")
