"""The extension point for rules over many documents (category ``cross_document``).

Per-document rules see one document's facts; a cross-document rule sees the frames of
many documents at once (``dim_document`` and any ``fct_*`` of all the documents it
compares) and returns its own :class:`~transform.rules.model.Check` rows, each naming
every document it involves in ``documents``. Examples the catalogue is made for: this
year's stated 上年 figures vs last year's document of the same department; a final account
vs the budget of the same year (execution rate); a department whose documents disappear
for a year; a department's total vs the sum of its units.

To add one:

1. write a test object with ``inputs`` (the frame names it reads) and
   ``evaluate_many(frames) -> Iterable[Check]`` (pure: frames in, checks out);
2. declare a :class:`~transform.rules.model.Rule` with ``category="cross_document"`` and
   that test in ``CROSS_DOCUMENT_RULES`` of :mod:`transform.rules.catalogue` (its code is
   checked against the rule-code width when the catalogue loads, like every rule);
3. the caller (a flow that reads the warehouse) passes the frames to
   :func:`run_cross_document_rules` and stores what it returns.

The per-document evaluator (:func:`transform.quality.run_rules`) never runs these rules.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Mapping

import polars as pl

from schemas.errors import ContractError
from transform.rules.catalogue import CATALOGUE
from transform.rules.model import Check, Rule


def cross_document_rules(rules: Iterable[Rule] = CATALOGUE) -> tuple[Rule, ...]:
    return tuple(rule for rule in rules if rule.cross_document)


def run_cross_document_rules(frames: Mapping[str, pl.DataFrame],
                             rules: Iterable[Rule] | None = None) -> list[Check]:
    """Every cross-document rule over ``frames`` (many documents' frames, by table name).

    Each returned check carries its rule's code and severity (whatever the test set) and
    names at least one document; a check that names none is a bug (ContractError).
    """
    results: list[Check] = []
    for rule in cross_document_rules(CATALOGUE if rules is None else rules):
        for check in rule.test.evaluate_many(frames):
            if not check.documents:
                raise ContractError(f"{rule.code}: a cross-document check must name its documents")
            difference = check.difference
            if difference is None and check.expected is not None and check.actual is not None:
                difference = check.actual - check.expected
            results.append(replace(check, rule_code=rule.code, severity=rule.severity, difference=difference))
    return results
