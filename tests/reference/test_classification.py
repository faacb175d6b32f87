"""政府收支分类科目 reference: versioned codes and the crosswalk that makes years compare."""

from __future__ import annotations

from collections import defaultdict

import pytest

from reference.classification import conform, crosswalk, level_of, reference_codes, reference_name


def test_reference_codes_are_well_formed_and_never_overlap_in_time():
    spans = defaultdict(list)
    for r in reference_codes():
        assert r.code.isdigit() and level_of(r.code) == r.level, r
        assert r.confidence in ("high", "medium", "low")
        assert r.valid_to is None or r.valid_from is None or r.valid_from <= r.valid_to
        spans[(r.scheme, r.code)].append((r.valid_from or 0, r.valid_to or 9999))
    for key, ranges in spans.items():
        ranges.sort()
        assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:])), key


def test_every_class_of_2019_and_later_is_listed():
    classes = {r.code for r in reference_codes() if r.scheme == "function" and r.level == 1 and r.valid_in(2026)}
    assert {"201", "204", "205", "208", "210", "212", "213", "214", "220", "221", "224", "229"} <= classes


@pytest.mark.parametrize("scheme, code, year, name", [
    ("function", "210", 2017, "医疗卫生与计划生育支出"), ("function", "210", 2026, "卫生健康支出"),
    ("function", "220", 2018, "国土海洋气象等支出"), ("function", "220", 2019, "自然资源海洋气象等支出"),
    ("economic", "310", 2017, "其他资本性支出"), ("economic", "310", 2026, "资本性支出"),
])
def test_names_are_versioned_by_year(scheme, code, year, name):
    assert reference_name(scheme, code, year) == name


def test_a_2018_and_a_2026_line_of_the_same_function_conform_to_one_code():
    old, new = conform("function", "21506", 2018), conform("function", "22401", 2026)
    assert old.code == new.code == "22401" and old.name == "应急管理事务"
    assert old.steps == ("21506→22401 (move, 2019)",) and new.steps == ()


def test_a_code_used_after_its_move_is_left_as_printed():
    assert conform("function", "21506", 2019).code == "21506"  # a 2019 document still printing it is not rewritten


def test_renames_keep_the_code_and_take_todays_name():
    assert conform("function", "220", 2016).code == "220"
    assert conform("function", "220", 2016).name == "自然资源海洋气象等支出"
    assert conform("function", "20805", 2019).name == "行政事业单位养老支出"


def test_unknown_codes_pass_through():
    result = conform("function", "2999999", 2020)
    assert (result.code, result.name, result.steps) == ("2999999", None, ())


def test_crosswalk_targets_exist_in_the_reference_from_their_first_year():
    for step in crosswalk():
        assert reference_name(step.scheme, step.new_code, step.first_year_new) == step.new_name, step
        assert reference_name(step.scheme, step.old_code, step.last_year_old) == step.old_name, step
