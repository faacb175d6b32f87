"""The refresh's reads of a region's figures and units (load.conformed): by document id for a few
documents (DuckDB's document_id index), by a filtered join for many or for every region — the same rows."""

import polars as pl
import pytest

from flows.runner import folder_items, run_items
from load import conformed
from tests.conftest import SEED_PATH

KEY = ["document_id", "statement", "item", "source", "page_no", "line_no"]


@pytest.fixture
def three_years(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    seed = SEED_PATH.read_text(encoding="utf-8")
    for year in ("2021", "2022", "2023"):
        (folder / f"{year}.txt").write_text(seed.replace("2021", year), encoding="utf-8")
    return folder


def test_a_regions_figures_are_the_same_rows_by_id_and_by_join(engine, three_years, monkeypatch):
    run_items(engine, folder_items(three_years))
    [region] = conformed.read_documents(engine)["region_code"].unique().to_list()
    everywhere = conformed.read_figures(engine).sort(KEY)
    by_id = conformed.read_figures(engine, [region]).sort(KEY)
    units = conformed.read_budget_units(engine, [region]).sort("document_id", "unit_name")
    monkeypatch.setattr(conformed, "INDEX_DOCUMENTS", 0)  # as for a chunk of a full rebuild
    by_join = conformed.read_figures(engine, [region]).sort(KEY)
    units_by_join = conformed.read_budget_units(engine, [region]).sort("document_id", "unit_name")
    assert by_id.height == everywhere.height == 21  # 7 printed figures a year
    assert by_id.equals(everywhere) and by_join.equals(everywhere)
    assert set(by_id["statement"]) <= set(conformed.FIGURE_STATEMENTS)
    assert by_id["amount_yuan"].null_count() == 0
    assert by_id.filter(pl.col("document_id").is_duplicated()).height > 0  # several figures a document
    assert conformed.read_figures(engine, ["999999"]).height == 0
    assert units.height == 3 and units.equals(conformed.read_budget_units(engine).sort("document_id", "unit_name"))
    assert units_by_join.equals(units)
