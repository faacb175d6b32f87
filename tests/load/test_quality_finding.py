"""Issue 16 in the warehouse: each failure says what it is (``finding``) and how large it is (``severity``),
on DuckDB and PostgreSQL, and an older warehouse gains the column (revision 0009_dq_finding)."""

from __future__ import annotations

from decimal import Decimal

from alembic import command
from sqlalchemy import text

from flows.pipeline import prepare, store
from load.comparison import quality_results
from load.migrations.helpers import drop_columns, live_columns
from load.warehouse import _alembic_config, connect, ensure_schema
from schemas.public import PUBLIC_VIEWS
from tests.conftest import SEED_PATH, query_rows

SEED = SEED_PATH.read_text(encoding="utf-8")
# the seed broken twice: its asset table's 资产总额 1,000 yuan above its categories (both printed in one table: a
# contradiction, 0.11%: an error), and its narrative "三公" total 0.1万 above the parts the passage lists (the
# pipeline's sum of a passage: unreconciled)
BROKEN = SEED.replace("资产总额\t——\t89.022001", "资产总额\t——\t89.122001", 1).replace(
    "“三公”经费预算安排1.06万元", "“三公”经费预算安排1.16万元", 1)


def _view_columns(engine, name: str) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text(f"SELECT * FROM {name} WHERE 1 = 0")).keys())


def test_v_data_quality_appends_finding_and_a_failure_says_what_it_is(engine):
    assert "v_data_quality" in PUBLIC_VIEWS
    assert _view_columns(engine, "v_data_quality") == [
        "document_id", "rule_code", "severity", "passed", "expected", "actual", "message", "difference",
        "tolerance", "finding"]
    assert BROKEN != SEED
    store(engine, prepare(BROKEN.encode("utf-8"), "file:///seed-broken.txt"))
    rows = {r[0]: r[1:] for r in query_rows(engine, "SELECT rule_code, passed, severity, finding, difference "
                                                    "FROM v_data_quality")}
    assert rows["assets_total_equals_categories"] == (False, "error", "contradiction", Decimal("1000.00"))
    assert rows["three_public_total_equals_parts"] == (False, "error", "unreconciled", Decimal("1000.00"))
    assert all(finding is None for passed, _, finding, _ in rows.values() if passed is not False)
    results = quality_results(engine)
    failed = results.filter(results["passed"] == False)  # noqa: E712
    assert set(failed["finding"].drop_nulls()) <= {"contradiction", "unreconciled"}
    assert "contradiction" in failed["finding"].to_list()


def test_an_older_warehouse_gains_the_finding_column(tmp_path):
    engine = connect(f"duckdb:///{tmp_path / 'old.duckdb'}")
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0006_identity")
            drop_columns(connection, "fct_data_quality", ["finding"])  # DuckDB: its index is dropped and rebuilt
            assert "finding" not in live_columns(connection, "fct_data_quality")
        ensure_schema(engine)
        with engine.connect() as connection:
            assert "finding" in live_columns(connection, "fct_data_quality")
        store(engine, prepare(BROKEN.encode("utf-8"), "file:///seed-broken.txt"))
        [(finding,)] = query_rows(engine, "SELECT finding FROM v_data_quality "
                                          "WHERE rule_code = 'assets_total_equals_categories'")
        assert finding == "contradiction"
    finally:
        engine.dispose()
