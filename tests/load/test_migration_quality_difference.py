"""Revision 0003_dq_difference: an older warehouse gains fct_data_quality.difference and .tolerance."""

from decimal import Decimal

from alembic import command
from sqlalchemy import text

from flows.pipeline import prepare, store
from load.migrations.helpers import drop_columns, live_columns
from load.warehouse import _alembic_config, connect, ensure_schema
from tests.conftest import SEED_PATH


def test_older_warehouse_gains_the_columns_and_the_view_shows_them(tmp_path):
    engine = connect(f"duckdb:///{tmp_path / 'old.duckdb'}")
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0002")
            # a warehouse created before the columns existed (DuckDB: the table's index dropped and rebuilt)
            drop_columns(connection, "fct_data_quality", ["difference", "tolerance"])
            assert {"difference", "tolerance"}.isdisjoint(live_columns(connection, "fct_data_quality"))
        ensure_schema(engine)
        with engine.connect() as connection:
            assert {"difference", "tolerance"} <= live_columns(connection, "fct_data_quality")
        store(engine, prepare(SEED_PATH.read_bytes(), "file:///seed.txt"))
        with engine.connect() as connection:
            row = connection.execute(text(
                "SELECT passed, expected, actual, difference, tolerance FROM v_data_quality "
                "WHERE rule_code = 'stated_year_matches_fiscal_year'")).one()
        assert tuple(row) == (False, Decimal("2021.00"), Decimal("2020.00"), Decimal("-1.00"), Decimal("0"))
    finally:
        engine.dispose()
