"""Cross-document data-quality rules as data, and their results as frames.

A department's disclosures must agree with each other.

Pure: frames of the loaded warehouse in (documents, stated figures, listed budget units),
result frames out (``fct_cross_document_check`` and ``fct_cross_document_evidence``). The
rules are rows of the rule catalogue (:mod:`transform.rules.catalogue` lists them in its
``CROSS_DOCUMENT_RULES``, so ``county-budgets rules`` shows them and their codes are checked
against the column width) with a :class:`~transform.rules.model.Declared` test; the evaluation of each is
a function of :mod:`transform.cross_document`, which runs them all. Every result names the rule, its
severity, expected and actual figures, their difference, the tolerance and every document
involved (with page and line of the compared figure). A rule whose inputs are missing is
not evaluated (``passed`` NULL) and its message names what is missing; nothing is computed
from zeros.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from schemas.conformed import fct_cross_document_check, fct_cross_document_evidence
from schemas.frames import polars_schema
from transform.rules.model import Declared, Rule

PRIOR_YEAR = Rule(
    "prior_year_figure_matches_last_year",
    "this year's stated 上年 figure (this year's figure − the stated change) equals last year's document",
    "warning", "cross_document", "printed",
    Declared(("this year's 支出总计/基本支出/项目支出", "the stated change against 上年预算 (比上年增减)",
              "last year's document of the same department and kind: the same figure")),
    "tolerance: the rounding of the three printed figures (half a unit of the last printed digit each)",
)
EXECUTION = Rule(
    "final_account_within_30pct_of_budget",
    "a department's final account (决算) is within 30% of its budget for the same year",
    "warning", "cross_document", "band",
    Declared(("the final account's 本年支出合计 (else 支出总计)", "the budget's 本年支出合计 (else 支出总计)")),
    "tolerance: 30% of the budget",
)
CONTINUITY = Rule(
    "department_published_every_year",
    "no year is missing between a department's first and last disclosure of a kind",
    "warning", "cross_document", "exact",
    Declared(("the fiscal years of the department's disclosures (loaded, or found without figures)",)),
)
UNITS = Rule(
    "department_total_equals_sum_of_units",
    "a department budget's 支出总计 equals the sum of its units' budgets, where every listed unit is published",
    "error", "cross_document", "printed",
    Declared(("the department budget's 支出总计 and its list of budget units (机构设置)",
              "each listed unit's budget (单位预算): 支出总计")),
)
CROSS_DOCUMENT_RULES: tuple[Rule, ...] = (PRIOR_YEAR, EXECUTION, CONTINUITY, UNITS)
EXECUTION_BAND = Decimal("0.30")


@dataclass(frozen=True)
class Evidence:
    document_id: str
    role: str
    fiscal_year: int | None
    page_no: int | None = None
    line_no: int | None = None
    source_text: str | None = None


@dataclass
class Result:
    rule: Rule
    passed: bool | None
    region_code: str | None
    department_id: str
    department_name: str | None
    fiscal_year: int | None
    doc_kind: str | None
    message: str
    item: str | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    tolerance: Decimal | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def check_id(self) -> str:
        key = f"{self.rule.code}|{self.department_id}|{self.fiscal_year}|{self.doc_kind}|{self.item}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    @property
    def difference(self) -> Decimal | None:
        return None if self.expected is None or self.actual is None else self.actual - self.expected


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def results_frames(results: list[Result]) -> dict[str, pl.DataFrame]:
    """Results → the ``fct_cross_document_check`` and ``fct_cross_document_evidence`` frames."""
    checks, evidence, seen = [], [], set()
    for r in results:
        checks.append({
            "check_id": r.check_id, "rule_code": r.rule.code, "severity": r.rule.severity, "passed": r.passed,
            "region_code": r.region_code, "department_id": r.department_id, "department_name": r.department_name,
            "fiscal_year": r.fiscal_year, "doc_kind": r.doc_kind, "item": r.item, "expected": _cents(r.expected),
            "actual": _cents(r.actual), "difference": _cents(r.difference), "tolerance": _cents(r.tolerance),
            "message": r.message,
        })
        for e in r.evidence:
            if (r.check_id, e.document_id) in seen:
                continue
            seen.add((r.check_id, e.document_id))
            evidence.append({"check_id": r.check_id, "document_id": e.document_id, "role": e.role,
                             "fiscal_year": e.fiscal_year, "page_no": e.page_no, "line_no": e.line_no,
                             "source_text": e.source_text})
    return {
        "fct_cross_document_check": pl.DataFrame(checks, schema=polars_schema(fct_cross_document_check), orient="row"),
        "fct_cross_document_evidence": pl.DataFrame(evidence, schema=polars_schema(fct_cross_document_evidence),
                                                    orient="row"),
    }
