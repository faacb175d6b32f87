"""Region codes resolve from names, hints and free text; ambiguity yields None, not a guess."""

from __future__ import annotations

import csv

import pytest

from reference.data.build_regions import flatten, six_digits
from reference.regions import (
    REGIONS_CSV,
    all_regions,
    codes_within,
    find_region_in_text,
    is_within,
    lineage,
    parent_code,
    province_named,
    region_by_code,
    region_level,
    region_prefix,
    region_table,
    resolve_region,
    stem,
)


def test_seed_region_resolves_with_hierarchy():
    ref = resolve_region("高邑县")
    assert (ref.code, ref.level, ref.parent_code) == ("130127", "county", "130100")
    assert (ref.province_name, ref.city_name, ref.county_name) == ("河北省", "石家庄市", "高邑县")
    assert region_by_code("130127") == ref
    assert region_by_code("130127000000") == ref  # 12-digit form used in portal URLs
    assert region_by_code("130100").name == "石家庄市"
    assert region_by_code("130000").level == "province"
    assert region_by_code("999999") is None
    assert region_by_code("13012") is None


def test_reference_table_shape():
    regions = all_regions()
    by_level = {lv: sum(r.level == lv for r in regions) for lv in ("province", "city", "county")}
    assert by_level["province"] == 34
    assert 330 <= by_level["city"] <= 340
    assert 2800 <= by_level["county"] <= 2900
    codes = {r.code for r in regions}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    # every parent exists and is one level up (or a province for directly governed units)
    for r in regions:
        if r.level == "province":
            assert r.parent_code is None
        else:
            assert r.parent_code in codes
            assert region_by_code(r.parent_code).level in ("province", "city")


def test_municipality_district_and_directly_governed_county():
    ref = resolve_region("东城区", province="北京市")
    assert (ref.code, ref.parent_code, ref.city_name) == ("110101", "110000", None)
    jiyuan = resolve_region("济源市")
    assert (jiyuan.code, jiyuan.level, jiyuan.parent_code) == ("419001", "county", "410000")
    assert resolve_region("济源示范区").code == "419001"  # registry alias
    assert resolve_region("东莞市").level == "city"


def test_shared_names_need_a_hint():
    assert resolve_region("普陀区") is None
    assert resolve_region("普陀区", province="上海市").code == "310107"
    assert resolve_region("普陀区", province="浙江省").code == "330903"
    assert resolve_region("普陀区", city="舟山").code == "330903"
    assert resolve_region("鼓楼区", province="江苏省") is None  # 南京 and 徐州
    assert resolve_region("鼓楼区", province="江苏省", city="徐州市").code == "320302"
    # a municipality stands in for its districts' city
    assert resolve_region("普陀区", city="上海市").code == "310107"


def test_province_hint_is_strict_city_hint_is_soft():
    assert resolve_region("高邑县", province="山西省") is None
    # a stale prefecture name does not lose a unique county
    assert resolve_region("高邑县", city="不存在市").code == "130127"


def test_stems_and_suffix_free_names():
    assert stem("石柱土家族自治县") == "石柱"
    assert stem("巴音郭楞蒙古自治州") == "巴音郭楞"
    assert stem("新疆维吾尔自治区") == "新疆"
    assert stem("高邑县") == "高邑"
    assert resolve_region("高邑").code == "130127"
    assert resolve_region("内蒙古").code == "150000"
    assert resolve_region("石柱").code == "500240"
    assert resolve_region("吉林") is None  # province and prefecture
    assert resolve_region(" 高 邑 县 ").code == "130127"
    assert resolve_region("") is None
    assert resolve_region("火星县") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("高邑县信访局2021年部门预算", "130127"),
        ("上海市普陀区商务委员会", "310107"),
        ("浙江省舟山市普陀区财政局2022年部门决算", "330903"),
        ("河北省石家庄市2021年市级预算", "130100"),
        ("河北省2021年省级部门预算", "130000"),
        ("赵县财政局2021年部门预算", "130133"),
        ("河北省赵县财政局", "130133"),
        ("阳泉市城区教育局", "140302"),
        ("福建省福州市鼓楼区卫生健康局", "350102"),
        ("石柱土家族自治县民政局", "500240"),
    ],
)
def test_find_region_in_text(text, code):
    assert find_region_in_text(text).code == code


@pytest.mark.parametrize(
    "text",
    [
        "普陀区商务委员会",  # Shanghai or Zhoushan: nothing says which
        "江苏省鼓楼区",  # two 鼓楼区 in Jiangsu
        "关于赵县",  # a two-character name inside running text is not trusted
        "信访局2021年部门预算",
        "",
    ],
)
def test_find_region_in_text_refuses_to_guess(text):
    assert find_region_in_text(text) is None


def test_generator_pads_codes_and_classifies_levels():
    areas = [
        {"code": "11", "name": "北京市", "children": [{"code": "110101", "name": "东城区"}]},
        {"code": "13", "name": "河北省", "children": [
            {"code": "1301", "name": "石家庄市", "children": [{"code": "130127", "name": "高邑县"}]},
        ]},
        {"code": "41", "name": "河南省", "children": [{"code": "419001", "name": "济源市"}]},
        {"code": "44", "name": "广东省", "children": [{"code": "4419", "name": "东莞市"}]},
        {"code": "资料暂缺", "name": "某省"},
    ]
    rows = flatten(areas)
    assert ("110101", "东城区", "county", "110000") in rows
    assert ("130100", "石家庄市", "city", "130000") in rows
    assert ("130127", "高邑县", "county", "130100") in rows
    assert ("419001", "济源市", "county", "410000") in rows
    assert ("441900", "东莞市", "city", "440000") in rows
    assert not any(r[1] == "某省" for r in rows)
    assert ("710000", "台湾省", "province", "") in rows  # GB/T 2260 supplement
    with pytest.raises(ValueError, match="not an administrative division code"):
        six_digits("1234567")


def test_committed_table_is_sorted_and_unique():
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        codes = [r["code"] for r in csv.DictReader(fh)]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))


def test_registry_names_resolve(portal_registry_csv):
    with portal_registry_csv.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3215
    unresolved = [
        r["地区名称"] for r in rows
        if resolve_region(r["地区名称"], province=r["省份"] or None, city=r["城市"] or None) is None
    ]
    # 大兴安岭's four districts and the 兵团 have no GB/T 2260 code of their own
    assert sorted(unresolved) == sorted(["加格达奇区", "松岭区", "新林区", "呼中区", "新疆生产建设兵团"])


# ------------------------------------------------------------------ hierarchy from the table


@pytest.mark.parametrize("code, parent", [
    ("110101", "110000"),  # regression: a municipality's district belongs to the municipality, not to "110100"
    ("130127", "130100"), ("130100", "130000"), ("130000", None),
    ("419001", "410000"),  # 济源市: a county-level city directly under 河南省
    ("999999", None),
])
def test_parent_code_comes_from_the_reference_table(code, parent):
    assert parent_code(code) == parent


def test_levels_and_lineage_come_from_the_table():
    assert [region_level(c) for c in ("110000", "110101", "130100", "419001")] == [
        "province", "county", "city", "county"]
    assert lineage("130127") == ["130127", "130100", "130000"]
    assert lineage("110101") == ["110101", "110000"]


def test_a_city_selects_its_own_counties_only():
    # regression: rstrip("0") made 131000 (廊坊市) a prefix of 131100 (衡水市) and 500000 (重庆) of 510100 (成都)
    langfang = codes_within("131000")
    assert "131002" in langfang and "131100" not in langfang and "131102" not in langfang
    assert not is_within("510104", "500000") and is_within("500101", "500000")


@pytest.mark.parametrize("name, code", [("河北", "130000"), ("河北省", "130000"), ("内蒙古", "150000"),
                                        ("吉林", "220000"), ("河北区", None), ("火星", None)])
def test_province_named_with_or_without_suffix(name, code):
    ref = province_named(name)
    assert (ref.code if ref else None) == code


def test_region_prefix_selects_exactly_the_codes_under_a_region():
    codes = list(region_table().by_code)
    under: dict[str, set[str]] = {code: set() for code in codes}
    for code in codes:
        for ancestor in lineage(code):
            under[ancestor].add(code)
    for code in codes:
        prefix = region_prefix(code)
        assert {c for c in codes if c.startswith(prefix)} == under[code], code
    assert codes_within("131000") == frozenset(under["131000"])
    assert [region_prefix(c) for c in ("130000", "131000", "130130", "110101")] == ["13", "1310", "130130", "110101"]
    with pytest.raises(ValueError, match="not a GB/T 2260 region code"):
        region_prefix("999999")
