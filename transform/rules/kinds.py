"""Kinds of rule declared by their inputs alone: total = Σ parts, and narrative = table.

A figure is named by the records vocabulary (``statement.item``, see
:mod:`extract.parse.records` and the shared vocabulary of stated figures): ``revenue.total``
is 收入总计, ``expenditure.this_year`` 本年支出合计, ``three_public.vehicle`` the 公务用车 line.

:class:`SumOf` is every "total = sum of parts" rule: a total, the parts that must be
stated for the identity to be evaluated, the parts added where stated, and aggregates
that count *instead of* their parts (:class:`Either`: 财政拨款收入 instead of 一般公共预算 +
政府性基金 + 国有资本经营; 本年收入合计 instead of its sources where it is printed). A
rule with one required part is an equality (收入总计 = 支出总计).

A sum is evaluated only on what was read in full: where the total and its parts do not
meet and the table prints a row with a figure that no vocabulary word names (``unread``:
``revenue.unmapped_source`` …, see :mod:`extract.parse.summary_tables`), the rule is not
evaluated and names the row; a blank total cell over printed parts (a 小计 left empty) is
not a printed zero, and an aggregate left blank counts as its parts. A failure whose total
and parts are all table figures, or that sets one printed figure against another (收、支总计各是
4125.49, 4143.91万元), is a ``contradiction``; one that sets a sum of narrative figures against
a total (a passage's total against the parts it happens to list) is ``unreconciled``. A narrative sentence that disagrees with the table figure it
is about is a ``contradiction``: both are printed, and the narrative reader ties a sentence
to a field only where it is that field's own figure (:mod:`extract.parse.narrative_guards`).
A sentence the reader marks as another scope's (一般公共预算's or 财政拨款's 基本支出, the 本级's
total in a document of the whole department) is not compared with the table at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Union

from schemas.figures import FIGURES
from transform.rules.facts import DocumentFacts, Figure, sum_figures
from transform.rules.model import Missing, Verdict

# Printed names of the vocabulary, for messages a person can check against the document
# (the first label of each figure's declaration, schemas.figures).
TERMS: dict[str, str] = {f.name: f.label for f in FIGURES}


def term(name: str) -> str:
    return f"{name} ({TERMS[name]})" if name in TERMS else name


@dataclass(frozen=True)
class Ref:
    """One stated figure by its vocabulary name (table or narrative as the views choose, schemas.preference)."""

    statement: str
    item: str

    @property
    def name(self) -> str:
        return f"{self.statement}.{self.item}"

    def inputs(self) -> tuple[str, ...]:
        return (self.name,)

    def resolve(self, doc: DocumentFacts) -> tuple[Figure | None, tuple[str, ...]]:
        figure = doc.figure(self.statement, self.item)
        return figure, (() if figure is not None else (self.name,))


@dataclass(frozen=True)
class Parts:
    """Parts of a total: ``required`` must all be stated; ``optional`` are added where stated.
    With nothing required, at least one optional part must be stated."""

    required: tuple["Term", ...] = ()
    optional: tuple["Term", ...] = ()

    def inputs(self) -> tuple[str, ...]:
        return tuple(name for t in (*self.required, *self.optional) for name in t.inputs())

    def resolve(self, doc: DocumentFacts) -> tuple[Figure | None, tuple[str, ...]]:
        figures, missing = [], []
        for part in self.required:
            figure, lacking = part.resolve(doc)
            figures.append(figure)
            missing.extend(lacking)
        optional = [part.resolve(doc)[0] for part in self.optional]
        if missing:
            return None, tuple(missing)
        total = sum_figures(figures + optional)
        if total is None:
            return None, ("any of " + " / ".join(self.inputs()),)
        return total, ()


@dataclass(frozen=True)
class Either:
    """An aggregate row that counts instead of, never beside, its parts: the aggregate where
    it is stated, else its parts."""

    aggregate: Ref
    parts: Parts

    def inputs(self) -> tuple[str, ...]:
        return (*self.aggregate.inputs(), *self.parts.inputs())

    def resolve(self, doc: DocumentFacts) -> tuple[Figure | None, tuple[str, ...]]:
        aggregate, _ = self.aggregate.resolve(doc)
        figure, lacking = self.parts.resolve(doc)
        if aggregate is not None and (aggregate.printed or figure is None):
            return aggregate, ()  # a blank aggregate cell (a 小计 left empty) counts as its printed parts
        if figure is None:
            return None, (f"{self.aggregate.name} or its parts ({', '.join(lacking)})",)
        return figure, ()


Term = Union[Ref, Either]


def finding_of(*figures: Figure) -> str:
    """contradiction where every figure compared is a table's, or each side is one printed figure (收、支总计各是
    4125.49, 4143.91万元); unreconciled where the narrative gives a sum of parts (module docstring)."""
    one_each = all(f.terms == 1 for f in figures)
    return "contradiction" if one_each or all(f.source == "table" for f in figures) else "unreconciled"


def compare(stated: Figure, derived: Figure, tolerance_slack=None, finding: str | None = None) -> Verdict:
    """``stated`` (actual) equals ``derived`` (expected) within both figures' rounding."""
    slack = stated.slack + derived.slack if tolerance_slack is None else tolerance_slack
    ok = abs(stated.value - derived.value) <= slack
    gap = "" if ok else f"off by {stated.value - derived.value} yuan; "
    return Verdict(ok, derived.value, stated.value, slack,
                   f"{gap}stated {stated.text} = {stated.value}, derived {derived.text} = {derived.value}, "
                   f"tolerance {slack}", finding or finding_of(stated, derived))


def _unread(doc: DocumentFacts, names: tuple[str, ...]) -> list[str]:
    """The rows of a table read with a figure no vocabulary word names, as a person finds them."""
    rows = [r for name in names for r in doc.unmapped(*name.split("."))]
    return [f"'{r['item_key'] or r['label']}' {r['stated_text']}{r['stated_unit']} (p{r['page_no']})" for r in rows]


@dataclass(frozen=True)
class SumOf:
    """total = Σ parts (see module docstring); evaluated only where every required input is stated
    and, where they do not meet, only where no row the parts come from went unread (``unread``)."""

    total: Ref
    parts: Parts
    unread: tuple[str, ...] = ()

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.total.name, *self.parts.inputs())

    def evaluate(self, doc: DocumentFacts) -> Verdict | Missing:
        stated, lacking = self.total.resolve(doc)
        derived, lacking_parts = self.parts.resolve(doc)
        missing = tuple(term(name) for name in (*lacking, *lacking_parts))
        if missing:
            return Missing(missing)
        verdict = compare(stated, derived)
        if verdict.passed:
            return verdict
        if not stated.printed:
            return Missing((term(self.total.name),), f"its cell is blank beside parts of {derived.value}",
                           "not printed")
        unread = _unread(doc, self.unread)
        if unread:
            return Missing(tuple(unread), "a row the table prints that no vocabulary word names: the parts "
                           f"read ({derived.value}) are not all of {term(self.total.name)} ({stated.value})",
                           "not read in full")
        return verdict


@dataclass(frozen=True)
class NarrativeVsTable:
    """The same figure printed in the narrative and in a table agree within the narrative's
    printed precision (prose rounds 70,716,064 元 to 7,072万).

    ``loose``: the figure the narrative's label is loosely used for. 决算 narratives call the
    year's own revenue (本年收入合计) "收入总计"; where the narrative's figure is the table's
    ``loose`` figure and not its own, the narrative states no figure of this kind (not
    evaluated, saying so) rather than a contradiction. A figure equal to neither fails.
    """

    figure: Ref
    loose: Ref | None = None

    @property
    def inputs(self) -> tuple[str, ...]:
        return (f"{self.figure.name}@narrative", f"{self.figure.name}@table")

    def evaluate(self, doc: DocumentFacts) -> Verdict | Missing:
        narrative = doc.figure(self.figure.statement, self.figure.item, "narrative")
        table = doc.figure(self.figure.statement, self.figure.item, "table")
        missing = tuple(f"{term(self.figure.name)} in the {where}"
                        for where, f in (("narrative", narrative), ("tables", table)) if f is None)
        if missing:
            return Missing(missing)
        if narrative.scope and not (narrative.scope == "本级" and "本级" in (doc.document.get("department_name") or "")):
            return Missing((f"{term(self.figure.name)} in the narrative",),
                           f"its sentence states the figure of {narrative.scope} ({narrative.text}), the table the "
                           "document's whole", "not the same scope")
        verdict = compare(narrative.as_printed(), table, finding="contradiction")
        loose = None if verdict.passed or self.loose is None else doc.figure(self.loose.statement, self.loose.item,
                                                                             "table")
        if loose is not None and compare(narrative.as_printed(), loose).passed:
            return Missing((f"{term(self.figure.name)} in the narrative",),
                           f"the narrative's {narrative.text} under that label is the table's "
                           f"{term(self.loose.name)} {loose.text}")
        return verdict


@dataclass(frozen=True)
class Custom:
    """A rule whose test is a function of the document's facts (counts, codes, plans …)."""

    inputs: tuple[str, ...]
    fn: Callable[[DocumentFacts], Union[Verdict, Missing]]
    finding: str = "contradiction"  # what a failure is, unless the function says (module docstring)

    def evaluate(self, doc: DocumentFacts) -> Verdict | Missing:
        outcome = self.fn(doc)
        if isinstance(outcome, Verdict) and not outcome.passed and outcome.finding is None:
            return replace(outcome, finding=self.finding)
        return outcome


def failure_kind(test: object) -> str:
    """What a failure of a rule with this test is said to be (a key of ``FINDING_KINDS``), for the catalogue."""
    if isinstance(test, SumOf):
        return "by source"
    if isinstance(test, NarrativeVsTable):
        return "contradiction"
    return getattr(test, "finding", "")
