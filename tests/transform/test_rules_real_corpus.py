"""The rules on real documents: every failing error-level rule is a contradiction the hand-read
LABELS.json notes, and no rule is computed from inputs the document does not state.

../shared/corpus/real (26 disclosures) and ../shared/corpus/cases 01–02 (a university budget and
final account whose 收支总表 balance only with their balancing rows).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from cli.audit import audit_files
from flows.pipeline import prepare
from tests.conftest import require_shared
from transform.rules.catalogue import DOCUMENT_RULES

# file → the error rules that must fail, each a contradiction LABELS.json notes for that file
LABELLED_CONTRADICTIONS = {
    # "TABLE ERRORS p11 预算表6: 301 … subtotal 911.21 but its detail rows sum to 920.96; 302 … 211.00 … 221.37"
    # "Narrative errors: p17 '2026年预算支出1682.76元' (万 missing)"
    "040_长春/2026年长春市信访局部门预算.pdf": {"economic_lines_sum_to_class_totals",
                                        "expenditure_total_narrative_vs_table"},
    # "TABLE ERROR: p41 2021 合计 column shows 1,171,100.00 but 65,100 + 320,000 + 1,096,000 = 1,481,100"
    "020_西安/宣传部_2026年部门预算.pdf": {"three_public_grand_total_equals_parts"},
}


def quality_rows(root: Path) -> dict[str, list[dict]]:
    out = {}
    for path in audit_files(root):
        prepared = prepare(path.read_bytes(), path.as_uri())
        if prepared.status == "loaded":
            out[str(path.relative_to(root))] = prepared.frames["fct_data_quality"].to_dicts()
    return out


@pytest.fixture(scope="module")
def real_rows() -> dict[str, list[dict]]:
    return quality_rows(require_shared("corpus", "real"))


@pytest.mark.slow
def test_every_failing_error_rule_is_a_labelled_contradiction(real_rows):
    failing = {name: {r["rule_code"] for r in rows if r["passed"] is False and r["severity"] == "error"}
               for name, rows in real_rows.items()}
    assert {name: codes for name, codes in failing.items() if codes} == LABELLED_CONTRADICTIONS
    labels = {entry["file"]: entry["notes"] for entry in json.loads(
        require_shared("corpus", "real", "LABELS.json").read_text("utf-8"))}
    assert all(name in labels for name in LABELLED_CONTRADICTIONS)


@pytest.mark.slow
def test_failing_rules_keep_both_figures_and_their_difference(real_rows):
    for name, codes in LABELLED_CONTRADICTIONS.items():
        for row in (r for r in real_rows[name] if r["rule_code"] in codes):
            assert None not in (row["expected"], row["actual"], row["difference"]), (name, row)
            assert row["difference"] == row["actual"] - row["expected"]
    [narrative] = [r for r in real_rows["040_长春/2026年长春市信访局部门预算.pdf"]
                   if r["rule_code"] == "expenditure_total_narrative_vs_table"]
    assert (narrative["expected"], narrative["actual"]) == (Decimal("16827600.00"), Decimal("1682.76"))  # 1682.76万 table, "1682.76元"


@pytest.mark.slow
def test_every_rule_has_a_row_and_none_is_computed_from_missing_inputs(real_rows):
    for name, rows in real_rows.items():
        assert [r["rule_code"] for r in rows] == [rule.code for rule in DOCUMENT_RULES], name
        for row in rows:
            if row["passed"] is None:
                assert "not evaluated, not stated: " in row["message"], (name, row)
                assert row["expected"] is None and row["actual"] is None
    # 西安 宣传部: with no 基本/项目 split read, 支出总计 = "derived 0.00" once failed; now it is not
    # evaluated until its parts are read, and holds once they are (258,596,001.79 元)
    [row] = [r for r in real_rows["020_西安/宣传部_2026年部门预算.pdf"] if r["rule_code"] == "expenditure_total_equals_parts"]
    assert row["passed"] is None or (row["passed"] is True and row["actual"] == Decimal("258596001.79"))


def _case_rows(name: str) -> list[dict]:
    path = require_shared("corpus", "cases", name)
    prepared = prepare(path.read_bytes(), path.as_uri())
    assert prepared.status == "loaded", prepared.reason
    items = set(prepared.frames["fct_budget_line"].select("statement", "item").unique().rows())
    # a parser that stops reading them is a regression: fail, never skip (only an absent ../shared skips)
    missing = {("revenue", "this_year"), ("revenue", "non_fiscal_balance_used")} - items
    assert not missing, f"{name}: the 收支总表's balancing rows (本年收入合计, 使用非财政拨款结余) were not read: {missing}"
    return prepared.frames["fct_data_quality"].to_dicts()


@pytest.mark.slow
def test_university_final_account_balances_with_its_balancing_rows():
    rows = _case_rows("02_university_final_account_2023.pdf")
    assert [r["rule_code"] for r in rows if r["passed"] is False and r["severity"] == "error"] == []
    verdicts = {r["rule_code"]: r["passed"] for r in rows}
    assert verdicts["revenue_total_equals_sources"] is True and verdicts["expenditure_total_equals_parts"] is True


@pytest.mark.slow
def test_university_budgets_only_contradiction_is_the_narratives_balance_used_a_slip():
    rows = _case_rows("01_university_budget_2021.pdf")
    failed = [r for r in rows if r["passed"] is False]
    # table 18,953.78万, narrative 18,953.73万: both printed (a contradiction), 500 yuan in 1.9亿 (≤ 0.01%: a warning)
    assert [(r["rule_code"], r["severity"], r["finding"], r["expected"], r["actual"]) for r in failed] == [
        ("revenue_balance_used_narrative_vs_table", "warning", "contradiction", Decimal("189537800.00"),
         Decimal("189537300.00"))]
