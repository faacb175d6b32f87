"""Tests on the project tables (项目支出绩效目标表 and summary tables of projects).

Source: ``fct_project_budget`` (one row per project read, 预算数/财政资金/其他资金 in yuan),
``fct_spending_plan``, the 收支总表's 项目支出 (``expenditure.project``) and, where the
document prints them, the project table's own 合计 (``project_list.total``) and the number
of projects it says it lists (``project_list.count``, e.g. 共10个项目).

When is the list complete? Only where the document says so: a project table that closes
with its own 合计 row, or a stated number of projects equal to the number read. Only then
must the projects add up to 项目支出; otherwise a list may be a selection (重点项目), and
the projects may only not exceed 项目支出 (:func:`within_project_expenditure`).
"""

from __future__ import annotations

from decimal import Decimal

from transform.numbers import half_unit_yuan
from transform.rules.facts import ZERO, DocumentFacts, Figure, sum_figures
from transform.rules.kinds import compare, term
from transform.rules.model import Missing, Verdict

PROJECTS = "fct_project_budget (project tables)"


def _project_figures(doc: DocumentFacts) -> list[Figure]:
    """Each project's 预算数, with the rounding of its unit (±50 yuan for 万元 to two decimals)."""
    return [Figure(p["amount_yuan"], half_unit_yuan("1", p["stated_unit"] or "元"), p["project_code"] or p["project_name"])
            for p in doc.projects if p["amount_yuan"] is not None]


def _projects_sum(doc: DocumentFacts) -> Figure | None:
    figures = _project_figures(doc)
    total = sum_figures(figures)
    # an assembly of rows read across pages, not a printed figure: a failure is unreconciled
    return None if total is None else Figure(total.value, total.slack, f"Σ {len(figures)} projects", source="rows")


def listed_once(doc: DocumentFacts) -> Verdict | Missing:
    """A project (by code, or by name where it has no code) appears once: a table continued
    on the next page is not a new project."""
    if not doc.projects:
        return Missing((PROJECTS,))
    seen: dict[str, int] = {}
    names: dict[str, str] = {}
    for p in doc.projects:
        key = p["project_code"] or f"name:{p['project_name']}"
        seen[key] = seen.get(key, 0) + 1
        names.setdefault(key, p["project_name"] if not p["project_code"] else f"{p['project_name']} ({key})")
    repeated = {k: n for k, n in seen.items() if n > 1}
    if not repeated:
        return Verdict(True, Decimal(len(seen)), Decimal(len(doc.projects)), ZERO,
                       f"{len(doc.projects)} projects, each once")
    listed = ", ".join(f"{names[k]} ×{n}" for k, n in list(repeated.items())[:5])
    return Verdict(False, Decimal(len(seen)), Decimal(len(doc.projects)), ZERO,
                   f"{len(doc.projects)} project rows for {len(seen)} projects: {listed}")


def funds_equal_amount(doc: DocumentFacts) -> Verdict | Missing:
    """Each project's 预算数 = 财政资金 + 其他资金 (其他资金 added where printed)."""
    both = [p for p in doc.projects if p["amount_yuan"] is not None and p["fiscal_funds_yuan"] is not None]
    if not both:
        return Missing((f"{PROJECTS} with 预算数 and 财政资金",))
    funds = {id(p): p["fiscal_funds_yuan"] + (p["other_funds_yuan"] or ZERO) for p in both}
    bad = [p for p in both if p["amount_yuan"] != funds[id(p)]]
    expected = sum(funds.values(), ZERO)
    actual = sum((p["amount_yuan"] for p in both), ZERO)
    if not bad:
        return Verdict(True, expected, actual, ZERO, f"for all {len(both)} projects with both figures")
    names = ", ".join(p["project_name"] for p in bad[:5])
    return Verdict(False, expected, actual, ZERO, f"{len(bad)} of {len(both)} projects differ: {names}")


def _stated_and_projects(doc: DocumentFacts, statement: str, item: str) -> tuple[Figure, Figure] | Missing:
    """The stated figure ``statement.item`` and Σ projects read, or what of the two is missing."""
    stated, derived = doc.line(statement, item), _projects_sum(doc)
    missing = tuple(n for n, f in ((term(f"{statement}.{item}"), stated), (PROJECTS, derived)) if f is None)
    return Missing(missing) if missing else (stated, derived)


def sum_to_list_total(doc: DocumentFacts) -> Verdict | Missing:
    """Σ projects read = the project table's own 合计 (a 重点项目 list's too): every row of the table was read."""
    item = "total" if doc.line("project_list", "total") is not None else "selection_total"
    found = _stated_and_projects(doc, "project_list", item)
    return found if isinstance(found, Missing) else compare(*found)


def _list_complete(doc: DocumentFacts, read: int) -> str | None:
    """Why the document's project list is complete, or None when it does not say so."""
    if doc.line("project_list", "total") is not None:
        return "the project table prints its own 合计"
    count = doc.line("project_list", "count", column="quantity")
    if count is not None and count.value == read:
        return f"the document lists {read} projects and {read} were read"
    return None


def sum_to_project_expenditure(doc: DocumentFacts) -> Verdict | Missing:
    """Σ projects = 项目支出, only where the document lists every project."""
    found = _stated_and_projects(doc, "expenditure", "project")
    if isinstance(found, Missing):
        return found
    stated, derived = found
    why = _list_complete(doc, len(_project_figures(doc)))
    if why is None:
        return Missing((f"{term('project_list.total')} or {term('project_list.count')}",),
                       "the document does not say its project tables list every project")
    verdict = compare(stated, derived)
    return Verdict(verdict.passed, verdict.expected, verdict.actual, verdict.tolerance, f"{why}; {verdict.detail}")


def within_project_expenditure(doc: DocumentFacts) -> Verdict | Missing:
    """Σ projects ≤ 项目支出: a list of some projects never exceeds the whole."""
    found = _stated_and_projects(doc, "expenditure", "project")
    if isinstance(found, Missing):
        return found
    stated, derived = found
    slack = stated.slack + derived.slack
    ok = derived.value <= stated.value + slack
    return Verdict(ok, derived.value, stated.value, slack,
                   f"{derived.text} = {derived.value} {'≤' if ok else '>'} 项目支出 {stated.value} (+{slack})")


def spending_plan_cumulative(doc: DocumentFacts) -> Verdict | Missing:
    """Cumulative spending percentages rise and stay within 0–100 for each project."""
    if not doc.plans:
        return Missing(("fct_spending_plan (资金支出计划)",))
    by_project: dict[int, list] = {}
    for plan in doc.plans:
        by_project.setdefault(plan["project_seq"], []).append(plan["cumulative_pct"])
    bad = []
    for seq, values in by_project.items():
        present = [v for v in values if v is not None]
        if present != sorted(present) or any(v < 0 or v > 100 for v in present):
            bad.append(seq)
    if not bad:
        return Verdict(True, None, None, None, f"plans of all {len(by_project)} projects rise within 0–100%")
    return Verdict(False, None, None, None, f"not cumulative for project(s) {bad}")


def codes_match_region(doc: DocumentFacts) -> Verdict | Missing:
    """County project codes begin with the county's 6-digit division code (高邑县: 130127…)."""
    region = doc.document.get("region_code")
    coded = [p for p in doc.projects if p["project_code"][:6].isdigit()]
    missing = (() if region else ("the document's region code",)) + (() if coded else ("a project code",))
    if missing:
        return Missing(missing)
    other = sorted({p["project_code"][:6] for p in coded if not p["project_code"].startswith(region)})
    if not other:
        return Verdict(True, None, None, None, f"all {len(coded)} project codes begin with {region}")
    return Verdict(False, None, None, None, f"codes begin with {', '.join(other)}, not the region {region}")
