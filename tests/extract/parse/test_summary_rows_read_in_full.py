"""A 收支总表 is read in full or says which rows it could not name (issue 16).

The tables are reduced from real pages: 广州市信访局 2026 表1 收支总体情况表 (pp. 5–6 of
../shared/corpus/more/guangzhou/信访局_2026年部门预算.pdf: 一、预算拨款 3,944.08 is 广州's name for
财政拨款, 结转结余下年 its 结转下年) and 深圳市信访局 2026 (its 上年结余、结转 broken down into
财政拨款结余、结转 and 非财政拨款结余、结转 below it).
"""

from __future__ import annotations

from tests.extract.parse.test_standard_tables import by, make_doc, tables_of

GUANGZHOU = [
    "表1", "收支总体情况表", "单位名称：广州市信访局 单位：万元",
    ("收入", "", "支出", ""),
    ("项目", "预算", "项目", "预算"),
    ("一、预算拨款", "3,944.08", "一、一般公共服务支出", "2,570.71"),
    ("二、财政专户拨款", "0.00", "二、外交支出", "0.00"),
    ("三、事业收入", "0.00", "八、社会保障和就业支出", "419.35"),
    ("", "", "九、卫生健康支出", "3.97"),
    ("", "", "十九、住房保障支出", "950.05"),
    ("本年收入合计", "3,944.08", "本年支出合计", "3,944.08"),
    ("上年结转结余", "0.00", "结转结余下年", "0.00"),
    ("收入总计", "3,944.08", "支出总计", "3,944.08"),
]


def test_guangzhou_names_its_fiscal_grant_yusuan_bokuan_and_its_carryover_jiezhuan_jieyu_xianian():
    records, _ = tables_of(make_doc(GUANGZHOU))
    revenue, expenditure = by(records, "revenue"), by(records, "expenditure")
    assert revenue[("fiscal_grant", "", "amount")].amount_text == "3,944.08"
    assert expenditure[("carryover", "", "amount")].amount_text == "0.00"
    assert not [r for r in records if r.item.startswith("unmapped")]  # every row with a figure was named


def test_a_source_row_no_word_names_is_kept_as_unmapped_never_dropped():
    # before 预算拨款 was a word for 财政拨款, the row was silently left out of Σ sources
    rows = [("一、财政性资金拨款", "3,944.08", "一、一般公共服务支出", "3,944.08") if r and r[0] == "一、预算拨款" else r
            for r in GUANGZHOU]
    records, _ = tables_of(make_doc(rows))
    [row] = [r for r in records if r.item.startswith("unmapped")]
    assert (row.statement, row.item, row.key, row.amount_text, row.where.page_no) == (
        "revenue", "unmapped_source", "财政性资金拨款", "3,944.08", 1)


def test_balancing_rows_and_parts_no_word_names_are_kept_by_where_they_stand():
    records, _ = tables_of(make_doc([
        "收支总表", "单位：万元",
        ("收入", "", "支出", ""),
        ("项目", "预算数", "项目", "预算数"),
        ("一、财政拨款", "90.00", "一、基本支出", "60.00"),
        ("二、事业收入", "10.00", "二、项目支出", "30.00"),
        ("", "", "三、某种支出", "10.00"),
        ("本年收入合计", "100.00", "本年支出合计", "100.00"),
        ("上年结余、结转", "7.34", "某种结余", "7.34"),
        ("某种结转", "7.34", "", ""),
        ("其中：某项", "1.00", "", ""),
        ("收入总计", "107.34", "支出总计", "107.34"),
    ]))
    unmapped = sorted((r.statement, r.item, r.key) for r in records if r.item.startswith("unmapped"))
    assert unmapped == [("expenditure", "unmapped_balance", "某种结余"), ("expenditure", "unmapped_part", "某种支出"),
                        ("revenue", "unmapped_balance", "某种结转")]  # a 其中 row is a breakdown, no part


def test_an_expenditure_side_by_function_class_is_another_breakdown_not_parts():
    records, _ = tables_of(make_doc(GUANGZHOU))
    assert not [r for r in records if r.statement == "expenditure" and r.item == "unmapped_part"]


def test_the_carryovers_breakdown_below_it_is_named_not_left_unmapped():
    # 深圳市信访局 2026 p. 16: 上年结余、结转 7.34 = 财政拨款结余、结转 7.34 + 非财政拨款结余、结转 0.00
    records, _ = tables_of(make_doc([
        "收支总表", "单位：万元", ("收入", "", "支出", ""), ("项目", "预算数", "项目", "预算数"),
        ("一、一般公共预算拨款", "4,676.96", "一、一般公共服务支出", "4,684.30"),
        ("本年收入合计", "4,676.96", "本年支出合计", "4,684.30"),
        ("上年结余、结转", "7.34", "结转下年", "0.00"),
        ("财政拨款结余、结转", "7.34", "", ""), ("非财政拨款结余、结转", "0.00", "", ""),
        ("收入总计", "4,684.30", "支出总计", "4,684.30"),
    ]))
    revenue = by(records, "revenue")
    assert revenue[("carryover", "", "amount")].amount_text == "7.34"
    assert revenue[("carryover_fiscal", "", "amount")].amount_text == "7.34"
    assert not [r for r in records if r.item.startswith("unmapped")]
