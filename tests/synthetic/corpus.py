"""A multi-county, multi-year synthetic corpus with planted cross-document inconsistencies.

50 real counties (unique GB/T 2260 names, spread over the provinces, 公安县 among them so
a region name that spells a department kind is exercised) × 20 departments (one per
category the comparisons care about, names varying between counties as real ones do) ×
3 fiscal years of department budgets in the seed's text layout, plus final accounts for
some department-years and one department that publishes its units' budgets.

Figures agree across documents by construction: each budget's stated change against the
previous year (比上年增减) is this year's figure minus last year's document's. Then a few
inconsistencies are planted, and :class:`Corpus` records exactly which:

- ``prior_year``: a budget whose stated change does not match last year's document
  (the stated 上年 total is off by 12.34万元; its basic and project changes still match);
- ``execution``: a final account far from its budget (40 % and 160 % of it);
- ``missing_year``: a department whose middle year is not published;
- ``units``: a department budget whose two listed units' budgets do not add up to it.

Everything is generated in memory and is the same for the same arguments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from decimal import Decimal

from reference.regions import all_regions, region_table
from tests.synthetic import generate_truth, render_seed_text, wan
from tests.synthetic.truth import ZERO, Truth

YEARS = (2024, 2025, 2026)
# (category, name variants: "{}" is the county; a variant is chosen per county)
DEPARTMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("信访", ("{}信访局",)), ("财政", ("{}财政局",)), ("教育", ("{}教育局", "{}教育和体育局")),
    ("公安", ("{}公安局",)), ("民政", ("{}民政局",)), ("审计", ("{}审计局",)), ("统计", ("{}统计局",)),
    ("司法", ("{}司法局",)), ("卫生健康", ("{}卫生健康局", "{}卫生健康委员会")),
    ("人社", ("{}人力资源和社会保障局",)), ("生态环境", ("{}生态环境分局", "{}环境保护局")),
    ("住建", ("{}住房和城乡建设局",)), ("交通", ("{}交通运输局",)), ("商务", ("{}商务局", "{}商务和粮食局")),
    ("发改", ("{}发展和改革局",)), ("应急", ("{}应急管理局", "{}安全生产监督管理局")),
    ("市场监管", ("{}市场监督管理局",)), ("政府办公室", ("{}人民政府办公室",)), ("宣传", ("中共{}委宣传部",)),
    ("水利", ("{}水利局",)),
)
TRAP_COUNTY = "421022"  # 公安县: its 财政局 is 财政, not 公安
NOT_PUBLISHING = ("71", "350527")  # 台湾省 and 金门县 are listed in GB/T 2260 but publish no budgets here
PRIOR_OFFSET = Decimal(123400)  # 12.34万元
EXECUTION_PLANTS = (Decimal("0.40"), Decimal("1.60"))
UNIT_GAP = Decimal(5_000_000)


@dataclass(frozen=True)
class CorpusDocument:
    name: str  # a file name: region code, department, year, kind
    data: bytes
    region_code: str
    department: str
    category: str
    year: int
    kind: str  # department_budget | final_account | unit_budget
    expenditure_total: Decimal


@dataclass
class Corpus:
    documents: list[CorpusDocument] = field(default_factory=list)
    # planted inconsistency → (region_code, department name, fiscal year)
    planted: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)

    def plant(self, kind: str, region_code: str, department: str, year: int) -> None:
        self.planted.setdefault(kind, []).append((region_code, department, year))

    @property
    def region_codes(self) -> set[str]:
        return {d.region_code for d in self.documents}


def counties(count: int) -> list[tuple[str, str, str, str]]:
    """(province, city, county, code): county names unique in GB/T 2260, spread over the provinces."""
    table = region_table()
    unique = [r for r in all_regions() if r.level == "county" and r.name.endswith("县") and len(r.name) >= 3
              and len(table.by_name[r.name]) == 1 and r.code != "130127" and not r.code.startswith(NOT_PUBLISHING)]
    step = max(1, len(unique) // count)
    chosen = [r for r in unique[::step] if r.code != TRAP_COUNTY][: count - 1]
    chosen.append(next(r for r in unique if r.code == TRAP_COUNTY))
    return [(r.province_name, r.city_name or r.province_name, r.name, r.code) for r in chosen]


def _seed(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def _pct(amount: Decimal, prior: Decimal) -> Decimal:
    return (amount / prior * 100).quantize(Decimal("0.01")) if prior else ZERO


def _place(truth: Truth, county: tuple[str, str, str, str], name: str, year: int) -> Truth:
    province, city, county_name, code = county
    long = name if name.startswith("中共") or "人民政府" in name else name.replace(county_name, county_name + "人民政府", 1)
    prefix = f"{code}{year % 100:02d}"  # project codes begin with the county's code and the year
    projects = tuple(replace(p, code=prefix + p.code[8:], code_printed=prefix + p.code_printed[8:])
                     for p in truth.projects)
    return replace(truth, province=province, city=city, county=county_name, region_code=code, department=name,
                   department_long=long, year=year, revenue_year=year, projects=projects)


def with_total(truth: Truth, total: Decimal) -> Truth:
    """The same department-year with no projects and basic spending making up ``total`` (identities kept)."""
    three = truth.three_public
    basic = max(total, three["vehicle_operation"] + three["reception"] + Decimal(100_000))
    return replace(truth, projects=(), expenditure={"total": basic, "basic": basic, "project": ZERO, "other": ZERO},
                   revenue={"total": basic, "general_budget": basic, "gov_fund": ZERO, "state_capital": ZERO,
                            "special_account": ZERO, "other": ZERO},
                   change={k: (ZERO, ZERO) for k in ("total", "basic", "project", "other")},
                   operating_expenses=min(truth.operating_expenses, basic // 3 // 100 * 100))


def chain_changes(truth: Truth, previous: Truth | None, offset: Decimal = ZERO) -> Truth:
    """State this year's changes against ``previous`` (last year's document): 上年 = last year's figure."""
    if previous is None:
        return truth
    e, p = truth.expenditure, previous.expenditure
    change = {item: (e[item] - p[item], _pct(e[item] - p[item], p[item])) for item in ("basic", "project")}
    total = e["total"] - p["total"] + offset
    change["total"] = (total, _pct(total, e["total"] - total))
    change["other"] = (ZERO, ZERO)
    return replace(truth, change=change)


def render_final_account(truth: Truth) -> bytes:
    """A final account (部门决算) in the seed's layout: 决算 title, 收入/支出总计, no 比上年 paragraph."""
    y, text = truth.year, render_seed_text(truth).decode()
    text = text.replace(f"{y} 年部门预算信息公开", f"{y} 年部门决算信息公开", 1)
    text = text.replace(f"{y}年预算收入{wan(truth.revenue['total'])}", f"{y}年度收入总计{wan(truth.revenue['total'])}")
    text = text.replace(f"{y}年支出预算{wan(truth.expenditure['total'])}",
                        f"{y}年度支出总计{wan(truth.expenditure['total'])}")
    head, _, rest = text.partition("3. 比上年增减情况")
    return (head + rest[rest.index("三、机关运行经费安排情况"):]).encode()


def render_unit_budget(truth: Truth, parent: str | None) -> bytes:
    """A unit budget (单位预算); ``parent`` is stated as the unit's 主管部门 sentence when given."""
    y, text = truth.year, render_seed_text(truth).decode()
    text = text.replace(f"{y} 年部门预算信息公开", f"{y} 年单位预算信息公开", 1)
    if parent:
        text = text.replace("部门职责：\n\n", f"部门职责：\n\n{truth.department}是{parent}所属事业单位。\n\n", 1)
    return text.encode()


def render_with_units(truth: Truth, extra_units: list[str]) -> bytes:
    """A department budget whose 机构设置 table lists ``extra_units`` besides the department itself."""
    t, text = truth, render_seed_text(truth).decode()
    row = f"{t.department}\t{t.unit_nature}\t{t.unit_rank}\t{t.funding_form}"
    rows = [row] + [f"{u}\t事业\t{t.unit_rank}\t财政拨款" for u in extra_units]
    text = text.replace(row, "\n".join(rows), 1).replace("主要包括 1 个预算单位", f"主要包括 {len(rows)} 个预算单位", 1)
    return text.encode()


def _document(corpus: Corpus, truth: Truth, category: str, kind: str, data: bytes) -> None:
    name = f"{truth.region_code}_{truth.department}_{truth.year}_{kind}.txt"
    corpus.documents.append(CorpusDocument(name, data, truth.region_code, truth.department, category, truth.year,
                                           kind, truth.expenditure["total"]))


def _final_accounts(corpus: Corpus, budgets: dict[tuple[str, int, int], Truth], places: list, years: tuple) -> None:
    """Final accounts for 10 counties × 5 departments × the first two years; two far from budget."""
    at = lambda k: places[k % len(places)][3]  # noqa: E731
    plants = {(at(2), 0, years[0]): EXECUTION_PLANTS[0], (at(7), 3, years[1]): EXECUTION_PLANTS[1]}
    for county in places[:10]:
        for slot in range(5):
            for year in years[:2]:
                budget = budgets.get((county[3], slot, year))
                if budget is None:
                    continue
                factor = plants.get((county[3], slot, year))
                if factor is not None:
                    corpus.plant("execution", county[3], budget.department, year)
                else:
                    factor = Decimal(92 + _seed("final", county[3], slot, year) % 11) / 100  # 0.92 … 1.02
                final = with_total(budget, (budget.expenditure["total"] * factor / 100).quantize(Decimal(1)) * 100)
                _document(corpus, final, DEPARTMENTS[slot][0], "final_account", render_final_account(final))


def _units(corpus: Corpus, budget: Truth, planted: bool) -> bytes:
    """The department publishes the budgets of its two listed units: its own office and a school."""
    total = budget.expenditure["total"]
    school_total = max(total * 4 // 10 // 100 * 100, Decimal(200_000))
    zero_three = {k: ZERO for k in budget.three_public}
    school = replace(generate_truth(_seed("school", budget.region_code)), three_public=zero_three)
    school = with_total(replace(school, region_code=budget.region_code, province=budget.province, city=budget.city,
                                county=budget.county, department=f"{budget.county}第一中学",
                                department_long=f"{budget.county}第一中学", year=budget.year,
                                revenue_year=budget.year), school_total)
    office = with_total(budget, total - school_total + (UNIT_GAP if planted else ZERO))
    _document(corpus, office, "教育", "unit_budget", render_unit_budget(office, None))
    _document(corpus, school, "教育", "unit_budget", render_unit_budget(school, budget.department))
    if planted:
        corpus.plant("units", budget.region_code, budget.department, budget.year)
    return render_with_units(budget, [school.department])


def build_corpus(n_counties: int = 50, years: tuple[int, ...] = YEARS) -> Corpus:
    """Budgets for every county × department × year, final accounts and units, with the plants."""
    corpus, places = Corpus(), counties(n_counties)
    at = lambda k: places[k % len(places)][3]  # noqa: E731  (a small corpus reuses counties for its plants)
    missing = {(at(3), 7), (at(11), 16)}
    prior = {(at(5), 0, years[1]), (at(17), 12, years[2]), (at(29), 4, years[2])}
    units = {(at(0), 2, years[1]): False, (at(1), 2, years[1]): True}
    budgets: dict[tuple[str, int, int], Truth] = {}
    for index, county in enumerate(places):
        for slot, (category, variants) in enumerate(DEPARTMENTS):
            name = variants[index % len(variants)].format(county[2])
            previous = None
            for year in years:
                if (county[3], slot) in missing and year == years[1]:
                    corpus.plant("missing_year", county[3], name, year)
                    previous = None
                    continue
                truth = _place(generate_truth(_seed(county[3], slot, year)), county, name, year)
                offset = PRIOR_OFFSET if (county[3], slot, year) in prior else ZERO
                truth = chain_changes(truth, previous, offset)
                if offset:
                    corpus.plant("prior_year", county[3], name, year)
                key = (county[3], slot, year)
                data = _units(corpus, truth, units[key]) if key in units else render_seed_text(truth)
                _document(corpus, truth, category, "department_budget", data)
                budgets[key] = previous = truth
    _final_accounts(corpus, budgets, places, years)
    return corpus


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.synthetic.corpus OUT_DIR [--counties 50] [--plants FILE]``: write the corpus."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description="write the multi-county synthetic corpus")
    parser.add_argument("out", type=Path)
    parser.add_argument("--counties", type=int, default=50)
    parser.add_argument("--plants", type=Path, default=None, help="also write what was planted (JSON) here")
    args = parser.parse_args(argv)
    corpus = build_corpus(args.counties)
    args.out.mkdir(parents=True, exist_ok=True)
    for document in corpus.documents:
        (args.out / document.name).write_bytes(document.data)
    if args.plants:
        args.plants.write_text(json.dumps(corpus.planted, ensure_ascii=False, indent=1))
    print(f"wrote {len(corpus.documents)} documents to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
