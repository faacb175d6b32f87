"""Nightly collection end to end: fake portals on 127.0.0.1 → raw store → warehouse."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from extract.collect.registry_csv import RegistryImport, to_source_row
from flows.collect import collect, collect_manifest, reprocess
from flows.registry import save_registry
from flows.request import RunRequest
from load.registry import document_urls, list_sources
from load.warehouse import opened
from schemas.registry import src_fetch
from schemas.warehouse import DOCUMENT_FACT_TABLES, dim_document
from tests.conftest import FAST_FETCH, fast_fetch, make_warehouse_url
from tests.fake_portal import FAULTS, build_gaoyi, build_putuo, build_zhaoxian, html_page

MAX_BYTES = FAST_FETCH["max_bytes"]
FAST = fast_fetch(max_attempts=2, allowed_hosts=frozenset())  # the registry's hosts are added by the run


def source(portal, path, province, city, county):
    return to_source_row({
        "province": province, "city": city, "county": county, "region_name": county or city,
        "level": "区县", "index_url": portal.url(path), "usable": "是", "page_kind": "预决算页面",
    })


def register(engine, *rows):
    save_registry(engine, RegistryImport(rows=list(rows)))


def run(engine, store, extract=True, **request):
    return collect(engine, store=store, fetch_settings=FAST, request=RunRequest(**request), extract=extract)


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as c:
        return {t.name: c.execute(select(func.count()).select_from(t)).scalar() for t in (dim_document, *DOCUMENT_FACT_TABLES)}


def documents(engine) -> dict[str, dict]:
    with engine.connect() as c:
        return {r.source_uri.rsplit("/", 1)[-1]: dict(r._mapping) for r in c.execute(select(dim_document))}


@pytest.mark.slow
def test_nightly_runs_load_once_replace_changed_and_withdraw_removed(portal, engine, store):
    docs = build_gaoyi(portal)
    register(engine, source(portal, "/gaoyi/index.html", "河北省", "石家庄市", "高邑县"))

    first = run(engine, store)
    assert first.counts() == {"new": 6, "changed": 0, "unchanged": 0, "failed": 0, "withdrawn": 0}
    statuses = {r.source_uri.rsplit("/", 1)[-1]: r.status for r in first.load.reports}
    # six URLs, five distinct contents: the reposted PDF is stored and loaded once
    assert statuses == {"xinfang2021.html": "loaded", "mz2021.pdf": "loaded", "cz2021.pdf": "loaded",
                        "jy2022.pdf": "loaded", "mz2021.xls": "quarantined"}
    loaded = documents(engine)
    assert set(loaded) == set(statuses)
    assert loaded["xinfang2021.html"]["region_code"] == "130127"
    urls = {u["url"]: u for u in document_urls(engine)}
    assert urls[docs["mz_pdf"]]["document_id"] == urls[docs["mz_copy"]]["document_id"]
    counts = row_counts(engine)
    assert counts["dim_document"] == 5 and counts["fct_project_budget"] >= 10

    second = run(engine, store)
    assert second.counts() == {"new": 0, "changed": 0, "unchanged": 6, "failed": 0, "withdrawn": 0}
    assert second.load.reports == []
    assert second.line().endswith("nothing new or changed: no extraction, no loading")
    assert row_counts(engine) == counts

    # the finance bureau republishes its PDF (another synthetic disclosure) and the repost goes
    old_cz = loaded["cz2021.pdf"]["document_id"]
    portal.routes["/gaoyi/files/cz2021.pdf"].body = portal.routes["/gaoyi/files/jy2022.pdf"].body + b"\n% v2\n"
    portal.add("/gaoyi/index_3.html", html_page("预决算公开 第3页", [("index_2.html", "上一页")]))
    third = run(engine, store)
    assert third.counts() == {"new": 0, "changed": 1, "unchanged": 4, "failed": 0, "withdrawn": 1}
    assert [r.source_uri for r in third.load.reports] == [docs["cz_pdf"]]
    after = documents(engine)
    assert after["cz2021.pdf"]["document_id"] != old_cz
    with engine.connect() as c:
        for fact in DOCUMENT_FACT_TABLES:  # the old version's rows are gone, not duplicated
            assert c.execute(select(func.count()).select_from(fact).where(fact.c.document_id == old_cz)).scalar() == 0
    # the reposted copy vanished but the same content is still linked at mz2021.pdf: not withdrawn
    assert after["mz2021.pdf"]["status"] == "loaded"
    assert {u["url"]: u["withdrawn_at"] is not None for u in document_urls(engine)}[docs["mz_copy"]]

    # now the original goes too: the document is kept and marked withdrawn
    portal.add("/gaoyi/art/mz2021.html", html_page("高邑县民政局2021年部门预算公开", [], "<p>已撤回</p>"))
    before = row_counts(engine)
    fourth = run(engine, store)
    assert fourth.counts()["withdrawn"] == 2  # the PDF and the XLS attachment
    final = documents(engine)
    assert final["mz2021.pdf"]["status"] == "withdrawn"
    assert final["mz2021.pdf"]["status_reason"] == "no longer linked from its disclosure portal"
    assert row_counts(engine) == before  # withdrawn documents keep their rows


def test_faults_are_recorded_and_nothing_is_half_loaded(portal, engine, store):
    urls = build_zhaoxian(portal, MAX_BYTES)
    register(engine, source(portal, "/zhao/index.html", "河北省", "石家庄市", "赵县"))
    summary = run(engine, store)
    assert summary.counts()["failed"] == 7 and summary.counts()["new"] == 1
    assert [r.status for r in summary.load.reports] == ["loaded"]
    assert len(documents(engine)) == 1
    (src,) = list_sources(engine)
    assert src["last_crawl_status"] == "partial" and "7 document(s) could not be fetched" in src["last_crawl_reason"]
    by_url = {u["url"]: u for u in document_urls(engine)}
    for name, (_, _, reason) in FAULTS.items():
        if reason:
            assert reason in by_url[urls[name]]["last_error"], name
            assert by_url[urls[name]]["document_id"] is None
    with engine.connect() as c:
        errors = c.execute(select(src_fetch.c.url, src_fetch.c.error_reason).where(src_fetch.c.error_reason.is_not(None))).all()
    assert len(errors) == 7
    assert "failed documents" in summary.markdown() and "redirect loop" in summary.markdown()


def test_region_and_province_narrow_the_run(portal, engine, store):
    build_gaoyi(portal)
    build_putuo(portal)
    register(engine, source(portal, "/gaoyi/index.html", "河北省", "石家庄市", "高邑县"),
             source(portal, "/putuo/list.html", "上海市", "", "普陀区"))
    assert {s["region_code"] for s in list_sources(engine)} == {"130127", "310107"}
    only_city = run(engine, store, region="130100", extract=False)
    assert [r.index_url for r in only_city.reports] == [portal.url("/gaoyi/index.html")]
    only_shanghai = run(engine, store, province="上海市")
    assert [r.index_url for r in only_shanghai.reports] == [portal.url("/putuo/list.html")]
    assert [r.status for r in only_shanghai.load.reports] == ["loaded"]


@pytest.mark.slow
def test_reprocess_needs_no_network(tmp_path, portal, store, dialect, request):
    build_gaoyi(portal)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with opened(make_warehouse_url(dialect, request, tmp_path / "a")) as engine:
        register(engine, source(portal, "/gaoyi/index.html", "河北省", "石家庄市", "高邑县"))
        run(engine, store)
        portal.routes["/gaoyi/files/cz2021.pdf"].body += b"\n% v2\n"  # two versions in the store now
        run(engine, store)
        expected = row_counts(engine)
        current = documents(engine)
    portal.routes.clear()  # the portal is gone; the raw store is all there is
    requests_before = len(portal.requests)
    with opened(make_warehouse_url(dialect, request, tmp_path / "b")) as fresh:
        summary = reprocess(fresh, store)
        assert sorted(r.status for r in summary.reports) == ["loaded"] * 4 + ["quarantined"]
        assert row_counts(fresh) == expected
        assert {k: v["document_id"] for k, v in documents(fresh).items()} == {
            k: v["document_id"] for k, v in current.items()}
    assert len(list(store.document_ids())) == 6  # the old version is kept, just not loaded
    assert len(portal.requests) == requests_before


def test_csv_manifest_of_document_urls(tmp_path, portal, engine, store):
    docs = build_gaoyi(portal)
    manifest = tmp_path / "urls.csv"
    manifest.write_text(
        "url,title\n" + "\n".join([docs["mz_pdf"], docs["mz_copy"], portal.url("/gaoyi/files/none.pdf")]) + "\n",
        encoding="utf-8",
    )
    summary, failures = collect_manifest(engine, manifest, store=store, fetch_settings=FAST)
    assert [r.status for r in summary.reports] == ["loaded"]  # two URLs, one content
    assert [f.url for f in failures] == [portal.url("/gaoyi/files/none.pdf")]
    assert failures[0].reason.endswith("HTTP 404 Not Found")
    records = list(store.fetch_records())
    assert len(records) == 3 and sum(r["error_reason"] is not None for r in records) == 1


def test_registry_run_table_keeps_each_summary(portal, engine, store):
    build_putuo(portal)
    register(engine, source(portal, "/putuo/list.html", "上海市", "", "普陀区"))
    run(engine, store)
    run(engine, store)
    with engine.connect() as c:
        rows = c.execute(text("SELECT documents_new, documents_unchanged FROM src_crawl_run ORDER BY started_at")).all()
    assert [tuple(r) for r in rows] == [(1, 0), (0, 1)]


def test_content_crawled_but_never_loaded_is_loaded_next_time(portal, engine, store):
    build_putuo(portal)
    register(engine, source(portal, "/putuo/list.html", "上海市", "", "普陀区"))
    crawled_only = run(engine, store, extract=False)
    assert crawled_only.counts()["new"] == 1 and documents(engine) == {}
    later = run(engine, store)
    assert later.counts()["unchanged"] == 1
    assert [r.status for r in later.load.reports] == ["loaded"]
    assert run(engine, store).load.reports == []


def test_a_city_code_selects_its_own_portals_only(engine):
    # regression: list_sources stripped trailing zeros, so 131000 (廊坊市) also picked 131100 (衡水市)
    from flows.registry import select_sources

    class Site:
        def url(self, path):
            return f"http://127.0.0.1:9{path}"

    register(engine, source(Site(), "/anci/", "河北省", "廊坊市", "安次区"),
             source(Site(), "/taocheng/", "河北省", "衡水市", "桃城区"))
    assert {s["region_code"] for s in select_sources(engine, RunRequest())} == {"131002", "131102"}
    assert [s["region_code"] for s in select_sources(engine, RunRequest(region="131000"))] == ["131002"]
    assert [s["region_code"] for s in select_sources(engine, RunRequest(region="131100"))] == ["131102"]
