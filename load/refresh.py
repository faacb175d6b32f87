"""The refresh's book of what changed: notes written beside each change, read and settled by the refresh.

Writers call :func:`note_documents` (or :func:`note_regions`) inside the transaction that changes
documents, so a note commits or rolls back with its change. The refresh reads the notes
(:func:`read_pending`), rebuilds the regions and years they name, and in the same transaction
deletes exactly the notes it read and records its derivation version (:func:`settle`), so a crash
anywhere leaves either the old rows and the notes, or the new rows and no notes.
:func:`regional_writer` is :func:`load.conformed.conformed_writer` for a part of the warehouse:
it empties the derived rows of those regions and years only.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection, Engine

from load.backends import backend_of
from load.region_filter import among_regions as _in
from schemas.conformed import (
    dim_classification, dim_department_conformed, dim_doc_kind, fct_cross_document_check,
    fct_cross_document_evidence, fct_disclosure_observation,
)
from schemas.refresh import ops_refresh_pending, ops_refresh_state
from schemas.warehouse import dim_document
from schemas.vocabulary import LOADED

if TYPE_CHECKING:
    import polars as pl

DERIVATION = "derivation"  # ops_refresh_state.name of the derivation version


@dataclass(frozen=True)
class Pending:
    """The notes read at the start of a refresh: their ids, and the regions (None: no region),
    fiscal years and document kinds they name."""

    change_ids: list[str] = field(default_factory=list)
    regions: list[str | None] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.change_ids)


def _note(connection: Connection, keys: Iterable[tuple[str | None, int | None, str | None]]) -> int:
    now = datetime.now(timezone.utc)
    rows = [{"change_id": uuid.uuid4().hex, "region_code": r, "fiscal_year": y, "doc_kind": k, "noted_at": now}
            for r, y, k in sorted(set(keys), key=repr)]
    if rows:
        connection.execute(ops_refresh_pending.insert(), rows)
    return len(rows)


def note_documents(connection: Connection, document_ids: Iterable[str], *,
                   also: Iterable[dict] = ()) -> int:
    """Note the region, year and kind of the stored documents ``document_ids`` (read now: call it before
    deleting or changing them) and of the rows in ``also`` (``dim_document`` rows about to be written);
    returns the notes written."""
    ids = sorted(set(document_ids))
    d = dim_document.c
    keys = {(r.get("region_code"), r.get("fiscal_year"), r.get("doc_kind")) for r in also}
    for start in range(0, len(ids), 1000):
        keys.update(tuple(row) for row in connection.execute(
            select(d.region_code, d.fiscal_year, d.doc_kind).where(d.document_id.in_(ids[start:start + 1000]))
            .distinct()))
    return _note(connection, keys)


def note_regions(connection: Connection, regions: Iterable[str | None]) -> int:
    """Note whole regions (every year), e.g. a source's region after a crawl changed its links."""
    return _note(connection, ((r, None, None) for r in regions))


def read_pending(engine: Engine, limit: int | None = None) -> Pending:
    """The notes written so far (the first ``limit`` by id; None: all): one small query; no note: an
    empty :class:`Pending`."""
    p = ops_refresh_pending.c
    query = select(p.change_id, p.region_code, p.fiscal_year, p.doc_kind)
    if limit is not None:
        query = query.order_by(p.change_id).limit(limit)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return Pending([r[0] for r in rows], sorted({r[1] for r in rows}, key=lambda c: (c is not None, c or "")),
                   sorted({r[2] for r in rows if r[2] is not None}), sorted({r[3] for r in rows if r[3]}))


def derivation_state(engine: Engine) -> str | None:
    """The derivation version the conformed tables were last rebuilt whole with (None: never)."""
    with engine.connect() as connection:
        return connection.execute(select(ops_refresh_state.c.value).where(
            ops_refresh_state.c.name == DERIVATION)).scalar()


def settle(connection: Connection, change_ids: list[str], version: str) -> None:
    """Delete the notes a refresh read and record the derivation version it used."""
    p = ops_refresh_pending.c
    for start in range(0, len(change_ids), 1000):
        connection.execute(delete(ops_refresh_pending).where(p.change_id.in_(change_ids[start:start + 1000])))
    s = ops_refresh_state
    if connection.execute(update(s).where(s.c.name == DERIVATION).values(value=version)).rowcount == 0:
        connection.execute(s.insert().values(name=DERIVATION, value=version))


def loaded_years(engine: Engine, years: list[int]) -> list[int]:
    """Those of ``years`` some loaded document is of."""
    d = dim_document.c
    with engine.connect() as connection:
        return sorted(connection.execute(select(d.fiscal_year).where(
            d.status == LOADED, d.fiscal_year.in_(years)).distinct()).scalars().all()) if years else []


def region_sizes(engine: Engine, regions: list[str | None]) -> list[list[str | None]]:
    """``regions`` in chunks of whole regions (as :func:`load.conformed.region_chunks`), by their documents."""
    from load.conformed import CHUNK_DOCUMENTS

    d = dim_document.c
    with engine.connect() as connection:
        counts = dict(connection.execute(select(d.region_code, func.count()).where(
            _in(d.region_code, regions)).group_by(d.region_code)).all())
    chunks: list[list[str | None]] = [[]]
    filled = 0
    for region in regions:
        if chunks[-1] and filled + counts.get(region, 0) > CHUNK_DOCUMENTS:
            chunks.append([])
            filled = 0
        chunks[-1].append(region)
        filled += counts.get(region, 0)
    return [c for c in chunks if c]


@contextmanager
def regional_writer(engine: Engine, pending: Pending, version: str, *, kinds: bool
                    ) -> Iterator[tuple[Callable[[dict[str, pl.DataFrame]], None], Counter]]:
    """``(write, counts)`` inside one transaction that first empties the derived rows of ``pending``'s
    regions (departments, checks and their evidence, observations) and years (classification), and
    ``dim_doc_kind`` when ``kinds``; ``write`` appends checked frames as :func:`load.conformed.conformed_writer`'s
    does; on leaving, the notes read are settled (:func:`settle`) in the same transaction."""
    from schemas.frames import check_frame, conform  # polars: imported when there is something to refresh

    counts: Counter = Counter()
    regions = pending.regions
    with engine.begin() as connection:
        writer = backend_of(connection)
        if regions:
            c = fct_cross_document_check.c
            checks = select(c.check_id).where(_in(c.region_code, regions))
            connection.execute(delete(fct_cross_document_evidence).where(
                fct_cross_document_evidence.c.check_id.in_(checks)))
            connection.execute(delete(fct_cross_document_check).where(_in(c.region_code, regions)))
            connection.execute(delete(dim_department_conformed).where(
                _in(dim_department_conformed.c.region_code, regions)))
            connection.execute(delete(fct_disclosure_observation).where(
                _in(fct_disclosure_observation.c.region_code, regions)))
        if pending.years:
            connection.execute(delete(dim_classification).where(dim_classification.c.fiscal_year.in_(pending.years)))
        if kinds:
            connection.execute(delete(dim_doc_kind))
        tables = {t.name: t for t in (dim_department_conformed, dim_doc_kind, dim_classification,
                                      fct_cross_document_check, fct_cross_document_evidence,
                                      fct_disclosure_observation)}

        def write(frames: dict[str, pl.DataFrame]) -> None:
            for name, rows in frames.items():
                t = tables[name]
                counts[name] += writer.insert(connection, t, check_frame(conform(rows, t), t))
        yield write, counts
        settle(connection, pending.change_ids, version)
