"""What a data-quality rule is, as data: :class:`Rule`, and what it yields: :class:`Check`.

A rule is one row of the catalogue (:mod:`transform.rules.catalogue`): a code, a title in
the field's own terms, a severity, a category, the inputs it reads, a tolerance kind and
a *test*. A per-document test has ``evaluate(doc) -> Verdict | Missing``. A rule of
category ``cross_document`` holds a :class:`Declared` test instead: the catalogue declares
it (code, title, severity, inputs, tolerance, checked like every row), and a separate
evaluator over many documents' frames computes its results, keyed by the rule's code.

A test that lacks an input returns :class:`Missing` naming it; :func:`outcome_check` turns
that into ``passed = None`` with the missing inputs in the message. Nothing is computed
from absent figures, nor from a table read in part (a row no vocabulary word names).

A failure says what it is (``finding``): ``contradiction`` — the figures compared are each
printed as such and were read where the rule expects them (a total and its parts in one
table, a sentence and the table figure it is about), so the document disagrees with itself;
``unreconciled`` — one side is the pipeline's own assembly (parts from the narrative or
from another source than the total, a sum over project rows read across pages, a count),
so a misread is not ruled out. Its severity comes from its size: a rule with a ``slip``
share reports a failure within that share of the larger figure compared (≤ 0.01%: a
rounding slip of 200 yuan in 12,323.46万) as a ``warning``, a larger one at the rule's
severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, Protocol, runtime_checkable

Severity = Literal["error", "warning"]
#: A failure within this share of the larger figure compared is a slip: a warning, not an error.
SLIP = Decimal("0.0001")
Category = Literal["identity", "narrative_vs_table", "completeness", "cross_document"]
SEVERITIES: tuple[str, ...] = ("error", "warning")
CATEGORIES: tuple[str, ...] = ("identity", "narrative_vs_table", "completeness", "cross_document")

# How a rule's tolerance is set; the amount itself is computed per check and recorded.
TOLERANCES: dict[str, str] = {
    "printed": "the rounding each printed figure may hide, summed (half its last printed digit, at least "
               "half a fen of its unit; a printed zero is exact)",
    "narrative_printed": "the narrative figure at its printed digits (7,072万 may hide ±5,000 yuan) plus the "
                         "table figure's rounding",
    "pct_points": "every rounding of the two printed amounts, plus half the last digit of the printed % "
                  "(at least 0.005 points)",
    "exact": "none: a yes/no finding",
    "band": "a stated band around the expected figure (e.g. a final account within 30% of its budget)",
}


# What a failing rule's row says it is (``fct_data_quality.finding``), by how its figures were read.
FINDING_KINDS: dict[str, str] = {
    "contradiction": "the figures compared are each printed as such and read where the rule expects them "
                     "(a sentence and the table figure it is about, a class row and its lines, one project's row): "
                     "the document disagrees with itself",
    "by source": "contradiction where the total and every part are table figures, or one printed figure stands "
                 "against another; unreconciled where a sum of the narrative's figures does (a passage's total against "
                 "the parts it happens to list)",
    "unreconciled": "one side is the pipeline's own assembly (a sum over project rows read across pages, a "
                    "count of rows, a figure it could not read): a misread is not ruled out",
}


@dataclass(frozen=True)
class Check:
    """One rule's verdict on one document.

    ``passed`` is None when the rule could not be evaluated; ``missing`` then names the
    inputs the document does not state. Money in yuan; ``difference = actual - expected``.
    """

    rule_code: str
    severity: str
    passed: bool | None
    expected: Decimal | None
    actual: Decimal | None
    message: str
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    missing: tuple[str, ...] = ()
    finding: str | None = None  # a failure's kind: contradiction | unreconciled (None unless failed)


@dataclass(frozen=True)
class Verdict:
    """A test's finding: ``passed`` with the figures compared (either may be None for a count)."""

    passed: bool
    expected: Decimal | None
    actual: Decimal | None
    tolerance: Decimal | None
    detail: str
    finding: str | None = None  # what a failure is (module docstring); the test's kind decides


@dataclass(frozen=True)
class Missing:
    """The test could not run: these inputs are not stated (names from the vocabulary), or
    — ``reason`` — not read in full (a row of the table no vocabulary word names) or not printed."""

    inputs: tuple[str, ...]
    detail: str = ""
    reason: str = "not stated"


@runtime_checkable
class DocumentTest(Protocol):
    """Evaluates a rule on one document's facts (:class:`transform.rules.facts.DocumentFacts`)."""

    inputs: tuple[str, ...]

    def evaluate(self, doc: Any) -> Verdict | Missing: ...


@dataclass(frozen=True)
class Declared:
    """The test of a ``cross_document`` rule: its inputs (described for a person, e.g. "last
    year's document of the same department: 支出总计"); a separate evaluator over many
    documents' frames computes its results and names every document involved."""

    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """One row of the catalogue."""

    code: str
    title: str  # the identity or finding in the field's terms, e.g. 收入总计 = 本年收入合计 + …
    severity: Severity
    category: Category
    tolerance: str  # a key of TOLERANCES
    test: DocumentTest | Declared
    description: str = ""  # one more sentence where the title is not enough
    slip: Decimal | None = None  # a failure within this share of the larger figure is a warning (money rules)

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(self.test.inputs)

    @property
    def cross_document(self) -> bool:
        return self.category == "cross_document"

    def describe(self) -> str:
        return f"{self.title} — {self.description}" if self.description else self.title


def slipped(rule: Rule, outcome: Verdict) -> bool:
    """A failure within the rule's slip share of the larger figure compared (a warning, not an error)."""
    if outcome.passed or rule.slip is None or outcome.expected is None or outcome.actual is None:
        return False
    size = max(abs(outcome.expected), abs(outcome.actual))
    return size > 0 and abs(outcome.actual - outcome.expected) <= rule.slip * size


def outcome_check(rule: Rule, outcome: Verdict | Missing) -> Check:
    """A test's outcome as the row ``fct_data_quality`` stores."""
    if isinstance(outcome, Missing):
        named = ", ".join(outcome.inputs)
        extra = f"; {outcome.detail}" if outcome.detail else ""
        return Check(rule.code, rule.severity, None, None, None,
                     f"{rule.title}: not evaluated, {outcome.reason}: {named}{extra}", missing=outcome.inputs)
    difference = None
    if outcome.expected is not None and outcome.actual is not None:
        difference = outcome.actual - outcome.expected
    verdict = "holds" if outcome.passed else "fails"
    severity, finding, size = rule.severity, None, ""
    if not outcome.passed:
        finding = outcome.finding or "unreconciled"
        if slipped(rule, outcome):
            severity, size = "warning", f"; within {rule.slip:.2%} of the figures: a slip"
    return Check(rule.code, severity, outcome.passed, outcome.expected, outcome.actual,
                 f"{rule.title}: {verdict} ({outcome.detail}{size})", difference, outcome.tolerance,
                 finding=finding)
