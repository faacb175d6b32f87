"""The collect flow under Prefect: crawls mapped over sources, summary published as an artifact."""

from __future__ import annotations

import asyncio

import pytest

from extract.collect.registry_csv import RegistryImport
from flows.registry import save_registry
from flows.request import Limits, RunRequest
from load.warehouse import opened
from tests.fake_portal import FakePortal, build_gaoyi, build_putuo
from tests.flows.test_collect import FAST, source


def latest_artifacts() -> dict:
    from prefect.client.orchestration import get_client

    async def read():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    return {a.key: a for a in asyncio.run(read())}


@pytest.mark.slow  # under the Prefect test server (its start costs 10-40 s): full suite only; tests/flows/test_prefect_flow.py is the fast lane's
def test_collect_flow_crawls_sources_in_parallel_and_reports(prefect_harness, tmp_path, warehouse_url):
    from flows.etl import collect_flow  # imports prefect (seconds): at run time, not when every worker collects

    url = warehouse_url
    with FakePortal() as portal:
        build_gaoyi(portal)
        build_putuo(portal)
        with opened(url) as engine:
            save_registry(engine, RegistryImport(rows=[
                source(portal, "/gaoyi/index.html", "河北省", "石家庄市", "高邑县"),
                source(portal, "/putuo/list.html", "上海市", "", "普陀区"),
            ]))
        request = RunRequest(warehouse=url, raw_store=str(tmp_path / "raw"), limits=Limits())
        first = collect_flow(request, fetch_settings=FAST)
        assert first.counts() == {"new": 7, "changed": 0, "unchanged": 0, "failed": 0, "withdrawn": 0}
        assert sorted(r.status for r in first.load.reports) == ["loaded"] * 5 + ["quarantined"]
        artifact = latest_artifacts()["county-budgets-collect-summary"]
        assert artifact.description == first.line()
        assert "2 sources crawled (2 ok, 0 partial, 0 failed)" in artifact.description

        second = collect_flow(request, fetch_settings=FAST)
        assert second.counts()["unchanged"] == 7 and second.load.reports == []
        assert latest_artifacts()["county-budgets-collect-summary"].description.endswith(
            "nothing new or changed: no extraction, no loading")


@pytest.mark.slow  # under the Prefect test server (its start costs 10-40 s): full suite only; tests/flows/test_prefect_flow.py is the fast lane's
def test_manifest_fetches_are_retried_by_the_fetcher_alone(prefect_harness, tmp_path, warehouse_url):
    """One retry layer: ``max_attempts`` requests per URL at most, never Prefect retries on top."""
    from dataclasses import replace

    from flows.etl import collect_manifest_flow

    with FakePortal() as portal:
        docs = build_gaoyi(portal)
        portal.routes["/gaoyi/files/jy2022.pdf"].fail_times = 2  # two 500s, then fine
        portal.add("/gaoyi/files/down.pdf", b"%PDF-1.4", content_type="application/pdf", fail_times=99)
        manifest = tmp_path / "urls.csv"
        missing = portal.url("/gaoyi/files/missing.pdf")
        down = portal.url("/gaoyi/files/down.pdf")
        manifest.write_text(f"url\n{docs['jy_pdf']}\n{missing}\n{down}\n", encoding="utf-8")
        summary, failures = collect_manifest_flow(
            RunRequest(source=str(manifest), warehouse=warehouse_url, raw_store=str(tmp_path / "raw"),
                       limits=Limits()),
            fetch_settings=replace(FAST, max_attempts=3),
        )
        assert [r.status for r in summary.reports] == ["loaded"]
        assert portal.hits("/gaoyi/files/jy2022.pdf") == 3
        assert portal.hits("/gaoyi/files/down.pdf") == 3  # was 9 with Prefect retries stacked on top
        assert sorted((f.url, f.reason.split(": ", 1)[1]) for f in failures) == sorted([
            (missing, "HTTP 404 Not Found"), (down, "HTTP 500 Internal Server Error (gave up after 3 attempts)")])
        assert portal.hits("/gaoyi/files/missing.pdf") == 1  # a 4xx is not retried
        assert portal.hits("/robots.txt") == 1  # read once for the host, for the whole run
    assert "2 URLs failed" in latest_artifacts()["county-budgets-manifest-summary"].description
