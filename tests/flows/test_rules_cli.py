"""``county-budgets rules`` lists every rule of the catalogue, and the README shows the same table."""

from typer.testing import CliRunner

from cli.app import app
from cli.rules import README_BEGIN, README_END, catalogue_markdown
from tests.conftest import REPO_ROOT
from transform.rules.catalogue import CATALOGUE


def test_rules_command_lists_every_rule_with_severity_and_category():
    result = CliRunner().invoke(app, ["rules"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for rule in CATALOGUE:
        [line] = [line for line in lines if f" {rule.code} " in line]
        assert rule.severity in line and rule.category in line
    assert f"{len(CATALOGUE)} data-quality rules" in result.output
    assert "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转" in result.output


def test_rules_command_shows_inputs_on_request():
    result = CliRunner().invoke(app, ["rules", "--inputs"])
    assert result.exit_code == 0 and "revenue.non_fiscal_balance_used" in result.output


def test_readme_table_is_the_catalogue():
    readme = (REPO_ROOT / "README.md").read_text("utf-8")
    between = readme.split(README_BEGIN, 1)[1].split(README_END, 1)[0].strip()
    assert between == catalogue_markdown(), "regenerate: county-budgets rules --markdown"
    assert CliRunner().invoke(app, ["rules", "--markdown"]).output.strip() == between
    assert between.count("\n| `") == len(CATALOGUE)
