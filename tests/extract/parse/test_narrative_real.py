"""Narrative figures phrased the way real PDFs phrase them (each case seen in the corpus)."""

from __future__ import annotations

from extract.read.model import Document, Line, Page
from extract.parse.narrative import read_narrative
from extract.parse.sections import page_texts


def parse_narrative_real(doc: Document, final: bool = False):
    """The page-scope statements (no sections: every line here is running text)."""
    return read_narrative(page_texts(doc), [], final)[0]


def doc_of(*pages: list[str]) -> Document:
    return Document("id", "mem://n", "pdf", [
        Page(p, [Line(p, n, text) for n, text in enumerate(lines, start=1)])
        for p, lines in enumerate(pages, start=1)
    ])


def figures(doc, final=False):
    return {(r.statement, r.item): (r.amount_text, r.unit) for r in parse_narrative_real(doc, final)}


def test_statement_wrapped_over_lines_and_spaced_digits():
    got = figures(doc_of(["二、收入预算情况说明", "2026 年度收入预算 9626.78", "万元，比 2025 年年初预算增加。"]))
    assert got[("revenue", "total")] == ("9626.78", "万元")


def test_year_between_label_and_figure():
    got = figures(doc_of(["1.因公出国（境）费用。2026年预算数0.00万元，较2025年年初预算增加0.00万元。",
                          "2.公务接待费。2026年预算数2.98万元。"]))
    assert got[("three_public", "abroad")] == ("0.00", "万元")
    assert got[("three_public", "reception")] == ("2.98", "万元")


def test_three_public_total_is_not_taken_from_its_first_part():
    got = figures(doc_of(["2019年度一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出70万元，",
                          "公务用车购置及运行费预算支出411.20万元。其中：（1）公务用车购置预算支出0万元。"]))
    assert ("three_public", "total") not in got
    assert got[("three_public", "abroad")] == ("70", "万元")
    assert got[("three_public", "vehicle")] == ("411.20", "万元")
    assert got[("three_public", "vehicle_purchase")] == ("0", "万元")


def test_sub_totals_of_other_sources_are_not_the_revenue_total():
    got = figures(doc_of(["1．财政拨款收入预算总计27664.22万元。3．其他资金收入预算总计0万元。"]))
    assert ("revenue", "total") not in got


def test_no_operating_expenses_is_a_stated_zero():
    got = figures(doc_of(["二、机关运行经费", "本单位无机关运行经费。"]))
    assert got[("operating_expenses", "total")] == ("0", "元")


def test_final_account_takes_the_outturn_not_the_initial_budget():
    text = ["“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0.00%。",
            "机关运行经费支出184.65万元，比2023年度增加2.55万元。"]
    assert figures(doc_of(text), final=True)[("three_public", "total")] == ("0.00", "万元")
    assert figures(doc_of(text), final=False)[("three_public", "total")] == ("0.95", "万元")
    assert figures(doc_of(text), final=True)[("operating_expenses", "total")] == ("184.65", "万元")


def test_procurement_split():
    got = figures(doc_of(["政府采购预算总额1240.07万元，其中：政府采购货物预算12.50万元，",
                          "政府采购工程预算0万元，政府采购服务预算1227.57万元。本单位共有车辆3辆。"]))
    assert got[("procurement", "total")] == ("1240.07", "万元")
    assert got[("procurement", "goods")] == ("12.50", "万元")
    assert got[("procurement", "works")] == ("0", "万元")
    assert got[("procurement", "services")] == ("1227.57", "万元")


def test_every_record_is_narrative_with_provenance():
    records = parse_narrative_real(doc_of(["封面"], ["2026年支出预算100万元。"]))
    assert [(r.source, r.where.page_no, r.where.line_no) for r in records] == [("narrative", 2, 1)]


def test_grand_total_is_not_confused_with_this_years_parts():
    """收支总预算 is the total with the balancing rows; 本年收入预算 / 本年支出预算 are this
    year's own revenue and spending (a university's 部门预算, case 01)."""
    got = figures(doc_of(["我校 2021 年收支总预算 490,808.40 万元，其中本年收",
                          "入预算 390,140.45 万元，使用非财政拨款结余 18,953.73",
                          "万元，上年结转 81,714.17 万元；本年支出预算 415,808.40",
                          "万元，结转下年 75,000.00 万元。"]))
    assert got[("revenue", "total")] == got[("expenditure", "total")] == ("490,808.40", "万元")
    assert got[("revenue", "this_year")] == ("390,140.45", "万元")
    assert got[("expenditure", "this_year")] == ("415,808.40", "万元")
    assert got[("revenue", "non_fiscal_balance_used")] == ("18,953.73", "万元")
    assert got[("revenue", "carryover")] == ("81,714.17", "万元")
    assert got[("expenditure", "carryover")] == ("75,000.00", "万元")


def test_this_years_revenue_alone_is_not_read_as_the_total():
    got = figures(doc_of(["本部门当年预算收入9,216.51万元，其中：一般公共预算拨款9,216.51万元。"]))
    assert ("revenue", "total") not in got and got[("revenue", "this_year")] == ("9,216.51", "万元")


def test_fiscal_grant_aggregate_but_not_its_parts():
    got = figures(doc_of(["收入总计 430,725.03 万元，财政拨款收入 243,015.38 万元，事业收入 136,385.24 万元。",
                          "一般公共预算财政拨款收入 100.00 万元。"]))
    assert got[("revenue", "fiscal_grant")] == ("243,015.38", "万元")


def test_function_class_other_is_not_the_other_part():
    """其他支出 among 教育支出 and 住房保障支出 is the function class 229 (case 05); beside
    基本支出 and 项目支出 it is the third part of the split."""
    from extract.parse.narrative import read_narrative
    from extract.parse.sections import page_texts, split_sections

    def section_figures(*lines):
        doc = doc_of(["（三）支出预算情况说明", *lines])
        return {(r.statement, r.item): r.amount_text for r in read_narrative(page_texts(doc), split_sections(doc), False)[0]}

    by_function = section_figures("2023年支出预算12,345.67万元，其中：基本支出9,000.00万元，项目支出3,345.67万元。"
                                  "按功能分类：教育支出11,800.00万元，占95.58%；其他支出109.50万元，占0.89%。")
    assert ("expenditure", "other") not in by_function
    assert by_function[("expenditure", "basic")] == "9,000.00"
    split = section_figures("2021年支出预算242.24万元。其中，基本支出111万元；项目支出131.24万元；其他支出0万元。")
    assert split[("expenditure", "other")] == "0"
