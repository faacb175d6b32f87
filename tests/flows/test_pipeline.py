"""The pipeline's plain functions: what ``prepare`` hands to ``store``."""

from __future__ import annotations

from flows.pipeline import prepare
from tests.conftest import SEED_PATH

SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")


def test_dim_region_takes_level_and_parent_from_the_reference():
    # regression: the parent of 110101 东城区 was invented as 110100 from trailing zeros
    data = SEED_TEXT.replace("高邑县", "北京市东城区").encode("utf-8")
    prepared = prepare(data, "file:///dongcheng.txt")
    assert prepared.status == "loaded" and prepared.region_code == "110101"
    assert prepared.frames["dim_region"].select("region_code", "level", "parent_code").rows() == [
        ("110101", "county", "110000")]


def test_seed_region_row_and_what_prepare_recognised(seed_bytes):
    prepared = prepare(seed_bytes, "file:///seed.txt")
    assert prepared.frames["dim_region"].row(0, named=True) == {
        "region_code": "130127", "region_name": "高邑县", "level": "county", "parent_code": "130100",
        "province_name": "河北省", "city_name": "石家庄市", "county_name": "高邑县"}
    assert (prepared.doc_kind, prepared.fiscal_year, prepared.page_count) == ("department_budget", 2021, 1)
    assert prepared.seconds > 0 and prepared.stage is None


def test_a_document_error_is_quarantined_with_its_stage():
    prepared = prepare(b"", "file:///empty.txt")
    assert (prepared.status, prepared.stage, prepared.reason) == ("quarantined", "read", "empty file (0 bytes)")
    assert prepared.frames["dim_document"]["status"].to_list() == ["quarantined"]
