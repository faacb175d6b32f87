"""The Prefect-free runner: scoping by region code, batching."""

import shutil

import pytest

from flows.runner import folder_items, region_prefix, run_items
from load.warehouse import opened
from tests.conftest import SEED_PATH


@pytest.mark.parametrize("code, prefix", [("130000", "13"), ("130100", "1301"), ("130127", "130127"),
                                          ("130130", "130130")])
def test_region_prefix_follows_the_level(code, prefix):
    # regression: stripping trailing zeros made 无极县 (130130) match every 13013x county
    assert region_prefix(code) == prefix


def test_batches_of_one_give_the_same_result(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_PATH, folder / "a.txt")
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.txt").write_text(SEED_PATH.read_text(encoding="utf-8").replace("高邑县", "赵县"), encoding="utf-8")
    with opened(f"duckdb:///{tmp_path / 'w.duckdb'}") as engine:
        summary = run_items(engine, folder_items(folder), batch_size=1, region="130133")
    assert [(r.status, r.department_name) for r in summary.reports] == [
        ("skipped", "高邑县信访局"), ("quarantined", None), ("loaded", "赵县信访局")]
