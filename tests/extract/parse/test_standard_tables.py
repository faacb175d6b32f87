"""Standard-table parsing on hand-built documents: each layout quirk seen in real files."""

from __future__ import annotations

import pytest

from extract.read.model import Document, Line, Page
from extract.parse.standard_tables import parse_standard_tables
from extract.parse.table_blocks import find_table_blocks, title_of
from extract.parse.templates import classify_title


def tables_of(doc: Document):
    """(records, kinds found) of the document's standard tables."""
    return parse_standard_tables(find_table_blocks(doc))


def make_doc(*pages: list) -> Document:
    """Pages of items: a str is a running-text line, a tuple is a table row."""
    out = []
    for p, items in enumerate(pages, start=1):
        lines = []
        for n, item in enumerate(items, start=1):
            if isinstance(item, tuple):
                lines.append(Line(p, n, "\t".join(item), cells=item, top=float(n)))
            else:
                lines.append(Line(p, n, item, top=float(n)))
        out.append(Page(p, lines))
    return Document("id", "mem://x", "pdf", out)


def by(records, statement):
    return {(r.item, r.key, r.column): r for r in records if r.statement == statement}


FUNCTION_HEAD = [
    ("科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"),
    ("类", "款", "项", "", "", "", ""),
]


def test_function_table_split_codes_continued_on_next_page():
    doc = make_doc(
        ["公开表5", "一般公共预算支出情况表", "部门（单位）：某某局 单位：万元", *FUNCTION_HEAD,
         ("201", "", "", "一般公共服务支出", "1,950.19", "1,945.69", "4.50"),
         ("", "08", "", "审计事务", "1,950.19", "1,945.69", "4.50"),
         ("", "", "01", "行政运行", "1,531.26", "1,531.26", ""), "—14—"],
        ["公开表5", "一般公共预算支出情况表", "部门（单位）：某某局 单位：万元", *FUNCTION_HEAD,
         ("", "", "04", "审计业务", "418.93", "414.43", "4.50"),
         ("", "", "", "合 计", "1,950.19", "1,945.69", "4.50")],
    )
    records, found = tables_of(doc)
    assert found == ["function"]
    f = by(records, "function")
    assert f[("line", "2010801", "amount")].amount_text == "1,531.26"
    assert f[("line", "2010804", "amount")].label == "审计业务"
    assert f[("line", "2010801", "project")].amount_text == ""  # blank cell kept blank
    assert f[("total", "", "basic")].amount_text == "1,945.69"
    assert {r.unit for r in records} == {"万元"}
    assert len({k for (_, k, _) in f if len(k) == 7}) == 2


def test_title_and_unit_inside_the_grid_like_spreadsheet_exports():
    doc = make_doc([
        ("", "预算05表 一般公共预算支出表", "", "", ""),
        ("", "", "", "", "金额单位：万元"),
        ("", "科目编码", "科目名称", "合计", "基本支出"),
        ("", "2010301", "行政运行", "44.080000", "44.080000"),
        ("", "", "合 计", "44.080000", "44.080000"),
    ])
    records, found = tables_of(doc)
    f = by(records, "function")
    assert found == ["function"]
    assert f[("line", "2010301", "amount")].amount_text == "44.080000"
    assert f[("total", "", "amount")].unit == "万元"


def test_summary_table_totals_prefer_zongji_and_keep_sides_apart():
    doc = make_doc([
        "收支总表", "单位：元",
        ("收入", "", "支出", "", "", ""),
        ("项目", "预算数", "项目", "合计", "基本支出", "项目支出"),
        ("一、一般公共预算拨款收入", "700", "一、一般公共服务支出", "700", "500", "200"),
        ("二、政府性基金预算拨款收入", "", "二、外交支出", "", "", ""),
        ("本年收入合计", "700", "本年支出合计", "", "", "700"),
        ("上年结转", "50", "结转下年", "", "", ""),
        ("收入总计", "750", "支出总计", "750", "500", "250"),
    ])
    records, _ = tables_of(doc)
    rev, exp = by(records, "revenue"), by(records, "expenditure")
    assert rev[("total", "", "amount")].amount_text == "750"
    assert rev[("general_budget", "", "amount")].amount_text == "700"
    assert rev[("gov_fund", "", "amount")].amount_text == ""
    assert rev[("carryover", "", "amount")].amount_text == "50"
    assert exp[("total", "", "amount")].amount_text == "750"
    lines = by(records, "summary_table")
    assert lines[("expenditure", "一般公共服务支出", "amount")].amount_text == "700"


def test_summary_table_without_zongji_uses_heji():
    doc = make_doc([
        "收支预算总表", "部门：某某厅 单位：万元",
        ("收入", "", "支出", ""),
        ("项目名称", "金额", "项目名称", "金额"),
        ("一、财政拨款", "20,702.25", "一、基本支出", "9,964.07"),
        ("收入合计", "20,849.45", "支出合计", "20,849.45"),
    ])
    records, _ = tables_of(doc)
    assert by(records, "revenue")[("total", "", "amount")].amount_text == "20,849.45"
    assert by(records, "expenditure")[("basic", "", "amount")].amount_text == "9,964.07"


def test_three_public_picks_this_years_group_and_unit():
    doc = make_doc([
        "一般公共预算“三公”经费支出情况表", "单位：万元",
        ("2025年预算数", "", "", "", "", "", "2026年预算数", "", "", "", "", ""),
        ("合计", "因公出国（境）经费", "公务用车购置及运行维护费", "", "", "公务接待费") * 2,
        ("", "", "小计", "公务用车购置经费", "公务用车运行维护费", "") * 2,
        ("11.90", "8.50", "", "", "", "3.40", "24.62", "5.00", "10.08", "", "10.08", "9.54"),
    ])
    tp = {r.item: r.amount_text for r in tables_of(doc)[0] if r.statement == "three_public"}
    assert tp == {"total": "24.62", "abroad": "5.00", "vehicle": "10.08", "vehicle_purchase": "",
                  "vehicle_operation": "10.08", "reception": "9.54"}


def test_three_public_grand_total_with_meetings_is_not_the_three_public_total():
    doc = make_doc([
        "“三公”经费、会议费、培训费支出预算表", "单位：万元",
        ("合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费"),
        ("", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "", ""),
        ("", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""),
        ("1,467.70", "509.20", "70.00", "411.20", "", "411.20", "28.00", "933.50", "25.00"),
    ])
    tp = {r.item: r.amount_text for r in tables_of(doc)[0] if r.statement == "three_public"}
    assert tp["total"] == "509.20" and tp["vehicle_operation"] == "411.20"
    assert (tp["grand_total"], tp["meeting"], tp["training"]) == ("1,467.70", "933.50", "25.00")


def test_three_public_row_per_year_and_vertical_list():
    by_year = make_doc([
        "财政拨款“三公”经费支出表", "单位：万元",
        ("预算单位", "年度", "总计", "因公出国(境)费", "公务接待费"),
        ("某局", "2025年", "6.00", "1.00", "5.00"),
        ("", "2026年", "5.58", "0.00", "5.58"),
        ("", "增减变化金额", "-0.42", "-1.00", "0.58"),
    ])
    tp = {r.item: r.amount_text for r in tables_of(by_year)[0]}
    assert tp == {"total": "5.58", "abroad": "0.00", "reception": "5.58"}
    vertical = make_doc([
        "一般公共预算“三公”经费支出预算表", "单位：万元",
        ("项目", "预算数"), ("合计", "27.31"), ("1、因公出国（境）费用", "0.00"),
        ("2、公务接待费", "2.00"), ("3、公务用车购置及运行费", "25.31"),
        ("其中：（1）公务用车购置费", "0.00"), ("（2）公务用车运行费", "25.31"),
    ])
    tp = {r.item: r.amount_text for r in tables_of(vertical)[0]}
    assert tp["total"] == "27.31" and tp["vehicle_operation"] == "25.31" and tp["vehicle"] == "25.31"


def test_prose_ends_a_table_and_unstated_unit_takes_the_documents():
    doc = make_doc([
        "一般公共预算基本支出表", "单位：元",
        ("科目编码", "科目名称", "合计"), ("30101", "基本工资", "100"),
        "三、本部门的一般公共预算基本支出主要用于保障机构正常运转和完成日常工作任务所需的人员经费和公用经费支出。",
        ("1", "2", "3"),
        "一般公共预算支出表",
        ("科目编码", "科目名称", "合计"), ("2010301", "行政运行", "9"),
    ])
    blocks = find_table_blocks(doc)
    assert [len(b.data_rows) for b in blocks] == [1, 1]
    records, found = tables_of(doc)
    assert found == ["economic", "function"]
    assert by(records, "function")[("line", "2010301", "amount")].unit == "元"


@pytest.mark.parametrize(("title", "kind"), [
    ("2026年预算单位财务收支预算总表", "summary_table"),
    ("收入支出决算总表", "summary_table"),
    ("部门综合预算财政拨款收支总表", "fiscal_summary_table"),
    ("财政拨款收入支出决算总表", "fiscal_summary_table"),
    ("一般公共预算支出表（按功能分类）", "function"),
    ("本年一般公共预算支出表（预算表5）", "function"),
    ("一般公共预算财政拨款支出决算表", "function"),
    ("一般公共预算基本支出部门预算经济分类预算表", "economic"),
    ("一般公共预算支出表（按经济分类）", "economic_general"),
    ("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", "other"),
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund"),
    ("国有资本经营预算支出情况表", "state_capital"),
    ("财政拨款“三公”经费支出表", "three_public"),
    ("一般公共预算机关运行经费支出预算表", "operating_expenses"),
    ("收入总体情况表", "revenue_table"),
    ("支出决算表", "expenditure_table"),
    ("基本支出总表", "other"),
    ("政府采购预算表", "other"),
])
def test_classify_title(title, kind):
    assert classify_title(title) == kind


@pytest.mark.parametrize(("text", "title"), [
    ("表7 一般公共预算支出表（按功能分类）", "一般公共预算支出表（按功能分类）"),
    ("2026年预算单位财政拨款收支预算总表编制单位：某研究院 单位：元", "预算单位财政拨款收支预算总表"),
    ("详见附表一般公共预算支出表，本部门2026年支出预算增加的原因是人员增加。", None),
    ("单位：万元", None),
])
def test_title_of_running_text(text, title):
    assert title_of(Line(1, 1, text)) == title


def test_title_broken_across_two_lines_is_read_whole():
    doc = make_doc([
        "2026年一般公共预算“三公”经费支出", "预算表", "单位：万元",
        ("合计", "因公出国（境）费", "公务接待费"), ("3.00", "1.00", "2.00"),
    ])
    records, found = tables_of(doc)
    assert found == ["three_public"]
    assert {r.item: r.amount_text for r in records} == {"total": "3.00", "abroad": "1.00", "reception": "2.00"}


def test_table_without_ruling_lines_is_rebuilt_from_word_positions():
    pytest.importorskip("reportlab")
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from extract.read.pdf_reader import read_pdf

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.setFont("STSong-Light", 12)
    c.drawString(200, 780, "一般公共预算支出表")
    c.setFont("STSong-Light", 9)
    c.drawString(450, 760, "单位：元")
    rows = [("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
            ("201", "一般公共服务支出", "1,500.00", "1,000.00", "500.00"),
            ("2010301", "行政运行", "1,000.00", "1,000.00", ""),
            ("2010302", "一般行政管理事务", "500.00", "", "500.00"),
            ("", "合计", "1,500.00", "1,000.00", "500.00")]
    for r, cells in enumerate(rows):
        for x, text in zip((50, 120, 300, 380, 460), cells):
            c.drawString(x, 740 - 18 * r, text)
    c.drawString(50, 600, "注：本表为示例。")
    c.save()
    doc = read_pdf(buf.getvalue(), "id", "mem://noruling.pdf")
    assert not any(line.is_table_row for line in doc.lines())  # the reader saw no grid
    records, found = tables_of(doc)
    assert found == ["function"]
    f = by(records, "function")
    assert f[("line", "2010302", "basic")].amount_text == ""
    assert f[("line", "2010302", "project")].amount_text == "500.00"
    assert f[("total", "", "amount")].amount_text == "1,500.00"
    assert f[("line", "201", "amount")].label == "一般公共服务支出"


def test_prose_with_figures_under_a_title_is_not_taken_for_a_table():
    doc = make_doc([
        "一般公共预算支出表",
        "1.一般公共预算拨款收入 9616.34 万元。",
        "2.其他资金 0 万元。",
        "3.上年结转结余 10.44 万元。",
        "4.政府性基金 0 万元。",
    ])
    assert tables_of(doc) == ([], [])


def test_unit_line_is_not_read_from_a_unit_name_starting_with_yuan():
    from extract.parse.table_grid import find_unit

    assert find_unit("编制单位：元宝区财政局 单位：万元") == "万元"
    assert find_unit("编制单位：元宝区财政局") is None
    assert find_unit("金额单位：元") == "元"


def test_codes_split_over_cells_without_a_lei_kuan_xiang_header():
    doc = make_doc([
        "一般公共预算支出表", "单位：元",
        ("科目编码", "", "", "科目名称", "合计"),
        ("206", "", "", "科学技术支出", "100"),
        ("206", "02", "", "基础研究", "100"),
        ("206", "02", "01", "机构运行", "100"),
    ])
    f = by(tables_of(doc)[0], "function")
    assert {k for (_, k, _) in f} == {"206", "20602", "2060201"}
    assert f[("line", "2060201", "amount")].label == "机构运行"


def test_summary_with_both_sides_stacked_in_one_label_column():
    doc = make_doc([
        "收支总表", "单位：万元",
        ("项目", "预算数"),
        ("一、一般公共预算拨款收入", "90"), ("收入总计", "90"),
        ("一、一般公共服务支出", "90"), ("支出总计", "90"),
    ])
    records, _ = tables_of(doc)
    assert by(records, "revenue")[("total", "", "amount")].amount_text == "90"
    assert by(records, "expenditure")[("total", "", "amount")].amount_text == "90"


def test_vertical_three_public_list_takes_the_latest_year_column():
    doc = make_doc([
        "“三公”经费支出预算表", "单位：万元",
        ("项目", "2025年预算数", "2026年预算数"),
        ("合计", "9.00", "7.00"), ("因公出国（境）费", "2.00", ""), ("公务接待费", "7.00", "7.00"),
    ])
    tp = {r.item: r.amount_text for r in tables_of(doc)[0]}
    assert tp == {"total": "7.00", "abroad": "", "reception": "7.00"}


def test_vertical_three_public_list_of_a_final_account_takes_the_outturn_column():
    """项目 | 预算数 | 决算数: the 决算数, never the budget beside it (issue 15)."""
    doc = make_doc([
        "“三公”经费支出决算表", "单位：万元",
        ("项目", "预算数", "决算数"),
        ("合计", "77.00", "68.30"), ("因公出国（境）费", "0.00", "0.00"), ("公务接待费", "35.00", "26.40"),
    ])
    tp = {r.item: r.amount_text for r in tables_of(doc)[0]}
    assert tp == {"total": "68.30", "abroad": "0.00", "reception": "26.40"}


def test_running_page_header_that_looks_like_a_title_does_not_cut_a_table():
    header = "某某局2026年部门预算公开表"
    doc = make_doc(
        [header, "一般公共预算支出表", "单位：元", ("科目编码", "科目名称", "合计"), ("2010301", "行政运行", "5")],
        [header, ("2010302", "一般行政管理事务", "7"), ("", "合计", "12")],
        [header, "说明"],
    )
    f = by(tables_of(doc)[0], "function")
    assert f[("line", "2010302", "amount")].amount_text == "7"
    assert f[("total", "", "amount")].amount_text == "12"


def test_dash_cells_read_as_blank_and_stray_spaces_go():
    from extract.parse.table_grid import clean_number

    assert [clean_number(c) for c in ("—", "-", "／", " 1, 234.50 ", "－12.00")] == ["", "", "", "1,234.50", "-12.00"]


def test_expenditure_table_titled_with_the_units_own_name():
    """Central units and universities title their 支出总表 with their own name: 西南大学支出预算表
    (case 01_university_budget_2021.pdf); its 合计 row gives basic and project spending."""
    assert classify_title("西南大学支出预算表") == "expenditure_table"
    assert classify_title("西南大学财政拨款支出预算表") != "expenditure_table"
    doc = make_doc(["某某大学支出预算表", "单位：万元",
                    ("科目编码", "科目名称", "合计", "基本支出", "项目支出", "经营支出", "对下级单位补助支出"),
                    ("205", "教育支出", "398,593.09", "310,067.63", "88,525.46", "", ""),
                    ("221", "住房保障支出", "15,702.41", "15,702.41", "", "", ""),
                    ("", "合计", "415,808.40", "326,582.94", "89,225.46", "", "")])
    records, found = tables_of(doc)
    assert found == ["expenditure_table"]
    parts = {(r.item, r.unit): r.amount_text for r in records if r.statement == "expenditure"}
    assert parts == {("basic", "万元"): "326,582.94", ("project", "万元"): "89,225.46"}
    lines = by(records, "expenditure_table")
    assert lines[("line", "205", "basic")].amount_text == "310,067.63"
    assert lines[("total", "", "amount")].amount_text == "415,808.40"


# ---------------------------------------------------------------- issue 8: real titles and balancing rows


@pytest.mark.parametrize(("title", "kind"), [
    ("西南大学收支预算总表", "summary_table"),
    ("西南大学收入预算表", "revenue_table"),
    ("西南大学财政拨款支出预算表", "fiscal_expenditure_table"),
    ("表 1：高等学校收支决算总表", "summary_table"),
    ("表 2：高等学校收入决算表", "revenue_table"),
    ("表 3：高等学校支出决算表", "expenditure_table"),
    ("表 4：高等学校财政拨款支出决算表", "fiscal_expenditure_table"),
    ("财政拨款支出预算表（功能科目）", "fiscal_expenditure_table"),
    ("财政拨款基本支出预算表（经济科目）", "other"),
    ("部门综合预算财政拨款上年结转资金支出表", "other"),
    ("一般公共预算财政拨款支出决算表", "function"),
])
def test_real_titles(title, kind):
    assert classify_title(title_of(Line(1, 1, title))) == kind


def test_balancing_rows_under_grand_totals_labelled_heji():
    """A 决算 labels both grand totals 合计; its 栏次 row is header, not figures."""
    doc = make_doc([
        "高等学校收支决算总表", "单位：万元",
        ("收入", "", "支出", ""),
        ("项目", "决算数", "项目(按功能分类)", "决算数"),
        ("栏次", "1", "栏次", "2"),
        ("一、财政拨款收入", "243,015.38", "一、教育支出", "425,287.27"),
        ("其中：政府性基金预算财政拨款", "109.50", "二、其他支出", "109.50"),
        ("三、事业收入", "136,385.24", "", ""),
        ("四、经营收入", "", "", ""),
        ("六、其他收入", "51,324.41", "", ""),
        ("本年收入合计", "430,725.03", "本年支出合计", "457,676.75"),
        ("使用非财政拨款结余（含专用结余）", "45,110.97", "结余分配", "4,970.88"),
        ("上年结转和结余", "93,660.54", "年末结转和结余", "106,848.91"),
        ("合计", "569,496.54", "合计", "569,496.54"),
    ])
    records, _ = tables_of(doc)
    rev = {r.item: r.amount_text for r in records if r.statement == "revenue"}
    exp = {r.item: r.amount_text for r in records if r.statement == "expenditure"}
    assert rev == {"total": "569,496.54", "this_year": "430,725.03", "fiscal_grant": "243,015.38",
                   "gov_fund": "109.50", "operating_income": "136,385.24", "business_income": "",
                   "other": "51,324.41", "non_fiscal_balance_used": "45,110.97", "carryover": "93,660.54"}
    assert exp == {"total": "569,496.54", "this_year": "457,676.75", "balance_distribution": "4,970.88",
                   "carryover": "106,848.91"}  # 其他支出 here is the function class 229, not a part
    assert not any(r.key == "栏次" for r in records)


def test_a_heji_row_above_a_zongji_row_is_the_years_own_total():
    doc = make_doc([
        "收支总表", "单位：万元",
        ("收入", "", "支出", ""),
        ("一、一般公共预算拨款收入", "700", "一、一般公共服务支出", "750"),
        ("收入合计", "700", "支出合计", "750"),
        ("上年结转", "50", "结转下年", ""),
        ("收入总计", "750", "支出总计", "750"),
    ])
    records, _ = tables_of(doc)
    rev = {r.item: r.amount_text for r in records if r.statement == "revenue"}
    assert (rev["total"], rev["this_year"], rev["carryover"]) == ("750", "700", "50")


def test_three_public_with_budget_and_outturn_groups_and_a_column_number_row():
    doc = make_doc([
        "一般公共预算财政拨款“三公”经费支出决算表", "单位：万元",
        ("预算数", "", "", "", "", "", "决算数", "", "", "", "", ""),
        ("合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费") * 2,
        ("", "", "小计", "公务用车购置费", "公务用车运行费", "") * 2,
        tuple(str(n) for n in range(1, 13)),
        ("0.95", "0", "0.50", "0", "0.50", "0.45", "0.80", "0.00", "0.42", "0.00", "0.42", "0.38"),
    ])
    tp = {r.item: r.amount_text for r in tables_of(doc)[0] if r.statement == "three_public"}
    assert tp == {"total": "0.80", "abroad": "0.00", "vehicle": "0.42", "vehicle_purchase": "0.00",
                  "vehicle_operation": "0.42", "reception": "0.38"}


def test_three_public_flattened_onto_one_line_keeps_the_unsplit_vehicle_total():
    doc = make_doc([
        "“三公”经费支出决算表", "单位：元",
        "“三公”经费合计 483,000.00 因公出国（境）费 0.00 公务用车购置及运行费 315,000.00 公务接待费 168,000.00",
        "二、说明：本单位2022年度“三公”经费支出决算数比上年减少，主要原因是厉行节约，压减公务接待。",
    ])
    records, found = tables_of(doc)
    tp = {r.item: (r.amount_text, r.unit, r.where.line_no) for r in records if r.statement == "three_public"}
    assert found == ["three_public"]
    assert tp == {"total": ("483,000.00", "元", 3), "abroad": ("0.00", "元", 3),
                  "vehicle": ("315,000.00", "元", 3), "reception": ("168,000.00", "元", 3)}


def test_prose_with_figures_is_not_a_flattened_table():
    from extract.parse.table_blocks import one_line_pairs

    assert one_line_pairs(Line(1, 1, "“三公”经费合计 48.30 因公出国（境）费 0.00 公务用车购置及运行费 31.50 公务接待费 16.80"))
    assert not one_line_pairs(Line(1, 1, "三公经费48.30万元，其中出国0.00万元，公务接待费16.80万元。"))
    assert not one_line_pairs(Line(1, 1, "合计 48.30 因公出国（境）费 0.00"))  # two pairs: could be a row


def test_operating_expenses_table_whose_row_names_it():
    doc = make_doc(["机关运行经费预算表", "单位：元", ("项目", "预算数"), ("机关运行经费", "1,710,062.00"),
                    ("其中：办公费", "300,000.00")])
    records, _ = tables_of(doc)
    assert [(r.amount_text, r.unit) for r in records if r.statement == "operating_expenses"] == [("1,710,062.00", "元")]


def test_basic_expenditure_printed_as_two_copies_side_by_side_reads_both():
    """The 决算 基本支出表 prints 人员经费 lines left and 公用经费 lines right under one repeated
    header (上海普陀 财政局 2024 决算): the right copy was read as the 项 of the left one's code."""
    doc = make_doc(
        ["一般公共预算财政拨款基本支出决算表", "单位：万元",
         ("经济分类", "", "科目名称", "决算数", "经济分类", "", "科目名称", "决算数"),
         ("科目编码", "", "", "", "科目编码", "", "", ""),
         ("类", "款", "", "", "类", "款", "", ""),
         ("301", "", "工资福利支出", "2,082.85", "302", "", "商品和服务支出", "171.07"),
         ("303", "99", "其他对个人和家庭的补助", "", "302", "39", "其他交通费用", "48.49"),
         ("", "", "", "", "310", "02", "办公设备购置", "13.58"),
         ("人员经费合计", "", "", "2,152.26", "公用经费合计", "", "", "184.65")],
    )
    records, found = tables_of(doc)
    assert found == ["economic"]
    e = by(records, "economic")
    assert {k: r.amount_text for (item, k, _), r in e.items() if item == "line"} == {
        "301": "2,082.85", "302": "171.07", "30399": "", "30239": "48.49", "31002": "13.58"}
    assert e[("line", "30239", "amount")].label == "其他交通费用"
    # 人员经费合计 and 公用经费合计 are parts of the table, not its total
    assert not [r for r in records if r.statement == "economic" and r.item == "total"]


def test_yusuan_bokuan_is_the_fiscal_grant_source():
    """County 收支总表 print 一、预算拨款 for 财政拨款 (issue 15 item 7): a source, never unmapped."""
    doc = make_doc([
        "收支预算总表", "单位：万元",
        ("项目", "预算数", "项目", "预算数"),
        ("一、预算拨款", "100.00", "一、基本支出", "60.00"),
        ("二、事业收入", "20.00", "二、项目支出", "60.00"),
        ("收入总计", "120.00", "支出总计", "120.00"),
    ])
    revenue = by(tables_of(doc)[0], "revenue")
    assert revenue[("fiscal_grant", "", "amount")].amount_text == "100.00"
    assert revenue[("operating_income", "", "amount")].amount_text == "20.00"


@pytest.mark.parametrize("head", [("项目", "行次", "金额", "项目", "行次", "金额"), ("项目", "", "金额", "项目", "", "金额")])
def test_row_numbers_of_a_final_accounts_summary_are_never_amounts(head):
    """收入支出决算总表 prints 行次 beside each figure (headed or not): 支出总计's 62 is not 62万元."""
    doc = make_doc([
        "收入支出决算总表", "单位：万元", head,
        ("一、一般公共预算财政拨款收入", "1", "22,000.00", "一、一般公共服务支出", "32", "22,066.59"),
        ("二、事业收入", "2", "66.59", "二、教育支出", "33", ""),
        ("本年收入合计", "3", "22,066.59", "本年支出合计", "61", "22,066.59"),
        ("收入总计", "4", "22,066.59", "支出总计", "62", "22,066.59"),
    ])
    records = tables_of(doc)[0]
    assert by(records, "expenditure")[("total", "", "amount")].amount_text == "22,066.59"
    assert by(records, "revenue")[("total", "", "amount")].amount_text == "22,066.59"
    assert by(records, "revenue")[("general_budget", "", "amount")].amount_text == "22,000.00"
