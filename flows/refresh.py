"""The comparison refresh after a run: only the regions and years that changed since the last one.

Every write that changes documents notes their regions, years and kinds (:mod:`load.refresh`,
in the write's own transaction). :func:`refresh_changed` rebuilds exactly those: for each noted
region, its conformed departments, cross-document checks (every year of the region, so the
year-over-year and execution checks of a changed year's neighbours follow) and observations; for
each noted year, its classification rows; ``dim_doc_kind`` when a kind outside the known ones
came or went. Cross-document relations never leave a region (:func:`load.conformed.region_chunks`),
so the rows are those a full rebuild (:func:`flows.conform.refresh`) would write, in one
transaction with the notes' removal. With no note the refresh reads one empty table and writes
nothing, whatever the warehouse's size. A warehouse never rebuilt whole by this derivation
(:mod:`flows.derivation`) is rebuilt whole first.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy.engine import Engine

from flows.derivation import derivation_version
from flows.refresh_report import RefreshReport
from load.refresh import Pending, derivation_state, loaded_years, read_pending, region_sizes, regional_writer
from load.warehouse import REFRESH_LOCK_KEY, serialized
from schemas.conformed import DOC_KINDS

NOTES_AT_ONCE = 50_000  # notes settled per transaction (a document stored writes one or two)


def refresh_changed(engine: Engine) -> RefreshReport:
    """Rebuild the conformed rows of what changed since the last refresh; a report of the rows written
    (every count 0 when nothing changed). Whole when the derivation changed (:func:`flows.conform.refresh`).
    On PostgreSQL two runs take turns (an advisory lock), taken only when there is something to do."""
    version = derivation_version()
    if derivation_state(engine) == version and not read_pending(engine, 1):
        return RefreshReport({}, [])
    from flows.conform import refresh  # the rebuild itself (polars, the transforms): only when there is work

    with serialized(engine, REFRESH_LOCK_KEY):
        if derivation_state(engine) != version:
            return refresh(engine)
        counts: Counter = Counter()
        names: list[str] = []
        while pending := read_pending(engine, NOTES_AT_ONCE):  # a first load's many notes, a part at a time
            report = _refresh_pending(engine, version, pending)
            counts.update(report.counts)
            names += report.unmapped
        return RefreshReport(dict(counts), names)


def _refresh_pending(engine: Engine, version: str, pending: Pending) -> RefreshReport:
    from flows.conform import write_regions
    from flows.levels import department_level
    from load.conformed import read_classification_pairs, read_crawled_urls, read_documents, read_warehouse_kinds
    from transform.conformed import classification, conformed_departments, doc_kinds, observations

    new_kinds = any(k not in DOC_KINDS for k in pending.kinds)
    names: list[str] = []
    with regional_writer(engine, pending, version, kinds=new_kinds) as (write, counts):
        if new_kinds:
            write({"dim_doc_kind": doc_kinds(read_warehouse_kinds(engine)[0])})
        if pending.years:
            write({"dim_classification": classification(read_classification_pairs(engine, pending.years),
                                                        loaded_years(engine, pending.years))})
        if pending.regions:
            no_documents = read_documents(engine, regions=[])
            write({"fct_disclosure_observation": observations(
                no_documents, conformed_departments(no_documents, department_level), read_crawled_urls(engine, pending.regions))})
        for regions in region_sizes(engine, pending.regions):
            names += write_regions(engine, write, regions)
    return RefreshReport(dict(counts), names)
