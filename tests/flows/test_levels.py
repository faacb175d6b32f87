"""The level and body type of a conformed department: from its name, stated parent and GB/T 2260."""

from __future__ import annotations

import pytest

from flows.levels import Level, department_level


@pytest.mark.parametrize("name, region, parent, recorded, expected", [
    ("国家信访局", None, None, [], Level("national", "department", "name")),
    ("国家信访局", "370124", None, [], Level("national", "department", "name")),  # wherever a text placed it
    ("西南大学", "500000", "教育部", ["provincial"], Level("national", "central_unit", "parent")),
    ("北京市信访办公室", "110000", None, [], Level("provincial", "department", "region")),  # a provincial-level city
    ("深圳市信访局", "440300", None, [], Level("city", "department", "region")),
    ("高邑县信访局", "130127", None, [], Level("county", "department", "region")),
    ("井陉县第一中学", "130121", "井陉县教育局", [], Level("county", "unit", "region")),
    # what an older parser recorded (a local 宣传部 taken for a ministry) is corrected at the refresh
    ("中共两当县委宣传部", "621228", None, ["national"], Level("county", "department", "region")),
    ("某县某镇人民政府", None, None, [], Level("township", "department", "name")),
    ("某镇卫生院", None, None, [], Level("township", "unit", "name")),
    ("某县审计局", None, None, [], Level("county", "department", "name")),  # no region, but its place word
    ("某区疾控中心", None, None, [], Level("county", "unit", "name")),
    ("首都绿化委员会办公室", None, None, ["provincial"], Level("provincial", "department", "document")),
    ("首都绿化委员会办公室", None, None, [], Level(None, "department", None)),  # unknown: listed by --unmapped
])
def test_department_level(name, region, parent, recorded, expected):
    assert department_level(name, region, parent, recorded) == expected
