"""A prepared document and what the writer does with it: the half of the pipeline the run's own process runs.

:class:`Prepared` is what a worker hands back (plain data: it crosses process boundaries); ``store``
writes one in one transaction; ``quarantined`` records a document that cannot be prepared. The writer
imports this module, not :mod:`flows.pipeline`, whose reading and parsing (pdfminer, pdfplumber, the
parser's patterns) only the workers need: 0.2 s of the writer's CPU that two workers on two cores
shared with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import polars as pl
from sqlalchemy.engine import Engine

from extract.parse.identity.names import levels_of
from extract.parse.version import PARSER_VERSION
from extract.read.model import document_id_of
from load.documents import write_document
from load.review import decision_for
from load.siblings import portal_region
from reference.regions import region_rows
from schemas import table
from schemas.errors import DocumentError
from schemas.frames import polars_schema
from schemas.vocabulary import HELD, QUARANTINED
from transform import transform_quarantined
from transform.dimensions import placed_in
from transform.review import apply_decision


@dataclass
class Prepared:
    """A document ready to store: its warehouse frames, or the reason it is quarantined.

    ``stage`` names where a quarantined document stopped (read | parse | transform |
    check | store | worker); the other fields describe what was recognised, for reports
    and ``audit``. Plain data only, so it crosses process boundaries.
    """

    document_id: str
    source_uri: str
    frames: dict[str, pl.DataFrame]
    status: str  # loaded | seen_only | held | quarantined
    reason: str | None = None
    department_name: str | None = None
    fiscal_year: int | None = None
    region_code: str | None = None
    stage: str | None = None
    doc_kind: str | None = None
    doc_class: str | None = None
    page_count: int = 0
    scanned_pages: list[int] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    needs_year: bool = False  # quarantined only for printing no year: worth a second look with hints
    year_printed: bool = False  # the year was read from the document itself (title, cover, table title, statement)


def region_frame(region_code: str | None) -> pl.DataFrame:
    """``stg_region``: the document's region as the GB/T 2260 reference has it (level, parent)."""
    return pl.DataFrame(region_rows([region_code]), schema=polars_schema(table("dim_region")))


def quarantined(data_or_size: bytes | int, source_uri: str, reason: str, stage: str, *,
                document_id: str | None = None, loaded_at: datetime | None = None,
                parser_version: str = PARSER_VERSION, seconds: float = 0.0, identity: dict | None = None) -> Prepared:
    """A quarantine record for a document (its bytes, or its id and size) and why; ``identity``:
    what it states about itself (:func:`~extract.parse.identity.classify.identity_record`)."""
    size = data_or_size if isinstance(data_or_size, int) else len(data_or_size)
    document_id = document_id or document_id_of(data_or_size)  # type: ignore[arg-type]
    frames = transform_quarantined(document_id, source_uri, size, reason, parser_version=parser_version,
                                   loaded_at=loaded_at or datetime.now(timezone.utc), identity=identity)
    return Prepared(document_id, source_uri, frames, QUARANTINED, reason, stage=stage, seconds=seconds)


def _apply_review(prepared: Prepared, decision: dict) -> None:
    """A held document a person has decided on (``county-budgets review``): stored as decided."""
    frames = apply_decision(prepared.frames, decision)
    document = frames["dim_document"].row(0, named=True)
    if decision["decision"] == "release":
        levels = levels_of(document["department_name"], document["region_code"], document["doc_kind"])
        frames["dim_document"] = frames["dim_document"].with_columns(pl.lit(v).alias(k) for k, v in levels.items())
    if decision.get("region_code"):
        frames["dim_region"] = pl.concat([frames.get("dim_region", region_frame(None)), region_frame(decision["region_code"])])
    document = frames["dim_document"].row(0, named=True)
    prepared.frames, prepared.status, prepared.reason = frames, document["status"], document["status_reason"]
    prepared.department_name, prepared.fiscal_year = document["department_name"], document["fiscal_year"]


def store(engine: Engine, prepared: Prepared) -> Prepared:
    """Write one prepared document in one transaction (replacing any earlier load of it).

    Rows the warehouse refuses (a value out of range for its column, say) quarantine the
    document instead, with stage ``store``: nothing of it is half-loaded. Errors of the
    warehouse itself (connection lost, disk full) propagate and stop the run.
    """
    if prepared.status == HELD and (decision := decision_for(engine, prepared.document_id)) is not None:
        _apply_review(prepared, decision)
    if prepared.status != QUARANTINED and prepared.region_code is None \
            and (code := portal_region(engine, prepared.source_uri)) is not None:
        prepared.frames, prepared.region_code = placed_in(prepared.frames, code, region_frame(code)), code
        document = prepared.frames["dim_document"].row(0, named=True)
        levels = levels_of(document["department_name"], code, document["doc_kind"])
        prepared.frames["dim_document"] = prepared.frames["dim_document"].with_columns(
            pl.lit(v).alias(k) for k, v in levels.items())
    try:
        prepared.counts = write_document(engine, prepared.frames)
        return prepared
    except DocumentError as exc:
        document = prepared.frames["dim_document"].row(0, named=True)
        refused = quarantined(document["byte_size"] or 0, prepared.source_uri, exc.reason, "store",
                              document_id=prepared.document_id, loaded_at=document["loaded_at"],
                              parser_version=document["parser_version"] or PARSER_VERSION,
                              seconds=prepared.seconds)
        refused.counts = write_document(engine, refused.frames)
        return refused
