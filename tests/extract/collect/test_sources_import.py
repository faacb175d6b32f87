"""Importing a registry of portals: every row kept, resolved to a region code where possible."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from extract.collect.registry_csv import import_registry, read_registry
from flows.registry import crawl_rows, region_scope, save_registry
from cli.sources import sources_app
from load.registry import list_sources, record_crawl
from schemas.registry import src_source
from schemas.warehouse import dim_region

SMALL = """province,city,county,region_name,level,index_url,enabled,kind
河北省,石家庄市,高邑县,高邑县,county,http://www.gaoyi.gov.cn/yjs/index.html,yes,disclosure_index
上海市,,普陀区,普陀区,county,https://www.shpt.gov.cn/yjs/,yes,
浙江省,舟山市,普陀区,普陀区,county,http://www.putuo.gov.cn/col/1/,no,
河北省,石家庄市,不存在县,不存在县,county,http://x.gov.cn/,yes,
河北省,石家庄市,赵县,赵县,county,,yes,
河北省,石家庄市,高邑县,高邑县,county,http://www.gaoyi.gov.cn/yjs/index.html,yes,disclosure_index
"""


def write(tmp_path, text, name="reg.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_small_registry_rows(tmp_path):
    result = import_registry(write(tmp_path, SMALL))
    assert result.total == 5 and result.duplicates == 1
    assert result.resolved == 4 and result.unresolved == ["河北省 石家庄市 不存在县"]
    rows = {(r.province_name, r.region_name): r for r in result.rows}
    gaoyi = rows[("河北省", "高邑县")]
    assert (gaoyi.region_code, gaoyi.host, gaoyi.enabled, gaoyi.kind) == ("130127", "www.gaoyi.gov.cn", True, "disclosure_index")
    assert rows[("上海市", "普陀区")].region_code == "310107"
    assert rows[("浙江省", "普陀区")].region_code == "330903" and not rows[("浙江省", "普陀区")].enabled
    zhao = rows[("河北省", "赵县")]
    assert zhao.index_url is None and not zhao.enabled and zhao.region_code == "130133"
    assert [r.code for r in result.regions()] == [
        "130000", "130100", "130127", "130133", "310000", "310107", "330000", "330900", "330903"]


def test_gbk_registry_and_bad_headers(tmp_path):
    assert len(read_registry(write(tmp_path, SMALL, encoding="gb18030"))) == 6
    with pytest.raises(ValueError, match="needs a link column"):
        import_registry(write(tmp_path, "name,address\n高邑县,x\n", "bad.csv"))


def test_reimport_updates_in_place_and_keeps_crawl_status(tmp_path, engine):
    from datetime import datetime, timezone

    from extract.collect.crawl import CrawlReport

    result = import_registry(write(tmp_path, SMALL))
    assert save_registry(engine, result) == 5
    gaoyi = next(r for r in result.rows if r.region_code == "130127")
    report = CrawlReport(gaoyi.source_id, gaoyi.index_url, datetime.now(timezone.utc))
    report.degrade("failed", "index page could not be read")
    record_crawl(engine, crawl_rows(report))
    assert save_registry(engine, result) == 5
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(src_source)).scalar() == 5
        status = c.execute(select(src_source.c.last_crawl_status).where(src_source.c.source_id == gaoyi.source_id)).scalar()
        assert status == "failed"
        assert c.execute(select(func.count()).select_from(dim_region)).scalar() == 9
    hebei = list_sources(engine, province="河北省")
    assert sorted(s["region_code"] or "-" for s in hebei) == ["-", "130127", "130133"]
    assert [s["region_code"] for s in list_sources(engine, region_codes=region_scope("130100"), enabled_only=True)] == ["130127"]


def test_shared_registry_imports_every_row(portal_registry_csv, tmp_path):
    result = import_registry(portal_registry_csv)
    assert result.total == 3215 and result.duplicates == 0
    assert result.resolved == 3210
    assert len(result.unresolved) == 5
    assert sum(r.index_url is None for r in result.rows) == 13
    assert sum(r.region_level == "county" for r in result.rows) == 2827
    hebei = [r for r in result.rows if r.province_name == "河北省"]
    assert len(hebei) == 179 and all(r.region_code and r.region_code.startswith("13") for r in hebei)
    gaoyi = [r for r in hebei if r.region_name == "高邑县"]
    assert [r.region_code for r in gaoyi] == ["130127"]


def test_cli_import_and_list(portal_registry_csv, tmp_path, warehouse_url):
    url = warehouse_url
    runner = CliRunner()
    out = runner.invoke(sources_app, ["import", str(portal_registry_csv), "--warehouse", url], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert "imported 3215 sources from disclosure_portals.csv: 3210 resolved to a region code, 5 not resolved" in out.output
    assert "unresolved: 新疆维吾尔自治区 新疆生产建设兵团 新疆生产建设兵团" in out.output
    listed = runner.invoke(sources_app, ["list", "--province", "河北省", "--warehouse", url], terminal_width=250)
    assert listed.exit_code == 0 and "179 sources in 河北省" in listed.output
    assert "130127" in listed.output and "高邑县" in listed.output
    bad = runner.invoke(sources_app, ["import", str(write(tmp_path, "a,b\n1,2\n")), "--warehouse", url])
    assert bad.exit_code == 2 and "needs a link column" in bad.output
