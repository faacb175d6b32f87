"""A project of a performance-target table while it is being read, and its records.

Both layouts (cards and lists) fill a :class:`ProjectDraft` row by row, across page
breaks; :func:`finish` numbers the drafts in document order and turns them into the
records of :mod:`extract.parse.records` — provenance made by the one constructor.
``scope`` says what the targets belong to: ``project`` (项目支出绩效目标表), ``special_fund``
(专项资金绩效目标表: a fund the department manages, not its own 项目支出) or ``department``
(部门整体支出绩效目标表: the department's whole budget).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.read.model import Line
from extract.parse.performance_rows import IndicatorDraft
from extract.parse.records import AmountRecord, IndicatorRecord, PlanRecord, ProjectRecord, provenance


@dataclass
class ProjectDraft:
    scope: str
    start: Line
    unit: str = "元"
    code: str = ""
    name: str = ""
    amount: str = ""
    fiscal: str = ""
    other: str = ""
    unit_code: str = ""
    unit_name: str = ""
    purpose: str = ""
    goal: str = ""
    plans: list[tuple[str, str, Line]] = field(default_factory=list)
    indicators: list[IndicatorDraft] = field(default_factory=list)
    figures: dict[str, tuple[str, Line]] = field(default_factory=dict)  # department forms: basic, project …

    @property
    def empty(self) -> bool:
        """A blank template (名称 and 金额 left empty, no indicator filled in) states nothing,
        and a name with no code, amount, goal or indicator is no project (a header row)."""
        return not ((self.name or self.code) and (self.code or self.amount or self.goal or self.indicators))

    def same_project(self, code: str, name: str) -> bool:
        if code and self.code:
            return code == self.code
        return bool(name) and name == self.name


@dataclass
class PerformanceTables:
    """What the performance-target tables state: projects with their plans and indicators,
    and figures of the tables themselves (a list's 合计 row, a department form's totals)."""

    projects: list[ProjectRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    amounts: list[AmountRecord] = field(default_factory=list)


def finish(drafts: list[ProjectDraft], amounts: list[AmountRecord]) -> PerformanceTables:
    out = PerformanceTables(amounts=list(amounts))
    for seq, d in enumerate((d for d in drafts if not d.empty), start=1):
        out.projects.append(ProjectRecord(
            seq, d.code, d.name, d.amount, d.fiscal, d.other, d.unit, provenance(d.start),
            unit_code=d.unit_code, unit_name=d.unit_name, purpose=d.purpose, goal=d.goal, scope=d.scope))
        out.plans.extend(PlanRecord(seq, k, period, pct, provenance(line))
                         for k, (period, pct, line) in enumerate(d.plans, start=1))
        out.indicators.extend(
            IndicatorRecord(seq, k, i.level1, i.level2, i.level3, i.description, i.target, i.basis,
                            provenance(i.line), weight_text=i.weight)
            for k, i in enumerate(d.indicators, start=1))
        for item, (text, line) in d.figures.items():
            out.amounts.append(AmountRecord("department_form", item, text, d.unit, provenance(line),
                                            source="table", label=d.name))
    return out
