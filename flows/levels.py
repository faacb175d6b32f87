"""Who a conformed department is compared with: its administrative level and its kind of body.

A county 信访局 is comparable with county 信访局s, not with a province's 信访办 or with 国家信访局;
a 教育部 university is not 重庆's 教育 department. :func:`department_level` decides, for one
department, from what its documents recorded when they were read (``dim_document.admin_level``,
``body_type``: :mod:`extract.parse.identity.names`) and from GB/T 2260:

1. ``national`` where the name says so (国家…, 中央…, a ministry) or the parent its documents state
   is a ministry or a central body (a 教育部 university) (``level_source`` name / parent);
2. ``township`` where the name is a 镇/乡/街道 body or one of its units (name);
3. else the GB/T 2260 level of the department's region: provincial (a province or a
   provincial-level city such as 北京市), city (地级), county (县级: counties, districts, county-level
   cities) (region);
4. else, for a name no region places, its place word: 某县…/某区… county, 某省… provincial (name);
5. else the level its documents recorded when read (document), else unknown (NULL:
   ``county-budgets departments --unmapped`` lists it).

``body_type``: a unit (a 事业单位 by its name: 学校, 大学, 医院, 中心 …) or a department by its name,
whatever kind of budget it publishes (a 教育局 publishing its office's 单位预算 is still a
department); a unit of national level is a ``central_unit``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from extract.parse.identity.names import admin_level, body_type, is_township
from reference.regions import region_by_code

REGION_LEVELS = {"province": "provincial", "city": "city", "county": "county"}
# a name no GB/T 2260 region places (某县审计局, 某区疾控中心) still says its level by its place word
_NAMED_LEVEL = re.compile(r"^(?:中共)?(?:某+|[\u4e00-\u9fa5]{1,8}?)(?P<place>自治县|县|区|旗|自治区|省)")
_NAMED_LEVELS = {"自治县": "county", "县": "county", "区": "county", "旗": "county", "自治区": "provincial",
                 "省": "provincial"}


@dataclass(frozen=True)
class Level:
    admin_level: str | None
    body_type: str | None
    level_source: str | None


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def department_level(name: str | None, region_code: str | None, parent: str | None,
                     recorded: Iterable[str | None] = ()) -> Level:
    """The level, body type and where the level came from, for one department (see the module doc).
    ``recorded``: the ``admin_level`` its documents were given when read (the last resort: a level
    decided now from the name, the stated parent and GB/T 2260 comes first, so a refresh corrects
    what an older parser recorded)."""
    region = region_by_code(region_code) if region_code else None
    named = _NAMED_LEVEL.match(name or "") if region is None else None
    if admin_level(name, None, parent) == "national":
        level, source = "national", "parent" if admin_level(name, None) is None else "name"
    elif name and is_township(name):
        level, source = "township", "name"
    elif region is not None and region.level in REGION_LEVELS:
        level, source = REGION_LEVELS[region.level], "region"
    elif named:
        level, source = _NAMED_LEVELS[named.group("place")], "name"
    else:
        level = _most_common(r for r in recorded if r and r != "national")
        source = "document" if level else None
    body = body_type(name, None)
    if body == "unit" and level == "national":
        body = "central_unit"
    return Level(level, body, source)
