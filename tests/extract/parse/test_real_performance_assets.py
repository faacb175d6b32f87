"""Project performance tables and assets of the real corpus in ../shared: counted against
what each document shows, read page by page by a person (issue 8 item 3).

Per document: projects and indicator rows by scope (project, special_fund, department),
and the asset figures of the 国有资产占用 section (held / planned purchase). A project
table that the pipeline read as nothing, a continuation taken for a project, or a lost
indicator row changes these counts.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from extract.parse.document import parse_document
from extract.read.reader import read_document
from tests.conftest import require_shared

# file part → ({scope: projects}, {scope: indicator rows}) as the pages show them

# several real PDFs read whole: full suite only (tests/extract/parse/test_performance_tables.py and
# test_assets.py keep the fast lane's checks of these parsers)
pytestmark = pytest.mark.slow


SHOWN = {
    "附件2": ({"project": 9, "department": 1}, {"project": 68, "department": 10}),
    "深圳市信访局": ({"project": 6}, {}),
    "深圳市财政局": ({"project": 8}, {}),
    "福州市公安局": ({"project": 2}, {"project": 12}),
    "西安市人民政府办公厅": ({"project": 9, "department": 1}, {"project": 94, "department": 19}),
    "宣传部": ({"project": 1, "special_fund": 1, "department": 1}, {"project": 16, "special_fund": 8, "department": 17}),
    "烟台市审计局": ({"project": 6}, {"project": 63}),
    "烟台市民政局": ({"project": 20, "special_fund": 1}, {"project": 165, "special_fund": 11}),
    "长春市信访局": ({"project": 4}, {"project": 16}),
    "上海市公安局": ({}, {}),  # says "编报绩效目标的项目共3个" but prints no table
}
# file part → {(category, measure): (quantity, value as printed with its unit)}
ASSETS = {
    "福州市公安局": {("vehicles", "held"): ("16", ""), ("large_equipment", "held"): ("0", ""),
                 ("vehicles", "planned_purchase"): ("2", ""), ("large_equipment", "planned_purchase"): ("0", "")},
    "长春市信访局": {("vehicles", "held"): ("3", ""), ("total", "held"): ("", "4295.98万元"),
                ("buildings", "held"): ("", "3773.63万元"), ("equipment", "held"): ("", "335.24万元"),
                ("furniture", "held"): ("", "172.11万元"), ("intangible", "held"): ("", "15万元")},
    "深圳市财政局": {("vehicles", "held"): ("3", ""), ("large_equipment", "held"): ("16", ""),
                ("vehicles", "planned_purchase"): ("0", "0.00万元"),
                ("large_equipment", "planned_purchase"): ("0", "0.00万元")},
    # "2026 年预算安排中，购置单位价值 100 万元以上的设备 0 台（套）": the plan's clause after the comma
    "北京市审计局部门预算": {("vehicles", "held"): ("17", ""), ("large_equipment", "held"): ("2", ""),
                     ("large_equipment", "planned_purchase"): ("0", "")},
    "烟台市民政局": {("vehicles", "held"): ("5", ""), ("large_equipment", "held"): ("7", ""),
                ("large_equipment", "planned_purchase"): ("0", "")},
    "2019年度部门预算公开文件": {("vehicles", "held"): ("127", ""), ("large_equipment", "held"): ("33", "")},
}
THRESHOLDS = {"福州市公安局": "100万元", "2019年度部门预算公开文件": "20万元", "上海市公安局": "100万元"}


@pytest.fixture(scope="module")
def parsed() -> dict[str, object]:
    root = require_shared("corpus", "real")
    wanted = set(SHOWN) | set(ASSETS) | set(THRESHOLDS)
    out = {}
    for path in sorted(root.rglob("*.pdf")):
        part = next((w for w in wanted if w in path.name), None)
        if part:
            out[part] = parse_document(read_document(path.read_bytes(), str(path)))
    assert set(out) == wanted
    return out


@pytest.mark.parametrize("part", sorted(SHOWN))
def test_projects_and_indicator_rows_as_the_document_shows_them(parsed, part):
    result = parsed[part]
    projects, indicators = SHOWN[part]
    scope = {p.seq: p.scope for p in result.projects}
    assert dict(Counter(p.scope for p in result.projects)) == projects
    assert dict(Counter(scope[i.project_seq] for i in result.indicators)) == indicators
    names = [(p.scope, p.project_name, p.unit_name) for p in result.projects]
    assert len(names) == len(set(names)), "a project read twice"
    assert all(p.amount_text for p in result.projects), "a project with no amount (a continuation?)"


def test_project_amounts_add_up_where_the_document_lists_every_project(parsed):
    """The figures the project rules need: each project's amount and the document's own total
    (长春: Σ = 项目支出 474.56; 深圳 财政局 and 烟台 审计局: Σ = the narrative's 涉及…资金)."""
    def total(part: str) -> Decimal:
        return sum(Decimal(p.amount_text.replace(",", "")) for p in parsed[part].projects if p.scope == "project")

    assert total("长春市信访局") == Decimal("474.56")
    for part in ("深圳市财政局", "烟台市审计局"):
        [stated] = [a for a in parsed[part].amounts if (a.statement, a.item) == ("project_list", "amount")]
        assert total(part) == Decimal(stated.amount_text.replace(",", "")), part
    [count] = [a for a in parsed["长春市信访局"].amounts if (a.statement, a.item) == ("project_list", "count")]
    assert (count.amount_text, count.label) == ("4", "四个二级项目")  # "公开四个二级项目支出绩效目标"


@pytest.mark.parametrize("part", sorted(ASSETS))
def test_assets_of_the_state_assets_section(parsed, part):
    got = {(a.category, a.measure): (a.quantity_text, a.value_text + a.value_unit) for a in parsed[part].assets}
    assert got == ASSETS[part]


@pytest.mark.parametrize("part", sorted(THRESHOLDS))
def test_large_equipment_keeps_its_printed_unit_value_threshold(parsed, part):
    thresholds = {a.threshold_text for a in parsed[part].assets if a.category == "large_equipment"}
    assert thresholds == {THRESHOLDS[part]}
