"""政府收支分类科目 (function and economic classification), versioned by year, with a crosswalk.

Reference tables (see each file's header for where it comes from and how sure it is):

- ``data/function_classification.csv``: 支出功能分类 类/款 (and a few 项) with the years each
  code-name pair was valid;
- ``data/economic_classification.csv``: 部门预算支出经济分类 类/款, likewise;
- ``data/classification_crosswalk.csv``: codes renamed, moved or merged between years.

:func:`conform` answers "which of today's codes is the line printed as ``code`` in ``year``?",
following the crosswalk's chains (21506 安全生产监管 in 2018 → 22401 应急管理事务), so a 2018
and a 2026 line of one function compare. Lines are compared by code; names are as printed or,
for the conformed code, the newest reference name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
FILES = {"function": DATA / "function_classification.csv", "economic": DATA / "economic_classification.csv"}
CROSSWALK = DATA / "classification_crosswalk.csv"
MAX_CHAIN = 10


@dataclass(frozen=True)
class ReferenceCode:
    scheme: str
    code: str
    name: str
    level: int  # 1 类, 2 款, 3 项
    valid_from: int | None
    valid_to: int | None
    confidence: str  # high | medium | low

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or year >= self.valid_from) and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True)
class CrosswalkEntry:
    scheme: str
    old_code: str
    old_name: str
    last_year_old: int
    new_code: str
    new_name: str
    first_year_new: int
    change: str  # rename | move | merge
    confidence: str


@dataclass(frozen=True)
class Conformed:
    code: str  # today's code for the line
    name: str | None  # today's reference name, None when the reference does not list the code
    steps: tuple[str, ...]  # the crosswalk steps taken, "21506→22401 (move, 2019)"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


@lru_cache(maxsize=1)
def reference_codes() -> tuple[ReferenceCode, ...]:
    out = []
    for scheme, path in FILES.items():
        for r in _rows(path):
            out.append(ReferenceCode(scheme, r["code"], r["name"], int(r["level"]), _year(r["valid_from"]),
                                     _year(r["valid_to"]), r["confidence"]))
    return tuple(out)


@lru_cache(maxsize=1)
def crosswalk() -> tuple[CrosswalkEntry, ...]:
    return tuple(
        CrosswalkEntry(r["scheme"], r["old_code"], r["old_name"], int(r["last_year_old"]), r["new_code"],
                       r["new_name"], int(r["first_year_new"]), r["change"], r["confidence"])
        for r in _rows(CROSSWALK)
    )


def _indexed(rows, key) -> dict[tuple[str, str], list]:
    index: dict[tuple[str, str], list] = {}
    for row in rows:
        index.setdefault(key(row), []).append(row)
    return index


@lru_cache(maxsize=1)
def _codes_by_key() -> dict[tuple[str, str], list[ReferenceCode]]:
    """:func:`reference_codes` by (scheme, code), each list in file order."""
    return _indexed(reference_codes(), lambda r: (r.scheme, r.code))


@lru_cache(maxsize=1)
def _steps_by_key() -> dict[tuple[str, str], list[CrosswalkEntry]]:
    """:func:`crosswalk` by (scheme, old code), each list in file order."""
    return _indexed(crosswalk(), lambda c: (c.scheme, c.old_code))


def reference_name(scheme: str, code: str, year: int | None = None) -> str | None:
    """The reference name of ``code`` in ``year`` (the newest name when year is None)."""
    matches = _codes_by_key().get((scheme, code), [])
    if year is not None:
        dated = [r for r in matches if r.valid_in(year)]
        matches = dated or matches
    if not matches:
        return None
    return max(matches, key=lambda r: r.valid_from or 0).name


def conform(scheme: str, code: str, year: int) -> Conformed:
    """Today's code for a line printed as ``code`` in ``year`` (itself when nothing changed)."""
    current, at, steps = code, year, []
    for _ in range(MAX_CHAIN):
        step = next((c for c in _steps_by_key().get((scheme, current), ()) if at <= c.last_year_old), None)
        if step is None:
            break
        steps.append(f"{step.old_code}→{step.new_code} ({step.change}, {step.first_year_new})")
        current, at = step.new_code, step.first_year_new
    return Conformed(current, reference_name(scheme, current), tuple(steps))


def level_of(code: str) -> int:
    """1 类 (3 digits), 2 款 (5), 3 项 (7); 0 for anything else."""
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0)
