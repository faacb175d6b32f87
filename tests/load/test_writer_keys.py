"""Keys the writer keeps (issue 21): DuckDB's document facts and conformed rows carry no PRIMARY KEY.

DuckDB loads a key's index into the writer's memory to insert into its table, so the writer grew with
the warehouse. The flagged tables' rows are replaced whole by one writer after their keys were checked
unique; these tests hold that the keys stay unique without the constraint, that PostgreSQL keeps its
keys, and that a warehouse made before revision 0011 is rebuilt without losing a row.
"""

import importlib

import pytest
from alembic import command
from sqlalchemy import text

from flows.runner import folder_items, run_items
from load.migrations.helpers import duckdb_has_primary_key
from load.warehouse import _alembic_config, connect, ensure_schema
from schemas import metadata
from schemas.base import WRITER_KEYED
from schemas.warehouse import DOCUMENT_FACT_TABLES
from tests.conftest import SEED_PATH, make_warehouse_url

REVISION = importlib.import_module("load.migrations.versions.0011_duckdb_writer_keys")
FLAGGED = sorted(name for name, t in metadata.tables.items() if t.info.get(WRITER_KEYED))
KEYED = sorted(name for name, t in metadata.tables.items() if t.primary_key.columns and name not in FLAGGED)
DOCUMENT_ID_INDEXES = {f"ix_{t.name}_document_id" for t in DOCUMENT_FACT_TABLES}  # DuckDB's, one per fact


def live_keys(connection) -> set[str]:
    if connection.dialect.name == "duckdb":
        sql = "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
    else:
        sql = ("SELECT table_name FROM information_schema.table_constraints "
               "WHERE constraint_type = 'PRIMARY KEY' AND table_schema = current_schema()")
    return set(connection.execute(text(sql)).scalars())


def duplicated_keys(connection) -> dict[str, int]:
    """Per flagged table, how many key values occur more than once (0 everywhere when the writer kept them)."""
    out = {}
    for name in FLAGGED:
        keys = ", ".join(c.name for c in metadata.tables[name].primary_key.columns)
        out[name] = connection.execute(text(
            f"SELECT count(*) FROM (SELECT {keys} FROM {name} GROUP BY {keys} HAVING count(*) > 1) AS d")).scalar()
    return out


def row_counts(connection) -> dict[str, int]:
    return {name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar() for name in FLAGGED}


def test_the_revision_rebuilds_exactly_the_flagged_tables():
    assert sorted(REVISION.TABLES) == FLAGGED
    assert {t.name for t in DOCUMENT_FACT_TABLES} <= set(FLAGGED)
    assert {"fct_cross_document_check", "fct_cross_document_evidence", "fct_disclosure_observation",
            "dim_department_conformed"} <= set(FLAGGED)
    assert {"dim_document", "dim_region", "dim_project", "ops_run_document"} <= set(KEYED)


def document_id_indexes(connection) -> set[str]:
    if connection.dialect.name == "duckdb":
        sql = "SELECT index_name FROM duckdb_indexes()"
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    return {name for name in connection.execute(text(sql)).scalars() if name.endswith("_document_id")
            and not name.startswith("ix_src_")}


def test_duckdb_leaves_the_writers_keys_out_and_postgresql_keeps_every_key(engine):
    with engine.connect() as connection:
        live = live_keys(connection)
        indexes = document_id_indexes(connection)
    if engine.dialect.name == "duckdb":
        assert live.isdisjoint(FLAGGED)
        assert set(KEYED) <= live  # ON CONFLICT DO NOTHING needs the dimensions' keys
        assert indexes == DOCUMENT_ID_INDEXES  # a document's rows are found through them
    else:
        assert set(FLAGGED) | set(KEYED) <= live
        assert indexes == set()  # the primary key (document_id, …) serves those lookups


@pytest.fixture
def two_years(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    seed = SEED_PATH.read_text(encoding="utf-8")
    (folder / "a.txt").write_text(seed, encoding="utf-8")
    (folder / "b.txt").write_text(seed.replace("2021", "2022"), encoding="utf-8")
    return folder


def test_reloads_changes_and_refreshes_leave_every_key_unique(engine, two_years):
    run_items(engine, folder_items(two_years))
    with engine.connect() as connection:
        first = row_counts(connection)
    path = two_years / "a.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("公务接待费0.06万元", "公务接待费0.07万元"),
                    encoding="utf-8")
    assert run_items(engine, folder_items(two_years)).counts["loaded"] == 1
    assert run_items(engine, folder_items(two_years)).counts["unchanged"] == 2
    with engine.connect() as connection:
        assert duplicated_keys(connection) == dict.fromkeys(FLAGGED, 0)
        assert row_counts(connection) == first
    assert first["fct_budget_line"] > 0 and first["fct_cross_document_check"] > 0
    assert first["fct_disclosure_observation"] == 2


def test_an_older_duckdb_warehouse_is_rebuilt_without_keys_and_keeps_every_row(tmp_path, two_years):
    path = tmp_path / "old.duckdb"
    engine = connect(f"duckdb:///{path}")
    try:
        ensure_schema(engine)
        run_items(engine, folder_items(two_years))
        with engine.begin() as connection:
            before = row_counts(connection)
            summary = connection.execute(text("SELECT * FROM v_budget_summary ORDER BY fiscal_year")).all()
            command.downgrade(_alembic_config(connection), "0010_operations")  # as a warehouse made before
            assert set(FLAGGED) <= live_keys(connection)
            assert document_id_indexes(connection) == set()
            assert row_counts(connection) == before
        ensure_schema(engine)
        with engine.connect() as connection:
            assert live_keys(connection).isdisjoint(FLAGGED)
            assert not duckdb_has_primary_key(connection, "fct_budget_line")
            assert document_id_indexes(connection) == DOCUMENT_ID_INDEXES
            assert row_counts(connection) == before
            assert connection.execute(text("SELECT * FROM v_budget_summary ORDER BY fiscal_year")).all() == summary
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == REVISION.revision
        # the rebuilt warehouse still loads and refreshes
        (two_years / "b.txt").write_text(SEED_PATH.read_text(encoding="utf-8").replace("2021", "2023"),
                                         encoding="utf-8")
        assert run_items(engine, folder_items(two_years)).counts["loaded"] == 1
        with engine.connect() as connection:
            assert duplicated_keys(connection) == dict.fromkeys(FLAGGED, 0)
    finally:
        engine.dispose()


def test_duckdb_finds_a_documents_rows_through_its_index(request, tmp_path, two_years):
    """Replacing a document deletes its rows by document_id: on DuckDB an index scan that reads none of
    the table's row groups (the scan it replaces kept every fact table's document_id column in memory).
    PostgreSQL finds them through its primary key (document_id, …)."""
    engine = connect(make_warehouse_url("duckdb", request, tmp_path))
    request.addfinalizer(engine.dispose)
    run_items(engine, folder_items(two_years))
    with engine.begin() as connection:
        [document_id] = connection.execute(text(
            "SELECT document_id FROM dim_document WHERE fiscal_year = 2021")).scalars().all()
        for name in ("fct_data_quality", "fct_budget_line", "fct_performance_target"):
            plan = connection.exec_driver_sql(f"EXPLAIN ANALYZE DELETE FROM {name} WHERE document_id IN (?)",
                                              (document_id,)).all()[0][1]
            assert "Type: Index Scan" in plan, plan
        connection.rollback()
