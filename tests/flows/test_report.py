"""The HTML report on the combined warehouse (seed + real corpus + cases + synthetic counties),
opened in a real headless chromium: it loads offline with no console error and no request but
its own file, every chart has drawn one mark per stated figure of the views, the tables show
the views' figures (exact yuan, exact 万元, "not stated" for a figure no document states), the
coverage matrix and the data-quality table have the expected rows, and each failure links to
its document and page. A full-page screenshot is kept at tests/artifacts/report.png.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from flows.cli import app
from flows.report.write import write_report
from tests.browser import open_page
from tests.conftest import REPO_ROOT, SEED_PATH

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
EXTRACT = """() => {
  const text = el => el ? el.textContent.trim().replace(/\\s+/g, ' ') : null;
  const rows = sel => [...document.querySelectorAll(sel)];
  const cells = tr => [...tr.cells].map(text);
  return {
    charts: rows('.chart').map(c => { const plot = c.querySelector('.js-plotly-plot'); const box = plot && plot.getBoundingClientRect();
      return {kind: c.dataset.chart, category: c.dataset.category || null, svg: plot ? plot.querySelectorAll('svg.main-svg').length : 0,
              marks: plot ? plot.querySelectorAll('.trace .point').length : 0, width: box ? box.width : 0, height: box ? box.height : 0}; }),
    ranking: rows('table.ranking tbody tr').map(tr => ({category: tr.closest('table').dataset.category, year: +tr.dataset.year,
                                                       region: tr.dataset.region, cells: cells(tr)})),
    three_public: rows('table.three-public tbody tr').map(tr => ({category: tr.closest('table').dataset.category,
                                                                 year: +tr.dataset.year, region: tr.dataset.region, cells: cells(tr)})),
    execution: rows('#execution-table tbody tr').map(tr => ({year: +tr.dataset.year, region: tr.dataset.region, cells: cells(tr)})),
    coverage: rows('table.coverage-matrix tbody tr').map(tr => ({kind: tr.closest('table').dataset.kind, region: tr.dataset.region,
      marks: [...tr.querySelectorAll('.mark')].map(m => [m.closest('td').dataset.category, +m.dataset.year, m.dataset.status])})),
    by_rule: rows('#quality-by-rule tbody tr').map(cells),
    failures: rows('#quality-failures tbody tr').map(tr => ({rule: tr.dataset.rule, kind: tr.dataset.category, cells: cells(tr),
      links: [...tr.querySelectorAll('a.source')].map(a => [a.getAttribute('href'), a.dataset.page, text(a.closest('.loc'))])})),
  };
}"""


def rows(engine, sql: str) -> list[dict]:
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(text(sql)).mappings()]


@pytest.fixture(scope="module")
def written(combined, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    summary = write_report(combined.engine, out, warehouse=combined.url)
    return out, summary


@pytest.fixture(scope="module")
def page(written):
    out, _ = written
    with open_page(out.as_uri()) as (browser_page, log):
        browser_page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
        seen = browser_page.evaluate(EXTRACT)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / "report.png"
        browser_page.screenshot(path=str(shot), full_page=True)
        shutil.copy(out, ARTIFACTS / "report.html")
        print(f"\nreport screenshot: {shot}\nreport: {ARTIFACTS / 'report.html'}")
    return seen, log


def test_the_report_loads_offline_with_no_error_and_no_request_but_its_own_file(written, page):
    out, summary = written
    _, log = page
    assert log.console_errors == [] and log.page_errors == []
    assert log.failed_requests == []
    assert log.requests == [out.as_uri()]
    html = out.read_text("utf-8")
    assert "<script src" not in html and "<link" not in html  # plotly.js is inlined, nothing is fetched
    assert summary.size_bytes == out.stat().st_size


def test_every_chart_draws_one_mark_per_stated_figure(combined, page):
    charts = page[0]["charts"]
    assert charts and all(c["svg"] >= 1 and c["width"] > 300 and c["height"] > 150 for c in charts), charts
    by_kind = {}
    for c in charts:
        by_kind.setdefault(c["kind"], {})[c["category"]] = c["marks"]
    category = {r["department_category"]: r["n"] for r in rows(combined.engine, """
        SELECT department_category, count(expenditure_total_yuan) AS n FROM v_category_comparison GROUP BY 1""")}
    trend = {r["department_category"]: r["n"] for r in rows(combined.engine, """
        SELECT department_category, count(total_yuan) AS n FROM v_three_public_trend GROUP BY 1""")}
    assert by_kind["category"] == category and len(category) >= 20 and category["信访"] == 154
    assert by_kind["three_public"] == trend
    [executed] = rows(combined.engine, """SELECT count(*) AS n FROM v_execution
                                          WHERE budget_expenditure_yuan > 0 AND final_expenditure_yuan > 0""")
    assert by_kind["execution"] == {None: executed["n"]} and executed["n"] >= 100
    [statuses] = rows(combined.engine, """SELECT count(DISTINCT department_category || status) AS n FROM v_coverage
                                          WHERE fiscal_year IS NOT NULL""")
    assert by_kind["coverage"] == {None: statuses["n"]}
    failing = rows(combined.engine, """SELECT rule_code FROM fct_data_quality q JOIN dim_document d USING (document_id)
                                       WHERE NOT q.passed AND d.status = 'loaded'
                                       UNION SELECT rule_code FROM fct_cross_document_check WHERE NOT passed""")
    assert by_kind["quality"] == {None: len(failing)}


def test_the_category_tables_show_the_views_figures(combined, page):
    shown = {(r["category"], r["year"], r["region"]): r["cells"] for r in page[0]["ranking"]}
    expected = rows(combined.engine, "SELECT * FROM v_category_comparison")
    assert len(shown) == len(expected)
    for r in expected:
        cells = shown[(r["department_category"], r["fiscal_year"], r["region_code"])]
        assert cells[1] == str(r["rank_in_category"]) and cells[5] == f"{r['expenditure_total_yuan']:,.2f}"
    beijing = shown[("信访", 2026, "110000")]
    assert beijing[:7] == ["2026", "1", "北京市", "北京市", "北京市信访办公室", "96,267,775.89", "9,626.777589"]
    assert shown[("信访", 2021, "130127")][4:7] == ["高邑县信访局", "2,422,400.00", "242.24"]
    assert shown[("教育", 2021, "500000")][8] == "not stated"  # 西南大学 states no 三公 figures: never 0


def test_three_public_and_execution_tables_show_the_views_rows(combined, page):
    seen = page[0]
    trend = {(r["category"], r["year"], r["region"]): r["cells"] for r in seen["three_public"]}
    assert len(trend) == rows(combined.engine, "SELECT count(*) AS n FROM v_three_public_trend")[0]["n"]
    [jiangsu] = rows(combined.engine, "SELECT * FROM v_three_public_trend WHERE region_code = '320000' "
                                      "AND fiscal_year = 2018")
    cells = trend[("党委办公室", 2018, "320000")]
    assert cells[2:6] == [f"{jiangsu[k]:,.2f}" for k in ("abroad_yuan", "vehicle_yuan", "reception_yuan", "total_yuan")]
    assert cells[7] == f"{jiangsu['yoy_pct']:+.2f}%"
    assert trend[("教育", 2021, "500000")][2:6] == ["not stated"] * 4
    execution = {(r["region"], r["year"], r["cells"][1]): r["cells"] for r in seen["execution"]}
    assert len(execution) == len(seen["execution"]) == rows(combined.engine, "SELECT count(*) AS n FROM v_execution")[0]["n"]
    assert execution[("211224", 2025, "昌图县公安局")][3:] == ["8,914,000.00", "14,262,400.00", "1,426.24", "160.00%"]
    assert seen["execution"][0]["cells"][1] == "昌图县公安局"  # the furthest from its budget first
    southwest = execution[("500000", 2023, "西南大学")]  # a final account with no budget beside it
    assert southwest[3] == "not stated" and southwest[4] == "5,694,965,400.00" and southwest[6] == "—"


def test_the_coverage_matrix_has_a_row_per_region_and_a_mark_per_cell(combined, page):
    matrix = page[0]["coverage"]
    expected = rows(combined.engine, """SELECT doc_kind, region_code, coalesce(department_category, '') AS category,
                                               fiscal_year, status FROM v_coverage WHERE fiscal_year IS NOT NULL""")
    for kind in ("budget", "final_account"):
        shown = [r for r in matrix if r["kind"] == kind]
        assert [r["region"] for r in shown] == sorted({r["region_code"] for r in expected if r["doc_kind"] == kind})
    marks = {(r["kind"], r["region"], *m) for r in matrix for m in r["marks"]}
    assert marks == {(r["doc_kind"], r["region_code"], r["category"], r["fiscal_year"], r["status"]) for r in expected}
    assert {("budget", "130127", "财政", 2021, "seen_only"), ("budget", "130127", "审计", 2021, "found"),
            ("budget", "131125", "司法", 2025, "missing")} <= marks  # tests/flows/conftest.py and a planted gap


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
    [changchun] = by_rule["economic_lines_sum_to_class_totals"]
    [printed] = rows(combined.engine, """SELECT e.page_no, e.line_no, d.source_uri FROM fct_expenditure_by_economic e
        JOIN dim_document d USING (document_id) WHERE d.source_uri LIKE '%长春市信访局%' AND e.economic_code = '301'""")
    assert changchun["links"][0][0] == f"file://{quote(printed['source_uri'])}#page={printed['page_no']}"
    assert f"line {printed['line_no']}" in changchun["links"][0][2]
    [zhuolu] = [f for f in by_rule["final_account_within_30pct_of_budget"] if "涿鹿县信访局" in f["cells"][2]]
    assert [link[0] for link in zhuolu["links"]] == [
        quote("synthetic/130731_涿鹿县信访局_2024_department_budget.txt") + "#page=1",
        quote("synthetic/130731_涿鹿县信访局_2024_final_account.txt") + "#page=1"]
    assert zhuolu["cells"][4:8] == ["1,610,700.00", "4,026,800.00", "-2,416,100.00", "1,208,040.00"]


def test_report_command_writes_a_scoped_report(combined, tmp_path):
    out = tmp_path / "beijing.html"
    result = CliRunner().invoke(app, ["report", "--out", str(out), "--province", "北京", "--year", "2026",
                                      "--warehouse", combined.url], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "report " in result.output and out.as_uri() in result.output.replace("\n", "")
    html = out.read_text("utf-8")
    assert "96,267,775.89" in html and "9,626.777589" in html and "北京市审计局" in html
    assert "深圳市信访局" not in html and "高邑县" not in html and "province 北京市; years 2026" in html
    bad = CliRunner().invoke(app, ["report", "--out", str(out), "--category", "不存在", "--warehouse", combined.url])
    assert bad.exit_code == 2 and "unknown category" in bad.output


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
    from flows.report.format import exact, plain, wan, yuan

    assert [yuan(Decimal("96267775.89")), wan(Decimal("96267775.89")), wan(Decimal("2422400.00"))] == [
        "96,267,775.89", "9,626.777589", "242.24"]
    assert [yuan(None), wan(None), yuan(Decimal("0.00")), wan(Decimal("0"))] == ["not stated", "not stated", "0.00",
                                                                                "0.00"]
    assert [exact(Decimal("50.0050")), plain(Decimal("2020.00")), plain(Decimal("0.5"))] == ["50.005", "2020", "0.5"]
