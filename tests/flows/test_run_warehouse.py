"""The run's warehouse: opened once per run, shared by what the run calls (flows.warehouse)."""

from __future__ import annotations

import load.warehouse as load_warehouse
from flows.request import RunRequest
from flows.runs import execute
from flows.warehouse import resolved_url, run_warehouse
from tests.conftest import query_rows


def counting_opens(monkeypatch) -> list[str]:
    opens: list[str] = []
    real = load_warehouse.connect

    def connect(url=None, **kwargs):
        opens.append(url)
        return real(url, **kwargs)

    monkeypatch.setattr(load_warehouse, "connect", connect)
    return opens


def test_a_run_opens_its_warehouse_once(seed_folder, tmp_path, monkeypatch):
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    opens = counting_opens(monkeypatch)
    result = execute(RunRequest(source=str(seed_folder), warehouse=url, use_prefect=False))
    assert [r.status for r in result.summary.reports] == ["loaded"]
    assert opens == [url]  # was two: the set-up check, then the run
    assert query_rows(url, "SELECT department_name FROM v_document") == [("高邑县信访局",)]


def test_a_nested_request_for_the_same_warehouse_shares_the_engine(tmp_path, monkeypatch):
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    opens = counting_opens(monkeypatch)
    with run_warehouse(RunRequest(warehouse=url), migrate=False) as outer:
        with run_warehouse(RunRequest(warehouse=url)) as inner:
            assert inner is outer
            assert query_rows(inner, "SELECT COUNT(*) FROM alembic_version") == [(1,)]  # migrated when asked
    with run_warehouse(RunRequest(warehouse=url)) as again:  # closed: opened anew
        assert again is not outer
    assert opens == [url, url]


def test_the_url_is_the_option_else_the_environment_else_the_default(monkeypatch):
    monkeypatch.delenv("COUNTY_BUDGETS_WAREHOUSE", raising=False)
    assert resolved_url(None) == "duckdb:///warehouse.duckdb"
    monkeypatch.setenv("COUNTY_BUDGETS_WAREHOUSE", "duckdb:///env.duckdb")
    assert resolved_url(None) == "duckdb:///env.duckdb"
    assert resolved_url("duckdb:///given.duckdb") == "duckdb:///given.duckdb"
