"""The seed's plain-text template (高邑县信访局 2021), filled with a truth's figures.

The layout copies ``samples/gaoyi_xinfang_2021.txt`` line for line where it matters
to a parser: blank lines between paragraphs, tab-separated table rows with their
empty cells and trailing tabs, ``单位：元`` project tables whose codes carry a stray
space, the narrative's phrasing and its 万元 figures. :func:`seed_blocks` yields the
document as blocks (a paragraph string, or a table as a list of cell rows) so the PDF
renderer draws exactly the same content.
"""

from __future__ import annotations

from decimal import Decimal

from tests.synthetic.truth import Project, Truth, wan

Block = str | list[list[str]]

GOALS = (
    "1. 综合分析本领域工作形势，开展调查研究，及时反映重要情况，提出制定有关政策的建议。",
    "2. 督促、检查和指导全县相关工作，总结工作经验，提出改进和加强工作的意见和建议。",
    "3. 完成县委、县政府交办的其他工作。",
)
MEASURES = (
    "1、完善制度建设。完善预算绩效管理制度、资金管理办法等，强化制度执行落实。",
    "2、加强支出管理。协调各业务科室制定详细支出计划，及时支付资金，确保每月支出进度达标。",
    "3、做好绩效自评。按要求开展上年度部门预算绩效自评和重点评价工作，提高财政资金使用效益。",
)
PURPOSE = "保障单位履行职责，推进重点工作任务落实，提高财政资金使用效益。"
GOAL_HTML = "<p>1.保障各项业务工作正常开展；提供相关服务保障。</p> <p>2.按期完成年度工作任务。</p>"
TERMS = (
    "1. 一般公共预算拨款收入：指县级财政当年拨付的资金。",
    "2. 基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "3. 项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
)


PROCUREMENT_ROWS = (  # the seed's empty 部门政府采购预算 table, verbatim
    "政府采购项目来源\t\t采购物品名称\t政府采购目录序号\t数量单位\t数量\t单价\t政府采购金额\t\t\t\t\t\t",
    "项目名称\t预算资金\t\t\t\t\t\t总计\t当年部门预算安排资金\t\t\t\t\t其他渠道资金",
    "\t\t\t\t\t\t\t\t合计\t一般公共预算拨款\t基金预算拨款\t财政专户核拨\t其他来源收入\t",
    "合计\t0\t\t\t\t\t0\t0\t\t\t\t\t0\t",
    "小计\t0\t\t\t\t\t0\t0\t\t\t\t\t0\t",
)


def _dir(amount: Decimal, up: str = "增加", down: str = "减少") -> str:
    return down if amount < 0 else up


def _change_sentence(truth: Truth) -> str:
    y, c = truth.year, truth.change
    total, basic, project, other = c["total"], c["basic"], c["project"], c["other"]
    return (
        f"{y}年预算收支安排{wan(truth.expenditure['total'])}万元，较{y - 1}年预算"
        f"{_dir(total[0])}{wan(abs(total[0]))}万元，{_dir(total[0])}{abs(total[1])}%。"
        f"其中：基本支出{_dir(basic[0])}{wan(abs(basic[0]))}万元，{_dir(basic[0], '增长', '下降')}"
        f"{abs(basic[1])}%，主要为人员经费支出变化；项目支出{_dir(project[0])}{wan(abs(project[0]))}万元，"
        f"{_dir(project[0])}{abs(project[1])}%，主要为项目支出的变化；其他支出"
        f"{_dir(other[0])}{wan(abs(other[0]))}万元，增长{abs(other[1]).normalize():f}%。"
    )


def _narrative(truth: Truth) -> list[Block]:
    t, y, r, e, tp = truth, truth.year, truth.revenue, truth.expenditure, truth.three_public
    return [
        t.department, f"{y} 年部门预算信息公开",
        f"按照《中华人民共和国预算法》、《地方预决算公开操作规程》等有关规定，现将{t.department_long}单位 {y} 年部门预算公开如下：",
        "一、部门职责及机构设置情况", "部门职责：",
        "本单位主要负责全县相关领域的政策执行、监督管理和公共服务工作，完成县委、县政府交办的其他事项。",
        "机构设置：",
        f"从预算单位构成来看：{t.department}单位主要包括 1 个预算单位，具体情况如下：{t.department}单位为"
        f"{t.unit_rank}{t.unit_nature}单位，经费保障形式为{t.funding_form}。",
        "部门机构设置情况",
        [["单位名称", "单位性质", "单位规格", "经费保障形式"],
         [t.department, t.unit_nature, t.unit_rank, t.funding_form]],
        "二、部门预算安排的总体情况",
        "按照预算管理有关规定，目前我省部门预算的编制实行综合预算制度，即全部收入和支出都反映在预算中。",
        "1. 收入说明",
        f"反映本部门当年全部收入。{t.revenue_year}年预算收入{wan(r['total'])}万元。其中，一般公共预算拨款收入"
        f"{wan(r['general_budget'])}万元、基金预算拨款收入{wan(r['gov_fund'])}万元、国有资本经营预算拨款收入"
        f"{wan(r['state_capital'])}万元、财政专户核拨收入{wan(r['special_account'])}万元，其他来源收入"
        f"{wan(r['other'])}万元。",
        "2. 支出说明",
        f"收支预算总表支出栏、基本支出表、项目支出表按经济分类和支出功能分类科目编制，反映年度部门预算中支出预算的总体情况。"
        f"{y}年支出预算{wan(e['total'])}万元。其中，基本支出{wan(e['basic'])}万元，包括人员经费和日常公用经费；"
        f"项目支出{wan(e['project'])}万元，主要为本级支出等；其他支出{wan(e['other'])}万元。",
        "3. 比上年增减情况", _change_sentence(truth),
        "三、机关运行经费安排情况",
        f"机关运行经费共计安排{wan(t.operating_expenses)}万元，为日常公用经费总体安排情况，包括办公费、印刷费、"
        "邮电费、差旅费、会议费、培训费、公务接待费、公务用车运行维护费及其他费用等日常运行支出。",
        "四、财政拨款“三公”经费预算情况及增减变化原因",
        f"{y}年，我局“三公”经费预算安排{wan(tp['total'])}万元，与上年持平。其中，因公出国（境）费"
        f"{wan(tp['abroad'])}万元，与上年持平；公务用车购置及运维费{wan(tp['vehicle'])}万元（其中公务用车购置费"
        f"{wan(tp['vehicle_purchase'])}万元，公务用车运行维护费{wan(tp['vehicle_operation'])}万元），与上年持平；"
        f"公务接待费{wan(tp['reception'])}万元，与上年持平。",
        "五、绩效预算信息", "（一）部门整体绩效目标", "总体绩效目标：", *GOALS,
        "工作保障措施", *MEASURES, "（二）预算项目绩效目标",
    ]


def project_rows(truth: Truth, p: Project) -> list[list[str]]:
    """One project's performance table as the seed's tab rows (trailing empties kept)."""
    labels = [label for label, _ in p.plan if label]
    pcts = [pct for _, pct in p.plan]
    if len(labels) == 4:
        header = ["资金支出计划 (%)", labels[0], "", labels[1], labels[2], labels[3], ""]
        values = ["", pcts[0], "", pcts[1], pcts[2], pcts[3], ""]
    else:
        header = ["资金支出计划 (%)", labels[0], "", labels[1], "", labels[2], ""]
        values = ["", pcts[0], "", pcts[1], "", pcts[2]] + ([pcts[3]] if len(pcts) == 4 else [""])
    rows = [
        ["项目编码", p.code_printed, "", "项目名称", p.name, "", ""],
        ["预算规模及资金用途", "预算数", f"{p.amount:.2f}", "其中：财政资金", f"{p.fiscal:.2f}", "其他资金",
         f"{p.other:.2f}" if p.other else "0"],
        ["", PURPOSE, "", "", "", "", ""] if p.seq == 1 else ["", PURPOSE, "", ""],
        header, values,
        ["绩效目标", GOAL_HTML, "", "", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据", ""],
    ]
    previous = ""
    for ind in p.indicators:
        first = ind.level1 if ind.level1 != previous else ""
        previous = ind.level1
        rows.append([first, ind.level2, ind.level3, ind.description, ind.target_text, ind.basis, ""])
    return rows


def _projects(truth: Truth) -> list[Block]:
    blocks: list[Block] = []
    for p in truth.projects:
        blocks += [f"{p.seq}.{p.name}绩效目标表", f"{truth.unit_code} {truth.department}本级", "单位：元",
                   project_rows(truth, p)]
    return blocks


def _tail(truth: Truth) -> list[Block]:
    t, y, a = truth, truth.year, truth.assets
    count = a["vehicles_quantity"]
    return [
        "六、政府采购预算情况",
        f"根据省市县财政部门政府采购有关要求，做到应采尽采。{y}年本部门无政府采购项目，无政府采购相关计划。",
        "部门政府采购预算", t.department, "单位：万元",
        [row.split("\t") for row in PROCUREMENT_ROWS],
        "注：无政府采购预算，空表列示。",
        "七、国有资产信息",
        f"{t.department}单位上年末固定资产金额为 {wan(a['total'])} 万元，{y} 年度无购置车辆计划，本年度拟购置固定资产 0 万元。详见下表。",
        f"{t.county}县直部门固定资产占用情况表", f"编制部门：{t.department}", f"截止时间：{y - 1} 年 12 月 31 日",
        [["项 目", "数量", "价值（金额单位：万元）"],
         ["资产总额", "——", wan(a["total"])],
         ["1、房屋（平方米）", "", ""],
         ["其中：办公用房（平方米）", "", ""],
         ["2、车辆（台、辆）", str(count) if count else "", wan(a["vehicles"]) if count else ""],
         ["3、单价在 20 万元以上的设备", "", ""],
         ["4、其他固定资产", "——", wan(a["other"])]],
        "八、名词解释", *TERMS, "九、其他需要说明的事项", "本部门无其他需要说明的事项",
    ]


def seed_blocks(truth: Truth) -> list[Block]:
    return [*_narrative(truth), *_projects(truth), *_tail(truth)]


def render_seed_text(truth: Truth, encoding: str = "utf-8") -> bytes:
    """The whole disclosure as the seed's plain text, in ``encoding`` (utf-8, gbk, gb18030…)."""
    parts: list[str] = ["", ""]
    for block in seed_blocks(truth):
        if isinstance(block, str):
            parts += [block, ""]
        else:
            parts += ["\t".join(row) for row in block] + [""]
    return "\n".join(parts).rstrip("\n").encode(encoding)
