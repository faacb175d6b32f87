"""Issue 16: a narrative's figure is the figure its sentence is about, and every part a
passage lists is read. Each text is reduced from a real page of ../shared/corpus/more,
read through ``parse_document``."""

from __future__ import annotations

from tests.extract.parse.test_own_figures import BUDGET, figures

# 北京市商务局 2026 部门预算 pp. 8–10 (2026年北京市商务局部门预算.pdf): 支出预算 = 基本支出 + 项目支出 +
# 年终结转结余资金 (288,416.35 = 31,644.88 + 256,759.24 + 12.23); 北京市教育委员会 p. 8: 7.附属单位上缴收入
BEIJING = """二、收入预算情况说明
2026 年度收入预算 4483899.83 万元，比 2025 年年初预算数 4001046.82 万元增加 482853.01 万元。
（一）本年财政拨款收入 2503527.73 万元
（二）本年其他资金收入 839965.26 万元
4.财政专户管理资金收入 261765.52 万元。
5.事业收入 441986.28 万元。
6.上级补助收入 0 万元。
7.附属单位上缴收入 920.00 万元。
8.事业单位经营收入 13922.72 万元。
9.其他收入 121370.74 万元。
（三）上年结转结余 1140406.84 万元
三、支出预算情况说明
2026 年支出预算 288416.35 万元，比 2025 年年初预算增加。
（一）基本支出。基本支出预算 31644.88 万元，占本年支出预算 10.97%。
（二）项目支出。项目支出预算 256759.24 万元，占本年支出预算 89.03%。其中：
1.事业单位经营支出 0.00 万元。
（三）年终结转结余资金 12.23 万元。
"""


def test_beijing_year_end_balance_is_the_expenditure_carryover():
    got = figures(BUDGET + BEIJING)
    assert got[("expenditure", "carryover")] == ("12.23", "万元")
    assert got[("expenditure", "basic")] == ("31644.88", "万元") and got[("expenditure", "project")] == ("256759.24", "万元")


def test_every_numbered_source_is_read_superior_subsidy_and_subordinate_remittance_too():
    got = figures(BUDGET + BEIJING)
    assert got[("revenue", "subordinate_remit")] == ("920.00", "万元")
    assert got[("revenue", "superior_subsidy")] == ("0", "万元")
    assert got[("revenue", "operating_income")] == ("441986.28", "万元")


def test_a_cost_named_between_the_label_and_the_figure_is_not_the_fields_figure():
    # 广州市规划和自然资源局 2026 p. 71: the 3.2万 is the 国内服务费 moved into 因公出国（境）经费, not the fee
    text = ("2026年本部门财政拨款安排“三公”经费162.53万元，比上年增加6.2万元，主要原因是一是调整了因公出国（境）"
            "经费的经济分类，将用于支付因公出国（境）工作的国内服务费3.2万元由委托业务费调整为因公出国（境）经费。"
            "其中：因公出国（境）费86.47万元，比上年增加3.2万元。\n")
    got = figures(BUDGET + text)
    assert got[("three_public", "abroad")] == ("86.47", "万元")
    assert got[("three_public", "total")] == ("162.53", "万元")


def test_a_part_stated_for_one_fund_is_marked_with_it_and_never_shadows_the_departments():
    # the hidden sweep's kind: "一般公共预算基本支出844.15万元" beside the 收支总表's 基本支出 7,666.68万 (all funds)
    from extract.parse.document import parse_document
    from extract.read.reader import read_document

    def basic(text: str) -> list[tuple[str, str]]:
        result = parse_document(read_document((BUDGET + text).encode("utf-8"), "mem://doc.txt"))
        return [(a.amount_text, a.key) for a in result.amounts if (a.statement, a.item) == ("expenditure", "basic")]

    assert basic("2024年一般公共预算基本支出844.15万元，主要用于人员经费。\n")[0] == ("844.15", "一般公共预算")
    both = basic("2024年一般公共预算基本支出844.15万元。\n2024年基本支出7666.68万元，占支出预算的70%。\n")
    assert both[0] == ("7666.68", "")  # the department's own figure wins; the fund's stays marked
