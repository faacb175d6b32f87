"""The catalogue as data: checked when it loads, one row per rule and document, no import side effects."""

from dataclasses import dataclass
from decimal import Decimal

import polars as pl
import pytest

from schemas import table
from schemas.errors import ContractError
from tests.test_architecture import find_cycle, graph
from tests.transform.facts_builder import DOC, verdicts
from transform.rules.catalogue import CATALOGUE, DOCUMENT_RULES, RULE_CODE_WIDTH, validated
from transform.rules.cross_document import run_cross_document_rules
from transform.rules.kinds import Parts, Ref, SumOf
from transform.rules.model import CATEGORIES, Check, Rule


def test_rule_code_width_is_the_warehouse_column():
    assert RULE_CODE_WIDTH == table("fct_data_quality").c.rule_code.type.length == 48
    assert all(len(rule.code) <= RULE_CODE_WIDTH for rule in CATALOGUE)


def test_a_49_character_code_is_refused_when_the_catalogue_loads():
    # regression: this code once passed every check and broke every PostgreSQL load (String(48))
    code = "three_public_vehicle_operation_narrative_vs_table"
    assert len(code) == 49
    rule = Rule(code, "t", "error", "narrative_vs_table", "exact", SumOf(Ref("a", "b"), Parts()))
    with pytest.raises(ContractError, match=f"'{code}' is 49 characters; fct_data_quality.rule_code holds 48"):
        validated(CATALOGUE + (rule,))


def test_duplicate_codes_and_unknown_kinds_are_refused():
    first = CATALOGUE[0]
    with pytest.raises(ContractError, match="declared twice"):
        validated((first, first))
    odd = Rule("odd_rule", "t", "fatal", "identity", "printed", first.test)
    with pytest.raises(ContractError, match="severity/category/tolerance"):
        validated((odd,))
    cross = Rule("cross_rule", "t", "error", "cross_document", "printed", first.test)
    with pytest.raises(ContractError, match="needs a CrossDocumentTest"):
        validated((cross,))


def test_every_rule_is_declared_with_its_inputs_and_a_category():
    assert {rule.category for rule in CATALOGUE} <= set(CATEGORIES)
    assert all(rule.inputs and rule.title for rule in CATALOGUE)
    assert {rule.code for rule in DOCUMENT_RULES} >= {
        "revenue_total_equals_sources", "revenue_this_year_equals_sources", "expenditure_total_equals_parts",
        "expenditure_this_year_equals_parts", "revenue_equals_expenditure", "project_listed_once",
        "project_budgets_sum_to_project_expenditure", "revenue_balance_used_narrative_vs_table"}
    sums = [rule for rule in CATALOGUE if isinstance(rule.test, SumOf)]
    assert len(sums) >= 9  # every "total = Σ parts" rule is one kind, declared by its inputs


def test_an_empty_document_gets_one_not_evaluated_row_per_rule():
    results = verdicts({})
    assert list(results) == [rule.code for rule in DOCUMENT_RULES]
    assert all(row["passed"] is None and "not evaluated, not stated: " in row["message"] for row in results.values())
    assert all(row["expected"] is None and row["difference"] is None for row in results.values())


def test_transform_has_no_import_cycle_and_rules_register_nothing_by_import():
    edges = {k: {t for t in v if t.startswith("transform")} for k, v in graph().items() if k.startswith("transform")}
    assert find_cycle(edges) is None
    assert "transform.quality" not in graph()["transform.rules.catalogue"]


@dataclass(frozen=True)
class SameTotalEveryYear:
    """A toy cross-document test: each document's 支出总计 equals the first one's."""

    inputs: tuple[str, ...] = ("fct_budget_line",)

    def evaluate_many(self, frames):
        totals = frames["fct_budget_line"].filter(pl.col("item") == "total").select("document_id", "amount_yuan")
        (first_doc, first), *others = totals.rows()
        for doc, amount in others:
            yield Check("", "", amount == first, first, amount, "totals agree", documents=(first_doc, doc))


def test_cross_document_rules_run_over_many_documents_and_name_them():
    rule = Rule("toy_same_total_every_year", "支出总计 unchanged", "warning", "cross_document", "exact",
                SameTotalEveryYear())
    validated((rule,))
    frame = pl.DataFrame({"document_id": ["a", "b", "c"], "item": ["total"] * 3,
                          "amount_yuan": [Decimal("1.00"), Decimal("1.00"), Decimal("2.00")]})
    checks = run_cross_document_rules({"fct_budget_line": frame}, [rule])
    assert [(c.rule_code, c.severity, c.passed, c.documents, c.difference) for c in checks] == [
        ("toy_same_total_every_year", "warning", True, ("a", "b"), Decimal("0.00")),
        ("toy_same_total_every_year", "warning", False, ("a", "c"), Decimal("1.00"))]
    # the per-document evaluator never runs a cross-document rule
    assert rule not in DOCUMENT_RULES and DOC
