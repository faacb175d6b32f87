"""The catalogue as data: checked when it loads, one row per rule and document, no import side effects."""

import pytest

from schemas import table
from schemas.errors import ContractError
from tests.test_architecture import find_cycle, graph
from tests.transform.facts_builder import DOC, verdicts
from cli.rules import catalogue_markdown
from transform.quality import checks_frame, run_rules
from transform.rules.catalogue import CATALOGUE, DOCUMENT_RULES, RULE_CODE_WIDTH, rule, validated
from transform.rules.kinds import Parts, Ref, SumOf
from transform.rules.model import CATEGORIES, Declared, Rule


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
    with pytest.raises(ContractError, match="needs a Declared test"):
        validated((cross,))
    declared = Rule("per_document_rule", "t", "error", "identity", "printed", Declared(("x",)))
    with pytest.raises(ContractError, match="needs a DocumentTest test"):
        validated((declared,))


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


def test_a_cross_document_rule_is_declared_in_the_catalogue_and_never_run_per_document():
    prior_year = Rule("prior_year_figure_matches_last_year", "this year's stated 上年 figure = last year's document",
                      "warning", "cross_document", "printed",
                      Declared(("this year's 支出总计 and its stated change", "last year's 支出总计")))
    rules = validated(DOCUMENT_RULES + (prior_year,))
    assert [r.code for r in rules if r.cross_document] == ["prior_year_figure_matches_last_year"]
    assert "| `prior_year_figure_matches_last_year` | warning | cross_document |" in catalogue_markdown(rules)
    results = checks_frame(run_rules({}, [DOC], rules))
    assert "prior_year_figure_matches_last_year" not in results["rule_code"].to_list()
    assert rule("revenue_equals_expenditure").severity == "error"
    with pytest.raises(KeyError, match="no rule 'nope'"):
        rule("nope")
