"""The comparison refresh: conformed dimensions and cross-document checks, rebuilt after each load.

Wiring only: reads the warehouse through :mod:`load.conformed`, derives the conformed frames in
:mod:`transform.conformed` (names and codes conformed with the reference tables of :mod:`reference`;
each department's level by :func:`flows.levels.department_level`) and the cross-document results in
:mod:`transform.cross_document`, and has :func:`load.conformed.conformed_writer` write everything in
one transaction. :func:`flows.runner.run_items` calls :func:`refresh` at the end of every run that
loaded or quarantined a document, so the comparison views are never staler than the last load; it
is idempotent and takes about half a second per thousand documents (1.2–1.8 s for the
3,102-document synthetic corpus).
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy.engine import Engine

from flows.derivation import derivation_version
from flows.refresh_report import RefreshReport
from flows.levels import department_level
from load.conformed import (
    CHUNK_DOCUMENTS, conformed_missing, conformed_writer, no_urls, read_budget_units, read_classification_pairs,
    read_crawled_urls, read_documents, read_figures, read_warehouse_kinds, region_chunks,
)
from load.refresh import read_pending, settle
from transform.conformed import category_list, classification, conformed_departments, doc_kinds, observations, unmapped
from transform.cross_document import run_cross_document_rules


def refresh(engine: Engine, chunk_documents: int = CHUNK_DOCUMENTS) -> RefreshReport:
    """Rebuild every conformed table and cross-document result from the warehouse as it stands.

    Region by region (:func:`load.conformed.region_chunks`, about 2,000 documents a chunk): a
    department, its years, its units and its observations all share one region, so each
    chunk is read, derived and written on its own, in the one transaction of
    :func:`load.conformed.conformed_writer`; the reference tables and the links the crawler
    found without a document are written once."""
    kinds, years = read_warehouse_kinds(engine)
    names: list[str] = []
    pending = read_pending(engine)  # the notes of what changed: settled by rebuilding everything
    with conformed_writer(engine, lambda c: settle(c, pending.change_ids, derivation_version())) as (write, counts):
        write({"dim_department_category": category_list(),
               "dim_doc_kind": doc_kinds(kinds),
               "dim_classification": classification(read_classification_pairs(engine), years)})
        no_documents = read_documents(engine, regions=[])
        write({"fct_disclosure_observation": observations(
            no_documents, conformed_departments(no_documents, department_level), read_crawled_urls(engine))})
        for regions in region_chunks(engine, chunk_documents):
            names += write_regions(engine, write, regions)
    return RefreshReport(dict(counts), names)


def write_regions(engine: Engine, write: Callable[[dict], None], regions: list[str]) -> list[str]:
    """Derive and ``write`` the conformed departments, observations and cross-document checks of the
    documents of ``regions`` (GB/T 2260 codes); the names of departments whose category or level is unknown."""
    documents = read_documents(engine, regions)
    departments = conformed_departments(documents, department_level)
    write({"dim_department_conformed": departments,
           "fct_disclosure_observation": observations(documents, departments, no_urls()),
           **run_cross_document_rules(documents, read_figures(engine, regions), read_budget_units(engine, regions))})
    return unmapped(departments)


def ensure_conformed(engine: Engine) -> None:
    """:func:`refresh` once when the warehouse holds documents but its conformed tables were never built
    (:func:`load.conformed.conformed_missing`; needs a writable engine)."""
    if conformed_missing(engine):
        refresh(engine)
