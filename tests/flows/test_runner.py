"""The Prefect-free runner: scoping by region (from the GB/T 2260 reference), batching."""

import shutil

import pytest

from flows.request import RunRequest
from flows.runner import folder_items, run_items
from tests.conftest import SEED_PATH


@pytest.mark.parametrize("document_region, scope, inside", [
    ("130127", "130127", True), ("130127", "130100", True), ("130127", "130000", True),
    ("130130", "130130", True), ("130131", "130130", False),  # 无极县 is not a prefix of 平山县
    ("131102", "131000", False),  # regression: 131000 (廊坊市) must not select 131100 (衡水市)'s counties
    ("131100", "131000", False), ("131002", "131000", True),
    ("510104", "500000", False),  # regression: 500000 (重庆市) must not select 510100 (成都市)
    ("110101", "110000", True), ("110101", "110100", False),  # 东城区 belongs to 北京市 itself
    (None, "130000", False),
])
def test_region_scope_follows_the_reference_table(document_region, scope, inside):
    reason = RunRequest(region=scope).out_of_scope(2021, document_region)
    assert (reason is None) == inside, reason


def test_province_scope_and_years():
    request = RunRequest(province="河北省", years=(2021,))
    assert request.out_of_scope(2021, "130127") is None
    assert request.out_of_scope(2021, "310107") == "region 310107 outside the requested province 130000"
    assert request.out_of_scope(2020, "130127") == "fiscal year 2020 outside the requested years"
    assert request.out_of_scope(2021, None) == ("the document names no region this tool recognises, and the run "
                                                "is limited to province 130000")


def test_batches_of_one_give_the_same_result(tmp_path, engine):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_PATH, folder / "a.txt")
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.txt").write_text(SEED_PATH.read_text(encoding="utf-8").replace("高邑县", "赵县"), encoding="utf-8")
    summary = run_items(engine, folder_items(folder), RunRequest(region="130133"), batch_size=1)
    assert [(r.status, r.department_name) for r in summary.reports] == [
        ("skipped", "高邑县信访局"), ("quarantined", None), ("loaded", "赵县信访局")]
