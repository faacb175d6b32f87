"""Load rows/s: the pipeline's store vs the native bulk path of each dialect, on the same frames.

Synthetic disclosures (``tests/synthetic/corpus.py``) are prepared once; then the same
frames are written three ways into a fresh, migrated, empty warehouse:

- **pipeline**: :func:`flows.pipeline.store`, what every run does per document — one
  transaction that locks (PostgreSQL), replaces earlier versions, adds new dimension keys
  and bulk-inserts the facts;
- **native, per document**: the dialect's bulk path alone, one transaction per document —
  DuckDB reading each frame as Arrow (``INSERT … SELECT`` from a registered Arrow table;
  ``ON CONFLICT DO NOTHING`` for shared dimensions), PostgreSQL ``COPY … FROM STDIN`` per
  frame (shared dimensions through a ``COPY`` into a temporary table, then
  ``INSERT … ON CONFLICT DO NOTHING``);
- **native, one batch**: every document's frames concatenated per table and written in one
  transaction — the floor, which a per-document, crash-safe load cannot reach.

Rows are every row written (``dim_document``, facts, new and repeated dimension rows).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone

import polars as pl

from benchmarks.scale_runs import median

def _order() -> list[str]:
    """Shared dimensions, dim_document, then the facts: the order the pipeline writes them in."""
    from load.documents import SHARED_DIMENSIONS
    from schemas.warehouse import DOCUMENT_FACT_TABLES

    return [*SHARED_DIMENSIONS, "dim_document", *(t.name for t in DOCUMENT_FACT_TABLES)]


def prepared_documents(count: int) -> list:
    from flows.pipeline import prepare
    from tests.synthetic.corpus import build_corpus

    corpus = build_corpus(max(1, count // 60 + 1))
    loaded_at = datetime.now(timezone.utc)
    out = [prepare(d.data, f"synthetic/{d.name}", loaded_at=loaded_at) for d in corpus.documents[:count]]
    assert all(p.status == "loaded" for p in out), "the synthetic corpus must load"
    return out


def _frames(prepared) -> dict[str, pl.DataFrame]:
    return {name: prepared.frames[name] for name in _order() if name in prepared.frames}


def rows_of(documents) -> int:
    return sum(frame.height for p in documents for frame in _frames(p).values())


def pipeline_store(url: str, documents) -> float:
    from flows.pipeline import store
    from load.warehouse import opened

    with opened(url) as engine:
        started = time.perf_counter()
        for p in documents:
            store(engine, p)
        return time.perf_counter() - started


def _duck_insert(raw, name: str, frame: pl.DataFrame, dimension: bool) -> None:
    from schemas import table

    columns = list(table(name).columns.keys())
    if dimension:  # one row per key, as the pipeline's insert_missing keeps
        frame = frame.unique([c.name for c in table(name).primary_key.columns], keep="first", maintain_order=True)
    raw.register("_frame", frame.select(columns).to_arrow())
    quoted = ", ".join(f'"{c}"' for c in columns)
    raw.execute(f'INSERT INTO "{name}" ({quoted}) SELECT {quoted} FROM _frame'
                + (" ON CONFLICT DO NOTHING" if dimension else ""))
    raw.unregister("_frame")


def duckdb_native(path: str, batches: list[dict[str, pl.DataFrame]]) -> float:
    import duckdb

    from load.documents import SHARED_DIMENSIONS

    raw = duckdb.connect(path)
    try:
        started = time.perf_counter()
        for frames in batches:
            raw.execute("BEGIN")
            for name, frame in frames.items():
                if frame.height:
                    _duck_insert(raw, name, frame, name in SHARED_DIMENSIONS)
            raw.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        raw.close()


def _pg_copy(cursor, name: str, frame: pl.DataFrame, dimension: bool) -> None:
    from schemas import table

    columns = list(table(name).columns.keys())
    quoted = ", ".join(f'"{c}"' for c in columns)
    target = f"_copy_{name}" if dimension else name
    if dimension:
        cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{target}" (LIKE "{name}") ON COMMIT DELETE ROWS')
    with cursor.copy(f'COPY "{target}" ({quoted}) FROM STDIN') as copy:
        for row in frame.select(columns).iter_rows():
            copy.write_row(row)
    if dimension:
        cursor.execute(f'INSERT INTO "{name}" ({quoted}) SELECT {quoted} FROM "{target}" ON CONFLICT DO NOTHING')


def postgres_native(url: str, batches: list[dict[str, pl.DataFrame]]) -> float:
    import psycopg

    from load.documents import SHARED_DIMENSIONS

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        started = time.perf_counter()
        for frames in batches:
            with connection.transaction(), connection.cursor() as cursor:
                for name, frame in frames.items():
                    if frame.height:
                        _pg_copy(cursor, name, frame, name in SHARED_DIMENSIONS)
        return time.perf_counter() - started


def one_batch(documents) -> list[dict[str, pl.DataFrame]]:
    per_doc = [_frames(p) for p in documents]
    names = [n for n in _order() if any(n in f and f[n].height for f in per_doc)]
    return [{n: pl.concat([f[n] for f in per_doc if n in f and f[n].height], how="vertical_relaxed")
             for n in names}]


def _measure_dialect(fresh, native, documents, repeat: int) -> dict:
    rows = rows_of(documents)
    per_doc = [_frames(p) for p in documents]
    batch = one_batch(documents)
    times: dict[str, list[float]] = {"pipeline": [], "native_per_document": [], "native_one_batch": []}
    for _ in range(repeat):
        times["pipeline"].append(pipeline_store(fresh(), documents))
        times["native_per_document"].append(native(fresh(), per_doc))
        times["native_one_batch"].append(native(fresh(), batch))
        print("  loads: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), file=sys.stderr, flush=True)
    med = {k: median(v) for k, v in times.items()}
    return {"documents": len(documents), "rows": rows, "seconds": times, "median": med,
            "rows_per_s": {k: rows / v for k, v in med.items()},
            "ratio_pipeline_vs_native_per_document": med["pipeline"] / med["native_per_document"],
            "ratio_pipeline_vs_native_one_batch": med["pipeline"] / med["native_one_batch"]}


def measure(work, count: int, repeat: int, postgres: bool = True) -> dict:
    from benchmarks.scale_runs import Warehouses

    (work / "load_warehouses").mkdir(parents=True, exist_ok=True)
    documents = prepared_documents(count)
    warehouses = Warehouses(work / "load_warehouses")
    out = {"duckdb": _measure_dialect(warehouses.fresh,
                                      lambda url, batches: duckdb_native(url.removeprefix("duckdb:///"), batches),
                                      documents, repeat)}
    if postgres:
        from tests.pg_server import PgServer, postgres_server

        with postgres_server() as admin:
            server = PgServer(admin)
            out["postgresql"] = _measure_dialect(lambda: server.fresh(migrated=True), postgres_native, documents,
                                                 repeat)
    return out
