"""Query commands open the warehouse read-only: an analyst's DuckDB session may stay open beside them."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from cli.app import app
from flows.conform import refresh
from flows.pipeline import prepare, store
from load.warehouse import opened
from tests.conftest import SEED_PATH

runner = CliRunner()


@pytest.fixture
def loaded(tmp_path):
    path = tmp_path / "w.duckdb"
    with opened(f"duckdb:///{path}") as engine:
        store(engine, prepare(SEED_PATH.read_bytes(), "file:///samples/seed.txt"))
        refresh(engine)
    return path


@pytest.fixture
def analyst_session(loaded):
    """Another process holding the file read-only, as a DuckDB CLI or a notebook does."""
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys, time; c = duckdb.connect({str(loaded)!r}, read_only=True); "
                               "print('ready', flush=True); time.sleep(120)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    yield loaded
    holder.kill()
    holder.wait()


@pytest.mark.parametrize("command", [["quality"], ["compare", "--category", "信访", "--format", "csv"],
                                     ["coverage"], ["export", "--format", "csv"]])
def test_query_commands_run_beside_an_open_analyst_session(analyst_session, tmp_path, command):
    args = [*command, "-w", f"duckdb:///{analyst_session}"]
    if command[0] == "export":
        args += ["--out", str(tmp_path / "out")]
    started = time.monotonic()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 20  # no waiting for a write lock the command does not need
    if command[0] == "compare":
        assert "高邑县信访局" in result.output and "2422400.00" in result.output


def test_departments_writes_so_it_waits_for_the_session_like_a_run(analyst_session):
    # it re-categorises every department with today's mapping file, which is a write
    result = runner.invoke(app, ["departments", "-w", f"duckdb:///{analyst_session}"],
                           env={"COUNTY_BUDGETS_LOCK_WAIT": "1"})
    assert result.exit_code == 2 and "is in use by another process" in result.stderr


def test_a_run_still_waits_then_refuses_while_the_session_holds_the_file(analyst_session):
    result = runner.invoke(app, ["run", "--no-prefect", "--source", str(SEED_PATH), "-w",
                                 f"duckdb:///{analyst_session}", "--lock-wait", "1"])
    assert result.exit_code == 2
    assert "is in use by another process" in result.stderr and "--lock-wait" in result.stderr


def test_a_query_on_a_missing_warehouse_file_says_so_and_creates_nothing(tmp_path):
    missing = tmp_path / "typo.duckdb"
    result = runner.invoke(app, ["coverage", "-w", f"duckdb:///{missing}"])
    assert result.exit_code == 2
    assert f"no warehouse file at {missing}" in result.stderr
    assert not missing.exists()
