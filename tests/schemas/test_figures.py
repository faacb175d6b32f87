"""The figure vocabulary (schemas/figures.py) is the one place a figure is named: the views, the
rules' messages, the table readers, the audit and the README derive from it, and no product
module spells a figure's view column as a string of its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from extract.parse.table_roles import NOT_FIGURES, SUMMARY_ROWS, THREE_PUBLIC_ITEMS
from cli.audit import KEY_FIGURES
from schemas.figures import BY_NAME, FIGURES, VIEW_COLUMNS, VIEW_FIGURES, column, figures_markdown, items_of
from schemas.views import v_budget_summary, v_department_year
from transform.rules.catalogue import CATALOGUE
from transform.rules.kinds import TERMS

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("schemas", "reference", "extract", "transform", "load", "flows")
VOCABULARY_MODULE = ROOT / "schemas" / "figures.py"
#: Modules allowed to spell a view column, with why (keep short).
ALLOWED: dict[str, str] = {}


def test_every_figure_is_declared_once_with_a_label_and_a_unit():
    names = [f.name for f in FIGURES]
    assert len(names) == len(set(names)) == len(BY_NAME)
    assert len(VIEW_COLUMNS) == len(set(VIEW_COLUMNS)) == 35
    assert all(f.labels and f.unit in ("yuan", "count") for f in FIGURES)
    assert all(c.endswith("_yuan") for c in VIEW_COLUMNS)
    assert column("revenue", "total") == "revenue_total_yuan"
    assert BY_NAME["operating_expenses.total"].label == "机关运行经费"


def test_the_summary_views_show_the_declared_figures_in_order():
    document = [c.name for c in v_budget_summary().selected_columns]
    assert document == ["document_id", "region_code", "department_name", "fiscal_year", *VIEW_COLUMNS, "ocr_pages"]
    year = [c.name for c in v_department_year().selected_columns]
    assert year[6:6 + len(VIEW_COLUMNS)] == list(VIEW_COLUMNS)


def test_rule_terms_table_roles_and_audit_come_from_the_declarations():
    assert TERMS == {f.name: f.labels[0] for f in FIGURES}
    assert TERMS["expenditure.carryover"] == "结转下年/年末结转和结余"
    # every figure a rule reads by name is declared; what else rules read is a document column or a
    # change against last year (the 比上年增减 lines, not a figure the document states of itself)
    inputs = {i.split("@")[0] for rule in CATALOGUE for i in getattr(rule.test, "inputs", ()) if "." in i}
    names = {f"{st}.{item}" for i in inputs for st, items in [i.split(".", 1)] for item in items.split("|")}
    undeclared = {n for n in names if n not in BY_NAME}
    assert {n.split(".")[0] for n in undeclared} == {"change", "dim_document"}, undeclared
    for role in SUMMARY_ROWS:
        assert role.item in items_of(role.side) | NOT_FIGURES
    assert {r.item for r in THREE_PUBLIC_ITEMS} <= items_of("three_public") | {"operating_expenses"}
    assert [f.name for f in KEY_FIGURES.values()] == ["revenue.total", "expenditure.total", "expenditure.basic",
                                                      "expenditure.project", "operating_expenses.total",
                                                      "three_public.total"]


def test_the_readme_figure_table_is_the_declarations():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- figures:begin[^>]*-->\n(.*?)\n<!-- figures:end -->", readme, re.S)
    assert block is not None, "README.md has no figures:begin/end block"
    assert block.group(1) == figures_markdown(), "regenerate it: python -c 'from schemas.figures import " \
                                                  "figures_markdown; print(figures_markdown())'"
    assert len(block.group(1).splitlines()) == 2 + len(VIEW_FIGURES)


def _spellings(path: Path) -> list[tuple[int, str]]:
    """(line, column) of every string constant in ``path`` naming a view column (f-string parts included)."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, VIEW_COLUMNS)) + r")\b")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [(node.lineno, m.group(1)) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            for m in pattern.finditer(node.value)]


def test_no_product_module_spells_a_figure_column():
    found = {}
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if path == VOCABULARY_MODULE or relative in ALLOWED:
                continue
            if hits := _spellings(path):
                found[relative] = hits
    assert found == {}, "use schemas.figures.column(statement, item) instead of spelling the column"


def test_the_scan_finds_a_spelled_column(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('X = "revenue_total_yuan"\nY = f"SELECT expenditure_total_yuan FROM {X}"\nZ = "revenue_total"\n',
                      encoding="utf-8")
    assert _spellings(module) == [(1, "revenue_total_yuan"), (2, "expenditure_total_yuan")]
