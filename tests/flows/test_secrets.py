"""A password-bearing PostgreSQL URL through ``run``, its errors, ``serve`` and the artifacts: the
password reaches PostgreSQL (a role the server admits only with it) and nothing else — no stdout,
stderr, log, Prefect parameter, artifact, report or stored file holds it (a grep of everything the
run wrote). PostgreSQL only: a DuckDB URL has no password."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from load.warehouse_url import hand_password_on, without_password
from tests.cli_process import cli, cli_env
from tests.conftest import query_rows
from tests.pg_server import PgServer

PASSWORD = PgServer.PASSWORD


@pytest.fixture
def secret_url(pg, request) -> str:
    url = pg.fresh()
    request.addfinalizer(lambda: pg.drop(url))
    return pg.with_password(url)


def shown(url: str) -> str:
    return url.replace(PASSWORD, "***")


def assert_nowhere(*outputs: bytes, roots: tuple[Path, ...] = ()) -> int:
    """No output and no file under ``roots`` holds the password; returns the files read."""
    for output in outputs:
        assert PASSWORD.encode() not in output, output.decode(errors="replace")[-2000:]
    read = 0
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                read += 1
                assert PASSWORD.encode() not in path.read_bytes(), path
    return read


def test_the_password_leaves_the_url_and_travels_in_the_environment(monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    assert without_password("postgresql+psycopg://cb:S3/cret@db:5432/w") == ("postgresql+psycopg://cb@db:5432/w", "S3/cret")
    assert without_password("duckdb:///w.duckdb") == ("duckdb:///w.duckdb", None)
    assert hand_password_on("postgresql://cb:pw@db/w") == "postgresql://cb@db/w"
    import os

    assert os.environ["PGPASSWORD"] == "pw"


# a run under Prefect on PostgreSQL in a child process (a minute or more): full suite only
@pytest.mark.slow
@pytest.mark.parametrize("via", ["option", "environment"])
def test_run_through_prefect_keeps_the_password_out_of_everything_it_writes(secret_url, seed_folder, tmp_path, via):
    work = tmp_path / "work"
    work.mkdir()
    env = cli_env(tmp_path / "prefect", **({"COUNTY_BUDGETS_WAREHOUSE": secret_url} if via == "environment" else {}))
    args = ["--warehouse", secret_url] if via == "option" else []
    run = cli("run", "--source", str(seed_folder), "--raw-store", str(tmp_path / "raw"), *args, env=env, cwd=work)
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    assert run.stdout.decode().splitlines()[-1] == f"warehouse: {shown(secret_url)}"
    assert query_rows(secret_url, "SELECT department_name, status FROM v_document") == [("高邑县信访局", "loaded")]
    report = cli("report", "--out", str(work / "report.html"), *args, env=env, cwd=work)
    assert report.returncode == 0, report.stderr.decode()
    assert f"<code>{shown(secret_url)}</code>" in (work / "report.html").read_text(encoding="utf-8")
    with sqlite3.connect(tmp_path / "prefect" / "prefect.db") as db:
        parameters = [row[0] for row in db.execute("SELECT parameters FROM flow_run")]
    assert parameters and all(without_password(secret_url)[0] in p for p in parameters), parameters
    assert assert_nowhere(run.stdout, run.stderr, report.stdout, report.stderr, roots=(tmp_path,)) > 3


def test_set_up_errors_never_show_the_password(secret_url, seed_folder, tmp_path):
    runner = CliRunner()
    wrong = secret_url.replace(PASSWORD, PASSWORD + "-wrong")
    for url, fragment in [
        (wrong, "password authentication failed for user \"cb_secret\""),
        (secret_url.replace("postgresql+psycopg", "mysql"), "unsupported warehouse 'mysql' in 'mysql://cb_secret:***@"),
        (secret_url.replace("postgresql+psycopg", "postgresql+pg8000"), "warehouse driver 'postgresql+pg8000'"),
        (secret_url.rsplit(":", 1)[0] + ":5x/db", "its port '5x' is not a number"),
    ]:
        for extra in ([], ["--verbose"]):
            result = runner.invoke(app, ["run", "--no-prefect", "--source", str(seed_folder), "--warehouse", url, *extra])
            assert result.exit_code == 2, result.output
            assert result.stderr.strip().splitlines()[-1].startswith("error: ")
            assert fragment in result.stderr
            assert PASSWORD not in result.output and PASSWORD not in result.stderr


def _prefect_api(client_call):
    import asyncio

    from prefect.client.orchestration import get_client

    async def call():
        async with get_client() as client:
            return await client_call(client)

    return asyncio.run(call())


@pytest.mark.slow
def test_serve_registers_and_runs_the_nightly_job_with_no_password_recorded(prefect_harness, secret_url,
                                                                          seed_folder, tmp_path):
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_DATABASE_CONNECTION_URL

    report = tmp_path / "nightly.html"
    env = cli_env(tmp_path / "prefect", PREFECT_API_URL=PREFECT_API_URL.value())
    served = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--source", str(seed_folder),
                               "--warehouse", secret_url, "--report", str(report), "--name", "secret"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deployment = None
        for _ in range(240):
            try:
                deployment = _prefect_api(lambda c: c.read_deployment_by_name("county-budgets-nightly/secret"))
                break
            except Exception:  # noqa: BLE001 - not registered yet
                time.sleep(0.5)
        assert deployment is not None, "serve registered no deployment"
        assert deployment.parameters["warehouse"] == without_password(secret_url)[0]
        from prefect.deployments import run_deployment

        flow_run = run_deployment("county-budgets-nightly/secret", timeout=300)
        assert flow_run.state.is_completed(), flow_run.state
    finally:
        served.terminate()
        out, err = served.communicate(timeout=60)
    assert query_rows(secret_url, "SELECT department_name FROM v_document") == [("高邑县信访局",)]
    assert report.exists()
    artifacts = _prefect_api(lambda c: c.read_latest_artifacts())
    assert {"county-budgets-run-summary", "county-budgets-report"} <= {a.key for a in artifacts}
    texts = [str(a.data or "") + str(a.description or "") for a in artifacts]
    runs = _prefect_api(lambda c: c.read_flow_runs())
    database = Path(PREFECT_SERVER_DATABASE_CONNECTION_URL.value().split("///", 1)[1])
    assert_nowhere(out, err, *(t.encode() for t in texts), *(str(r.parameters).encode() for r in runs),
                   roots=(tmp_path, database.parent))
