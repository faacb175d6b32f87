"""The CLI as the nightly job uses it: import a registry, crawl it with no --source, twice."""

from functools import partial

import pytest
from typer.testing import CliRunner

from flows import collect as collect_module
from cli.app import app
from tests.conftest import query_rows
from tests.fake_portal import FakePortal, build_gaoyi

HEADER = "省份,城市,区县,地区名称,层级,原始链接,页面是否可用,地区是否匹配,页面类型\n"
runner = CliRunner()


@pytest.mark.slow  # imports the 3,210-row registry and runs over it: full suite only
def test_registry_import_then_run_without_source_is_incremental(tmp_path, monkeypatch, warehouse_url):
    url = warehouse_url
    monkeypatch.setenv("COUNTY_BUDGETS_RAW_STORE", str(tmp_path / "raw"))
    # the CLI's own fetch settings, less the 1 s politeness interval a local fake portal does not need
    monkeypatch.setattr(collect_module, "FetchSettings", partial(collect_module.FetchSettings, per_host_interval_s=0.0))
    with FakePortal() as portal:
        build_gaoyi(portal)
        registry = tmp_path / "portals.csv"
        registry.write_text(HEADER + f"河北省,石家庄市,高邑县,高邑县,区县,{portal.url('/gaoyi/index.html')},是,是,预决算页面\n",
                            encoding="utf-8")
        imported = runner.invoke(app, ["sources", "import", str(registry), "--warehouse", url])
        assert imported.exit_code == 0, imported.output
        assert "1 resolved to a region code, 0 not resolved" in imported.output

        first = runner.invoke(app, ["run", "--warehouse", url, "--no-prefect"])
        assert first.exit_code == 0, first.output
        assert "5 documents: 4 loaded, 1 quarantined" in first.output

        second = runner.invoke(app, ["run", "--warehouse", url, "--no-prefect"])
        assert second.exit_code == 0, second.output
        assert "nothing new or changed: no extraction, no loading" in second.output

    [seed] = query_rows(url, "SELECT d.region_code, s.expenditure_total_yuan FROM v_document d "
                             "JOIN v_budget_summary s USING (document_id) WHERE source_uri LIKE '%xinfang2021.html'")
    assert seed == ("130127", 2422400)

    reprocessed = runner.invoke(app, ["backfill", "--reprocess", "--warehouse", url, "--no-prefect"])
    assert reprocessed.exit_code == 0, reprocessed.output
    assert "5 documents: 4 loaded, 1 quarantined" in reprocessed.output
