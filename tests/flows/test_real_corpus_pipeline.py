"""The whole pipeline over ../shared/corpus/real: what an analyst sees in the views.

Complements tests/extract/test_real_corpus.py (parser level): here every document goes
through read → parse → transform → rules → load, and the hand-read LABELS.json figures
must come out of ``v_budget_summary`` exactly, in yuan.
"""

from __future__ import annotations

import csv
import json
from contextlib import ExitStack
from decimal import Decimal

import polars as pl
import pytest
from sqlalchemy import text

from cli.audit import KEY_FIGURES, key_figures
from flows.pipeline import prepare
from flows.runner import folder_items, run_items
from load.warehouse import opened
from schemas.figures import BUDGET_LINE, THREE_PUBLIC, VIEW_FIGURES
from schemas.public import PUBLIC_VIEWS
from transform.rules.facts import DocumentFacts
from tests.conftest import DIALECTS, SHARED_DIR, make_warehouse_url, require_shared, shared_cases

# the real-corpus sweep (26 disclosures on both dialects): full suite only; the fast lane reads one
# real disclosure in tests/extract/parse/test_real_corpus.py and runs the seed through the pipeline
pytestmark = pytest.mark.slow


FIGURES = ["revenue_total_yuan", "expenditure_total_yuan", "three_public_total_yuan", "three_public_abroad_yuan",
           "three_public_reception_yuan", "three_public_vehicle_purchase_yuan",
           "three_public_vehicle_operation_yuan", "operating_expenses_yuan"]
LABELS_PATH = SHARED_DIR / "corpus" / "real" / "LABELS.json"
LABELS = json.loads(LABELS_PATH.read_text(encoding="utf-8")) if LABELS_PATH.exists() else []


@pytest.fixture(scope="module")
def real_loads(tmp_path_factory, request):
    """The real corpus prepared once and stored into a DuckDB and a PostgreSQL warehouse.

    Both loads run through :func:`flows.runner.run_items`; the second replays the first's
    prepared documents, so the two warehouses get the same frames and differ only in how
    each dialect stores them.
    """
    root = require_shared("corpus", "real")
    prepared = {}

    def prepare_once(items, loaded_at):
        for data, uri in items:
            if uri not in prepared:
                prepared[uri] = prepare(data, uri, loaded_at=loaded_at)
        return [prepared[uri] for _, uri in items]

    loads = {}
    with ExitStack() as stack:
        for dialect in DIALECTS:
            url = make_warehouse_url(dialect, request, tmp_path_factory.mktemp(f"real-{dialect}"))
            engine = stack.enter_context(opened(url))
            loads[dialect] = (engine, run_items(engine, folder_items(root), prepare_many=prepare_once))
        yield loads


@pytest.fixture(scope="module", params=DIALECTS)
def warehouse(real_loads, request):
    return real_loads[request.param]


def rows(engine, sql, **params):
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(text(sql), params).mappings()]


def label_id(entry):
    return entry["file"].rsplit("/", 1)[-1][:40] if entry else "absent"


def test_every_file_ends_loaded_or_quarantined(warehouse):
    engine, summary = warehouse
    statuses = {r["source_uri"].rsplit("/", 1)[-1]: r["status"] for r in rows(engine, "SELECT * FROM v_document")}
    assert len(statuses) == len(summary.reports) == 28  # 26 disclosures + MANIFEST.csv + LABELS.json
    assert statuses["LABELS.json"] == statuses["MANIFEST.csv"] == "quarantined"
    assert statuses["收支预算总表.csv"] == "quarantined"
    assert sum(1 for s in statuses.values() if s == "loaded") == 22
    assert sum(1 for s in statuses.values() if s == "seen_only") == 2  # the two 重庆 pages: images, attachment


@pytest.mark.parametrize("entry", shared_cases([e for e in LABELS if e.get("kind") not in (None, "not_a_disclosure")],
                                              "corpus", "real"), ids=label_id)
def test_kind_year_department_and_figures_in_the_views(warehouse, entry):
    engine, _ = warehouse
    [doc] = rows(engine, "SELECT * FROM v_document WHERE document_id = :d", d=entry["sha256"])
    if entry["file"].endswith(".html"):  # seen only: what the title states, no figures
        assert (doc["status"], doc["doc_kind"], doc["fiscal_year"], doc["department_name"], doc["region_name"]) == (
            "seen_only", entry["kind"], entry["fiscal_year"], entry["department"], entry["region"])
        assert doc["status_reason"].startswith("seen only, no figures: the page ")
        assert rows(engine, "SELECT * FROM v_budget_summary WHERE document_id = :d", d=entry["sha256"]) == []
        return
    assert (doc["status"], doc["doc_kind"], doc["fiscal_year"]) == ("loaded", entry["kind"], entry["fiscal_year"])
    [summary] = rows(engine, "SELECT * FROM v_budget_summary WHERE document_id = :d", d=entry["sha256"])
    wrong = {f: (summary[f], entry[f]) for f in FIGURES
             if entry.get(f) is not None and summary[f] != Decimal(str(entry[f]))}
    assert wrong == {}


def test_pages_seen_only_record_where_their_content_is(warehouse):
    """重庆: one page is 17 scanned images, the other only links its PDF attachment."""
    engine, _ = warehouse
    links = rows(engine, "SELECT l.kind, l.url, l.label, d.department_name FROM v_document_link l "
                         "JOIN v_document d USING (document_id) WHERE d.status = 'seen_only' ORDER BY l.url")
    kinds = {(r["department_name"], r["kind"]) for r in links}
    assert kinds == {("重庆市社会福利指导中心", "image"), ("重庆市气象局", "attachment")}
    images = [r for r in links if r["kind"] == "image"]
    assert len(images) == 17 and all(r["url"].endswith("_ORIGIN.jpg") for r in images)
    [attachment] = [r for r in links if r["kind"] == "attachment"]
    assert attachment["label"] == "重庆市气象局2026年部门预算情况说明.pdf"
    assert attachment["url"].endswith("/W020260302425669825391.pdf")


def test_project_tables_and_assets_reach_the_views(warehouse):
    """Counts per document in v_project / v_performance_indicator / v_asset (issue 8 item 3)."""
    engine, _ = warehouse
    def per_document(sql):
        return {r["f"]: r["n"] for r in rows(engine, sql)}
    projects = per_document("SELECT d.source_uri AS f, count(*) AS n FROM v_project p JOIN v_document d "
                            "USING (document_id) GROUP BY 1")
    short = {uri.rsplit("/", 1)[-1][:12]: n for uri, n in projects.items()}
    assert short == {"政府办公厅_附件2：北京": 9, "2026年深圳市信访局部": 6, "2026年深圳市财政局部": 8, "2026年福州市公安局部": 2,
                     "2026年西安市人民政府": 9, "宣传部_2026年部门预": 2, "2026年烟台市审计局部": 6, "2026年烟台市民政局部": 21,
                     "2026年长春市信访局部": 4}
    [total] = rows(engine, "SELECT count(*) AS n FROM v_performance_indicator")
    assert total["n"] == 68 + 10 + 12 + 94 + 19 + 16 + 8 + 17 + 63 + 165 + 11 + 16
    assets = per_document("SELECT d.source_uri AS f, count(*) AS n FROM v_asset a JOIN v_document d "
                          "USING (document_id) GROUP BY 1")
    # every document with a 国有资产 section: all narrative volumes but 江苏 2017/2018 (which have none)
    assert sorted(uri.rsplit("/", 1)[-1] for uri in assets) == sorted([
        "2026年上海市公安局_部门预算.pdf", "2026年上海市水务局_部门预算.pdf", "2026年北京市信访办公室部门预算.pdf", "2026年北京市审计局部门预算.pdf",
        "2026年深圳市信访局部门预算.pdf", "2026年深圳市财政局部门预算.pdf", "2026年福州市公安局部门预算.pdf", "2026年西安市人民政府办公厅部门预算.pdf",
        "宣传部_2026年部门预算.pdf", "2026年烟台市审计局部门预算.pdf", "2026年烟台市民政局部门预算.pdf", "2026年长春市信访局部门预算.pdf",
        "江苏省委办公厅2019年度部门预算公开文件.pdf", "上海市普陀区商务委员会25年预算.pdf", "上海市普陀区商务委员会单位25年预算.pdf", "上海市普陀区财政局2024年度部门决算.pdf"])


def test_split_volumes_meet_as_one_department_year(warehouse):
    engine, _ = warehouse
    years = rows(engine, "SELECT fiscal_year, document_count, revenue_total_yuan FROM v_department_year "
                         "WHERE department_name LIKE '%江苏省委%' ORDER BY fiscal_year")
    assert [(r["fiscal_year"], r["document_count"]) for r in years] == [(2017, 2), (2018, 2), (2019, 2)]
    beijing = rows(engine, "SELECT document_count FROM v_department_year WHERE department_name = '北京市信访办公室'")
    assert beijing == [{"document_count": 2}]


def test_jiangsu_totals_match_the_reference_csv(warehouse):
    engine, _ = warehouse
    path = require_shared("corpus", "real", "jiangsu", "江苏省委办公厅", "收支预算总表.csv")
    with path.open(encoding="utf-8") as handle:
        reference = {int(r[""][:4]): Decimal(r["收入合计"]) * 10000 for r in csv.DictReader(handle)}
    got = {r["fiscal_year"]: r["revenue_total_yuan"] for r in rows(
        engine, "SELECT fiscal_year, revenue_total_yuan FROM v_department_year WHERE department_name LIKE '%江苏省委%'")}
    assert got == reference


@pytest.mark.parametrize("file_part, rule", [
    ("长春市信访局", "expenditure_total_narrative_vs_table"),  # narrative "1682.76元" (万 dropped) vs table
    ("宣传部", "three_public_grand_total_equals_parts"),  # 合计 1,171,100 vs parts 1,481,100
])
def test_labelled_contradictions_fail_their_rule_and_keep_both_figures(warehouse, file_part, rule):
    engine, _ = warehouse
    [row] = rows(engine, "SELECT q.passed, q.expected, q.actual FROM v_data_quality q JOIN v_document d "
                         "USING (document_id) WHERE d.source_uri LIKE :f AND q.rule_code = :r",
                 f=f"%{file_part}%", r=rule)
    assert row["passed"] is False and row["expected"] != row["actual"]


def test_shanghai_narrative_rounded_to_whole_wan_agrees_with_its_table(warehouse):
    # regression: "7,072万" beside 70,716,064 元 is rounding, not a contradiction
    engine, _ = warehouse
    failed = rows(engine, "SELECT q.rule_code FROM v_data_quality q JOIN v_document d USING (document_id) "
                          "WHERE d.source_uri LIKE '%上海市公安局%' AND q.passed = false")
    assert failed == []


def test_changchun_economic_class_that_differs_from_its_lines_fails(warehouse):
    # LABELS: 长春 302 printed 211.00 while its detail rows sum to 221.37
    engine, _ = warehouse
    [row] = rows(engine, "SELECT q.passed, q.message FROM v_data_quality q JOIN v_document d USING (document_id) "
                         "WHERE d.source_uri LIKE '%长春市信访局%' AND q.rule_code = 'economic_lines_sum_to_class_totals'")
    assert row["passed"] is False and "302" in row["message"]
    # every printed line counts: 30208 is printed twice (取暖费 23.37万, 物业管理费 36.18万), so 302's lines
    # sum to 221.37万 as the document prints them, and the twice-used code is a warning of its own
    assert "302 商品和服务支出: stated 2110000.00, lines sum to 2213700.00" in row["message"]
    assert "301 工资福利支出: stated 9112100.00, lines sum to 9209600.00" in row["message"]
    lines = rows(engine, "SELECT e.economic_name, e.amount_yuan FROM v_expenditure_by_economic e "
                         "JOIN v_document d USING (document_id) "
                         "WHERE d.source_uri LIKE '%长春市信访局%' AND e.economic_code = '30208' ORDER BY 1")
    assert [(r["economic_name"], r["amount_yuan"]) for r in lines] == [
        ("取暖费", Decimal("233700.00")), ("物业管理费", Decimal("361800.00"))]
    [twice] = rows(engine, "SELECT q.passed, q.severity, q.message FROM v_data_quality q JOIN v_document d "
                           "USING (document_id) WHERE d.source_uri LIKE '%长春市信访局%' "
                           "AND q.rule_code = 'classification_codes_unique'")
    assert (twice["passed"], twice["severity"]) == (False, "warning")
    assert "30208 printed for 取暖费 and 物业管理费" in twice["message"]


# ------------------------------------------------------------------ PostgreSQL parity
PARITY_VIEWS = list(PUBLIC_VIEWS)  # every public view, the comparison marts included


def view_rows(engine, view: str) -> list[tuple]:
    """Every row of a view, as sortable tuples of strings (timestamps dropped: loaded_at is per run)."""
    out = []
    for row in rows(engine, f"SELECT * FROM {view}"):
        out.append(tuple("" if v is None else str(v) for k, v in sorted(row.items()) if k != "loaded_at"))
    return sorted(out)


@pytest.mark.parametrize("view", PARITY_VIEWS)
def test_duckdb_and_postgresql_hold_the_same_rows(real_loads, view):
    duck, pg = (view_rows(real_loads[d][0], view) for d in DIALECTS)
    assert len(duck) == len(pg) and duck == pg


def test_duckdb_and_postgresql_load_the_same_documents(real_loads):
    outcomes = {d: sorted((r.source_uri, r.status, r.reason) for r in real_loads[d][1].reports) for d in DIALECTS}
    assert outcomes["duckdb"] == outcomes["postgresql"]
    assert sum(1 for _, status, _ in outcomes["postgresql"] if status == "loaded") == 22


@pytest.mark.slow
def test_views_rules_and_audit_choose_the_same_figures(warehouse):
    """The one table-vs-narrative choice (schemas.preference) in SQL (v_budget_summary) and in
    Python (the rules' DocumentFacts, audit's key figures) gives every figure the same value."""
    engine, _ = warehouse
    frames = {name: pl.DataFrame(rows(engine, f"SELECT * FROM {name}"), infer_schema_length=None)
              for name in (BUDGET_LINE, THREE_PUBLIC)}
    shown = rows(engine, "SELECT * FROM v_budget_summary")
    assert len(shown) == 22
    compared = 0
    for view_row in shown:
        facts = DocumentFacts(frames, view_row["document_id"])
        for f in VIEW_FIGURES:
            figure = facts.figure(f.statement, f.item)
            assert (figure.value if figure else None) == view_row[f.column], (view_row["document_id"], f.name)
            compared += figure is not None
        own = {name: frame.filter(pl.col("document_id") == view_row["document_id"]) for name, frame in frames.items()}
        audit = key_figures(own)
        assert [audit[label] for label in KEY_FIGURES] == [view_row[f.column] for f in KEY_FIGURES.values()]
    assert compared > 300
