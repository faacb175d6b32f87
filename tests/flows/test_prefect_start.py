"""Where Prefect cannot start or cannot be reached, ``run`` and ``serve`` say so in one line on
stderr, exit 2 and name the ways out (``--no-prefect``, or a running server via
``PREFECT_API_URL``); no traceback. Run as their own processes, as a person or cron runs them."""

from __future__ import annotations


import pytest

from tests.cli_process import cli, cli_env
from tests.conftest import closed_port


def one_line(result) -> str:
    assert result.returncode == 2, result.stderr.decode()
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert result.stdout == b""
    return lines[0]


@pytest.mark.slow  # starts Prefect's temporary server in a child: full suite only
def test_a_temporary_server_that_does_not_start_in_time_is_one_line(seed_folder, tmp_path):
    env = cli_env(tmp_path / "prefect", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    line = one_line(cli("run", "--source", str(seed_folder), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
                        env=env, cwd=tmp_path))
    assert line == ("error: Prefect's temporary server did not start within 1 s (Timed out while attempting to "
                    "connect to ephemeral Prefect API server; a busy machine is slow to start it): run with "
                    "--no-prefect, or start one (`prefect server start`) and set "
                    "PREFECT_API_URL=http://127.0.0.1:4200/api; PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS "
                    "sets how long to wait")


@pytest.mark.slow
def test_a_server_that_does_not_answer_is_one_line(seed_folder, tmp_path):
    api = f"http://127.0.0.1:{closed_port()}/api"
    env = cli_env(tmp_path / "prefect", PREFECT_API_URL=api)
    line = one_line(cli("run", "--source", str(seed_folder), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
                        env=env, cwd=tmp_path))
    assert line.startswith(f"error: no Prefect server answers at PREFECT_API_URL={api} (")
    assert line.endswith("start it (`prefect server start`), unset PREFECT_API_URL to let Prefect start a temporary "
                         "one, or run with --no-prefect")
    served = one_line(cli("serve", "--source", str(seed_folder), env=env, cwd=tmp_path))
    assert served.startswith(f"error: no Prefect server answers at PREFECT_API_URL={api} (")
    assert served.endswith("start it (`prefect server start`)")


@pytest.mark.slow
def test_serve_without_a_server_says_it_needs_one(seed_folder, tmp_path):
    line = one_line(cli("serve", "--source", str(seed_folder), env=cli_env(tmp_path / "prefect"), cwd=tmp_path))
    assert line == ("error: serve needs a running Prefect server, which keeps the schedule after this command ends: "
                    "start one (`prefect server start`) and set PREFECT_API_URL=http://127.0.0.1:4200/api, then run "
                    "serve again")
