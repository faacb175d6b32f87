"""Identities within one disclosure: totals against their parts, changes against amounts."""

from __future__ import annotations

from decimal import Decimal

from transform.quality import ZERO, Check, DocumentFacts, Figure, _sum, compare, rule

REVENUE_SOURCES = ("general_budget", "gov_fund", "state_capital", "special_account", "operating_income",
                   "other", "carryover")
EXPENDITURE_PARTS = ("basic", "project", "other", "carryover")  # 决算: 年末结转和结余 is in 支出总计
# the parts of 固定资产总额 a document prints (large_equipment is the seed table's 单价20万元以上设备 row)
ASSET_CATEGORIES = ("buildings", "vehicles", "equipment", "large_equipment", "furniture", "intangible", "other")
PCT_SLACK = Decimal("0.005")


@rule
def revenue_total_equals_sources(doc: DocumentFacts) -> list[Check]:
    parts = _sum(doc.line("revenue", item) for item in REVENUE_SOURCES)
    return [compare("revenue_total_equals_sources", "revenue total = sum of revenue sources",
                    doc.line("revenue", "total"), parts)]


@rule
def expenditure_total_equals_parts(doc: DocumentFacts) -> list[Check]:
    parts = _sum(doc.line("expenditure", item) for item in EXPENDITURE_PARTS)
    return [compare("expenditure_total_equals_parts", "expenditure total = basic + project + other",
                    doc.line("expenditure", "total"), parts)]


@rule
def revenue_equals_expenditure(doc: DocumentFacts) -> list[Check]:
    return [compare("revenue_equals_expenditure", "revenue total = expenditure total",
                    doc.line("revenue", "total"), doc.line("expenditure", "total"))]


@rule
def project_budgets_sum_to_project_expenditure(doc: DocumentFacts) -> list[Check]:
    figures = [Figure(p["amount_yuan"], ZERO, p["project_code"]) for p in doc.projects if p["amount_yuan"] is not None]
    projects = _sum(figures)
    return [compare("project_budgets_sum_to_project_expenditure",
                    f"sum of {len(figures)} project budgets = project expenditure",
                    doc.line("expenditure", "project"), projects)]


@rule
def project_funds_equal_amount(doc: DocumentFacts) -> list[Check]:
    """Each project's 预算数 = 财政资金 + 其他资金."""
    if not doc.projects:
        return [Check("project_funds_equal_amount", "error", None, None, None,
                      "project amount = fiscal + other funds: not evaluated, no project tables")]
    bad = [p for p in doc.projects
           if None not in (p["amount_yuan"], p["fiscal_funds_yuan"])
           and p["amount_yuan"] != p["fiscal_funds_yuan"] + (p["other_funds_yuan"] or ZERO)]
    total = sum((p["amount_yuan"] or ZERO) for p in doc.projects)
    funds = sum((p["fiscal_funds_yuan"] or ZERO) + (p["other_funds_yuan"] or ZERO) for p in doc.projects)
    names = ", ".join(p["project_name"] for p in bad[:5])
    message = (f"project amount = fiscal + other funds for all {len(doc.projects)} projects" if not bad
               else f"project amount ≠ fiscal + other funds for {len(bad)} project(s): {names}")
    return [Check("project_funds_equal_amount", "error", not bad, funds, total, message)]


@rule
def three_public_total_equals_parts(doc: DocumentFacts) -> list[Check]:
    vehicle = doc.three_public("vehicle") or _sum(
        [doc.three_public("vehicle_purchase"), doc.three_public("vehicle_operation")])
    parts = _sum([doc.three_public("abroad"), vehicle, doc.three_public("reception")])
    return [compare("three_public_total_equals_parts", '"三公" total = abroad + vehicles + reception',
                    doc.three_public("total"), parts)]


@rule
def three_public_vehicle_equals_parts(doc: DocumentFacts) -> list[Check]:
    parts = _sum([doc.three_public("vehicle_purchase"), doc.three_public("vehicle_operation")])
    return [compare("three_public_vehicle_equals_parts", "vehicles = purchase + operation",
                    doc.three_public("vehicle"), parts)]


@rule
def assets_total_equals_categories(doc: DocumentFacts) -> list[Check]:
    parts = _sum(doc.asset(category) for category in ASSET_CATEGORIES)
    return [compare("assets_total_equals_categories", "assets total = sum of asset categories",
                    doc.asset("total"), parts)]


def _pct_interval(change: Figure, current: Figure) -> tuple[Decimal, Decimal] | None:
    """Range of change/(current-change)·100 over every rounding of the two printed figures."""
    values = []
    for dc in (-change.slack, change.slack):
        for dn in (-current.slack, current.slack):
            previous = current.value + dn - (change.value + dc)
            if previous <= 0:
                return None
            values.append((change.value + dc) / previous * 100)
    return min(values), max(values)


@rule
def change_percentages_agree(doc: DocumentFacts) -> list[Check]:
    checks = []
    for item in ("total", "basic", "project", "other"):
        code = f"change_pct_{item}"
        what = f"stated change % of {item} agrees with the amounts"
        change, pct = doc.line("change", item), doc.line("change", item, "pct")
        current = doc.line("expenditure", item) or (doc.line("revenue", "total") if item == "total" else None)
        if change is None or pct is None or current is None:
            if change is not None or pct is not None:
                checks.append(Check(code, "error", None, None, pct.value if pct else None,
                                    f"{what}: not evaluated, amount, % or current figure not stated"))
            continue
        interval = _pct_interval(change, current)
        if interval is None:
            ok = change.value == 0 and pct.value == 0
            checks.append(Check(code, "error", ok, ZERO, pct.value,
                                f"{what}: previous year was zero; stated {pct.value}% for a change of {change.value}"))
            continue
        low, high = interval
        ok = low - PCT_SLACK - pct.slack <= pct.value <= high + PCT_SLACK + pct.slack
        mid = (change.value / (current.value - change.value) * 100).quantize(Decimal("0.01"))
        checks.append(Check(code, "error", ok, mid, pct.value,
                            f"{what}: stated {pct.value}%, amounts give {mid}% (range {low:.4f}–{high:.4f})"))
    return checks


@rule
def stated_year_matches_fiscal_year(doc: DocumentFacts) -> list[Check]:
    fiscal_year = doc.document.get("fiscal_year")
    stated = [(r["stated_year"], r["line_no"], r["source_text"]) for r in doc.stated_years]
    if fiscal_year is None or not stated:
        return [Check("stated_year_matches_fiscal_year", "warning", None, None, None,
                      "year stated beside the totals: not evaluated, no year stated beside a total")]
    slips = [(year, line, text) for year, line, text in stated if year != fiscal_year]
    if not slips:
        return [Check("stated_year_matches_fiscal_year", "warning", True, Decimal(fiscal_year), Decimal(fiscal_year),
                      f"every year stated beside a total is {fiscal_year}")]
    year, line, text = slips[0]
    return [Check("stated_year_matches_fiscal_year", "warning", False, Decimal(fiscal_year), Decimal(year),
                  f"the text states {year} in a {fiscal_year} disclosure (line {line}: {text[:60]})")]


@rule
def figures_readable(doc: DocumentFacts) -> list[Check]:
    rows = doc.lines + doc.three_public_rows + doc.procurement_rows
    unreadable = [r for r in rows if r["stated_unit"] in ("元", "万元", "亿元") and r["amount_yuan"] is None
                  and r["stated_text"].strip("-—－ ") != ""]
    message = ("every printed figure was read as a number" if not unreadable else
               "unreadable figures: " + "; ".join(f"{r['stated_text']!r} (line {r['line_no']})" for r in unreadable[:5]))
    return [Check("figures_readable", "error", not unreadable, None, None, message)]


@rule
def spending_plan_cumulative(doc: DocumentFacts) -> list[Check]:
    """Cumulative spending percentages rise and stay within 0–100 for each project."""
    if not doc.plans:
        return []
    bad = []
    by_project: dict[int, list] = {}
    for plan in doc.plans:
        by_project.setdefault(plan["project_seq"], []).append(plan["cumulative_pct"])
    for seq, values in by_project.items():
        present = [v for v in values if v is not None]
        if present != sorted(present) or any(v < 0 or v > 100 for v in present):
            bad.append(seq)
    message = ("spending plans rise monotonically within 0–100% for all projects" if not bad
               else f"spending plan not cumulative for project(s) {bad}")
    return [Check("spending_plan_cumulative", "warning", not bad, None, None, message)]


@rule
def project_codes_match_region(doc: DocumentFacts) -> list[Check]:
    """County project codes begin with the county's 6-digit division code (高邑县: 130127…)."""
    region = doc.document.get("region_code")
    coded = [p for p in doc.projects if p["project_code"][:6].isdigit()]
    if not region or not coded:
        return []
    other = sorted({p["project_code"][:6] for p in coded if not p["project_code"].startswith(region)})
    message = (f"all {len(coded)} project codes begin with the region code {region}" if not other
               else f"project codes begin with {', '.join(other)}, not the document's region {region}")
    return [Check("project_codes_match_region", "warning", not other, None, None, message)]
