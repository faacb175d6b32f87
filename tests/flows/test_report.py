"""The HTML report on the combined warehouse (seed + real corpus + cases + synthetic counties +
国家信访局), opened in a real headless chromium at 1,400 px: it loads offline with no console error
and no request but its own file, weighs under 2 MB with its chart code; every chart has at least
two points in every series, value axes from zero, and a table beside it; no table overflows its
column; the ranking tables give the ranks and shares of ``v_category_comparison`` and ``compare``
for every category, year and level; each figure links to its page; the level selector shows one
level; the coverage matrix and the data-quality table have the expected rows, each failure linked
to its document and page. Screenshots of each section are kept in tests/artifacts/.
"""

from __future__ import annotations

import json
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli.app import app
from flows.report.write import write_report
from tests.browser import open_page
from tests.conftest import REPO_ROOT, SEED_PATH

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
SECTIONS = ("categories", "three-public", "execution", "coverage", "quality")
MAX_BYTES = 2_000_000
SHOT_HEIGHT = 3_000  # px of each section kept in its screenshot (the ranking section is ~100,000 px tall)
EXTRACT = """() => {
  const text = el => el ? el.textContent.trim().replace(/\\s+/g, ' ') : null;
  const rows = sel => [...document.querySelectorAll(sel)];
  const cells = tr => [...tr.cells].map(text);
  for (const d of document.querySelectorAll('details')) d.open = true;
  const axisStart = (chart, name) => { const axis = chart.getModel().getComponent(name, 0).axis;
    return axis.type === 'value' ? axis.scale.getExtent()[0] : null; };
  return {
    charts: rows('.chart').map(el => { const chart = echarts.getInstanceByDom(el); const option = chart && chart.getOption();
      const group = el.closest('.group, section');
      return {kind: el.dataset.chart, id: el.id, drawn: !!chart, svg: el.querySelectorAll('svg path').length,
              points: option ? option.series.map(s => s.data.filter(d => d !== null && d !== undefined).length) : [],
              starts: chart ? [axisStart(chart, 'xAxis'), axisStart(chart, 'yAxis')].filter(v => v !== null) : [],
              width: el.getBoundingClientRect().width, height: el.getBoundingClientRect().height,
              table: !!(group && group.querySelector('table'))}; }),
    overflow: rows('table').filter(t => t.offsetParent).map(t => { const box = t.getBoundingClientRect();
      const column = t.closest('section').getBoundingClientRect();
      return {table: t.className || t.id, category: t.dataset.category || null, width: box.width,
              scroll: t.scrollWidth, room: t.parentElement.clientWidth, right: box.right, column: column.right}; })
      .filter(t => t.scroll > t.room + 1 || t.right > t.column + 1),
    tables: rows('table').filter(t => t.offsetParent).length,
    ranking: rows('table.ranking tbody tr').map(tr => ({category: tr.closest('table').dataset.category,
      level: tr.closest('table').dataset.level, year: +tr.dataset.y, id: tr.dataset.id, cells: cells(tr),
      links: [...tr.querySelectorAll('a')].map(a => a.getAttribute('href'))})),
    trend: rows('table.three-public').map(t => ({category: t.dataset.category, level: t.dataset.level,
      chart: !!t.closest('.group').querySelector('.chart'), years: [...t.tHead.rows[0].cells].slice(3, -1).map(text),
      rows: [...t.tBodies[0].rows].map(tr => ({id: tr.dataset.id, cells: cells(tr)}))})),
    execution: rows('table.execution tbody tr').map(tr => ({year: +tr.dataset.y, region: tr.dataset.r, cells: cells(tr),
      links: [...tr.querySelectorAll('a')].map(a => a.getAttribute('href'))})),
    coverage: rows('table.coverage-matrix tbody tr').map(tr => ({kind: tr.closest('table').dataset.kind,
      region: tr.dataset.region, years: text(tr.cells[3]).split(' ').map(Number),
      columns: [...tr.closest('table').tHead.rows[0].cells].slice(4).map(text),
      marks: [...tr.cells].slice(4).map(td => [...td.querySelectorAll('i')].map(i => i.className))})),
    by_rule: rows('#quality-by-rule tbody tr').map(cells),
    failures: rows('#quality-failures tbody tr').map(tr => ({rule: tr.dataset.rule, kind: tr.dataset.category, cells: cells(tr),
      links: [...tr.querySelectorAll('a.source')].map(a => [a.getAttribute('href'), a.dataset.page, text(a.closest('.loc'))])})),
    levels: [...document.querySelectorAll('#level-filter option')].map(o => o.value),
  };
}"""
STATUS_CLASSES = {"r": "read", "s": "seen_only", "f": "found", "m": "missing"}


def rows(engine, sql: str, **params) -> list[dict]:
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(text(sql), params).mappings()]


def percent(share: Decimal | None) -> str:
    return "—" if share is None else f"{(share * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


@pytest.fixture(scope="module")
def written(combined, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    summary = write_report(combined.engine, out, warehouse=combined.url)
    return out, summary


@pytest.fixture(scope="module")
def page(written):
    out, summary = written
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open_page(out.as_uri(), width=1400) as (browser_page, log):
        browser_page.wait_for_function("() => document.querySelectorAll('.chart svg').length > 0")
        seen = browser_page.evaluate(EXTRACT)
        shots = {}
        for section in SECTIONS:
            box = browser_page.locator(f"#{section}").bounding_box()
            shots[section] = ARTIFACTS / f"report-{section}.png"
            browser_page.screenshot(path=str(shots[section]), full_page=True, clip={
                "x": box["x"], "y": box["y"], "width": box["width"], "height": min(box["height"], SHOT_HEIGHT)})
        browser_page.select_option("#level-filter", "county")
        county = browser_page.evaluate("""() => ({
          shown: [...document.querySelectorAll('.group')].filter(g => !g.hidden).map(g => g.dataset.level),
          hidden: [...document.querySelectorAll('.group')].filter(g => g.hidden).map(g => g.dataset.level),
          drawn: [...document.querySelectorAll('.group:not([hidden]) .chart')].every(c => c.querySelector('svg'))})""")
        browser_page.screenshot(path=str(ARTIFACTS / "report-level-county.png"), clip={"x": 0, "y": 0, "width": 1400,
                                                                                       "height": 900})
        shutil.copy(out, ARTIFACTS / "report.html")
        print(f"\nreport: {ARTIFACTS / 'report.html'} ({summary.size_bytes:,} bytes); screenshots: "
              + ", ".join(str(p) for p in shots.values()))
    return seen, log, county


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_the_report_loads_offline_with_no_error_no_request_and_under_2_mb(written, page):
    out, summary = written
    _, log, _ = page
    assert log.console_errors == [] and log.page_errors == []
    assert log.failed_requests == []
    assert log.requests == [out.as_uri()]
    html = out.read_text("utf-8")
    assert "<script src" not in html and "<link" not in html  # the chart library is inlined, nothing is fetched
    assert html.count("Apache ECharts") == 1  # inlined once
    assert summary.size_bytes == out.stat().st_size < MAX_BYTES, f"{summary.size_bytes:,} bytes"


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_every_chart_has_two_points_per_series_axes_from_zero_and_a_table(page):
    charts = page[0]["charts"]
    assert {c["kind"] for c in charts} == {"ranking", "trend", "execution", "quality"}, charts
    for c in charts:
        assert c["drawn"] and c["svg"] > 0 and c["width"] > 600 and c["height"] >= 100, c
        assert c["points"] and min(c["points"]) >= 2, c
        assert c["starts"] and all(start == 0 for start in c["starts"]), c
        assert c["table"], c


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_no_table_overflows_its_column_at_1400_px(page):
    seen = page[0]
    assert seen["overflow"] == [] and seen["tables"] > 50


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_a_trend_is_drawn_only_where_a_department_has_two_years_or_more(combined, page):
    for table in page[0]["trend"]:
        stated = [sum(1 for v in r["cells"][3:-1] if v != "not stated") for r in table["rows"]]
        assert table["chart"] == any(n >= 2 for n in stated), table["category"]
        assert all(r["cells"][-1] == "—" for r, n in zip(table["rows"], stated) if n < 2)
    [jiangsu] = [t for t in page[0]["trend"] if t["category"] == "党委办公室" and t["level"] == "provincial"]
    row = next(r for r in jiangsu["rows"] if "江苏" in r["cells"][0])
    assert row["cells"][-1] == "2017→2019 -0.20%"  # 5,092,000 → 5,082,000: the change labelled, from an axis at 0


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_compare_the_view_and_the_report_give_the_same_ranks_and_shares(combined, page):
    """For every category, year and level: rank, peers and share from compare (JSON), from
    v_category_comparison and from the report's ranking tables are one and the same."""
    view = {(r["department_category"], r["fiscal_year"], r["admin_level"], r["department_id"]): r for r in rows(
        combined.engine, "SELECT * FROM v_category_comparison")}
    report = {(r["category"], r["year"], r["level"], r["id"]): r["cells"] for r in page[0]["ranking"]}
    compared = {}
    for category in sorted({k[0] for k in view}):
        result = CliRunner().invoke(app, ["compare", "--category", category, "--format", "json", "--warehouse",
                                          combined.url])
        assert result.exit_code == 0, result.output
        for r in json.loads(result.stdout):
            if r["department_category"] == category:
                compared[(category, r["fiscal_year"], r["admin_level"], r["department_id"])] = r
    assert set(report) == set(view) == set(compared)
    checked = set()
    for key, v in view.items():
        share = None if v["share_of_category_total"] is None else v["share_of_category_total"].quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)
        c, cells = compared[key], report[key]
        assert (c["rank"], c["peers"], None if c["share"] is None else Decimal(c["share"])) == (
            v["rank_in_category"], v["peers_in_level"], share), key
        assert cells[1] == (f"{v['rank_in_category']}/{v['peers_in_level']}" if v["rank_in_category"] else "—"), key
        assert cells[7] == percent(share) and cells[5] == (f"{v['expenditure_total_yuan']:,.2f}" if v[
            "expenditure_total_yuan"] is not None else "not stated"), key
        checked.add(key[:3])
    print(f"\nranks and shares equal for {len(checked)} category × year × level rankings, {len(view)} rows")
    (ARTIFACTS / "report-ranks.json").write_text(json.dumps(
        {"rankings_checked": len(checked), "rows_checked": len(view), "categories": len({k[0] for k in checked}),
         "years": sorted({k[1] for k in checked}), "levels": sorted({k[2] for k in checked if k[2]})},
        ensure_ascii=False, indent=1))
    assert len(checked) == len({k[:3] for k in view}) > 50


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_the_ranking_tables_show_exact_yuan_two_decimal_wan_and_link_each_figure_to_its_page(combined, page):
    shown = {(r["category"], r["year"], r["cells"][4]): r for r in page[0]["ranking"]}
    beijing = shown[("信访", 2026, "北京市信访办公室")]
    assert beijing["cells"][:9] == ["2026", "1/1", "北京市", "北京市", "北京市信访办公室", "96,267,775.89", "9,626.78",
                                    "100.00%", "177,000.00"]
    [printed] = rows(combined.engine, """SELECT b.page_no, d.source_uri FROM fct_budget_line b JOIN dim_document d
        USING (document_id) WHERE d.department_name = '北京市信访办公室' AND b.statement = 'expenditure'
        AND b.item = 'total' AND b.amount_yuan = 96267775.89 AND b.source = 'table' ORDER BY b.page_no LIMIT 1""")
    assert beijing["links"][0] == f"file://{quote(printed['source_uri'])}#page={printed['page_no']}"
    gaoyi = shown[("信访", 2021, "高邑县信访局")]
    assert gaoyi["cells"][5:7] == ["2,422,400.00", "242.24"]
    assert gaoyi["links"] == [f"file://{quote(str(SEED_PATH.resolve()))}#page=1"] * 2
    national = shown[("信访", 2026, "国家信访局")]
    assert national["cells"][1] == "1/1" and national["cells"][7] == "100.00%"


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_the_level_selector_shows_one_level(page):
    seen, _, county = page
    assert seen["levels"][:1] == [""] and {"national", "provincial", "city", "county"} <= set(seen["levels"])
    assert county["shown"] and set(county["shown"]) == {"county"} and "national" in county["hidden"]
    assert county["drawn"]


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_execution_lists_every_final_account_furthest_first(combined, page):
    execution = page[0]["execution"]
    assert len(execution) == rows(combined.engine, "SELECT count(*) AS n FROM v_execution")[0]["n"]
    planted = {(r["cells"][1], r["year"]): r for r in execution}
    assert planted[("昌图县公安局", 2025)]["cells"][3:] == ["8,914,000.00", "14,262,400.00", "1,426.24", "160.00%"]
    assert all(link.endswith("#page=1") for link in planted[("昌图县公安局", 2025)]["links"])
    southwest = planted[("西南大学", 2023)]  # a final account with no budget beside it
    assert southwest["cells"][3] == "not stated" and southwest["cells"][4] == "5,694,965,400.00"


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_the_coverage_matrix_has_a_row_per_region_and_a_mark_per_cell(combined, page):
    matrix = page[0]["coverage"]
    expected = rows(combined.engine, """SELECT doc_kind, region_code, coalesce(department_category, '(unmapped)') AS
                                               category, fiscal_year, status FROM v_coverage WHERE fiscal_year IS NOT NULL""")
    for kind in ("budget", "final_account"):
        shown = [r for r in matrix if r["kind"] == kind]
        assert [r["region"] for r in shown] == sorted({r["region_code"] for r in expected if r["doc_kind"] == kind})
    marks = {(r["kind"], r["region"], column, year, STATUS_CLASSES[mark]) for r in matrix
             for column, cell in zip(r["columns"], r["marks"]) for year, mark in zip(r["years"], cell)}
    assert marks == {(r["doc_kind"], r["region_code"], r["category"], r["fiscal_year"], r["status"]) for r in expected}
    assert {("budget", "130127", "财政", 2021, "seen_only"), ("budget", "130127", "审计", 2021, "found"),
            ("budget", "131125", "司法", 2025, "missing")} <= marks  # tests/flows/conftest.py and a planted gap


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_every_failure_is_listed_and_linked_to_its_document_and_page(combined, page):
    failures = page[0]["failures"]
    document = rows(combined.engine, """SELECT q.rule_code FROM fct_data_quality q JOIN dim_document d USING (document_id)
                                        WHERE NOT q.passed AND d.status = 'loaded'""")
    cross = rows(combined.engine, "SELECT rule_code FROM fct_cross_document_check WHERE NOT passed")
    assert sorted(f["rule"] for f in failures) == sorted(r["rule_code"] for r in document + cross)
    assert all(f["links"] for f in failures)
    by_rule = {}
    for f in failures:
        by_rule.setdefault(f["rule"], []).append(f)
    [seed] = by_rule["stated_year_matches_fiscal_year"]  # the seed's "2020年预算收入" in its 2021 budget
    [(href, page_no, where)] = seed["links"]
    assert href == f"file://{quote(str(SEED_PATH.resolve()))}#page=1" and page_no == "1"
    assert "p. 1, line 30" in where and "2020年预算收入242.24万元" in where
    assert seed["cells"][4:8] == ["2020", "2021", "-1", "0"]  # a year, not yuan
    [zhuolu] = [f for f in by_rule["final_account_within_30pct_of_budget"] if "涿鹿县信访局" in f["cells"][2]]
    assert [link[0] for link in zhuolu["links"]] == [
        quote("synthetic/130731_涿鹿县信访局_2024_department_budget.txt") + "#page=1",
        quote("synthetic/130731_涿鹿县信访局_2024_final_account.txt") + "#page=1"]
    assert zhuolu["cells"][4:8] == ["1,610,700.00", "4,026,800.00", "-2,416,100.00", "1,208,040.00"]


@pytest.mark.slow  # the combined warehouse (tests/flows/conftest.py)
def test_report_command_writes_a_scoped_report_and_refuses_a_selection_that_matches_nothing(combined, tmp_path):
    out = tmp_path / "beijing.html"
    result = CliRunner().invoke(app, ["report", "--out", str(out), "--province", "北京", "--year", "2026",
                                      "--warehouse", combined.url], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "report " in result.output and out.as_uri() in result.output.replace("\n", "")
    html = out.read_text("utf-8")
    assert "9,626.78" in html and "北京市审计局" in html and "96,267,775.89" in html
    assert "深圳市信访局" not in html and "高邑县" not in html and "province 北京市; years 2026" in html
    empty = tmp_path / "2030.html"
    nothing = CliRunner().invoke(app, ["report", "--out", str(empty), "--year", "2030", "--warehouse", combined.url])
    assert nothing.exit_code == 2 and "nothing in the warehouse matches" in nothing.stderr and not empty.exists()
    bad = CliRunner().invoke(app, ["report", "--out", str(out), "--category", "不存在", "--warehouse", combined.url])
    assert bad.exit_code == 2 and "unknown category" in bad.output


@pytest.mark.slow  # the nightly flow under the Prefect server (tests/flows/test_prefect_flow.py is the fast lane's)
def test_the_nightly_flow_writes_the_report_and_publishes_a_summary(prefect_harness, tmp_path):
    import asyncio

    from prefect.client.orchestration import get_client

    from flows.etl import nightly_flow

    source = tmp_path / "docs"
    source.mkdir()
    shutil.copy(SEED_PATH, source / "seed.txt")
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    nightly_flow(source=str(source), warehouse=url, report=str(tmp_path / "out" / "nightly.html"))
    html = (tmp_path / "out" / "nightly.html").read_text("utf-8")
    assert "高邑县信访局" in html and "2,422,400.00" in html

    async def artifacts():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    latest = {a.key: a for a in asyncio.run(artifacts())}["county-budgets-report"]
    assert str(tmp_path / "out" / "nightly.html") in latest.description
    assert "| 信访 | 2021 | 高邑县 | 高邑县信访局 | 2,422,400.00 |" in latest.data
    assert "| `stated_year_matches_fiscal_year` | document | warning | 1 |" in latest.data


def test_the_default_report_path_is_beside_a_duckdb_file(monkeypatch, tmp_path):
    from flows.report.write import REPORT_ENV, default_report_path

    monkeypatch.delenv(REPORT_ENV, raising=False)
    assert default_report_path(f"duckdb:///{tmp_path}/w.duckdb") == tmp_path / "report.html"
    assert default_report_path("postgresql+psycopg://u:secret@db/warehouse") == Path("report.html")
    monkeypatch.setenv(REPORT_ENV, str(tmp_path / "elsewhere.html"))
    assert default_report_path("duckdb:///w.duckdb") == tmp_path / "elsewhere.html"


def test_money_is_written_exactly_and_a_missing_figure_as_not_stated():
    from flows.report.format import exact, pct, plain, wan, yuan

    assert [yuan(Decimal("96267775.89")), wan(Decimal("96267775.89")), wan(Decimal("2422400.00"))] == [
        "96,267,775.89", "9,626.78", "242.24"]
    assert [wan(Decimal("50.00")), wan(Decimal("150.00")), pct(Decimal("0.601905")), pct(Decimal("-0.002"), signed=True)
            ] == ["0.01", "0.02", "60.19%", "-0.20%"]  # half up
    assert [yuan(None), wan(None), yuan(Decimal("0.00")), wan(Decimal("0"))] == ["not stated", "not stated", "0.00",
                                                                                "0.00"]
    assert [exact(Decimal("50.0050")), plain(Decimal("2020.00")), plain(Decimal("0.5"))] == ["50.005", "2020", "0.5"]
