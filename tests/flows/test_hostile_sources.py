"""Hostile sources through ``county-budgets run``: a URL list whose server stalls is cut by the
time budgets the options set; addresses with credentials are refused and kept with the password
hidden in every table and file; a portal's link to another port of its host is never fetched."""

from __future__ import annotations

import time

from typer.testing import CliRunner

from cli.app import app
from tests.conftest import SEED_PATH, query_rows
from tests.fake_portal import FakePortal, html_page, seed_as_html

runner = CliRunner()


def test_a_stalling_server_costs_the_run_its_host_budget_only(portal, warehouse_url, tmp_path):
    urls = [portal.add(f"/stall{i}.txt", SEED_PATH.read_bytes(), content_type="text/plain", header_trickle_s=0.5)
            for i in range(3)]
    manifest = tmp_path / "urls.csv"
    manifest.write_text("url\n" + "\n".join(urls) + "\n", encoding="utf-8")
    started = time.monotonic()
    result = runner.invoke(app, ["run", "--no-prefect", "--source", str(manifest), "--warehouse", warehouse_url,
                                 "--raw-store", str(tmp_path / "raw"), "--host-budget", "2"])
    took = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert "not fetched: http://127.0.0.1" in result.output and "--host-budget" in result.output
    assert sum("has had its time budget of 2 s" in line for line in result.output.splitlines()) >= 2
    assert took < 60  # unchecked: 3 addresses x 3 attempts x a 120 s deadline


def test_credentials_in_addresses_are_refused_and_never_stored(portal, warehouse_url, tmp_path):
    secret = portal.url("/cred/seed.html").replace("://", "://user:pw-5z@")
    portal.add("/cred/seed.html", seed_as_html())
    manifest = tmp_path / "urls.csv"
    manifest.write_text(f"url\n{secret}\n{portal.url('/cred/seed.html')}\n", encoding="utf-8")
    result = runner.invoke(app, ["run", "--no-prefect", "--source", str(manifest), "--warehouse", warehouse_url,
                                 "--raw-store", str(tmp_path / "raw")])
    assert result.exit_code == 0, result.output
    masked = secret.replace("pw-5z", "***")
    assert f"not fetched: {masked} — {masked}: the address carries a user name or password" in result.output
    assert portal.hits("/cred/seed.html") == 1  # the plain address only
    assert query_rows(warehouse_url, "SELECT source_uri, status FROM v_document") == [
        (portal.url("/cred/seed.html"), "loaded")]
    assert "pw-5z" not in result.output
    assert not [p for p in (tmp_path / "raw").rglob("*") if p.is_file() and b"pw-5z" in p.read_bytes()]


def test_a_registry_portals_link_to_another_port_is_never_fetched(portal, warehouse_url, tmp_path):
    with FakePortal() as other:
        other.add("/x/seed.html", seed_as_html())
        portal.add("/p/index.html", html_page("预决算公开", [
            (other.url("/x/seed.html"), "高邑县信访局2021年部门预算"),
            (portal.url("/p/seed.html").replace("://", "://user:pw-8r@"), "高邑县信访局2021年部门预算公开"),
        ]))
        registry = tmp_path / "portals.csv"
        registry.write_text("省份,城市,区县,地区名称,层级,原始链接,页面是否可用,地区是否匹配,页面类型\n"
                            f"河北省,石家庄市,高邑县,高邑县,区县,{portal.url('/p/index.html')},是,是,预决算页面\n",
                            encoding="utf-8")
        assert runner.invoke(app, ["sources", "import", str(registry), "--warehouse", warehouse_url]).exit_code == 0
        result = runner.invoke(app, ["run", "--no-prefect", "--warehouse", warehouse_url,
                                     "--raw-store", str(tmp_path / "raw")])
        assert result.exit_code == 0, result.output
        assert other.requests == []
    masked = portal.url("/p/seed.html").replace("://", "://user:***@")
    assert query_rows(warehouse_url, "SELECT url, last_error FROM src_document_url") == [
        (masked, f"{masked}: the address carries a user name or password; addresses with credentials are refused "
                 "(nothing was requested)")]
    assert query_rows(warehouse_url, "SELECT COUNT(*) FROM v_document") == [(0,)]
    assert "pw-8r" not in result.output
