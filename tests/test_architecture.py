"""The import graph, built from the source with ``ast``: no cycles, and imports flow one way.

Layers (an arrow is "may import"):

    cli → flows, load, transform, extract, reference, schemas  (nothing imports cli)
    flows → load, transform, extract → reference → schemas
    extract: collect → read;  parse → read

``transform`` is pure and imports only ``schemas`` and the static ``reference`` data; ``load`` takes plain rows and frames
and imports only ``schemas``; ``extract`` never imports ``transform``, ``load`` or
``flows``. Imports inside functions count: hiding a cycle in a function body is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("schemas", "reference", "extract", "transform", "load", "flows", "cli")

# package (or sub-package) → what it may import besides itself
ALLOWED: dict[str, set[str]] = {
    "schemas": set(),
    "reference": {"schemas"},
    "extract.read": {"schemas", "reference"},
    "extract.parse": {"schemas", "reference", "extract.read"},
    "extract.collect": {"schemas", "reference", "extract.read"},
    "extract": {"schemas", "reference", "extract.read", "extract.parse", "extract.collect"},
    "transform": {"schemas", "reference"},
    "load": {"schemas"},
    "flows": {"schemas", "reference", "extract", "transform", "load"},
    "cli": {"schemas", "reference", "extract", "transform", "load", "flows"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found[module_name(path)] = path
    return found


def imported(path: Path, name: str, known: set[str]) -> set[str]:
    """Project modules imported by one file (resolved to the longest known module name)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def graph() -> dict[str, set[str]]:
    modules = source_modules()
    known = set(modules)
    return {name: imported(path, name, known) for name, path in modules.items()}


def layer_of(name: str) -> str:
    best = ""
    for layer in ALLOWED:
        if (name == layer or name.startswith(layer + ".")) and len(layer) > len(best):
            best = layer
    return best


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycles():
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_imports_flow_one_way():
    upward = []
    for module, targets in sorted(graph().items()):
        own = layer_of(module)
        for target in sorted(targets):
            other = layer_of(target)
            if other == own or (other.startswith(own + ".") and own != "extract"):
                continue
            if other not in ALLOWED[own] and not any(other.startswith(a + ".") for a in ALLOWED[own]):
                upward.append(f"{module} imports {target} ({own} may import only {sorted(ALLOWED[own])})")
    assert not upward, "imports against the layering:\n" + "\n".join(upward)


def test_the_checker_sees_a_cycle_and_an_upward_import():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert layer_of("extract.read.sniff") == "extract.read"
    assert layer_of("transform.quality") == "transform"


def test_nothing_imports_the_command_line():
    importers = sorted(module for module, targets in graph().items()
                       if layer_of(module) != "cli" and any(layer_of(t) == "cli" for t in targets))
    assert importers == [], f"modules importing cli (the commands sit on top of everything): {importers}"


def test_flows_holds_no_command():
    """``flows`` is wiring: the typer commands live in ``cli``."""
    typer_users = sorted(name for name, path in source_modules().items()
                         if layer_of(name) == "flows" and "import typer" in path.read_text("utf-8"))
    assert typer_users == [], f"flows modules importing typer (commands belong in cli/): {typer_users}"


@pytest.mark.parametrize("module", ["extract.read.model", "transform.numbers", "schemas.base", "cli.app"])
def test_graph_finds_real_modules(module):
    assert module in graph()
