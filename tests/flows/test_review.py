"""``county-budgets review``: held documents listed with why, released or rejected by a person, and
the decision kept when the document is read again (issue 15), on DuckDB and PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.conftest import query_rows

runner = CliRunner()
#: A 三公 statement that names its year and kind but no department (a page without its title).
NAMELESS = ("2019年度“三公”经费财政拨款支出预算为44.52万元，2019年实际支出“三公经费”决算为22.62万元。"
            "本年度“三公经费”决算数未超过2019年预算数。\n")
#: A volume whose heading is a part heading, no name anywhere.
PART_ONLY = "第二部分 2022年度单位决算情况说明\n2022年本年收入合计10.00万元。\n"
NAMED = "某县审计局\n2024年部门预算\n2024年收入预算100万元，支出预算100万元。\n"


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, body in (("a.txt", NAMELESS), ("b.txt", PART_ONLY), ("c.txt", NAMED)):
        (docs / name).write_text(body, encoding="utf-8")
    return docs


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def held(url) -> list[dict]:
    return json.loads(invoke("review", "--format", "json", "--warehouse", url))


def test_held_documents_are_listed_and_kept_out_of_the_views(warehouse_url, folder):
    out = invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect")
    assert "3 documents: 1 loaded, 0 quarantined, 0 unchanged, 0 skipped, 2 held for review" in out
    listed = held(warehouse_url)
    assert sorted((r["source_uri"].rsplit("/", 1)[-1], r["fiscal_year"], r["doc_kind"]) for r in listed) == [
        ("a.txt", 2019, "final_account"), ("b.txt", 2022, "final_account")]
    assert {r["status_reason"] for r in listed} == {
        "held for review: figures but no department or unit named (no title, label, cover, heading or opening "
        "statement names one)"}
    table = invoke("review", "--warehouse", warehouse_url)
    assert "2 documents held for review" in table and "review release ID --department NAME" in table
    assert query_rows(warehouse_url, "SELECT count(*) FROM v_budget_summary") == [(1,)]
    assert query_rows(warehouse_url, "SELECT count(*) FROM v_document WHERE status = 'held'") == [(2,)]


def test_a_release_loads_it_under_the_identity_given_and_outlives_a_rerun(warehouse_url, folder):
    invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect")
    first = next(r for r in held(warehouse_url) if r["source_uri"].endswith("a.txt"))
    out = invoke("review", "release", first["document_id"][:10], "--department", "高邑县司法局",
                 "--warehouse", warehouse_url)
    assert f"released {first['document_id'][:12]}: 高邑县司法局 2019 final_account is loaded" in out
    expected = [("高邑县司法局", 2019, "final_account", "loaded", "130127", "review", "county", Decimal("226200.00"))]
    sql = ("SELECT d.department_name, d.fiscal_year, d.doc_kind, d.status, d.region_code, d.department_source, "
           "d.admin_level, s.three_public_total_yuan FROM dim_document d JOIN v_budget_summary s USING (document_id) "
           "WHERE d.document_id = :id")
    assert query_rows(warehouse_url, sql, id=first["document_id"]) == expected
    assert query_rows(warehouse_url, "SELECT count(*) FROM dim_department WHERE department_name = '高邑县司法局'") == [(1,)]
    # the same bytes read again with --force: the decision is applied again, nothing is held twice
    out = invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect", "--force")
    assert "1 held for review" in out
    assert query_rows(warehouse_url, sql, id=first["document_id"]) == expected


@pytest.mark.slow  # a further run of the CLI (seconds each): full suite only
def test_a_rejection_quarantines_it_with_the_persons_reason(warehouse_url, folder):
    invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect")
    second = next(r for r in held(warehouse_url) if r["source_uri"].endswith("b.txt"))
    invoke("review", "reject", second["document_id"], "--reason", "a part of a volume printed in another file",
           "--warehouse", warehouse_url)
    sql = "SELECT status, status_reason FROM dim_document WHERE document_id = :id"
    expected = [("quarantined", "rejected on review: a part of a volume printed in another file")]
    assert query_rows(warehouse_url, sql, id=second["document_id"]) == expected
    assert query_rows(warehouse_url, "SELECT count(*) FROM fct_budget_line WHERE document_id = :id",
                      id=second["document_id"]) == [(0,)]
    invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect", "--force")
    assert query_rows(warehouse_url, sql, id=second["document_id"]) == expected


@pytest.mark.slow  # a further run of the CLI (seconds each): full suite only
def test_only_a_held_document_can_be_decided_on(warehouse_url, folder):
    invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect")
    [(loaded_id,)] = query_rows(warehouse_url, "SELECT document_id FROM dim_document WHERE status = 'loaded'")
    result = runner.invoke(app, ["review", "release", loaded_id, "--department", "x局", "--warehouse", warehouse_url])
    assert result.exit_code == 2
    assert f"error: document {loaded_id[:12]} is loaded, not held" in result.output
    result = runner.invoke(app, ["review", "release", "ffffffff", "--warehouse", warehouse_url])
    assert result.exit_code == 2 and "no document 'ffffffff' in the warehouse" in result.output
    nameless = next(r for r in held(warehouse_url) if r["source_uri"].endswith("a.txt"))
    result = runner.invoke(app, ["review", "release", nameless["document_id"], "--warehouse", warehouse_url])
    assert result.exit_code == 2 and "the document does not state --department: give it to release it" in result.output


def test_a_document_that_names_no_region_takes_its_portals(engine):
    """The registry knows the region of each portal: a page fetched from 高邑县's portal that names
    only "某县水利局" is placed in 130127, and says so (region_source portal)."""
    from datetime import datetime, timezone

    from sqlalchemy import insert

    from flows.pipeline import prepare, store
    from schemas.registry import src_document_url, src_source

    now = datetime.now(timezone.utc)
    url = "http://www.gaoyi.gov.cn/zwgk/2024/a.html"
    with engine.begin() as connection:
        connection.execute(insert(src_source).values(
            source_id="s1", region_code="130127", region_name="高邑县", kind="disclosure_index", enabled=True,
            needs_review=False, imported_at=now))
        connection.execute(insert(src_document_url).values(source_id="s1", url=url, first_seen=now, last_seen=now))
    stored = store(engine, prepare(NAMED.encode("utf-8"), url))
    assert stored.status == "loaded"
    rows = query_rows(engine, "SELECT d.region_code, d.region_source, d.admin_level, p.region_code FROM dim_document d "
                              "JOIN dim_department p USING (department_id)")
    assert rows == [("130127", "portal", "county", "130127")]


TABLES_ONLY = ("2021年收支预算总表\n单位：万元\n项目\t预算数\t项目\t预算数\n"
               "收入总计\t120.00\t支出总计\t120.00\n")
NARRATIVE = "某县水利局\n2021年部门预算情况说明\n2021年收入预算120.00万元，支出预算120.00万元。\n"


def test_a_tables_only_volume_takes_the_name_of_its_one_sibling_department(warehouse_url, tmp_path):
    """The 报表 volume of a release prints no name; the 情况说明 volume beside it names the department
    for the same year: the tables are that department's (department_source sibling_volume)."""
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "v1.txt").write_text(NARRATIVE, encoding="utf-8")
    (folder / "v2.txt").write_text(TABLES_ONLY, encoding="utf-8")
    out = invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect")
    assert "2 documents: 2 loaded" in out
    rows = query_rows(warehouse_url, "SELECT department_name, department_source, fiscal_year_source, status "
                                     "FROM v_document WHERE source_uri LIKE '%v2.txt'")
    assert rows == [("某县水利局", "sibling_volume", "table_title", "loaded")]
    assert query_rows(warehouse_url, "SELECT count(DISTINCT department_id) FROM dim_document") == [(1,)]


def test_with_two_departments_beside_it_a_nameless_volume_stays_held(warehouse_url, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "v1.txt").write_text(NARRATIVE, encoding="utf-8")
    (folder / "v2.txt").write_text(NARRATIVE.replace("水利局", "审计局"), encoding="utf-8")
    (folder / "v3.txt").write_text(TABLES_ONLY, encoding="utf-8")
    invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect")
    assert query_rows(warehouse_url, "SELECT status FROM v_document WHERE source_uri LIKE '%v3.txt'") == [("held",)]


def test_coverage_counts_disclosures_it_could_not_read_never_look_alikes(warehouse_url, tmp_path):
    """A 高邑县 budget report names its county and year but is nobody's disclosure; a 高邑县水利局 page that
    names its year but prints no figure was published all the same (status found)."""
    folder = tmp_path / "county"
    folder.mkdir()
    (folder / "a.txt").write_text("高邑县2021年预算执行情况和2022年预算草案\n全县一般公共预算收入完成13.62亿元。\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("高邑县水利局2022年部门预算\n一、部门职责\n负责全县水利工作。\n", encoding="utf-8")
    invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect")
    assert query_rows(warehouse_url, "SELECT status, doc_class, fiscal_year, region_code FROM v_document "
                                     "ORDER BY source_uri") == [
        ("quarantined", "government_fiscal_report", 2021, "130127"),
        ("quarantined", "department_budget", 2022, "130127")]
    assert query_rows(warehouse_url, "SELECT status, fiscal_year, department_name FROM fct_disclosure_observation") == [
        ("found", 2022, "高邑县水利局")]


def test_among_several_departments_the_tables_go_to_the_one_whose_totals_they_print(warehouse_url, tmp_path):
    """A city's folder holds many releases: the nameless 报表 volume (收入总计 120.00万元) belongs to the
    narrative volume that states the same total, not to the other department of that year."""
    folder = tmp_path / "city"
    folder.mkdir()
    (folder / "v1.txt").write_text(NARRATIVE, encoding="utf-8")
    (folder / "v2.txt").write_text(NARRATIVE.replace("水利局", "审计局").replace("120.00", "300.00"), encoding="utf-8")
    (folder / "v3.txt").write_text(TABLES_ONLY, encoding="utf-8")
    invoke("run", "--source", str(folder), "--warehouse", warehouse_url, "--no-prefect")
    assert query_rows(warehouse_url, "SELECT department_name, department_source, status FROM v_document "
                                     "WHERE source_uri LIKE '%v3.txt'") == [("某县水利局", "sibling_volume", "loaded")]
