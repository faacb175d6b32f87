"""The Prefect flow in a test harness: same result as the inline path, plus a run-summary artifact."""

import shutil
from decimal import Decimal

from typer.testing import CliRunner

from tests.conftest import SEED_PATH, query_rows


def test_flow_runs_collect_to_load_and_publishes_a_summary(prefect_harness, tmp_path, warehouse_url):
    from prefect.client.orchestration import get_client

    from flows.etl import run_flow
    from flows.request import Limits, RunRequest

    source = tmp_path / "docs"
    source.mkdir()
    shutil.copy(SEED_PATH, source / "seed.txt")
    (source / "empty.txt").write_bytes(b"")
    url = warehouse_url

    request = RunRequest(source=str(source), warehouse=url, limits=Limits())
    summary = run_flow(request)
    assert summary.line() == "2 documents: 1 loaded, 1 quarantined, 0 unchanged, 0 skipped"
    assert query_rows(url, "SELECT expenditure_total_yuan FROM v_budget_summary") == [(Decimal("2422400.00"),)]

    import asyncio

    async def artifact():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    latest = {a.key: a for a in asyncio.run(artifact())}
    assert "1 loaded, 1 quarantined" in latest["county-budgets-run-summary"].description

    again = run_flow(request)
    assert again.counts["unchanged"] == 2


def test_cli_backfill_through_prefect(prefect_harness, tmp_path, warehouse_url):
    from cli.app import app

    source = tmp_path / "docs"
    source.mkdir()
    shutil.copy(SEED_PATH, source / "seed.txt")
    url = warehouse_url
    result = CliRunner().invoke(app, ["backfill", "--source", str(source), "--years", "2020-2021", "--warehouse", url])
    assert result.exit_code == 0, result.output
    assert "2020: 0 loaded" in result.output and "2021: 1 loaded" in result.output


def test_nightly_deployment_defaults():
    from flows.etl import nightly_deployment

    deployment = nightly_deployment("/data", "duckdb:///w.duckdb")
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert deployment.parameters == {"source": "/data", "warehouse": "duckdb:///w.duckdb"}
    assert deployment.name == "nightly"
    custom = nightly_deployment("/data", "duckdb:///w.duckdb", cron="30 1 * * *", timezone="UTC")
    assert (custom.schedules[0].schedule.cron, custom.schedules[0].schedule.timezone) == ("30 1 * * *", "UTC")
