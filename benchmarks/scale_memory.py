"""Peak memory of the run's own process (the writer) at 1,000 and 10,000 documents, per backend.

The nightly part (:mod:`benchmarks.scale_nightly`) measures memory in the documented
deployment set-up (Prefect server, DuckDB). This part tells apart what grows: the same
synthetic corpora run with ``--no-prefect`` into a fresh DuckDB file and into a fresh
PostgreSQL database, each in its own process (:func:`benchmarks.scale_runs.timed`). With
PostgreSQL the database lives in another process, so the run's own memory is the
pipeline's: batches of bytes and frames, released once stored. With DuckDB the database
engine lives inside the run's process, and its buffers (table blocks, the ART indexes of
the primary keys) grow with the warehouse until DuckDB's ``memory_limit``.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.scale_nightly import _run, write_corpus
from benchmarks.scale_runs import Warehouses


def measure(work: Path, count: int = 10_000, small: int = 1_000) -> dict:
    from tests.pg_server import PgServer, postgres_server

    big, little = write_corpus(work, count, small)
    (work / "memory_warehouses").mkdir(parents=True, exist_ok=True)
    duck = Warehouses(work / "memory_warehouses")
    out: dict[str, dict] = {}
    with postgres_server() as admin:
        server = PgServer(admin)
        for dialect, fresh in (("postgresql", lambda: server.fresh(migrated=True)), ("duckdb", duck.fresh)):
            runs = {size: _run(f"{n:,} documents, --no-prefect, {dialect}", folder, fresh(), None, "--no-prefect")
                    for size, n, folder in (("small", small, little), ("full", count, big))}
            out[dialect] = {"runs": runs, "documents": count, "small": small,
                            "growth": runs["full"]["documents_peak_rss_mb"] / runs["small"]["documents_peak_rss_mb"]}
    return out
