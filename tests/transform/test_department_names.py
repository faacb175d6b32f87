"""One department-name normaliser (reference.departments.canonical_name), which the department
ids of transform.dimensions use: a document of the whole department (（部门汇总）) and one of its
own office (（本级）) meet under one id, and what they cover stays told apart by their kind."""

from __future__ import annotations

from datetime import datetime, timezone

import polars as pl

from reference.departments import canonical_name, department_core
from schemas.vocabulary import DEPARTMENT_BUDGET, UNIT_BUDGET
from transform.dimensions import canonical_department_name, department_id, document_rows


def test_scope_suffixes_party_prefixes_and_blanks_give_one_name():
    same = ["长春市信访局", "长春市信访局（部门汇总）", "长春市信访局（本级）", "长春市信访局(汇总)", "长春市信访局 （单位汇总）"]
    assert {canonical_name(n) for n in same} == {"长春市信访局"}
    assert {canonical_name(n) for n in ("江苏省委办公厅", "中共江苏省委办公厅", "中国共产党江苏省委员会办公厅")} == {
        "江苏省委办公厅"}
    assert canonical_name("某市机关事务管理局(测试)") == "某市机关事务管理局（测试）"  # brackets inside stay, full-width
    assert canonical_department_name("长春市信访局（部门汇总）") == canonical_name("长春市信访局（部门汇总）")
    # the category matcher strips the same scope suffixes
    assert department_core("长春市信访局（部门汇总）", (("长春市", "长春"),)) == ("信访局", False)


def test_department_and_own_office_share_an_id_and_keep_their_kind_and_name():
    assert department_id("220100", "长春市信访局（部门汇总）") == department_id("220100", "长春市信访局")
    assert department_id("220100", "长春市信访局") != department_id("220200", "长春市信访局")
    stg = pl.DataFrame([
        {"document_id": "a", "region_code": "220100", "department_name": "长春市信访局（部门汇总）",
         "doc_kind": DEPARTMENT_BUDGET},
        {"document_id": "b", "region_code": "220100", "department_name": "长春市信访局（本级）", "doc_kind": UNIT_BUDGET},
        {"document_id": "c", "region_code": "220100", "department_name": "长春市信访局", "doc_kind": DEPARTMENT_BUDGET},
    ])
    rows = document_rows(stg, parser_version="t", loaded_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert rows["department_id"].n_unique() == 1
    # the unit/department distinction is the kind and the printed name, both kept as read
    assert rows.select("department_name", "doc_kind").rows() == [
        ("长春市信访局（部门汇总）", DEPARTMENT_BUDGET), ("长春市信访局（本级）", UNIT_BUDGET), ("长春市信访局", DEPARTMENT_BUDGET)]
