"""Department categories: which kind of department a name denotes (信访, 财政, 宣传 …).

The categories and their name patterns are data, ``data/department_categories.toml``,
whose header states the precedence rules; this module is the small pure matcher:

- :func:`department_core` strips what is not the department's own name: NFKC blanks and
  brackets, a scope suffix (（本级）, （汇总）), a leading 中共 / 中国共产党, and leading region
  names (any GB/T 2260 name of three characters or more, plus the names and stems of the
  department's own region chain), so 公安县财政局 is 财政; and it shortens 人民政府 to 政府,
  whose letters spell 民政 (高邑县人民政府信访局 is 信访, not 民政);
- :func:`match_name` finds the category whose pattern starts earliest in that core (ties:
  file order);
- :func:`categorise` prefers the parent department a document states (主管部门, "X是Y所属"),
  since a unit belongs to its parent's kind (上海市刑事科学技术研究院 → 上海市公安局 → 公安).

Nothing is guessed: a name no pattern matches gives ``None``; callers list it as unmapped.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from reference.regions import region_by_code, region_table, stem
from reference.vocabulary import unspaced

CATEGORIES_TOML = Path(__file__).with_name("data") / "department_categories.toml"
PARTY_FALLBACK = "党委部门"
_PARTY_PREFIX = re.compile(r"^(?:中国共产党|中共)")
_SCOPE_SUFFIX = re.compile(r"\((?:本级|汇总|本部|机关|部门汇总|单位汇总)\)$")
MIN_GENERIC_REGION_NAME = 3  # two-character names (城区, 郊区, 矿区) only from the own region chain


@dataclass(frozen=True)
class Category:
    name: str
    group: str
    en: str
    order: int
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class CategoryMatch:
    """Why a name got its category: which pattern matched where, on which name."""

    category: str
    group: str
    pattern: str  # the pattern as written in the TOML ("" for the Party fallback)
    matched_on: str  # name | parent
    matched_text: str  # the name the pattern was searched in (the department's or its parent's)
    core: str  # that name with region, Party prefix and scope suffix stripped
    position: int


@lru_cache(maxsize=1)
def categories(path: Path = CATEGORIES_TOML) -> tuple[Category, ...]:
    """The category list in file order (= precedence). Raises ValueError on a malformed file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out, seen = [], set()
    for order, entry in enumerate(data.get("category", [])):
        name = entry["name"]
        if name in seen:
            raise ValueError(f"{path.name}: category {name!r} declared twice")
        seen.add(name)
        patterns = tuple(re.compile(p) for p in entry.get("patterns", []))
        out.append(Category(name, entry["group"], entry.get("en", ""), order, patterns))
    if PARTY_FALLBACK not in seen:
        raise ValueError(f"{path.name}: the fallback category {PARTY_FALLBACK!r} is missing")
    return tuple(out)


def category_names() -> list[str]:
    return [c.name for c in categories()]


def group_names() -> list[str]:
    return list(dict.fromkeys(c.group for c in categories()))


def normalise(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name or "")
    return unspaced(folded).replace("〔", "(").replace("〕", ")")


def canonical_name(name: str) -> str:
    """One spelling per department, so its volumes and years meet under one id (``department_id``).

    NFKC with blanks removed (:func:`normalise`), a scope suffix cut (（本级）, （汇总）, （部门汇总）,
    （单位汇总） …: what part of the department a document covers, which its ``doc_kind`` and
    printed name keep), a leading 中共 / 中国共产党 cut and 委员会 shortened to 委 — the same office
    signs as 江苏省委办公厅, 中共江苏省委办公厅 and 中国共产党江苏省委员会办公厅 in three files of one
    year; 长春市信访局（本级） and 长春市信访局（部门汇总） are 长春市信访局. Brackets left inside a name
    are written full-width (（）), as the department ids made so far were.
    """
    text = _PARTY_PREFIX.sub("", _SCOPE_SUFFIX.sub("", normalise(name)))
    return text.replace("委员会", "委").replace("(", "（").replace(")", "）")


def region_chain_names(region_code: str | None) -> tuple[tuple[str, ...], ...]:
    """Per region of the chain (county, city, province), its name and stem:
    ((高邑县, 高邑), (石家庄市, 石家庄), (河北省, 河北))."""
    ref = region_by_code(region_code or "")
    if ref is None:
        return ()
    names = dict.fromkeys(n for n in (ref.county_name, ref.city_name, ref.province_name, ref.name) if n)
    return tuple(tuple(dict.fromkeys(f for f in (n, stem(n)) if len(f) >= 2)) for n in names)


def _strip_regions(text: str, own: Iterable[tuple[str, ...]]) -> str:
    """Leading region names off ``text``, each region at most once (公安县公安局 → 公安局, not 局)."""
    table = region_table()
    pending = [sorted(forms, key=len, reverse=True) for forms in own]
    used: set[str] = set()
    while text:
        cut = 0
        for k, forms in enumerate(pending):
            form = next((f for f in forms if text.startswith(f) and len(text) > len(f)), None)
            if form:
                cut = len(form)
                del pending[k]
                break
        if not cut:
            for size in range(min(table.max_name_len, len(text) - 1), MIN_GENERIC_REGION_NAME - 1, -1):
                if text[:size] in table.by_name and text[:size] not in used:
                    cut = size
                    used.add(text[:size])
                    break
        if not cut:
            return text
        used.add(text[:cut])
        pending = [forms for forms in pending if text[:cut] not in forms]
        text = text[cut:]
    return text


def department_core(name: str, region_names: Iterable[tuple[str, ...]] = ()) -> tuple[str, bool]:
    """(core name, is a Party body) — ``中共西安市委宣传部`` → (``委宣传部``, True)."""
    text = _SCOPE_SUFFIX.sub("", normalise(name))
    party = bool(_PARTY_PREFIX.match(text))
    text = _PARTY_PREFIX.sub("", text)
    # 人民政府 spells 民政 inside it: 高邑县人民政府信访局 is not a 民政 body
    core = _strip_regions(text, region_names).replace("人民政府", "政府")
    return core, party or core.startswith("委")


def match_name(name: str, region_names: Iterable[tuple[str, ...]] = ()) -> CategoryMatch | None:
    """The category of a department name alone, or None when no pattern matches."""
    if not name:
        return None
    core, party = department_core(name, region_names)
    best: tuple[int, int, int, Category, str] | None = None
    for category in categories():
        for k, pattern in enumerate(category.patterns):
            found = pattern.search(core)
            if found and (best is None or (found.start(), category.order, k) < best[:3]):
                best = (found.start(), category.order, k, category, pattern.pattern)
    if best is not None:
        position, _, _, category, pattern = best
        return CategoryMatch(category.name, category.group, pattern, "name", name, core, position)
    if party:
        fallback = next(c for c in categories() if c.name == PARTY_FALLBACK)
        return CategoryMatch(fallback.name, fallback.group, "", "name", name, core, 0)
    return None


def categorise(name: str | None, *, region_code: str | None = None,
               parent: str | None = None) -> CategoryMatch | None:
    """A department's category: its stated parent's when that matches, else its own name's."""
    own_region = region_chain_names(region_code)
    if parent:
        by_parent = match_name(parent, own_region)
        if by_parent is not None:
            return replace(by_parent, matched_on="parent")
    return match_name(name or "", own_region)


def resolve_category(text: str) -> list[str]:
    """Categories a user's ``--category`` means: a category name, or every category of a group.

    ``信访`` → [信访]; ``党委部门`` → [组织, 宣传, …, 党委部门]. Unknown text gives [].
    """
    wanted = normalise(text)
    names = [c.name for c in categories() if c.name == wanted]
    if names and wanted not in group_names():
        return names
    grouped = [c.name for c in categories() if c.group == wanted]
    return grouped or names
