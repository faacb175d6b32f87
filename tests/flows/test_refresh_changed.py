"""The comparison refresh after a run costs what changed (issue 21): the same rows as a full rebuild.

A two-county synthetic corpus (2 × 20 departments × 3 years, final accounts and units) is loaded in
bulk and rebuilt whole; then one 2025 budget is replaced by a version stating another change
against 2024 (its prior-year check now fails, its neighbours' checks are re-derived), and the
refresh the run does must leave every conformed table and mart exactly as a full rebuild does,
having rebuilt only the document's region. A run of unchanged bytes refreshes 0 rows. DuckDB and
PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, text

from flows.conform import refresh
from flows.derivation import derivation_version
from flows.refresh import refresh_changed
from flows.runner import run_items
from load.refresh import derivation_state, read_pending
from load.warehouse import opened
from schemas.conformed import CONFORMED_TABLES, dim_department_conformed, fct_cross_document_check
from schemas.marts import MARTS
from schemas.refresh import ops_refresh_pending
from tests.synthetic.bulk import load_in_bulk
from tests.synthetic.corpus import build_corpus

STATED = "较2024年预算减少346.63万元".encode()  # the changed budget's printed change against 2024
RESTATED = "较2024年预算减少300.00万元".encode()


@dataclass(frozen=True)
class Bytes:
    uri: str
    data: bytes

    def read(self) -> bytes:
        return self.data


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every conformed table and mart, sorted."""
    names = [t.name for t in CONFORMED_TABLES] + sorted(MARTS) + ["v_department_ranking"]
    with engine.connect() as connection:
        return {name: sorted((tuple(r) for r in connection.execute(text(f"SELECT * FROM {name}"))), key=repr)
                for name in names}


def count(engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


@pytest.fixture
def loaded(warehouse_url):
    corpus = build_corpus(2)
    changed = next(d for d in corpus.documents if d.year == 2025 and STATED in d.data)
    with opened(warehouse_url) as engine:
        load_in_bulk(engine, [(d.data, f"synthetic/{d.name}") for d in corpus.documents])
        yield engine, corpus, changed


def test_unchanged_run_refreshes_nothing_and_one_changed_document_its_region_as_a_full_rebuild_would(loaded):
    engine, _, changed = loaded
    assert derivation_state(engine) == derivation_version() and not read_pending(engine)
    before = snapshot(engine)
    summary = run_items(engine, [Bytes(f"synthetic/{changed.name}", changed.data)])
    assert summary.counts["unchanged"] == 1
    assert summary.refreshed is not None and sum(summary.refreshed.counts.values()) == 0
    assert snapshot(engine) == before

    summary = run_items(engine, [Bytes(f"synthetic/{changed.name}", changed.data.replace(STATED, RESTATED))])
    assert summary.counts["loaded"] == 1
    written = summary.refreshed.counts
    # only the changed document's region was rebuilt: its 20 departments (and its units), not the other county's
    region_departments = count(engine, dim_department_conformed,
                               dim_department_conformed.c.region_code == changed.region_code)
    assert written["dim_department_conformed"] == region_departments
    assert count(engine, dim_department_conformed) > region_departments
    assert written["dim_classification"] == count(engine, text("dim_classification"), text("fiscal_year = 2025"))
    assert count(engine, ops_refresh_pending) == 0
    incremental = snapshot(engine)
    prior = [r for r in incremental["fct_cross_document_check"] if changed.department in r and 2025 in r
             and r[1].startswith("prior_year") and r[9] == "total"]
    assert prior and prior[0][3] is False, prior  # the restated change no longer matches the 2024 budget
    assert incremental != before
    report = refresh(engine)  # the whole warehouse, rebuilt
    assert sum(report.counts.values()) > sum(written.values())
    assert snapshot(engine) == incremental


@pytest.mark.slow
def test_notes_left_by_a_stopped_run_are_settled_by_the_next(loaded):
    from flows.pipeline import store
    from flows.runner import prepare_sequentially

    engine, _, changed = loaded
    from datetime import datetime, timezone

    prepared = prepare_sequentially([(changed.data.replace(STATED, RESTATED), f"synthetic/{changed.name}")],
                                    datetime.now(timezone.utc))
    store(engine, prepared[0])  # stored, then the run stops before its refresh
    assert count(engine, ops_refresh_pending) >= 1
    assert count(engine, fct_cross_document_check, fct_cross_document_check.c.passed.is_(False),
                 fct_cross_document_check.c.department_name == changed.department) == 0
    report = refresh_changed(engine)
    assert report.counts["dim_department_conformed"] > 0 and count(engine, ops_refresh_pending) == 0
    incremental = snapshot(engine)
    refresh(engine)
    assert snapshot(engine) == incremental
