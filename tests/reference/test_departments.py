"""Department categories: the mapping from real names to kinds of department, and its precedence."""

from __future__ import annotations

import csv
import re

import pytest

from reference.departments import (
    PARTY_FALLBACK, categories, categorise, department_core, match_name, resolve_category,
)
from reference.regions import all_regions
from tests.conftest import require_shared

# Every department in ../shared/corpus/real (MANIFEST.csv's entity column, and the names the
# pipeline reads: 中共/中国共产党 spellings of the same office), with the region the pipeline
# places it in. Unit budgets are checked through their stated parent below.
REAL_DEPARTMENTS = {
    "北京市信访办公室": ("110000", "信访"), "北京市审计局": ("110000", "审计"), "深圳市信访局": ("440300", "信访"),
    "深圳市财政局": ("440300", "财政"), "深圳市财政局（本级）": ("440300", "财政"),
    "重庆市气象局": ("500000", "气象"), "重庆市社会福利指导中心": ("500000", "民政"),
    "西安市人民政府办公厅（汇总）": ("610100", "政府办公室"), "中共西安市委宣传部": ("610100", "宣传"),
    "烟台市审计局": ("370600", "审计"), "烟台市民政局": ("370600", "民政"), "长春市信访局（本级）": ("220100", "信访"),
    "长春市财政局": ("220100", "财政"), "江苏省委办公厅": ("320000", "党委办公室"),
    "中国共产党江苏省委员会办公厅": ("320000", "党委办公室"), "中共江苏省委办公厅": ("320000", "党委办公室"),
    "上海市普陀区商务委员会": ("310107", "商务"), "上海市普陀区财政局": ("310107", "财政"),
    "高邑县信访局": ("130127", "信访"), "高邑县人民政府信访局": ("130127", "信访"),
}
UNITS = {  # unit (MANIFEST entity) → the parent its budget states → category
    "上海市刑事科学技术研究院": ("上海市公安局", "公安"), "上海市海洋监测预报中心": ("上海市水务局", "水利"),
    "福州市公安局治安管理支队": ("福州市公安局", "公安"),
}


@pytest.mark.parametrize("name", sorted(REAL_DEPARTMENTS))
def test_every_real_department_has_its_category(name):
    region, category = REAL_DEPARTMENTS[name]
    match = categorise(name, region_code=region)
    assert match is not None and match.category == category, match


def test_the_list_covers_every_entity_of_the_real_manifest():
    manifest = require_shared("corpus", "real", "MANIFEST.csv")
    with manifest.open(encoding="utf-8") as handle:
        entities = {row["entity"] for row in csv.DictReader(handle) if row["kind"] != "ground_truth_csv"}
    assert entities <= set(REAL_DEPARTMENTS) | set(UNITS)


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_a_unit_takes_the_category_of_the_parent_its_budget_states(unit):
    parent, category = UNITS[unit]
    match = categorise(unit, region_code="310000", parent=parent)
    assert (match.category, match.matched_on, match.matched_text) == (category, "parent", parent)


def test_without_a_stated_parent_a_unit_is_left_unmapped_not_guessed():
    assert categorise("上海市刑事科学技术研究院", region_code="310000") is None
    assert categorise("上海市海洋监测预报中心", region_code="310000").category == "自然资源"  # its own name: 海洋


@pytest.mark.parametrize("name, category", [
    ("北京市信访办公室", "信访"),  # not 政府办公室: 信访 starts first
    ("XX县人民政府办公室", "政府办公室"),
    ("高邑县人民政府信访局", "信访"),  # 人民政府 spells 民政: not 民政
    ("公安县财政局", "财政"),  # 公安县 is a county: its name is not the department's
    ("公安县公安局", "公安"),  # the region is stripped once, the department's own 公安 stays
    ("XX县公安局交通警察大队", "公安"),  # a unit of the organ named first
    ("XX县财政局国库集中支付中心", "财政"),
    ("XX县安全生产监督管理局", "应急"), ("XX县应急管理局", "应急"),  # renamed bodies
    ("XX县卫生和计划生育局", "卫生健康"), ("XX县环境保护局", "生态环境"), ("XX县工商行政管理局", "市场监管"),
    ("XX县国土资源局", "自然资源"), ("XX县人事局", "人社"), ("XX县医疗保障局", "医保"),
    ("中共XX县委宣传部", "宣传"), ("中共XX县委组织部", "组织"), ("中共XX县纪律检查委员会", "纪检监察"),
    ("中共XX县委办公室", "党委办公室"), ("中共XX县委机构编制委员会办公室", "机构编制"),
    ("中共XX县委政策研究室", PARTY_FALLBACK),  # a Party body no finer category names
    ("XX县人民代表大会常务委员会办公室", "人大"), ("XX县科学技术协会", "科协"), ("XX县科学技术局", "科技"),
    ("XX县教育和体育局", "教育"), ("西南大学", "教育"), ("XX镇人民政府", "乡镇街道"),
])
def test_precedence_between_patterns(name, category):
    assert match_name(name).category == category


def test_unmatched_names_stay_unmapped():
    assert match_name("附件预算评审管理暂行办法第一章总则第一条为加强") is None
    assert match_name("") is None


@pytest.mark.parametrize("suffix, category", [
    ("审计局", "审计"), ("财政局", "财政"), ("人民政府审计局", "审计"), ("财政局（本级）", "财政"),
    ("信访局", "信访"), ("人民政府信访局", "信访"), ("民政局", "民政"),
])
def test_no_region_name_changes_the_category(suffix, category):
    """Every county and city of GB/T 2260 in front of the name: an 审计局 or 财政局 never lands in 信访."""
    wrong = []
    for region in all_regions()[::3]:
        if region.level == "province":
            continue
        match = categorise(region.name + suffix, region_code=region.code)
        if match is None or match.category != category:
            wrong.append((region.name + suffix, match and match.category))
    assert wrong == []


def test_the_reference_file_is_well_formed():
    cats = categories()
    names = [c.name for c in cats]
    assert len(names) == len(set(names)) and PARTY_FALLBACK in names
    for required in ("信访", "财政", "教育", "公安", "民政", "审计", "统计", "司法", "卫生健康", "人社", "生态环境",
                     "住建", "交通", "商务", "发改", "应急", "市场监管", "政府办公室", "党委部门"):
        assert required in names
    patterns = [p.pattern for c in cats for p in c.patterns]
    assert len(patterns) == len(set(patterns)), "a pattern listed under two categories"
    assert all(isinstance(p, re.Pattern) for c in cats for p in c.patterns)


def test_core_strips_scope_party_prefix_and_regions():
    assert department_core("长春市信访局（本级）", (("长春市", "长春"),)) == ("信访局", False)
    assert department_core("中共西安市委宣传部", (("西安市", "西安"),)) == ("委宣传部", True)


def test_a_category_or_a_whole_group_can_be_asked_for():
    assert resolve_category("信访") == ["信访"]
    party = resolve_category("党委部门")
    assert {"宣传", "组织", "党委办公室", PARTY_FALLBACK} <= set(party) and "信访" not in party
    assert resolve_category("不存在") == []
