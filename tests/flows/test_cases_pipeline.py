"""The failure cases of ../shared/corpus/cases through the whole pipeline: what the views show.

Each case stands for a kind of fault (CASES.md); its LABELS.json figures must come out
of ``v_budget_summary`` exactly, in yuan, with NULL where the document prints nothing.
The not-a-disclosure case (03) ends quarantined with its type named.
Also here: which of two printings of one figure the views show (the most precise one
when they agree, the table's when they do not).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text

from flows.pipeline import prepare, store
from flows.runner import folder_items, run_items
from load.warehouse import opened
from tests.conftest import SHARED_DIR, require_shared, shared_cases

LABELS_PATH = SHARED_DIR / "corpus" / "cases" / "LABELS.json"
LABELS = json.loads(LABELS_PATH.read_text(encoding="utf-8")) if LABELS_PATH.exists() else []
DISCLOSURES = [e for e in LABELS if e["kind"] != "not_a_disclosure"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = require_shared("corpus", "cases")
    url = f"duckdb:///{tmp_path_factory.mktemp('cases') / 'w.duckdb'}"
    with opened(url) as engine:
        run_items(engine, folder_items(root))
        yield engine


def rows(engine, sql, **params):
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(text(sql), params).mappings()]


@pytest.mark.slow
@pytest.mark.parametrize("entry", shared_cases(DISCLOSURES, "corpus", "cases"), ids=lambda e: e["file"][:2] if e else "absent")
def test_case_figures_in_the_budget_summary(warehouse, entry):
    [doc] = rows(warehouse, "SELECT * FROM v_document WHERE source_uri LIKE :f", f=f"%/{entry['file']}")
    assert (doc["status"], doc["doc_kind"], doc["fiscal_year"], doc["department_name"]) == (
        "loaded", entry["kind"], entry["fiscal_year"], entry["department"])
    [summary] = rows(warehouse, "SELECT * FROM v_budget_summary WHERE document_id = :d", d=doc["document_id"])
    labelled = {k: v for k, v in entry.items() if k.endswith("_yuan")}
    assert labelled, entry["file"]
    got = {k: summary[k] for k in labelled}
    assert got == {k: None if v is None else Decimal(str(v)) for k, v in labelled.items()}


def test_the_regulation_is_quarantined_as_a_regulation(warehouse):
    [doc] = rows(warehouse, "SELECT * FROM v_document WHERE source_uri LIKE '%03_regulation%'")
    assert (doc["status"], doc["status_reason"], doc["fiscal_year"], doc["doc_kind"]) == (
        "quarantined", "not a budget disclosure: a regulation ('预算评审管理暂行办法')", None, None)
    assert rows(warehouse, "SELECT * FROM v_budget_summary WHERE document_id = :d", d=doc["document_id"]) == []


def test_university_budget_balancing_rows_and_narrative_parts(warehouse):
    """Case 01: the 收支总表's balancing rows are named, and the narrative's 收支总预算 is its
    total while 本年收入预算 / 本年支出预算 are this year's parts."""
    lines = rows(warehouse, "SELECT b.statement, b.item, b.source, b.amount_yuan FROM fct_budget_line b "
                            "JOIN v_document d USING (document_id) WHERE d.source_uri LIKE '%01_university%' "
                            "AND b.statement IN ('revenue', 'expenditure') AND b.column_name = 'amount'")
    got = {(r["statement"], r["item"], r["source"]): r["amount_yuan"] for r in lines}
    wan = lambda text: Decimal(text) * 10000  # noqa: E731
    assert got[("revenue", "non_fiscal_balance_used", "table")] == wan("18953.78")
    assert got[("revenue", "non_fiscal_balance_used", "narrative")] == wan("18953.73")  # the misprint, kept
    assert got[("revenue", "carryover", "table")] == got[("revenue", "carryover", "narrative")] == wan("81714.17")
    assert got[("revenue", "total", "narrative")] == got[("expenditure", "total", "narrative")] == wan("490808.40")
    assert got[("revenue", "this_year", "narrative")] == wan("390140.45")
    assert got[("expenditure", "this_year", "narrative")] == wan("415808.40")
    assert got[("revenue", "operating_income", "table")] == wan("124020.47")
    assert ("revenue", "business_income", "table") in got  # 事业单位经营收入, printed blank, kept apart


def test_final_account_balancing_rows_under_grand_totals_labelled_heji(warehouse):
    """Case 02: both grand totals are labelled 合计; 结余分配 and 年末结转和结余 are named."""
    [s] = rows(warehouse, "SELECT s.* FROM v_budget_summary s JOIN v_document d USING (document_id) "
                          "WHERE d.source_uri LIKE '%02_university%'")
    wan = lambda text: Decimal(text) * 10000  # noqa: E731
    assert s["revenue_total_yuan"] == s["expenditure_total_yuan"] == wan("569496.54")
    assert s["non_fiscal_balance_used_yuan"] == wan("45110.97")
    assert s["carry_over_from_last_year_yuan"] == wan("93660.54")
    assert s["balance_distribution_yuan"] == wan("4970.88")
    assert s["carry_over_to_next_year_yuan"] == wan("106848.91")
    assert s["revenue_fiscal_grant_yuan"] == wan("243015.38")
    assert s["revenue_gov_fund_yuan"] == wan("109.50")  # 其中：政府性基金预算财政拨款, a part of the grant
    # the identities hold on what the views show
    assert s["revenue_total_yuan"] == (s["revenue_this_year_yuan"] + s["non_fiscal_balance_used_yuan"]
                                       + s["carry_over_from_last_year_yuan"])
    assert s["expenditure_total_yuan"] == (s["expenditure_this_year_yuan"] + s["balance_distribution_yuan"]
                                           + s["carry_over_to_next_year_yuan"])


OPERATING_TABLE = "机关运行经费预算表\n单位：万元\n项目\t预算数\n机关运行经费\t171.01\n"


def _summary_of(tmp_path, narrative: str) -> dict:
    body = f"某某县某某局\n2024年部门预算\n一、机关运行经费情况\n{narrative}\n\n{OPERATING_TABLE}"
    with opened(f"duckdb:///{tmp_path / 'w.duckdb'}") as engine:
        store(engine, prepare(body.encode("utf-8"), "file:///x.txt"))
        [summary] = rows(engine, "SELECT operating_expenses_yuan FROM v_budget_summary")
        lines = rows(engine, "SELECT source, stated_text FROM fct_budget_line WHERE statement = 'operating_expenses'")
    return {"view": summary["operating_expenses_yuan"], "printed": sorted((r["source"], r["stated_text"]) for r in lines)}


def test_the_most_precise_printing_of_one_figure_wins(tmp_path):
    got = _summary_of(tmp_path, "本部门机关运行经费安排1,710,062.00元。")
    assert got["printed"] == [("narrative", "1,710,062.00"), ("table", "171.01")]
    assert got["view"] == Decimal("1710062.00")  # 171.01万元 is its rounding


def test_two_printings_that_disagree_show_the_table(tmp_path):
    got = _summary_of(tmp_path, "本部门机关运行经费安排1,910,062.00元。")
    assert got["view"] == Decimal("1710100.00")  # a contradiction, for the rules to flag
