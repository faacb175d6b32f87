"""``export``: what DuckDB reads back from the Parquet/CSV files equals the warehouse's views.

Run on a warehouse holding the seed and the two text cases, on DuckDB and on PostgreSQL.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli.app import app
from flows.pipeline import prepare, store
from load.export import export_warehouse, relations
from load.warehouse import opened
from tests.conftest import DIALECT_PARAMS, SEED_PATH, SHARED_DIR
from tests.pg_server import postgres_server

TEXT_CASES = ["04_three_public_one_line.txt", "05_other_function_class.txt"]
SKIP_COLUMNS = {"loaded_at"}  # a timestamp: compared through its own test below


def _documents() -> list[tuple[bytes, str]]:
    docs = [(SEED_PATH.read_bytes(), "file:///samples/seed.txt")]
    cases = SHARED_DIR / "corpus" / "cases"
    docs += [((cases / name).read_bytes(), f"file:///cases/{name}") for name in TEXT_CASES if (cases / name).exists()]
    return docs


@pytest.fixture(scope="module", params=DIALECT_PARAMS)
def warehouse(request, tmp_path_factory):
    if request.param == "duckdb":
        url = f"duckdb:///{tmp_path_factory.mktemp('export')}/w.duckdb"
        with opened(url) as engine:
            for data, uri in _documents():
                store(engine, prepare(data, uri))
            yield engine
        return
    with postgres_server() as url, opened(url) as engine:
        for data, uri in _documents():
            store(engine, prepare(data, uri))
        yield engine


def _rows(rows) -> list[tuple]:
    return sorted((tuple(r) for r in rows), key=lambda r: tuple((v is None, str(v)) for v in r))


@pytest.mark.slow
def test_parquet_read_back_equals_every_view(warehouse, tmp_path):
    report = export_warehouse(warehouse, tmp_path, "parquet")
    reader = duckdb.connect()
    views = [name for name in relations() if name.startswith("v_")]
    assert "v_budget_summary" in views and "v_data_quality" in views
    for name in views:
        columns = [c for c in relations()[name] if c not in SKIP_COLUMNS]
        with warehouse.connect() as connection:
            expected = _rows(connection.execute(text(f"SELECT {', '.join(columns)} FROM {name}")).all())
        got = _rows(reader.execute(
            f"SELECT {', '.join(columns)} FROM read_parquet('{tmp_path}/{name}/**/*.parquet', "
            "hive_partitioning = true, union_by_name = true)").fetchall())
        assert got == expected, name
        assert report.rows[name] == len(expected)


def test_parquet_keeps_exact_decimals_and_partitions_by_province_code_and_year(warehouse, tmp_path):
    export_warehouse(warehouse, tmp_path, "parquet")
    seed_partition = tmp_path / "v_budget_summary" / "province_code=13" / "fiscal_year=2021" / "part-0.parquet"
    assert seed_partition.exists()
    reader = duckdb.connect()
    types = dict(reader.execute(f"DESCRIBE SELECT * FROM read_parquet('{seed_partition}')").fetchall()[i][:2]
                 for i in range(3))
    assert "fiscal_year" not in types  # the hive convention: partition columns live in the path
    row = reader.execute(
        f"SELECT typeof(expenditure_total_yuan), expenditure_total_yuan, three_public_reception_yuan "
        f"FROM read_parquet('{tmp_path}/v_budget_summary/**/*.parquet', hive_partitioning = true) "
        "WHERE province_code = 13 AND fiscal_year = 2021").fetchone()
    assert row == ("DECIMAL(18,2)", Decimal("2422400.00"), Decimal("600.00"))


@pytest.mark.slow
def test_rows_with_no_year_land_in_the_default_partition_and_read_as_null(warehouse, tmp_path):
    export_warehouse(warehouse, tmp_path, "parquet")
    reader = duckdb.connect()
    with warehouse.connect() as connection:
        expected = connection.execute(text("SELECT COUNT(*) FROM fct_data_quality")).scalar_one()
    got = reader.execute(f"SELECT COUNT(*) FROM read_parquet('{tmp_path}/fct_data_quality/**/*.parquet', "
                         "hive_partitioning = true)").fetchone()[0]
    assert got == expected > 0


def test_csv_has_one_file_per_relation_with_the_views_rows(warehouse, tmp_path):
    report = export_warehouse(warehouse, tmp_path, "csv")
    with warehouse.connect() as connection:
        projects = connection.execute(text("SELECT COUNT(*) FROM v_project")).scalar_one()
    assert (tmp_path / "v_project.csv").exists() and report.rows["v_project"] == projects == 10
    total = duckdb.connect().execute(
        f"SELECT SUM(amount_yuan::DECIMAL(18,2)) FROM read_csv('{tmp_path}/v_project.csv')").fetchone()[0]
    assert total == Decimal("1312400.00")


@pytest.mark.slow
def test_re_export_replaces_instead_of_appending(warehouse, tmp_path):
    first = export_warehouse(warehouse, tmp_path, "parquet")
    second = export_warehouse(warehouse, tmp_path, "parquet")
    count = duckdb.connect().execute(
        f"SELECT COUNT(*) FROM read_parquet('{tmp_path}/fct_budget_line/**/*.parquet')").fetchone()[0]
    assert first.rows == second.rows and count == second.rows["fct_budget_line"]


@pytest.mark.slow
def test_export_command_and_a_bad_format(tmp_path):
    url = f"duckdb:///{tmp_path}/w.duckdb"
    with opened(url) as engine:
        store(engine, prepare(SEED_PATH.read_bytes(), "file:///samples/seed.txt"))
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--out", str(tmp_path / "out"), "-w", url])
    assert result.exit_code == 0, result.output
    assert "exported" in result.output and Path(tmp_path / "out" / "v_document").is_dir()
    bad = runner.invoke(app, ["export", "--out", str(tmp_path / "out"), "--format", "xlsx", "-w", url])
    assert bad.exit_code == 2 and "unknown format 'xlsx'" in bad.output
