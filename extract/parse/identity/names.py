"""Is a phrase an organisation's name? And which level and type of body is it?

A department's or unit's name ends the way organisations' names end (局, 委员会, 办公室,
人民政府, 卫生院, 中心, 站, 所 …), or is a township's (某某镇, 某乡, 某街道: its government);
it never starts with the words that open a sentence or a part (现将, 根据, 按照, 本单位,
第二部分) and never holds the words of a sentence about figures (决算数未超过, 公布如下).
A name that is only a region (某县, 北京市, 某市本级) names a whole government, not a
department: the documents it heads are government-wide.

Levels (``admin_level``): national (国家信访局, 教育部, a ministry's unit), provincial, city,
county (from the GB/T 2260 level of the region named), township (a 镇/乡/街道 and its units).
Types (``body_type``): department, or unit (a 事业单位: school, hospital, 卫生院, centre,
station, institute).
"""

from __future__ import annotations

import re

from extract.reference.regions import RegionRef

_CJK_NAME = r"[\u4e00-\u9fa5（）()·]"
_SCOPE = r"(?:[（(](?:本级|汇总|本部|机关|部门汇总|单位汇总)[）)])?"
#: Another name of the same body, printed after it: 某区综合行政执法局（某区城市管理局）.
_ALIAS = r"(?:[（(][\u4e00-\u9fa5]{2,30}?(?:局|委员会|委|办公室|办|院|中心|站|所|政府)[）)])?"
#: How the names of government bodies and public institutions end.
ORGANISATION_END = (
    r"(?:人民政府|政府|办事处|管理委员会|委员会|管委会|局|厅|委|办公室|办|院|学校|小学|中学|幼儿园|大学|学院|"
    r"校|所|站|中心|队|馆|社|团|会|部|处|室|署|监狱|场|园|台|公司|集团|联社|机关|指挥部|法院|检察院|宫|科|庭)"
)
TOWNSHIP_END = r"(?:镇|乡|街道|苏木)"
_NAME_END = re.compile(rf"(?:{ORGANISATION_END}|{TOWNSHIP_END}){_ALIAS}{_SCOPE}$")
#: Words that open a sentence, a label, a part or a general phrase: never a name's start.
_NOT_A_START = re.compile(
    r"^(?:现将|根据|按照|依据|依照|为了?|经|本|我|各|全|对|在|由|从|以|将|对于|关于印发|第[一二三四五六七八九十\d]+部分|目录|"
    r"附件|标题|预算|决算|部门|单位|一般公共|政府性基金|国有资本|三公|机关运行|公开|说明|以下|如下|其中|合计|总计|"
    r"年度|年初|上年|当年|本年|主要|基本|项目|收入|支出|财政拨款|概况|情况)"
)
#: Words of a sentence about figures or a disclosure, never inside a name.
_NOT_INSIDE = re.compile(r"决算数|预算数|未超过|超过|公布|如下|公开|说明|情况|报告|汇总|编制|目录|第[一二三四五六七八九十]+部分|[。，,；;：:、\d]")
_REGION_ONLY = re.compile(
    r"^(?:某+|[\u4e00-\u9fa5]{1,12}?)(?:省|市|区|县|自治区|自治州|自治县|旗|盟|地区|州)(?:本级|级|全境|全市|全县|全区)?$"
)
_TOWNSHIP_BODY = re.compile(rf"[\u4e00-\u9fa5]{{1,12}}?(?<!城)(?<!乡){TOWNSHIP_END}(?=人民政府|政府|办事处|[\u4e00-\u9fa5]{{2,12}}(?:院|所|站|中心|校|学|园)$|$)")
#: The State Council's ministries (部), today's and before the 2018 reform: ``^X部$`` alone would
#: take 中共某县委宣传部 or 某市委组织部 (local Party departments) for a ministry.
MINISTRIES = ("外交|国防|教育|科学技术|工业和信息化|公安|国家安全|民政|司法|财政|人力资源和社会保障|自然资源|生态环境|"
              "住房和城乡建设|交通运输|水利|农业农村|商务|文化和旅游|退役军人事务|应急管理|农业|文化|卫生|环境保护|国土资源|"
              "铁道|监察|人事|劳动和社会保障|建设|信息产业|科技")
_NATIONAL = re.compile(rf"^(?:国家|中央|中共中央|国务院|全国|中国(?!共产党[\u4e00-\u9fa5]{{1,8}}(?:省|市|县|区)))|"
                       rf"^(?:中华人民共和国)?(?:{MINISTRIES})部$")
#: Parents that make a unit a central one (a university or hospital of a ministry).
_NATIONAL_PARENT = re.compile(rf"^(?:国家|中央|国务院)|^(?:中华人民共和国)?(?:{MINISTRIES})部$|^国家卫生健康委员会$")
_UNIT_END = re.compile(
    rf"(?:(?<!人民)(?<!法)(?<!检察)(?<!研究)院|研究院|学校|小学|中学|幼儿园|大学|学院|(?<!办)校|所|站|中心|队|馆|社|团|场|园|台|公司|集团|宫){_SCOPE}$"
)


def _strip(name: str) -> str:
    return re.sub(r"\s+", "", name).strip("“”\"'‘’")


def is_region_only(name: str) -> bool:
    """某县, 北京市, 某市本级: a whole region (county level or above), not one of its bodies."""
    return bool(_REGION_ONLY.match(_strip(name)))


def organisation_name(candidate: str | None) -> str | None:
    """``candidate`` as a department's, unit's or township's name, or None when it is not one
    (a sentence's words, a label, a part heading, a whole region)."""
    if not candidate:
        return None
    name = _strip(candidate)
    name = re.sub(r"(?<=[\u4e00-\u9fa5]{2})本级$", "", re.sub(r"^关于", "", name))
    if not 2 <= len(name) <= 40 or not re.fullmatch(rf"{_CJK_NAME}+", name):
        return None
    core = re.sub(f"{_ALIAS}{_SCOPE}$", "", name)
    if _NOT_A_START.match(core) or _NOT_INSIDE.search(core) or is_region_only(core):
        return None
    if not _NAME_END.search(name):
        return None
    return name


def is_township(name: str) -> bool:
    """A township's government or one of its units (某镇人民政府, 某某镇, 某镇卫生院, 某街道办事处)."""
    return bool(_TOWNSHIP_BODY.search(_strip(name)))


def admin_level(name: str | None, region: RegionRef | None, parent: str | None = None) -> str | None:
    """national | provincial | city | county | township, or None when nothing tells."""
    if name and (_NATIONAL.match(_strip(name)) or (parent and _NATIONAL_PARENT.match(_strip(parent)))):
        return "national"
    if name and is_township(name):
        return "township"
    if region is None:
        return None
    return {"province": "provincial", "city": "city", "county": "county"}.get(region.level)


def body_type(name: str | None, kind: str | None) -> str | None:
    """unit (a 事业单位: school, hospital, centre, station …, or a 单位预算) or department."""
    if not name:
        return None
    if kind == "unit_budget" or _UNIT_END.search(_strip(name)):
        return "unit"
    return "department"


def levels_of(name: str | None, region_code: str | None, kind: str | None) -> dict[str, str | None]:
    """``admin_level`` and ``body_type`` of a body named ``name`` in region ``region_code`` (a
    person's identity for a held document)."""
    from extract.reference.regions import region_by_code

    return {"admin_level": admin_level(name, region_by_code(region_code) if region_code else None),
            "body_type": body_type(name, kind)}
