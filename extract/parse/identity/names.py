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

from reference.regions import RegionRef
from schemas.vocabulary import UNIT_BUDGET

_CJK_NAME = r"[\u4e00-\u9fa5（）()·]"
_SCOPE = r"(?:[（(](?:本级|汇总|本部|机关|部门汇总|单位汇总)[）)])?"
#: Another name of the same body, printed after it: 某区综合行政执法局（某区城市管理局）.
_ALIAS = r"(?:[（(][\u4e00-\u9fa5]{2,30}?(?:局|委员会|委|会|办公室|办|院|中心|站|所|政府)[）)])?"
#: How the names of government bodies and public institutions end.
ORGANISATION_END = (
    r"(?:人民政府|政府|办事处|管理委员会|委员会|管委会|局|厅|委|办公室|办|院|学校|小学|中学|幼儿园|大学|学院|"
    r"校|所|站|中心|队|馆|社|团|会|部|处|室|署|监狱|场|园|台|公司|集团|联社|机关|指挥部|法院|检察院|宫|科|庭)"
)
TOWNSHIP_END = r"(?:镇|乡|街道|苏木)"
#: A sector's department as a whole (市直林业部门, 寻甸县教育部门), never 本部门/各部门/市级部门.
_SECTOR_DEPARTMENT = r"(?<![本各该级属关年度])部门"
#: A zone or area named by its organisation in brackets: 某某新兴产业集中区(管委会).
_ALIAS_ORGANISATION = re.compile(r"[（(][\u4e00-\u9fa5]{0,12}(?:管委会|委员会|管理局|办公室|办事处)[）)]$")
_NAME_END = re.compile(rf"(?:{ORGANISATION_END}|{TOWNSHIP_END}|{_SECTOR_DEPARTMENT}){_ALIAS}{_SCOPE}$")
#: Words that open a sentence, a label, a part or a general phrase: never a name's start.
_NOT_A_START = re.compile(
    r"^(?:现将|根据|按照|依据|依照|为了?|经|本|我|各|全|对|在|由|从|以|将|对于|关于印发|第?[一二三四五六七八九十\d]+部分|目录|"
    r"附件|标题|预算|决算|部门|单位|一般公共|政府性基金|国有资本|三公|机关运行|公开|说明|以下|如下|其中|合计|总计|"
    r"年度|年初|上年|当年|本年|主要|基本|项目|收入|支出|财政拨款|概况|情况|部分)"
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
    """某县, 北京市, 上海市普陀区, 某市本级: a whole region (county level or above), not one of its
    bodies — the GB/T 2260 names end to end (or a 某… placeholder), nothing else."""
    from reference.regions import mentions

    text = re.sub(r"(?:本级|级|全境)$", "", _strip(name))
    if not _REGION_ONLY.match(_strip(name)):
        return False
    if re.fullmatch(r"某+(?:省|市|区|县|州|旗|盟|地区)", text):
        return True
    found, at = mentions(text), 0
    for mention in found:
        if mention.start != at:
            return False
        at = mention.end
    return bool(found) and at == len(text)


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
    if not _NAME_END.search(name) and not _ALIAS_ORGANISATION.search(name):
        return None
    return name


def is_region_government(name: str) -> bool:
    """某县人民政府, 某市政府: a county's or city's government as a whole (a township's is a body
    that publishes its own budget; a county's 人民政府办公室 is a department)."""
    core = re.sub(r"(?:人民)?政府$", "", _strip(name))
    return core != _strip(name) and is_region_only(core) and not is_township(name)


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
    if kind == UNIT_BUDGET or _UNIT_END.search(_strip(name)):
        return "unit"
    return "department"


def levels_of(name: str | None, region_code: str | None, kind: str | None) -> dict[str, str | None]:
    """``admin_level`` and ``body_type`` of a body named ``name`` in region ``region_code`` (a
    person's identity for a held document)."""
    from reference.regions import region_by_code

    return {"admin_level": admin_level(name, region_by_code(region_code) if region_code else None),
            "body_type": body_type(name, kind)}


#: Words a line ends with that run into the next line's name when lines are joined ("…情况说明" +
#: "宁国市…局" → "…说明宁国市…局"): a name never starts on their last character.
_JOINED_WORDS = ("说明", "情况", "公开", "报告", "概况", "简介", "部分", "目录", "首页", "版本", "搜索", "分类", "机构",
                 "年度", "本站", "长者版", "模式", "浏览", "设置")
_PARTY = re.compile(r"中国共产党|中国人民政治协商会议|中共|政协|共青团|中国国民党革命委员会|中国民主同盟|九三学社")
_PLACED = re.compile(r"^(?:某|中共|中国共产党|中国人民政治协商会议|政协|共青团|中国)")
#: Where an organisation's name ends inside a longer run of text (a site's banner or publisher
#: glued before the title's own name: 深圳市罗湖区人民政府 | 罗湖区审计局).
_ENDS_A_NAME = re.compile(ORGANISATION_END)


def _after_banner(name: str) -> str:
    """The name that follows a banner or publisher glued before it: the last placed organisation name
    inside ``name`` whose text before it already ended a name (…人民政府|罗湖区审计局, 开远市教育体育局有效|
    开远市第四中学校); a region chain (上海市|普陀区财政局) or a prefix (中共|北京市委…) is no banner."""
    for j in range(2, len(name) - 2):
        rest = name[j:]
        # the party or CPPCC prefix ends no name: 中国人民政治协商会议云南省…委员会 is one name
        if _ENDS_A_NAME.search(_PARTY.sub("", name[:j])) and organisation_name(rest) == rest and is_placed(rest) \
                and not is_township(name[:j]):
            return rest
    return name


def is_placed(name: str) -> bool:
    """Does the name begin with a place's name (宁国市…, 某县…) or a party or CPPCC prefix (中共…)?"""
    from reference.regions import starts_with_region

    return bool(_PLACED.match(name)) or starts_with_region(name)


def best_name(text: str | None) -> str | None:
    """The organisation name ``text`` ends with: the longest that begins with a place's name (宁国市…,
    某县…, 中共…), else the longest; never one that starts inside a word a joined line ended with
    (…说明|宁国市…), never a site's banner glued before it (…人民政府|罗湖区审计局). A trailing
    部门/单位 of a title ("北京市信访办公室部门 2026 年度部门预算") is not part of the name."""
    if not text:
        return None
    text = _strip(text)
    for trimmed in (re.sub(r"(?:部门|单位)$", "", text) if len(text) > 6 else text, text):
        names = []
        for i in range(len(trimmed) - 1):
            if i and trimmed[i - 1 : i + 1] in _JOINED_WORDS:
                continue
            name = organisation_name(trimmed[i:])
            if name:
                names.append(_after_banner(name))
        names = [n for n in names if not n.startswith(_JOINED_WORDS)]
        placed = [n for n in names if is_placed(n)]
        after_word = [n for n in names if any(trimmed.endswith(w + n) for w in _JOINED_WORDS)]
        if placed or after_word or names:
            return (placed or after_word or names)[0]
    return None
