"""A person's decision on a held document, applied to its warehouse frames. Pure.

``county-budgets review release`` says what a held document is (department, year, kind,
region); ``review reject`` says it is not a disclosure to load. Either is kept by document
(:mod:`schemas.review`) and applied again whenever the document is prepared anew.
"""

from __future__ import annotations

import polars as pl

from schemas.vocabulary import HELD, LOADED, QUARANTINED
from transform import dimensions

RELEASE = "release"
REJECT = "reject"


def reject_reason(note: str | None) -> str:
    return f"rejected on review: {note}" if note else "rejected on review"


def released_values(document: dict, decision: dict) -> dict:
    """The ``dim_document`` values a release sets: what the person gave, else what the document states."""
    name = decision.get("department_name") or document.get("department_name")
    region = decision.get("region_code") or document.get("region_code")
    values = {
        "status": LOADED, "status_reason": None, "department_name": name, "region_code": region,
        "department_id": dimensions.department_id(region, name) if name else None,
        "fiscal_year": decision.get("fiscal_year") or document.get("fiscal_year"),
        "doc_kind": decision.get("doc_kind") or document.get("doc_kind"),
    }
    if decision.get("department_name"):
        values["department_source"] = decision.get("source") or "review"
    if decision.get("fiscal_year"):
        values["fiscal_year_source"] = decision.get("source") or "review"
    return values


def apply_decision(frames: dict[str, pl.DataFrame], decision: dict) -> dict[str, pl.DataFrame]:
    """``frames`` of a held document with ``decision`` (a ``fct_review_decision`` row) applied:
    released, it is loaded under the identity given (its department and year dimensions with it);
    rejected, it is quarantined with the person's reason. Frames of any other document pass as they are."""
    document = frames["dim_document"]
    if document.height != 1 or document["status"][0] != HELD:
        return frames
    if decision["decision"] == REJECT:
        values = {"status": QUARANTINED, "status_reason": reject_reason(decision.get("note"))}
    else:
        values = released_values(document.row(0, named=True), decision)
    updated = document.with_columns([pl.lit(v, dtype=document.schema[k]).alias(k) for k, v in values.items()])
    if decision["decision"] == REJECT:
        return {"dim_document": updated}  # a quarantined document owns no facts
    out = {**frames, "dim_document": updated}
    if decision["decision"] == RELEASE:
        out |= {name: frame.cast(frames[name].schema) for name, frame in released_dimensions(values).items()}
    return out


def released_dimensions(values: dict) -> dict[str, pl.DataFrame]:
    """The ``dim_department`` and ``dim_fiscal_year`` rows a released document belongs to."""
    return {"dim_department": pl.DataFrame([{"department_id": values["department_id"], "region_code": values["region_code"],
                                             "department_name": values["department_name"], "unit_code": None}],
                                           schema={"department_id": pl.Utf8, "region_code": pl.Utf8,
                                                   "department_name": pl.Utf8, "unit_code": pl.Utf8}),
            "dim_fiscal_year": pl.DataFrame({"fiscal_year": [values["fiscal_year"]]}, schema={"fiscal_year": pl.Int64})}
