"""Loading into DuckDB: the issue's figures through the public views, idempotence, replacement, atomicity."""

import re
import shutil
from decimal import Decimal

import pytest
from sqlalchemy import text

from flows.request import RunRequest
from flows.runner import folder_items, run_items
from load import documents as load_documents
from load.warehouse import current_revision, opened
from schemas.figures import VIEW_COLUMNS
from tests.conftest import SEED_PATH

COUNT_TABLES = ["dim_document", "fct_budget_line", "fct_three_public", "fct_project_budget", "fct_spending_plan",
                "fct_performance_target", "fct_asset", "fct_procurement", "fct_data_quality", "dim_project",
                "dim_indicator", "dim_region", "dim_department", "dim_fiscal_year", "dim_budget_unit"]


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    shutil.copy(SEED_PATH, folder / "gaoyi.txt")
    return folder


def query(engine, sql):
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(text(sql)).mappings()]


def counts(engine):
    return {name: query(engine, f"SELECT COUNT(*) AS n FROM {name}")[0]["n"] for name in COUNT_TABLES}


def test_schema_is_migrated_by_the_tool(engine):
    from alembic.script import ScriptDirectory

    from load.warehouse import MIGRATIONS
    from schemas import metadata

    assert current_revision(engine) == ScriptDirectory(str(MIGRATIONS)).get_current_head()
    existing = {r["table_name"] for r in query(engine, "SELECT table_name FROM information_schema.tables")}
    assert set(metadata.tables) <= existing
    assert {"v_document", "v_budget_summary", "v_project", "v_performance_indicator", "v_asset",
            "v_data_quality", "v_expenditure_by_function", "v_expenditure_by_economic"} <= existing


def test_head_revision_without_alembic_is_alembics_head(tmp_path):
    """The head a run compares with the warehouse's (read from the revision files, alembic not imported)
    is alembic's own; a second head is refused by name, not compared."""
    from alembic.script import ScriptDirectory

    from load import warehouse

    head = ScriptDirectory(str(warehouse.MIGRATIONS)).get_current_head()
    assert warehouse.head_revision() == head
    versions = tmp_path / "versions"
    shutil.copytree(warehouse.MIGRATIONS / "versions", versions)
    (versions / "0099_branch.py").write_text('revision = "0099_branch"\ndown_revision = "0009_dq_finding"\n')
    original = warehouse.MIGRATIONS
    try:
        warehouse.MIGRATIONS = tmp_path
        with pytest.raises(RuntimeError, match=re.escape(f"has 2 heads (['{head}', '0099_branch'])")):
            warehouse.head_revision()
    finally:
        warehouse.MIGRATIONS = original


def test_an_open_of_a_current_warehouse_does_not_import_alembic(tmp_path):
    """Opening a warehouse already at the head runs no migration: alembic is not even imported (a
    fresh process; its import is a quarter of a run's start)."""
    import subprocess
    import sys

    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    script = ("import sys\nfrom load.warehouse import opened\nwith opened(sys.argv[1]): pass\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic')[:1])")
    first = subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "['alembic']"  # a new file is migrated by alembic
    assert again.stdout.strip() == "[]"


def test_seed_figures_in_the_public_views(engine, source):
    summary = run_items(engine, folder_items(source))
    assert summary.counts["loaded"] == 1
    [row] = query(engine, "SELECT * FROM v_budget_summary")
    yuan = {k: v for k, v in row.items() if k.endswith("_yuan")}
    assert yuan == {
        "revenue_total_yuan": Decimal("2422400.00"), "revenue_general_budget_yuan": Decimal("2422400.00"),
        "revenue_gov_fund_yuan": 0, "revenue_state_capital_yuan": 0, "revenue_special_account_yuan": 0,
        "revenue_other_yuan": 0, "expenditure_total_yuan": Decimal("2422400.00"),
        "expenditure_basic_yuan": Decimal("1110000.00"), "expenditure_project_yuan": Decimal("1312400.00"),
        "expenditure_other_yuan": 0, "operating_expenses_yuan": Decimal("143300.00"),
        "three_public_total_yuan": Decimal("10600.00"), "three_public_abroad_yuan": 0,
        "three_public_vehicle_purchase_yuan": 0, "three_public_vehicle_operation_yuan": Decimal("10000.00"),
        "three_public_reception_yuan": Decimal("600.00"),
        # the seed prints no 收支总表: no this-year totals or balancing rows (the 17 columns appended
        # after the first 16); its vehicles 1万元
        **{name: None for name in VIEW_COLUMNS[16:33]}, "three_public_vehicle_total_yuan": Decimal("10000.00"),
        "expenditure_fiscal_grant_yuan": None,  # appended later: the seed states no 财政拨款支出 alone
    }
    assert (row["region_code"], row["department_name"], row["fiscal_year"]) == ("130127", "高邑县信访局", 2021)

    projects = query(engine, "SELECT * FROM v_project ORDER BY project_code")
    assert len(projects) == 10
    assert sum(p["amount_yuan"] for p in projects) == Decimal("1312400.00")
    by_name = {p["project_name"]: p for p in projects}
    assert by_name["信访经费"]["amount_yuan"] == Decimal("300000.00")
    assert by_name["信访经费"]["project_code"] == "130127210XAPPLY3A5B8"
    assert by_name["群众工作中心"]["amount_yuan"] == Decimal("50000.00")

    indicators = query(engine, "SELECT * FROM v_performance_indicator")
    assert len(indicators) == 70
    parsed = {(i["target_text"], i["comparator"], i["target_value"], i["target_unit"]) for i in indicators}
    assert ("≥90百分比", "≥", Decimal("90"), "百分比") in parsed
    assert ("74400 元", "=", Decimal("74400"), "元") in parsed
    assert ("20 元万元", None, None, None) in parsed

    assets = {(a["category"], a["measure"]): a for a in query(engine, "SELECT * FROM v_asset")}
    assert assets[("total", "held")]["value_yuan"] == Decimal("890220.01")
    assert assets[("total", "held")]["source"] == "table"  # the table's row, the prose's stays in fct_asset
    assert (assets[("vehicles", "held")]["quantity"], assets[("vehicles", "held")]["value_yuan"]) == (1, Decimal("91900.00"))
    # "2021 年度无购置车辆计划，本年度拟购置固定资产 0 万元": stated zeros of what is to be bought
    assert assets[("vehicles", "planned_purchase")]["quantity"] == 0
    assert assets[("total", "planned_purchase")]["value_yuan"] == 0

    quality = query(engine, "SELECT rule_code, passed FROM v_data_quality")
    assert [q["rule_code"] for q in quality if q["passed"] is False] == ["stated_year_matches_fiscal_year"]

    [doc] = query(engine, "SELECT * FROM v_document")
    assert (doc["status"], doc["region_name"], doc["doc_kind"], doc["status_reason"]) == (
        "loaded", "高邑县", "department_budget", None)


def test_running_twice_leaves_the_same_rows(engine, source):
    run_items(engine, folder_items(source))
    first = counts(engine)
    second_run = run_items(engine, folder_items(source))
    assert second_run.counts["unchanged"] == 1
    [report] = second_run.reports  # the run's table still says which department and year it was
    assert (report.status, report.fiscal_year, report.department_name, report.reason) == (
        "unchanged", 2021, "高邑县信访局", None)
    assert counts(engine) == first
    run_items(engine, folder_items(source), RunRequest(force=True))  # re-load the same bytes: replace, not append
    assert counts(engine) == first
    assert first["fct_performance_target"] == 70 and first["dim_document"] == 1


def test_a_changed_file_replaces_its_documents_rows(engine, source):
    run_items(engine, folder_items(source))
    before = counts(engine)
    path = source / "gaoyi.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("公务接待费0.06万元", "公务接待费0.07万元"), encoding="utf-8")
    summary = run_items(engine, folder_items(source))
    assert summary.counts["loaded"] == 1
    assert counts(engine) == before
    [row] = query(engine, "SELECT three_public_reception_yuan AS r FROM v_budget_summary")
    assert row["r"] == Decimal("700.00")


def test_bad_files_are_quarantined_with_reasons_and_the_run_goes_on(engine, source):
    (source / "empty.txt").write_bytes(b"")
    (source / "notes.txt").write_text("会议纪要：下周一开会。", encoding="utf-8")
    (source / "blob.bin").write_bytes(bytes(range(256)) * 8)
    summary = run_items(engine, folder_items(source))
    assert summary.counts == {"loaded": 1, "quarantined": 3}
    reasons = {d["source_uri"].rsplit("/", 1)[-1]: (d["status"], d["status_reason"])
               for d in query(engine, "SELECT * FROM v_document")}
    assert reasons["empty.txt"] == ("quarantined", "empty file (0 bytes)")
    assert reasons["notes.txt"][1].startswith("not a budget disclosure")
    assert reasons["blob.bin"][0] == "quarantined" and reasons["blob.bin"][1].startswith("not a text, HTML, PDF or Office document")
    assert query(engine, "SELECT COUNT(*) AS n FROM v_budget_summary")[0]["n"] == 1


def test_a_failure_mid_load_leaves_nothing_half_loaded(engine, source, monkeypatch):
    run_items(engine, folder_items(source))
    before = counts(engine)
    real_backend = load_documents.backend_of

    class Exploding:
        def __init__(self, inner):
            self.inner, self.calls = inner, 0

        def insert(self, connection, table, frame):
            self.calls += 1
            if table.name == "fct_performance_target":
                raise RuntimeError("disk full")
            return self.inner.insert(connection, table, frame)

        def __getattr__(self, name):  # locking and insert_missing as the real backend does them
            return getattr(self.inner, name)

    monkeypatch.setattr(load_documents, "backend_of", lambda connection: Exploding(real_backend(connection)))
    with pytest.raises(RuntimeError, match="disk full"):
        run_items(engine, folder_items(source), RunRequest(force=True))
    assert counts(engine) == before  # the delete and the partial inserts rolled back together


def test_two_volumes_of_one_department_year_meet_in_v_department_year(engine, source):
    seed_text = SEED_PATH.read_text(encoding="utf-8")
    # the same disclosure as a second file (GBK bytes, 中共-style signature): one department-year
    (source / "gaoyi_gbk.txt").write_bytes(seed_text.replace("编制部门：高邑县信访局", "编制部门：中共高邑县信访局")
                                          .encode("gb18030"))
    summary = run_items(engine, folder_items(source))
    assert summary.counts["loaded"] == 2
    rows = query(engine, "SELECT * FROM v_department_year")
    assert len(rows) == 1
    [row] = rows
    assert (row["document_count"], row["fiscal_year"], row["doc_kind"]) == (2, 2021, "department_budget")
    assert row["expenditure_total_yuan"] == Decimal("2422400.00")
    assert row["three_public_total_yuan"] == Decimal("10600.00")
    assert query(engine, "SELECT COUNT(*) AS n FROM v_budget_summary")[0]["n"] == 2


def test_an_unchanged_open_leaves_the_views_alone(engine, warehouse_url):
    from load.warehouse import create_views

    # the first open made them, each with the fingerprint as its comment; opening again drops nothing
    assert create_views(engine) is False
    with opened(warehouse_url) as again:
        assert create_views(again) is False
    with engine.begin() as connection:  # a view whose fingerprint differs (an older version made it)
        connection.execute(text("COMMENT ON VIEW v_document IS 'made by an older version'"))
    assert create_views(engine) is True
    assert create_views(engine) is False
    assert query(engine, "SELECT COUNT(*) AS n FROM v_budget_summary") == [{"n": 0}]
