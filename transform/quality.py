"""Runs the per-document rules of the catalogue and shapes their verdicts as ``fct_data_quality``.

Each rule of :data:`transform.rules.catalogue.DOCUMENT_RULES` yields exactly one row per
document: passed, failed, or not evaluated (``passed`` NULL, naming the inputs the
document does not state). Tolerances come from the printed precision, so 元 and 万元
figures are compared fairly and nothing is "corrected": a disagreement stays a failing
row with both figures, their difference and the tolerance in it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

import polars as pl

from schemas import table
from schemas.frames import polars_schema
from transform.rules.catalogue import DOCUMENT_RULES
from transform.rules.facts import DocumentFacts
from transform.rules.model import Check, Rule, outcome_check


def run_rules(facts: dict[str, pl.DataFrame], document_ids: Iterable[str],
              rules: Iterable[Rule] = DOCUMENT_RULES) -> list[tuple[str, Check]]:
    """``(document_id, Check)`` for every document and every per-document rule, in catalogue order.

    ``facts``: one or more documents' warehouse frames (``fct_*``, ``dim_document``) and
    ``stg_stated_year``, keyed by table name.
    """
    rules = tuple(rule for rule in rules if not rule.cross_document)  # those run over many documents
    results: list[tuple[str, Check]] = []
    for document_id in document_ids:
        doc = DocumentFacts(facts, document_id)
        results.extend((document_id, outcome_check(rule, rule.test.evaluate(doc))) for rule in rules)
    return results


def _quantized(value: Decimal | None, scale: int) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)


def _difference(check: Check) -> Decimal | None:
    if check.difference is not None or check.expected is None or check.actual is None:
        return check.difference
    return check.actual - check.expected


def checks_frame(results: list[tuple[str, Check]]) -> pl.DataFrame:
    """The verdicts as a frame typed like ``fct_data_quality`` (money at the column's scale)."""
    schema = polars_schema(table("fct_data_quality"))
    scale = {name: dtype.scale for name, dtype in schema.items() if isinstance(dtype, pl.Decimal)}
    rows = [{"document_id": d, "rule_code": c.rule_code, "severity": c.severity, "passed": c.passed,
             "expected": c.expected, "actual": c.actual, "difference": _difference(c), "tolerance": c.tolerance,
             "message": c.message, "finding": c.finding} for d, c in results]
    for row in rows:
        for name, digits in scale.items():
            row[name] = _quantized(row[name], digits)
    return pl.DataFrame(rows, schema=schema, orient="row")
