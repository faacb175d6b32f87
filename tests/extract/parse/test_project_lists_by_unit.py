"""Project lists as two real layouts print them (issue 16): a 重点项目 list grouped by implementing
unit, and a list whose title is printed again on each page. Reduced tables first (no ../shared
needed), then the real documents of ../shared/corpus/more they come from."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from extract.parse.document import parse_document
from extract.parse.performance import parse_performance_tables
from extract.read.reader import read_document
from tests.conftest import require_shared
from tests.extract.parse.test_standard_tables import make_doc

HEAD = ("项目", "预算数（单位：万元）", "绩效目标")
# 广州市卫生健康委员会 2026 pp. 116–117 and 广州市规划和自然资源局 p. 78: a unit's row (name, blank goal,
# blank amount or its projects' subtotal) above its projects; two units run projects of one name
GROUPED = [
    "七、重点项目预算绩效目标情况", "2026年，本部门重点项目绩效目标情况如下：", HEAD,
    ("合计", "2,267.00", ""),
    ("广州市卫生健康委员会", "", ""),
    ("综合业务费", "646.54", "通过开展此项目，贯彻执行中央、省、市有关"),
    ("广州血液中心", "", ""),
    ("专用卫生材料", "800.00", "通过项目实施，保证采供血过程所需的专用耗"),
    ("综合业务费", "622.00", "通过保障采供血业务开展需要，保障市内各个"),
    ("广州市城市规划编制研究中心", "198.46", ""),
    ("重点项目规划、策划", "198.46", "通过开展重点项目规划工作"),
]


def test_a_unit_row_names_the_unit_of_the_projects_below_it_and_is_no_project():
    t = parse_performance_tables(make_doc(GROUPED).lines())
    assert [(p.project_name, p.amount_text, p.unit_name, p.unit) for p in t.projects] == [
        ("综合业务费", "646.54", "广州市卫生健康委员会", "万元"), ("专用卫生材料", "800.00", "广州血液中心", "万元"),
        ("综合业务费", "622.00", "广州血液中心", "万元"), ("重点项目规划、策划", "198.46", "广州市城市规划编制研究中心", "万元")]


def test_a_key_project_lists_total_is_a_selections_total():
    t = parse_performance_tables(make_doc(GROUPED).lines())
    assert [(a.statement, a.item, a.amount_text, a.unit) for a in t.amounts] == [
        ("project_list", "selection_total", "2,267.00", "万元")]


# 北京市首都绿化委员会办公室 2026 (beijing/政府办公厅_2026年部门预算.pdf pp. 17–18): each page repeats the
# table's title and unit line, then the header and the project's merged cells
TITLE, UNIT = "预算12表 项目支出绩效目标表", "金额单位：万元"
LIST_HEAD = [("项目名称", "项目总额", "其中：", "", "绩效目标", "一级指标", "二级指标", "三级指标", "指标值"),
             ("", "", "财政资金", "其他资金", "", "", "", "", "")]
PROJECT = ("11000025T000003357691-重大义务植树活动保障经费", "600.000000", "600.000000", "", "引进栽培油松",
           "产出指标", "数量指标", "手推车", "＝10辆")


def test_a_lists_title_printed_again_on_the_next_page_does_not_open_a_second_project():
    page1 = [TITLE, UNIT, *LIST_HEAD, PROJECT]
    page2 = [TITLE, UNIT, *LIST_HEAD, PROJECT[:5] + ("产出指标", "质量指标", "苗木成活率", "≥95%")]
    t = parse_performance_tables(make_doc(page1, page2).lines())
    [project] = t.projects
    assert (project.project_code_text, project.project_name, project.amount_text) == (
        "11000025T000003357691", "重大义务植树活动保障经费", "600.000000")
    assert [i.level3 for i in t.indicators] == ["手推车", "苗木成活率"]


def _projects(*parts: str):
    path = require_shared("corpus", "more", *parts)
    result = parse_document(read_document(path.read_bytes(), path.as_uri()))
    return [p for p in result.projects if p.scope == "project"], result.amounts


@pytest.mark.slow
def test_guangzhou_key_projects_add_up_to_their_printed_total_each_project_once():
    projects, amounts = _projects("guangzhou", "2026年广州市规划和自然资源局部门预算.pdf")
    [total] = [a for a in amounts if a.statement == "project_list"]
    assert (total.item, total.amount_text, total.unit) == ("selection_total", "946,398.08", "万元")
    assert sum(Decimal(p.amount_text.replace(",", "")) for p in projects) == Decimal("946398.08")
    assert len(projects) == 30 and all(p.unit == "万元" for p in projects)
    assert max(Counter((p.project_name, p.unit_name) for p in projects).values()) == 1


@pytest.mark.slow
def test_beijing_list_continued_under_its_repeated_title_lists_each_project_once():
    projects, _ = _projects("beijing", "政府办公厅_2026年部门预算.pdf")
    assert len(projects) == 15 and max(Counter(p.project_code_text for p in projects).values()) == 1
    assert sum(Decimal(p.amount_text) for p in projects) == Decimal("3622.500000")  # ≤ 项目支出 4,183.6492万
