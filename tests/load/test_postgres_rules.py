"""Rule verdicts of a real document into PostgreSQL, which enforces VARCHAR(48) where DuckDB does not.

Regression: 深圳市信访局's 2026 budget states 公务用车运行费 in both narrative and table, so the
narrative-vs-table rule for it ran, and its 49-character code broke the PostgreSQL load.
"""

from sqlalchemy import text

from flows.pipeline import prepare, store
from load.warehouse import opened
from tests.conftest import require_shared
from tests.pg_server import postgres_server


def test_real_document_rules_load_into_postgres_with_difference_and_tolerance():
    path = require_shared("corpus", "real", "003_深圳", "2026年深圳市信访局部门预算.pdf")
    prepared = prepare(path.read_bytes(), path.as_uri())
    with postgres_server() as url, opened(url) as engine:
        store(engine, prepared)
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT rule_code, passed, expected, actual, difference, tolerance FROM v_data_quality "
                "WHERE rule_code LIKE 'three_public_vehicle%'")).mappings().all()
            width = connection.execute(text(
                "SELECT character_maximum_length FROM information_schema.columns "
                "WHERE table_name = 'fct_data_quality' AND column_name = 'rule_code'")).scalar_one()
    by_code = {r["rule_code"]: r for r in rows}
    assert width == 48
    row = by_code["three_public_vehicle_op_narrative_vs_table"]
    assert row["passed"] is True and row["expected"] == row["actual"] == 26000 and row["difference"] == 0
    assert row["tolerance"] > 0
