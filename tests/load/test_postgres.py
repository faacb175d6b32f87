"""The same document into PostgreSQL: migrations, COPY bulk path, views, idempotence."""

from decimal import Decimal

import pytest
from sqlalchemy import text

from flows.pipeline import prepare, store
from load.warehouse import opened
from tests.conftest import SEED_PATH
from tests.pg_server import postgres_server


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        yield url


def test_seed_loads_into_postgres_with_the_same_figures(pg_url):
    data = SEED_PATH.read_bytes()
    with opened(pg_url) as engine:
        for _ in range(2):  # twice: replacing, not appending
            store(engine, prepare(data, "file:///seed.txt"))
        with engine.connect() as connection:
            summary = connection.execute(text("SELECT * FROM v_budget_summary")).mappings().one()
            targets = connection.execute(text("SELECT COUNT(*) FROM v_performance_indicator")).scalar_one()
            failed = connection.execute(
                text("SELECT rule_code FROM v_data_quality WHERE passed = false")).scalars().all()
            projects = connection.execute(text("SELECT SUM(amount_yuan) FROM v_project")).scalar_one()
    assert summary["expenditure_total_yuan"] == Decimal("2422400.00")
    assert summary["three_public_reception_yuan"] == Decimal("600.00")
    assert summary["operating_expenses_yuan"] == Decimal("143300.00")
    assert targets == 70
    assert projects == Decimal("1312400.00")
    assert failed == ["stated_year_matches_fiscal_year"]
