"""Evaluating the cross-document rules of :mod:`transform.cross_document_rules` over the warehouse.

Documents are grouped into department-years: (department_id, fiscal_year, doc_kind), so the
volumes of one disclosure (a narrative file and a tables file) count as one. Each group's
figures are picked as the views pick them (:mod:`schemas.preference`: the more precisely
printed of the table's and the narrative's where they agree, else the table's). Every
compared figure keeps the document, page, line and printed text it came from, which become
the result's evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from reference.vocabulary import YEAR
from schemas.conformed import SEEN_ONLY_STATUSES
from schemas.preference import preferred_source, stated
from schemas.vocabulary import DEPARTMENT_BUDGET, FINAL_ACCOUNT, LOADED, UNIT_BUDGET, WITHDRAWN
from transform.cross_document_rules import (
    CONTINUITY, EXECUTION, EXECUTION_BAND, PRIOR_YEAR, UNITS, Evidence, Result, results_frames,
)
from transform.dimensions import canonical_department_name
from transform.numbers import half_unit_yuan

BUDGET_KINDS = (DEPARTMENT_BUDGET, UNIT_BUDGET)
PUBLISHED = (LOADED, WITHDRAWN, *SEEN_ONLY_STATUSES)
PRIOR_ITEMS = ("total", "basic", "project")
# "较2020年预算增加60.38万元" / "比上年预算执行数减少" / "与2024年决算数相比"
BASE = re.compile(r"(?:较|比|与|同)\s*(?:(?P<year>" + YEAR + r")\s*年\s*度?|上\s*一?\s*年\s*度?)?\s*"
                  r"(?P<base>预计执行数|预算执行数|执行数|决算数|决算|调整后预算|调整预算|预算数|预算)?")
BUDGET_BASES = (None, "预算", "预算数")
FINAL_BASES = ("决算", "决算数")
Key = tuple[str, int, str]


@dataclass(frozen=True)
class Picked:
    value: Decimal
    slack: Decimal  # rounding allowance of the printed figure, yuan
    document_id: str
    page_no: int
    line_no: int
    source_text: str
    label: str

    def evidence(self, role: str, year: int) -> Evidence:
        return Evidence(self.document_id, role, year, self.page_no, self.line_no, self.source_text)


@dataclass
class Group:
    """One department-year of one kind, across the volumes it was published in."""

    department_id: str
    region_code: str | None
    department_name: str | None
    fiscal_year: int
    doc_kind: str
    parent: str | None = None
    document_ids: list[str] = field(default_factory=list)
    figures: dict[tuple[str, str], Picked] = field(default_factory=dict)
    unit_names: set[str] = field(default_factory=set)

    def fig(self, statement: str, item: str) -> Picked | None:
        return self.figures.get((statement, item))

    def documents(self, role: str) -> list[Evidence]:
        return [Evidence(d, role, self.fiscal_year) for d in self.document_ids]

    def result(self, rule, **kw) -> Result:
        return Result(rule, None, self.region_code, self.department_id, self.department_name, self.fiscal_year,
                      self.doc_kind, "", **kw)


def build_groups(documents: pl.DataFrame, figures: pl.DataFrame, units: pl.DataFrame) -> dict[Key, Group]:
    loaded = documents.filter((pl.col("status") == LOADED) & pl.col("department_id").is_not_null()
                              & pl.col("fiscal_year").is_not_null() & pl.col("doc_kind").is_not_null())
    groups: dict[Key, Group] = {}
    key_of: dict[str, Key] = {}
    for row in loaded.sort("document_id").iter_rows(named=True):
        key = (row["department_id"], row["fiscal_year"], row["doc_kind"])
        group = groups.setdefault(key, Group(row["department_id"], row["region_code"], row["department_name"],
                                             row["fiscal_year"], row["doc_kind"]))
        group.document_ids.append(row["document_id"])
        group.parent = group.parent or row["parent_department_name"]
        key_of[row["document_id"]] = key
    printed: dict[tuple[Key, tuple[str, str]], list[dict]] = {}
    for row in figures.sort("document_id", "page_no", "line_no").iter_rows(named=True):
        key = key_of.get(row["document_id"])
        if key is not None:
            printed.setdefault((key, (row["statement"], row["item"])), []).append(row)
    for (key, slot), rows in printed.items():
        source = preferred_source(rows)  # as the views choose (schemas.preference)
        if source is None:
            continue
        value = stated(rows, source).value
        row = next(r for r in rows if r["source"] == source and r["amount_yuan"] == value)
        groups[key].figures[slot] = Picked(row["amount_yuan"], half_unit_yuan(row["stated_text"], row["stated_unit"]),
                                           row["document_id"], row["page_no"], row["line_no"], row["source_text"],
                                           row["label"] or "")
    for row in units.iter_rows(named=True):
        key = key_of.get(row["document_id"])
        if key is not None and row["unit_name"]:
            groups[key].unit_names.add(canonical_department_name(row["unit_name"]))
    return groups


def _stated_base(label: str, fiscal_year: int) -> tuple[int, str | None]:
    match = BASE.search(label or "")
    if match is None:
        return fiscal_year - 1, None
    year = int(match.group("year")) if match.group("year") else fiscal_year - 1
    return year, match.group("base")


def _prior_item(g: Group, groups: dict[Key, Group], item: str, change: Picked | None) -> Result:
    r = g.result(PRIOR_YEAR, item=item)
    last_year = g.fiscal_year - 1
    last = groups.get((g.department_id, last_year, g.doc_kind))
    what = f"expenditure {item}"
    if change is None:
        r.evidence = g.documents("this_year") + (last.documents("last_year") if last else [])
        r.message = f"{what}: not evaluated, the {g.fiscal_year} document states no change against {last_year}"
        return r
    r.evidence = [change.evidence("this_year", g.fiscal_year)]
    base_year, base = _stated_base(change.label, g.fiscal_year)
    if base_year != last_year or base not in BUDGET_BASES + FINAL_BASES:
        r.message = (f"{what}: not evaluated, the change is stated against {base_year}年{base or ''}, "
                     f"which no {last_year} budget or final account states")
        return r
    current = g.fig("expenditure", item)
    other = last if base in BUDGET_BASES else groups.get((g.department_id, last_year, FINAL_ACCOUNT))
    other_kind = "budget" if base in BUDGET_BASES else "final account"
    previous = other.fig("expenditure", item) if other else None
    if current is None or previous is None:
        r.evidence += other.documents("last_year") if other else []
        missing = (f"the {g.fiscal_year} document does not state its {what}" if current is None
                   else f"no {last_year} {other_kind} of this department is loaded" if other is None
                   else f"the {last_year} {other_kind} does not state its {what}")
        r.message = f"{what}: not evaluated, {missing}"
        return r
    stated_prior = current.value - change.value
    r.expected, r.actual = previous.value, stated_prior
    r.tolerance = current.slack + change.slack + previous.slack
    r.passed = abs(stated_prior - previous.value) <= r.tolerance
    r.evidence = [current.evidence("this_year", g.fiscal_year), change.evidence("this_year", g.fiscal_year),
                  previous.evidence("last_year", last_year)]
    verdict = "agrees" if r.passed else f"differs by {stated_prior - previous.value} yuan"
    r.message = (f"{what}: the {g.fiscal_year} document implies 上年 {stated_prior} ({current.value} minus the "
                 f"stated change {change.value}); the {last_year} {other_kind} states {previous.value}: {verdict} "
                 f"(tolerance {r.tolerance})")
    return r


def prior_year(groups: dict[Key, Group]) -> list[Result]:
    out = []
    for g in groups.values():
        if g.doc_kind not in BUDGET_KINDS:
            continue
        has_last = (g.department_id, g.fiscal_year - 1, g.doc_kind) in groups
        for item in PRIOR_ITEMS:
            change = g.fig("change", item)
            if change is not None or (item == "total" and has_last):
                out.append(_prior_item(g, groups, item, change))
    return out


def execution(groups: dict[Key, Group]) -> list[Result]:
    out = []
    for g in groups.values():
        if g.doc_kind != FINAL_ACCOUNT:
            continue
        budget = next((groups[k] for k in ((g.department_id, g.fiscal_year, kind) for kind in BUDGET_KINDS)
                       if k in groups), None)
        both = budget is not None and g.fig("expenditure", "this_year") and budget.fig("expenditure", "this_year")
        item = "this_year" if both else "total"
        r = g.result(EXECUTION, item=item)
        final_fig = g.fig("expenditure", item)
        budget_fig = budget.fig("expenditure", item) if budget else None
        r.evidence = ([final_fig.evidence("final_account", g.fiscal_year)] if final_fig
                      else g.documents("final_account"))
        if budget is None or final_fig is None or budget_fig is None:
            missing = (f"no {g.fiscal_year} budget of this department is loaded" if budget is None
                       else "the final account does not state its expenditure" if final_fig is None
                       else "the budget does not state its expenditure")
            r.evidence += budget.documents("budget") if budget else []
            r.message = f"execution: not evaluated, {missing}"
            out.append(r)
            continue
        r.evidence.append(budget_fig.evidence("budget", g.fiscal_year))
        r.expected, r.actual = budget_fig.value, final_fig.value
        r.tolerance = EXECUTION_BAND * budget_fig.value
        r.passed = abs(final_fig.value - budget_fig.value) <= r.tolerance
        rate = f"{final_fig.value / budget_fig.value:.1%}" if budget_fig.value else "n/a"
        r.message = (f"execution {rate}: final account {final_fig.value} against budget {budget_fig.value} "
                     f"({'本年支出合计' if item == 'this_year' else '支出总计'}); "
                     + ("within ±30%" if r.passed else "outside ±30% of the budget"))
        out.append(r)
    return out


def continuity(documents: pl.DataFrame) -> list[Result]:
    published = documents.filter(pl.col("status").is_in(PUBLISHED) & pl.col("department_id").is_not_null()
                                 & pl.col("fiscal_year").is_not_null() & pl.col("doc_kind").is_not_null())
    out = []
    for (department_id, doc_kind), rows in published.sort("fiscal_year", "document_id").group_by(
            ["department_id", "doc_kind"], maintain_order=True):
        by_year: dict[int, list[str]] = {}
        for row in rows.iter_rows(named=True):
            by_year.setdefault(row["fiscal_year"], []).append(row["document_id"])
        first = rows.row(0, named=True)
        years = sorted(by_year)
        base = dict(region_code=first["region_code"], department_id=department_id,
                    department_name=first["department_name"], doc_kind=doc_kind)
        if len(years) < 2:  # one year alone has no span to miss a year in
            out.append(Result(CONTINUITY, None, fiscal_year=years[0], evidence=[
                Evidence(d, "neighbour", years[0]) for d in by_year[years[0]]],
                message=f"not evaluated: only {years[0]} of this {doc_kind} is published", **base))
            continue
        gaps = [y for y in range(years[0], years[-1] + 1) if y not in by_year]
        for gap in gaps:
            before, after = max(y for y in years if y < gap), min(y for y in years if y > gap)
            evidence = [Evidence(d, "neighbour", y) for y in (before, after) for d in by_year[y]]
            out.append(Result(CONTINUITY, False, fiscal_year=gap, expected=Decimal(1), actual=Decimal(0),
                              tolerance=Decimal(0), evidence=evidence,
                              message=f"no {gap} {doc_kind} found, though {before} and {after} were published",
                              **base))
        if not gaps:
            evidence = [Evidence(d, "neighbour", y) for y in years for d in by_year[y]]
            out.append(Result(CONTINUITY, True, fiscal_year=years[-1], expected=Decimal(len(years)),
                              actual=Decimal(len(years)), tolerance=Decimal(0), evidence=evidence,
                              message=f"{doc_kind} published every year {years[0]}–{years[-1]}", **base))
    return out


def _canon(name: str | None) -> str:
    return canonical_department_name(name) if name else ""


def units(groups: dict[Key, Group]) -> list[Result]:
    unit_groups = [g for g in groups.values() if g.doc_kind == UNIT_BUDGET]
    out = []
    for d in groups.values():
        if d.doc_kind != DEPARTMENT_BUDGET:
            continue
        name = _canon(d.department_name)
        members = [u for u in unit_groups if u.region_code == d.region_code and u.fiscal_year == d.fiscal_year
                   and (_canon(u.parent) == name or _canon(u.department_name) == name
                        or _canon(u.department_name) in d.unit_names)]
        if members:
            out.append(_units_result(d, members))
    return out


def _units_result(d: Group, members: list[Group]) -> Result:
    r = d.result(UNITS, item="total")
    published = {_canon(u.department_name): u for u in members}
    total = d.fig("expenditure", "total")
    r.evidence = [total.evidence("department", d.fiscal_year)] if total else d.documents("department")
    for u in members:
        fig = u.fig("expenditure", "total")
        r.evidence += [fig.evidence("unit", u.fiscal_year)] if fig else u.documents("unit")
    missing = sorted(d.unit_names - set(published))
    listed = [published[n] for n in sorted(d.unit_names) if n in published]
    unit_figures = [u.fig("expenditure", "total") for u in listed]
    if not d.unit_names:
        r.message = "not evaluated: the department budget lists no budget units, so completeness is unknown"
    elif missing:
        r.message = (f"not evaluated: {len(listed)} of {len(d.unit_names)} listed units published; "
                     f"missing: {', '.join(missing[:5])}")
    elif total is None or any(f is None for f in unit_figures):
        r.message = "not evaluated: the department or a unit does not state its expenditure total"
    else:
        r.expected, r.actual = total.value, sum((f.value for f in unit_figures), Decimal(0))
        r.tolerance = total.slack + sum((f.slack for f in unit_figures), Decimal(0))
        r.passed = abs(r.actual - r.expected) <= r.tolerance
        r.message = (f"the department states {total.value}; its {len(listed)} units' budgets sum to {r.actual}: "
                     + ("agree" if r.passed else f"differ by {r.actual - r.expected} yuan")
                     + f" (tolerance {r.tolerance})")
    return r


def evaluate_all(documents: pl.DataFrame, figures: pl.DataFrame, unit_rows: pl.DataFrame) -> list[Result]:
    groups = build_groups(documents, figures, unit_rows)
    return prior_year(groups) + execution(groups) + continuity(documents) + units(groups)


def run_cross_document_rules(documents: pl.DataFrame, figures: pl.DataFrame,
                             unit_rows: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Every cross-document rule over the warehouse → result frames.

    ``documents``: document_id, status, region_code, department_id, department_name,
    parent_department_name, fiscal_year, doc_kind (any status: only loaded documents give
    figures; documents found without figures count as published). ``figures``: as
    ``load.conformed.read_figures``. ``unit_rows``: document_id, unit_name (机构设置 tables).
    """
    return results_frames(evaluate_all(documents, figures, unit_rows))
