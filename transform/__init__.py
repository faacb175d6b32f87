"""Pure transformation: ``stg_*`` frames in, warehouse frames (``dim_*``/``fct_*``) out.

No I/O and no clock: the caller passes ``loaded_at``. Every output frame is conformed
to and checked against its table in :mod:`schemas` before it leaves, so a frame that
would not fit the warehouse stops the run here (ContractError), not half-way through
a load.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from schemas import table
from schemas.errors import ContractError
from schemas.frames import check_frame, conform
from schemas.staging import STAGING_TABLES
from schemas.vocabulary import HELD, SEEN_ONLY
from transform import dimensions, facts
from transform.quality import checks_frame, run_rules


def _checked(stg: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """``stg_*`` frames checked against their staging tables; ``stg_region`` (rows of ``dim_region``
    from the GB/T 2260 reference) passes as it is and is checked as ``dim_region`` on the way out."""
    return {name: check_frame(frame, STAGING_TABLES[name]) if name in STAGING_TABLES else frame
            for name, frame in stg.items()}


def transform_document(stg: dict[str, pl.DataFrame], *, parser_version: str, loaded_at: datetime,
                       hold_reason: str | None = None) -> dict[str, pl.DataFrame]:
    """One document's ``stg_*`` frames (checked against :mod:`schemas.staging`) → its warehouse frames.

    ``hold_reason``: the document is read but its identity needs a person (no department named …):
    every frame is built and checked as for a loaded one, and ``dim_document`` says ``held`` with
    the reason, which keeps it out of every view until it is released."""
    missing = sorted(set(STAGING_TABLES) - set(stg))
    if missing:
        raise ContractError(f"staging frames missing: {missing}")
    stg = _checked(stg)
    amounts = stg["stg_amount"]
    documents = dimensions.document_rows(stg["stg_document"], parser_version=parser_version, loaded_at=loaded_at)
    if hold_reason is not None:
        documents = documents.with_columns(pl.lit(HELD).alias("status"), pl.lit(hold_reason).alias("status_reason"))
    fct_project = facts.projects(stg["stg_project"], stg["stg_document"])
    out = {
        "dim_document": documents,
        "dim_budget_unit": facts.budget_units(stg["stg_unit"]),
        "fct_budget_line": facts.budget_lines(amounts),
        "fct_three_public": facts.three_public(amounts),
        "fct_procurement": facts.procurement(amounts),
        "fct_asset": facts.assets(stg["stg_asset"]),
        "fct_expenditure_by_function": facts.expenditure_by_function(amounts),
        "fct_expenditure_by_economic": facts.expenditure_by_economic(amounts),
        "fct_project_budget": fct_project,
        "fct_spending_plan": facts.spending_plan(stg["stg_plan"], fct_project),
        "fct_document_page": facts.pages(stg["stg_page"]),
        "fct_document_link": facts.links(stg["stg_link"]),
    }
    out["fct_performance_target"] = facts.performance_targets(stg["stg_indicator"], fct_project)
    out["dim_region"] = dimensions.regions(stg["stg_region"])
    out["dim_department"] = dimensions.departments(documents)
    out["dim_fiscal_year"] = dimensions.fiscal_years(documents)
    out["dim_project"] = dimensions.projects(fct_project, documents)
    out["dim_indicator"] = dimensions.indicators(out["fct_performance_target"])
    document_ids = documents["document_id"].to_list()
    checks = run_rules({**out, "stg_stated_year": stg["stg_stated_year"]}, document_ids)
    out["fct_data_quality"] = checks_frame(checks)
    return {name: check_frame(conform(frame, table(name)), table(name)) for name, frame in out.items()}


def transform_seen_only(stg: dict[str, pl.DataFrame], reason: str, *, parser_version: str,
                        loaded_at: datetime) -> dict[str, pl.DataFrame]:
    """A disclosure seen but without figures (an image-only or attachment-only page): its
    document row (status ``seen_only``, what its title states, ``reason``), the image or
    attachment addresses, and the region, department and year it counts for."""
    stg = _checked(stg)
    documents = dimensions.document_rows(stg["stg_document"], parser_version=parser_version, loaded_at=loaded_at)
    out = {
        "dim_document": documents.with_columns(pl.lit(SEEN_ONLY).alias("status"), pl.lit(reason).alias("status_reason")),
        "fct_document_link": facts.links(stg["stg_link"]),
        "dim_region": dimensions.regions(stg["stg_region"]),
        "dim_department": dimensions.departments(documents),
        "dim_fiscal_year": dimensions.fiscal_years(documents),
    }
    return {name: check_frame(conform(frame, table(name)), table(name)) for name, frame in out.items()}


def transform_quarantined(document_id: str, source_uri: str, byte_size: int, reason: str, *,
                          parser_version: str, loaded_at: datetime, format: str | None = None,
                          identity: dict | None = None) -> dict[str, pl.DataFrame]:
    """The ``dim_document`` row of a quarantined document: why, and whatever identity its title
    or page states (``identity``: department_name, fiscal_year, doc_kind, doc_class, region …),
    so a look-alike says what it is and the coverage tracker counts a disclosure it could not read."""
    frame = dimensions.quarantined_document(document_id, source_uri, byte_size, reason, parser_version=parser_version,
                                            loaded_at=loaded_at, format=format)
    if identity:
        frame = frame.with_columns([pl.lit(v).alias(k) for k, v in identity.items() if v is not None])
    dim = table("dim_document")
    full = frame.with_columns([pl.lit(None).alias(c) for c in dim.columns.keys() if c not in frame.columns])
    return {"dim_document": check_frame(conform(full, dim), dim)}
