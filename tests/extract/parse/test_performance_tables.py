"""Performance-target tables in the layouts real documents print, row by row.

Each test is a small table shaped like a real document's (named in the docstring), so a
layout's fault has a regression test that does not need ../shared.
"""

from __future__ import annotations

from extract.parse.performance import parse_performance_tables
from extract.read.model import Line
from tests.extract.parse.test_standard_tables import make_doc


def rows(*specs: str | tuple[str, ...]) -> list[Line]:
    """One page's lines: a str is running text, a tuple a table row."""
    return make_doc(list(specs)).lines()


CARD_HEAD = (
    ("项目名称", "", "", "审计业务经费", "", ""),
    ("主管部门及代码", "", "", "231_某市审计局", "实施单位", "某市审计局"),
    ("项目资金（万元）", "", "", "年度预算资金总额：", "31.00", ""),
    ("", "", "", "其中：财政拨款", "0.00", ""),
    ("", "", "", "其他资金", "31.00", ""),
    ("总体目标", "完成指定审计项目", "", "", "", ""),
    ("", "一级指标", "二级指标", "三级指标", "指标值", ""),
)


def test_card_per_project_with_implementing_unit_and_year_amount():
    """烟台's 政策和项目预算绩效目标表: labels spread over merged cells, 绩效指标 in column one."""
    lines = rows("政策和项目预算绩效目标表", "(2026年度)", *CARD_HEAD,
                 ("绩效指标", "成本指标", "经济成本", "项目总成本", "≤31万元", ""),
                 ("", "", "", "审计项目人员成本标准", "≤560元/人/天", ""),
                 ("绩效指标", "满意度指标", "服务对象满意度指标", "被审计单位满意度", "≥95%", ""), "—29—")
    t = parse_performance_tables(lines)
    [p] = t.projects
    assert (p.project_name, p.amount_text, p.fiscal_funds_text, p.other_funds_text, p.unit, p.unit_name, p.scope) == (
        "审计业务经费", "31.00", "0.00", "31.00", "万元", "某市审计局", "project")
    assert [(i.level1, i.level2, i.level3, i.target_text) for i in t.indicators] == [
        ("成本指标", "经济成本", "项目总成本", "≤31万元"), ("成本指标", "经济成本", "审计项目人员成本标准", "≤560元/人/天"),
        ("满意度指标", "服务对象满意度指标", "被审计单位满意度", "≥95%")]


def test_two_cards_of_one_name_for_two_units_stay_two_projects():
    """烟台 审计局 prints 审计业务经费 three times, for three implementing units."""
    second = [tuple(c.replace("31.00", "539.00").replace("某市审计局\u0000", "") for c in row) for row in CARD_HEAD]
    second[1] = ("主管部门及代码", "", "", "320_某省审计厅", "实施单位", "某市审计局本级")
    lines = rows(*CARD_HEAD, ("绩效指标", "产出指标", "数量指标", "审计报告个数", "≥1个", ""),
                 *second, ("绩效指标", "产出指标", "数量指标", "审计报告个数", "≥1个", ""))
    t = parse_performance_tables(lines)
    assert [(p.project_name, p.amount_text, p.unit_name) for p in t.projects] == [
        ("审计业务经费", "31.00", "某市审计局"), ("审计业务经费", "539.00", "某市审计局本级")]
    assert [i.project_seq for i in t.indicators] == [1, 2]


def test_card_continued_with_its_head_repeated_is_one_project():
    """A word processor repeats a card's first rows on the continuation page: same project."""
    seed_head = ("项目编码", "130127210XAPPLY3 A5B8", "", "项目名称", "信访经费", "", "")
    budget = ("预算规模及资金用途", "预算数", "300000.00", "其中：财政资金", "300000.00", "其他资金", "0")
    header = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据", "")
    page1 = ["单位：元", seed_head, budget, ("绩效目标", "目标", "", "", "", "", ""), header,
             ("产出指标", "数量指标", "案件处置率", "案件处置率", "≥90百分比", "根据上年办案数据", "")]
    page2 = [seed_head, budget, ("", "质量指标", "完成率", "达到办公", "≥90百分比", "根据上年办案数据", "")]
    t = parse_performance_tables(make_doc(page1, page2).lines())
    [p] = t.projects
    assert (p.amount_text, p.unit) == ("300000.00", "元")
    assert [(i.level1, i.level2, i.level3) for i in t.indicators] == [
        ("产出指标", "数量指标", "案件处置率"), ("产出指标", "质量指标", "完成率")]


def test_list_of_projects_with_code_in_the_name_cell_and_rows_before_their_name():
    """北京 预算表12: code-name cells, 绩效指标性质 and 度量单位 columns, a name wrapped over a
    page break ("…购置类" / "项目"), and indicator rows printed before the row naming their
    project (a merged cell centred over a page break), under a goal starting afresh."""
    lines = rows(
        "预算表12 项目支出绩效目标表", "金额单位：万元",
        ("项目名称", "项目总额", "其中：", "", "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指标性质",
         "本年绩效指标值", "绩效度量单位"),
        ("", "", "财政资金", "其他资金", "", "", "", "", "", "", ""),
        ("11000021Y000000390849-办公设备购置类", "29.359500", "29.359500", "", "提高效率", "效益指标", "社会效益指标",
         "设备利用率", "≥", "100", "%"),
        ("项目", "", "", "", "与质量。", "产出指标", "数量指标", "采购数量", "≥", "18", "台/套"),
        ("11000022T000000424360-因公出国（境）经费", "14.850000", "14.850000", "", "学习经验。", "成本指标",
         "经济成本指标", "人均成本", "≤", "2.475", "万元"),
        ("", "", "", "", "根据年度工作任务，完成安保服", "产出指标", "质量指标", "桶装饮用水服务", "定性", "优", ""),
        "11000022T000000424 658.000000 658.000000",  # the merged cell's text, outside the grid
        ("11000022T000000424449-接访场所保障费", "658.000000", "658.000000", "", "务、场地租赁。", "产出指标",
         "质量指标", "空调使用", "定性", "优", ""),
        ("", "", "", "", "", "满意度指标", "服务对象满意度指标", "被服务人员满意度", "≥", "95", "%"),
        "预算13表 部门整体支出绩效目标表")
    t = parse_performance_tables(lines)
    got = [(p.project_code_text, p.project_name, p.amount_text, p.fiscal_funds_text, p.unit) for p in t.projects]
    assert got == [("11000021Y000000390849", "办公设备购置类项目", "29.359500", "29.359500", "万元"),
                   ("11000022T000000424360", "因公出国（境）经费", "14.850000", "14.850000", "万元"),
                   ("11000022T000000424449", "接访场所保障费", "658.000000", "658.000000", "万元")]
    by_project = {p.seq: [i.level3 for i in t.indicators if i.project_seq == p.seq] for p in t.projects}
    assert by_project == {1: ["设备利用率", "采购数量"], 2: ["人均成本"],
                          3: ["桶装饮用水服务", "空调使用", "被服务人员满意度"]}
    assert t.projects[2].goal == "根据年度工作任务，完成安保服务、场地租赁。"
    assert [i.target_text for i in t.indicators] == ["≥100%", "≥18台/套", "≤2.475万元", "优", "优", "≥95%"]


def test_list_of_projects_with_weights_and_a_printed_total_row():
    """长春 预算表11 (单位名称 | 项目名称 | 年度资金总额(万元) | 年度绩效目标 | … | 权重), with a 合计 row."""
    lines = rows(
        ("长春市信访局2026年项目支出绩效目标表预算表（预算表11）", "", "", "", "", "", "", "", ""),
        ("单位名称", "项目名称", "年度资金总额(万元)", "年度绩效目标", "一级指标", "二级指标", "三级指标", "指标值", "权重"),
        ("105001长春市信访局", "2026年信访专项经费", "30.00", "维护社会稳定", "产出指标", "数量指标", "专家评审", ">=2次", "40"),
        ("", "", "", "", "成本指标", "经济成本指标", "运维成本", "<=17万元", "20"),
        ("", "信访局临聘人员经费", "16.56", "按月发放工资", "产出指标", "数量指标", "录入条数", ">=100百分比", "40"),
        ("", "合计", "46.56", "", "", "", "", "", ""))
    t = parse_performance_tables(lines)
    assert [(p.project_name, p.amount_text, p.unit, p.unit_code, p.unit_name) for p in t.projects] == [
        ("2026年信访专项经费", "30.00", "万元", "105001", "长春市信访局"),
        ("信访局临聘人员经费", "16.56", "万元", "105001", "长春市信访局")]
    assert [i.weight_text for i in t.indicators] == ["40", "20", "40"]
    [total] = t.amounts
    assert (total.statement, total.item, total.amount_text, total.unit, total.source) == (
        "project_list", "total", "46.56", "万元", "table")


def test_list_without_indicators_continues_a_goal_over_the_page():
    """深圳 重点项目绩效目标: a goal cut by the page break continues, it is no new project."""
    lines = rows(("二级预算单位名称", "一级项目名称", "预算数（万元）", "绩效目标"),
                 ("深圳市信访局", "信访大厅运行", "603.84", "推动“普法”与信访无"), "- 7 -",
                 ("", "", "", "缝衔接。"), ("深圳市信访局", "综合管理", "17.91", "修缮。"), "备注：无。")
    t = parse_performance_tables(lines)
    assert [(p.project_name, p.amount_text, p.goal, p.unit_name) for p in t.projects] == [
        ("信访大厅运行", "603.84", "推动“普法”与信访无缝衔接。", "深圳市信访局"),
        ("综合管理", "17.91", "修缮。", "深圳市信访局")]


def test_department_form_money_grid_and_combined_indicator_cells():
    """北京 预算13表 部门整体支出绩效目标表: headers over one row of figures; indicator cells
    that hold all three levels ("产出指标质量指标来信扫描完成率")."""
    lines = rows(
        "预算13表 部门整体支出绩效目标表", "（2026年度）",
        ("部门名称", "", "北京市信访办公室", "", "", "", "", "", ""),
        ("总体资金情况（万元）", "", "预算支出总额", "财政拨款", "", "", "其他资金", "", ""),
        ("", "", "", "合计", "基本支出", "项目支出", "合计", "基本支出", "项目支出"),
        ("", "", "9,626.777589", "9,626.777589", "7,485.224572", "2,141.553017", "", "", ""),
        ("整体绩效目标", "整体绩效目标", "推动首都信访形势稳中向好", "", "", "", "", "", ""),
        ("", "活动", "", "绩效指标", "", "指标性质", "指标值", "", "度量单位"),
        ("", "信访业务经费", "", "产出指标质量指标来信扫描完成率", "", "＝", "100", "", "%"),
        ("", "信访业务经费", "", "效益指标社会效益指标保障接访工作的运转", "", "定性", "优", "", ""))
    t = parse_performance_tables(lines)
    [p] = t.projects
    assert (p.scope, p.project_name, p.amount_text, p.unit, p.goal) == (
        "department", "北京市信访办公室", "9,626.777589", "万元", "推动首都信访形势稳中向好")
    assert {(a.statement, a.item): a.amount_text for a in t.amounts} == {
        ("department_form", "total"): "9,626.777589", ("department_form", "basic"): "7,485.224572",
        ("department_form", "project"): "2,141.553017"}
    assert [(i.level1, i.level2, i.level3, i.target_text) for i in t.indicators] == [
        ("产出指标", "质量指标", "来信扫描完成率", "=100%"), ("效益指标", "社会效益指标", "保障接访工作的运转", "优")]


def test_special_fund_card_takes_the_years_amount_and_a_blank_template_is_nothing():
    """西安 表16 专项资金总体绩效目标表: 实施期 and 年度 columns side by side (the year's wins);
    an unused form printed blank (名称 and 金额 empty) states no project."""
    filled = rows(
        "表16", "2021年专项资金总体绩效目标表",
        ("项目名称", "", "", "文化产业发展专项资金", "", "", ""),
        ("资金金额（万元）", "", "", "实施期资金总额：", "", "年度资金总额：", "20000"),
        ("", "", "", "其中：财政拨款", "", "其中：财政拨款", "20000"),
        ("绩效指标", "一级指标", "二级指标", "指标内容", "", "指标值", "备注"),
        ("", "产出指标", "数量指标", "全市扶持文化产业项目数量", "", "≥30个", ""),
        ("", "", "生态效益指标", "", "", "", ""))
    blank = rows("表16", "专项资金总体绩效目标表", ("项目名称", "", "", "", "", "", ""),
                 ("资金金额（万元）", "", "实施期资金总额：", "", "年度资金总额：", "", ""),
                 ("年度绩效指标", "一级指标", "二级指标", "三级指标", "", "指标值", ""),
                 ("", "成本指标", "经济成本", "", "", "", ""))
    t = parse_performance_tables(filled + blank)
    [p] = t.projects
    assert (p.scope, p.project_name, p.amount_text, p.fiscal_funds_text) == (
        "special_fund", "文化产业发展专项资金", "20000", "20000")
    assert [(i.level2, i.level3, i.target_text) for i in t.indicators] == [("数量指标", "全市扶持文化产业项目数量", "≥30个")]


def test_a_header_row_naming_columns_is_no_project():
    """江苏 收支预算总表: "项目名称 | 金额" heads a revenue table, it names no project."""
    lines = rows("收入预算总表", ("项目名称", "", "金额"), ("收入总计", "", "20,849.45"))
    assert parse_performance_tables(lines).projects == []
