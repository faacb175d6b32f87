"""Each recurring pattern of the disclosures has one home: figures, blanks, years and amounts in
``reference/vocabulary.py``, money units in ``schemas/money.py``. An ast scan of the product code
fails when a copy appears anywhere else (issue 19: two number patterns, two blank-cell patterns,
three places applying money units, four year patterns, two regexes named AMOUNT)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extract", "reference", "schemas", "transform", "load", "flows", "cli")
HOMES = {"reference/vocabulary.py", "schemas/money.py"}
MONEY_UNITS = {"元", "万元", "亿元"}
#: What a copy looks like inside a string literal: a thousands group, a year, a unit alternation.
COPIES = {
    "{3})*": "a number pattern (reference.vocabulary.NUMBER)",
    "{3})+": "a number pattern (reference.vocabulary.NUMBER_CELL)",
    "(?:19|20)": "a year pattern (reference.vocabulary.YEAR)",
    "19[89]": "a year pattern (reference.vocabulary.YEAR)",
    "万元|元": "a money-unit pattern (reference.vocabulary.MONEY_UNIT)",
}


def _product_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name not in HOMES and "/migrations/" not in name:
                yield name, ast.parse(path.read_text(encoding="utf-8"))


def _copies(name: str, tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "AMOUNT" for t in targets):
            found.append(f"{name}:{node.lineno}: AMOUNT defined again (reference.vocabulary.AMOUNT)")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [f"{name}:{node.lineno}: {what}" for shape, what in COPIES.items() if shape in node.value]
        if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value in MONEY_UNITS for k in node.keys):
            found.append(f"{name}:{node.lineno}: a money-unit table (schemas.money.UNIT_EXPONENTS)")
        if isinstance(node, (ast.Set, ast.Tuple)) and {"-", "—"} <= {e.value for e in node.elts if isinstance(e, ast.Constant)}:
            found.append(f"{name}:{node.lineno}: a blank-cell set (reference.vocabulary.blank_figure)")
    return found


def test_patterns_and_units_are_declared_only_in_their_home():
    assert [c for name, tree in _product_files() for c in _copies(name, tree)] == []


@pytest.mark.parametrize("source, what", [
    ('AMOUNT = r"预算数"', "AMOUNT defined again"),
    ('_N = re.compile(r"^\\d{1,3}(?:,\\d{3})+$")', "a number pattern"),
    ('LEADING = re.compile(r"^(?:19|20)\\d{2}年")', "a year pattern"),
    ('F = {"元": 1, "万元": 10000}', "a money-unit table"),
    ('_DASHES = {"", "-", "—", "/"}', "a blank-cell set"),
])
def test_the_scan_finds_each_kind_of_copy(source, what):
    assert what in " ".join(_copies("x.py", ast.parse(source)))
