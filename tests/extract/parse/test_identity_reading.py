"""Issue 15: the pieces identity is read with — names, title lines, statements, look-alikes — each
against the kinds of text county and township pages print (reduced from real pages)."""

from __future__ import annotations

import pytest

from extract.parse.document import parse_document
from extract.parse.identity.lines import title_lines, title_text
from extract.parse.identity.names import admin_level, body_type, is_region_only, is_township, organisation_name
from extract.parse.identity.statements import announced, overview_subject, statements, subject_before
from extract.read.model import Line
from extract.read.reader import read_document
from reference.regions import region_by_code
from reference.vocabulary import look_alike


def parse_text(text: str):
    return parse_document(read_document(text.encode("utf-8"), "mem://doc.txt"))


@pytest.mark.parametrize(("candidate", "name"), [
    ("某县水利局", "某县水利局"),
    ("某镇卫生院", "某镇卫生院"),
    ("某某镇", "某某镇"),  # a township names its government
    ("深圳市财政局（本级）", "深圳市财政局（本级）"),
    ("西安市人民政府办公厅（汇总）", "西安市人民政府办公厅（汇总）"),
    ("杭州市钱塘区综合行政执法局(杭州市钱塘区城市管理局)", "杭州市钱塘区综合行政执法局(杭州市钱塘区城市管理局)"),
    ("铜梁区围龙镇本级", "铜梁区围龙镇"),
    ("现将", None), ("第二部分", None), ("决算数未超过", None), ("为加强", None), ("经费)", None),
    ("标题：某县水利局", None), ("目录第一部分温泉街道办事处", None), ("某县", None), ("北京市", None),
    ("本单位", None), ("说明宁国市城市管理行政执法局", None),
])
def test_what_counts_as_an_organisations_name(candidate, name):
    assert organisation_name(candidate) == name


def test_regions_townships_levels_and_types():
    assert is_region_only("某县") and is_region_only("某市本级") and not is_region_only("某县某镇")
    assert is_township("某县某镇人民政府") and is_township("某镇卫生院") and is_township("某街道办事处")
    assert not is_township("某县城乡规划设计院") and not is_township("某县乡村振兴局")
    gaoyi = region_by_code("130127")
    assert admin_level("高邑县信访局", gaoyi) == "county"
    assert admin_level("高邑县某镇人民政府", gaoyi) == "township"
    assert admin_level("国家信访局", None) == "national"
    assert admin_level("西南大学", region_by_code("500000"), parent="教育部") == "national"
    assert admin_level("重庆市气象局", region_by_code("500000")) == "provincial"
    # a ministry by name; a local Party 宣传部 or 组织部 is not one, wherever it is placed
    assert [admin_level(n, None) for n in ("教育部", "住房和城乡建设部", "中华人民共和国外交部", "中共中央宣传部")] == [
        "national"] * 4
    assert admin_level("中共两当县委宣传部", region_by_code("621228")) == "county"
    assert admin_level("中共西安市委宣传部", None) is None and admin_level("某县统战部", None) is None
    assert (body_type("某县中医院", None), body_type("某县法院", None), body_type("某县审计局", None)) == (
        "unit", "department", "department")


@pytest.mark.parametrize(("line", "cleaned"), [
    ("标题：某县水利局2021年部门预算", "某县水利局2021年部门预算"),
    ("【财政预算】某县某镇政府2020年部门预算情况说明", "某县某镇政府2020年部门预算情况说明"),
    ("预算/决算>预算公开", None),
    ("[ 体裁分类 ] 财政预算、决算", None),
    ("您当前的位置：首页>水利局>政务公开", None),
    ("发布时间：2022-10-14", None),
    ("2024-11-13 10:10:00", None),
    ("打印本页", None),
])
def test_portal_furniture_is_not_a_title(line, cleaned):
    assert title_text(line) == cleaned


def _lines(*texts: str) -> list[Line]:
    return [Line(1, k, t) for k, t in enumerate(texts, start=1)]


def test_the_title_below_a_portals_menus():
    """Menus, a site name and a breadcrumb stand above the title on a saved page."""
    lines = _lines("云县人民政府", "无障碍浏览长者模式", "政府信息公开", "依申请公开",
                   "中国共产党云县委员会宣传部2023年度部门决算", "来源: 作者: 时间:2024-10-22", "目录")
    assert [line.text for line in title_lines(lines)] == ["中国共产党云县委员会宣传部2023年度部门决算"]
    lines = _lines("重庆市铜梁区围龙镇人民政府", "2021年度“三公”经费决算汇总情况", "按照《预算法》…，现将…公布如下:")
    assert [line.text for line in title_lines(lines)] == ["重庆市铜梁区围龙镇人民政府", "2021年度“三公”经费决算汇总情况"]
    assert title_lines(_lines("2019年度“三公”经费财政拨款支出预算为44.52万元。")) == []


def test_statements_give_subject_year_and_kind():
    text = "按照市政府、区政府关于推进政府信息公开工作部署和要求,现将某某镇2020年度三公经费决算情况公布如下:"
    stated = announced(text)
    assert (stated.subject, stated.year, stated.what) == ("某某镇", 2020, "三公经费决算")
    assert announced("现将2021年部门预算公开如下:").subject is None
    assert overview_subject("现将2021年部门预算公开如下:一、某镇卫生院基本概况收入预算100.00万元。") == "某镇卫生院"
    found = statements("一、某县中医院概况(一)主要职能提供医疗服务。二、某县中医院2021年收支预算情况的总体说明")
    assert [(s.subject, s.year, s.what) for s in found] == [("某县中医院", 2021, "收支预算")]
    joined = "二、2016年三公经费财政拨款支出决算情况说明宁国市城市管理行政执法局2016年度"
    assert subject_before(joined, joined.rindex("2016")) == "宁国市城市管理行政执法局"


@pytest.mark.parametrize(("title", "code"), [
    ("关于2025年全市财政预算执行情况和2026年全市及市级财政预算草案的报告", "government_fiscal_report"),
    ("某县2021年预算执行情况和2022年预算草案", "government_fiscal_report"),
    ("关于某市2025年财政决算的报告", "government_fiscal_report"),
    ("某市2026年政府预算信息公开", "government_fiscal_report"),
    ("某县2022年国民经济和社会发展统计公报", "statistical_bulletin"),
    ("关于某县2021年度本级预算执行和其他财政收支情况的审计工作报告", "audit_report"),
    ("2017年预算81个单位未公开政府采购安排情况说明", "procurement"),
    ("某县水利局2022年政府采购意向公告", "procurement"),
])
def test_look_alike_titles(title, code):
    assert look_alike(title).code == code


@pytest.mark.parametrize("title", [
    "某县水利局2021年部门预算", "某县某镇人民政府2021年度“三公”经费决算汇总情况", "2017年政府采购预算表",
    "某县审计局2026年部门预算", "上海市2026年市级单位预算", "某局2021年部门预算执行情况说明",
])
def test_disclosure_titles_are_no_look_alikes(title):
    assert look_alike(title) is None


def test_a_page_that_speaks_for_a_whole_region_is_kept_out():
    """No department named, and its sentences are about the whole county (全县…收入完成)."""
    with pytest.raises(Exception) as caught:
        parse_text("2021年财政收支情况\n全县一般公共预算收入完成13.62亿元,收入总计66.05亿元。\n")
    assert caught.value.doc_class == "government_fiscal_report"


def test_a_unit_named_only_in_its_overview_heading_is_a_unit_budget():
    result = parse_text("一、某县中医院概况 (一)主要职能 提供医疗服务。 二、某县中医院2021年收支预算情况的总体说明 "
                        "某县中医院2021年收支总预算100.00万元。")
    meta = result.meta
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind, meta.fiscal_year_source, meta.body_type) == (
        "某县中医院", 2021, "unit_budget", "statement", "unit")


def test_a_ministrys_university_is_a_national_unit_wherever_it_sits():
    """cases/01: 西南大学（Southwest University）是教育部直属 — its parent is 教育部, so it is not
    重庆's education department (issue 15 item 2)."""
    from extract.parse.identity.classify import identity_columns
    from extract.parse.parent_department import find_parent_department
    from tests.conftest import require_shared

    path = require_shared("corpus", "cases", "01_university_budget_2021.pdf")
    doc = read_document(path.read_bytes(), str(path))
    meta = parse_document(doc).meta
    parent = find_parent_department(doc, meta.department_name)
    assert (meta.department_name, meta.admin_level, parent.name) == ("西南大学", "provincial", "教育部")
    assert identity_columns(meta, parent.name)["admin_level"] == "national"


def test_a_county_governments_report_is_government_wide_its_department_budget_is_not():
    with pytest.raises(Exception) as caught:
        parse_text("丰都县人民政府关于2021年决算情况的报告\n一、全县收支决算情况\n2021年全县一般公共预算本级收入238965万元。\n")
    assert caught.value.doc_class == "government_fiscal_report"
    with pytest.raises(Exception) as caught:
        parse_text("2022年云溪区人民政府决算公开\n2022年度云溪区一般公共预算收入表\n收入合计100万元。\n")
    assert caught.value.doc_class == "government_fiscal_report"
    meta = parse_text("某县人民政府2021年部门预算\n2021年收入预算100万元，支出预算100万元。\n").meta
    assert (meta.department_name, meta.doc_class) == ("某县人民政府", "department_budget")


@pytest.mark.parametrize("opening", [
    "经井研县财政局汇总,2020年井研县行政单位(含参照公务员法管理的事业单位)、事业单位和其他单位使用当年财政拨款安排的"
    "“三公”经费决算总额为1023万元。",
    "经汇总,2023年区级部门(单位)一般公共预算“三公”经费支出预算为2493.77万元。",
])
def test_a_three_public_summary_over_a_regions_bodies_is_kept_out(opening):
    with pytest.raises(Exception) as caught:
        parse_text(opening + "\n")
    assert caught.value.doc_class == "region_three_public_summary"


def test_a_townships_own_summary_is_its_disclosure():
    """经汇总 alone (a 镇's own units) is the township's statement, not a region's."""
    meta = parse_text("某镇人民政府2024年部门预算\n经汇总,2024年一般公共预算“三公”经费支出预算为14.01万元。\n").meta
    assert (meta.department_name, meta.doc_class) == ("某镇人民政府", "three_public_budget")


@pytest.mark.parametrize(("text", "name"), [
    # a site's menu, banner or metadata glued before the title's own name
    ("设为首页加入收藏无障碍阅读长者版黄石市下陆区东方社区卫生服务中心2023年部门预算\n2023年部门预算总收入729.95万元。\n",
     "黄石市下陆区东方社区卫生服务中心"),
    ("深圳市罗湖区人民政府罗湖区审计局2021年部门预算\n收入预算100万元。\n", "罗湖区审计局"),
    ("中国人民政治协商会议云南省寻甸回族彝族自治县委员会2020年部门决算\n本年支出合计30万元。\n",
     "中国人民政治协商会议云南省寻甸回族彝族自治县委员会"),
    # a name in a bracketed alias, a sector department, a year printed without 年
    ("皖江江南新兴产业集中区(管委会)2024年\n一般公共预算“三公”经费预算为328.7万元。\n", "皖江江南新兴产业集中区(管委会)"),
    ("2018年度寻甸县教育部门“三公”经费预算情况\n“三公”经费预算为10万元。\n", "寻甸县教育部门"),
    ("北京市人民政府国有资产监督管理委员会\n2026 部门预算情况的说明\n收入预算100万元。\n", "北京市人民政府国有资产监督管理委员会"),
    # no title: a sentence that opens with the name, the body's description of itself, its signature
    ("重庆市涪陵区武陵山乡人民政府(本级)2023年无使用一般公共预算拨款安排的“三公”经费。\n2023年“三公”经费预算0万元。\n",
     "重庆市涪陵区武陵山乡人民政府"),
    ("2018年万源市竹峪镇中心小学校收入预算总额120万元。\n", "万源市竹峪镇中心小学校"),
    ("一、部门情况说明\n（一）本部门职责情况\n北京市气象局属于公益性事业单位，职责是制定地方气象事业发展规划。\n"
     "2026年收入预算100万元。\n", "北京市气象局"),
    ("2016年“三公”经费预算为10万元。\n特此说明。\n眉山市东坡区卫生和计划生育局\n2016年12月15日\n", "眉山市东坡区卫生和计划生育局"),
])
def test_the_department_wherever_a_county_page_prints_it(text, name):
    meta = parse_text(text).meta
    assert meta.department_name == name and meta.hold_reason is None


def test_a_pages_metadata_rows_and_labels_are_never_its_title_or_year():
    """"公开目录 | 三公经费 | 发布日期 | 2025-06-06" is the portal's, the table title below is the page's."""
    meta = parse_text("索引号 | 11533025015264594R/20250606-00001 | 发布机构 | 昌宁县卡斯镇 |\n"
                      "公开目录 | 三公经费 | 发布日期 | 2025-06-06 |\n"
                      "2024年昌宁县卡斯镇“三公”经费预算财政拨款情况统计表 | ||||\n单位:万元 | ||||\n"
                      "项目 | 2023年预算数 | 2024年预算数 | 比上年增、减情况 | |\n合计 | 18.15 | 22.15 | 4 | 22% |\n").meta
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind) == ("昌宁县卡斯镇", 2024, "department_budget")


def test_a_townships_budget_report_is_government_wide():
    with pytest.raises(Exception) as caught:
        parse_text("重庆市铜梁区小林镇人民政府\n2022年决算报告\n全镇本级一般公共预算收入实现111.11万元。\n")
    assert caught.value.doc_class == "government_fiscal_report"


def test_a_scan_whose_title_ocr_lost_is_named_by_its_description_of_itself():
    # a scanned 北京 volume: OCR read its large title as 口口 / □□□□; only the 职责 paragraph names the body
    doc = parse_text("口口\n第一部分2026年度部门预算情况说明\n一、部门情况说明\n（一）本部门职责情况\n"
                     "某市审计局贯彻落实党中央关于审计工作的方针政策、决策部署。主要职责是:\n"
                     "二、收入预算情况说明\n本部门2026年收入预算1,234.56万元。")
    assert (doc.meta.department_name, doc.meta.fiscal_year) == ("某市审计局", 2026)
