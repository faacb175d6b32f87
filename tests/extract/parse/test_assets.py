"""Assets of the 国有资产占用 section, in the wordings real documents use (issue 8 item 3)."""

from __future__ import annotations

import pytest

from extract.parse.document import parse_document
from extract.read.reader import read_document


def assets(section: str) -> dict[tuple[str, str], tuple[str, str, str, str, str]]:
    text = f"某某县民政局2026年部门预算\n一、收入预算情况\n2026年收入预算120.00万元。\n八、国有资产占用情况\n{section}\n"
    result = parse_document(read_document(text.encode("utf-8"), "mem://a.txt"))
    return {(a.category, a.measure): (a.quantity_text, a.quantity_unit, a.value_text, a.value_unit, a.threshold_text)
            for a in result.assets}


def test_vehicles_and_large_equipment_held_and_planned():
    """福州: the plan's equipment sentence follows the vehicle sentence it belongs to."""
    got = assets("截至 2025 年 12 月 31 日，本单位共有车辆 16 辆，其中：执法执勤用车 14 辆、特种专业技术用车 2 辆。"
                 "单位价值 100 万元（含）以上设备 0 台（套）。\n2026 年单位预算安排购置车辆 2 辆，其中：执法执勤用车 2 辆。"
                 "单位价值 100 万元（含）以上设备 1 台（套）。")
    assert got == {("vehicles", "held"): ("16", "辆", "", "", ""),
                   ("large_equipment", "held"): ("0", "台（套）", "", "", "100万元"),
                   ("vehicles", "planned_purchase"): ("2", "辆", "", "", ""),
                   ("large_equipment", "planned_purchase"): ("1", "台（套）", "", "", "100万元")}


def test_values_by_category_of_the_fixed_assets():
    """长春: 固定资产总量 and its 房屋和构筑物, 设备, 家具和用具, 无形资产 (shares printed beside them)."""
    got = assets("截止2025年12月31日，固定资产账上共有机动车3辆。本单位固定资产总量为4295.98万元，房屋和构筑物3773.63万元，"
                 "占固定资产总额的87.84%；设备335.24万元，占固定资产总额的7.90%；家具和用具172.11万元；无形资产15万元。")
    assert got == {("vehicles", "held"): ("3", "辆", "", "", ""), ("total", "held"): ("", "", "4295.98", "万元", ""),
                   ("buildings", "held"): ("", "", "3773.63", "万元", ""),
                   ("equipment", "held"): ("", "", "335.24", "万元", ""),
                   ("furniture", "held"): ("", "", "172.11", "万元", ""),
                   ("intangible", "held"): ("", "", "15", "万元", "")}


@pytest.mark.parametrize("section, planned", [
    ("截至 2025 年底，本部门共有车辆 17 台，单位价值 100 万元以上的设备 2 台（套）。2026 年预算安排中，"
     "购置单位价值 100 万元以上的设备 0 台（套）。", ("0", "台（套）", "", "", "100万元")),
    ("截至2025年12月31日，本部门共有车辆5辆。单位价值100万元以上的设备7台（件、套）。"
     "2026年预算未安排购置单位价值100万元以上大型设备。", ("0", "", "", "", "100万元")),
    ("截至 2025 年 10 月，本单位共有车辆 1 辆；单价 100 万元以上设备 0 台（套）。2026 年计划购置车辆 0 辆、0 万元；"
     "单价 100 万元以上设备 0 台（套）、0 万元，主要是无重大资产新增计划。", ("0", "台（套）", "0", "万元", "100万元")),
])
def test_what_is_to_be_bought_is_not_what_is_held(section, planned):
    """北京 (the plan after "预算安排中，"), 烟台 ("未安排购置…": a stated zero), 深圳 (count and value)."""
    got = assets(section)
    assert got[("large_equipment", "planned_purchase")] == planned
    assert got[("large_equipment", "held")][4] == "100万元"


def test_building_area_and_a_threshold_of_twenty_wan():
    got = assets("本部门共有车辆127辆，其中，一般公务用车127辆。单价20万元（含）以上的设备33台（套）。办公用房面积1,250.5平方米。")
    assert got == {("vehicles", "held"): ("127", "辆", "", "", ""),
                   ("large_equipment", "held"): ("33", "台（套）", "", "", "20万元"),
                   ("office_buildings", "held"): ("1,250.5", "平方米", "", "", "")}
