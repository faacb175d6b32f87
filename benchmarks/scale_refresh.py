"""A warehouse grown to 1,000 / 10,000 / 100,000 documents: what a night costs as it grows (issue 21).

Not a test. Usage::

    python -m benchmarks.scale_refresh [--sizes 1000,10000,100000] [--work /tmp/cb-refresh]
                                       [--dialects duckdb,postgresql] [--json FILE]

A night's input is one folder: the two-county synthetic corpus (``tests/synthetic/corpus.py``,
142 text disclosures of 2 counties × 20 departments × 3 years), loaded once through the
pipeline's own parse and transform (``tests/synthetic/bulk.py``). The warehouse is then grown
beside it to each size by copying those documents' rows in bulk, under new document, department
and region ids (each copy in two other real GB/T 2260 counties, so regions hold ~70 documents
each as in the corpus): no PDF is parsed for the filler. At each size:

- ``full refresh``: :func:`flows.conform.refresh` in this process — the whole-warehouse rebuild
  every run with a load paid before (and still the first refresh of a new derivation);
- ``unchanged night``: ``run --no-prefect`` over the folder in its own process, nothing changed
  (wall time and the writer's peak RSS);
- ``one changed``: one file of the folder changed (a byte appended), the same command: the run
  loads it and refreshes its region (wall time and peak RSS), and, in this process, the refresh
  alone after storing one changed document (:func:`flows.refresh.refresh_changed`).

Printed as the Markdown section of BENCHMARKS.md, and kept as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import polars as pl  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from benchmarks.scale_runs import load_average, timed  # noqa: E402

COMMAND = [sys.executable, "-m", "cli"]  # this checkout's code, whatever the venv's entry point


def write_folder(work: Path) -> tuple[Path, list[tuple[bytes, str]]]:
    """The night's folder (the two-county corpus) and its documents as ``(bytes, source_uri)``."""
    from extract.collect.folder import source_uri
    from tests.synthetic.corpus import build_corpus

    folder = work / "night"
    folder.mkdir(parents=True, exist_ok=True)
    for d in build_corpus(2).documents:
        path = folder / d.name
        if not path.exists():
            path.write_bytes(d.data)
    return folder, [(p.read_bytes(), source_uri(p)) for p in sorted(folder.iterdir())]


def _tables():
    from schemas.warehouse import DOCUMENT_FACT_TABLES, dim_department, dim_document

    return [dim_document, dim_department, *DOCUMENT_FACT_TABLES]


def read_template(engine) -> dict[str, pl.DataFrame]:
    """Every row of the loaded documents (and their departments), by table."""
    from load.comparison import frame

    return {t.name: frame(engine, select(t)) for t in _tables()}


def _spare_regions(taken: set[str]) -> list:
    from reference.regions import all_regions

    return [r for r in all_regions() if r.level == "county" and r.code not in taken and not r.code.startswith("71")]


def _copy(template: dict[str, pl.DataFrame], k: int, regions: dict[str, str]) -> dict[str, pl.DataFrame]:
    documents = template["dim_document"]["document_id"].to_list()
    departments = template["dim_department"]["department_id"].to_list()
    doc = {d: hashlib.sha256(f"{d}|{k}".encode()).hexdigest() for d in documents}
    dep = {d: hashlib.sha256(f"{d}|{k}".encode()).hexdigest()[:16] for d in departments}
    out = {}
    for name, rows in template.items():
        changes = []
        if "document_id" in rows.columns:
            changes.append(pl.col("document_id").replace(doc))
        if "department_id" in rows.columns:
            changes.append(pl.col("department_id").replace(dep))
        if "region_code" in rows.columns:
            changes.append(pl.col("region_code").replace(regions))
        if name == "dim_document":
            changes.append(pl.col("source_uri") + f"#copy{k}")
        out[name] = rows.with_columns(changes) if changes else rows
    return out


def grow(engine, template: dict[str, pl.DataFrame], target: int, batch: int = 20) -> int:
    """Copies of the template until the warehouse holds ``target`` documents (or just over); returns the count."""
    from load.backends import backend_of
    from schemas import table
    from schemas.warehouse import dim_document, dim_region

    per_copy = template["dim_document"].height
    own = sorted({r for r in template["dim_document"]["region_code"].to_list() if r})
    with engine.connect() as connection:
        have = connection.execute(select(func.count()).select_from(dim_document)).scalar()
        present = {r[0] for r in connection.execute(select(dim_region.c.region_code))}
    spare = _spare_regions(set(own))
    k = (have - per_copy) // per_copy  # copies made so far
    while have < target:
        parts, new_regions = [], []
        for _ in range(min(batch, -(-(target - have) // per_copy))):
            chosen = spare[(len(own) * k) % len(spare): (len(own) * k) % len(spare) + len(own)]
            parts.append(_copy(template, k, dict(zip(own, [r.code for r in chosen]))))
            new_regions += [r for r in chosen if r.code not in present]
            present.update(r.code for r in chosen)
            k += 1
            have += per_copy
        region_rows = pl.DataFrame([{"region_code": r.code, "region_name": r.name, "level": r.level,
                                     "parent_code": r.parent_code, "province_name": r.province_name,
                                     "city_name": r.city_name, "county_name": r.county_name} for r in new_regions],
                                   schema={c.name: pl.Utf8 for c in dim_region.columns})
        with engine.begin() as connection:
            writer = backend_of(connection)
            if region_rows.height:
                writer.insert(connection, dim_region, region_rows)
            for name in template:
                writer.insert(connection, table(name), pl.concat([p[name] for p in parts]))
    return have


def _night(folder: Path, url: str) -> dict:
    env = {"PYTHONPATH": str(REPO_ROOT)}
    result = timed([*COMMAND, "run", "--source", str(folder), "--warehouse", url, "--no-prefect"], env=env)
    line = next((x.strip() for x in result.output.splitlines() if " documents: " in x and "loaded" in x), "")
    print(f"    {result.seconds:.1f} s, peak {result.peak_rss_mb:.0f} MB — {line}", file=sys.stderr, flush=True)
    return {"seconds": result.seconds, "peak_rss_mb": result.peak_rss_mb, "summary": line}


def _change(path: Path) -> None:
    with path.open("ab") as out:
        out.write(b"\n")


def _refresh_one(engine, folder: Path) -> dict:
    """Store one changed document (as a run does) and time the refresh that follows, in this process."""
    from datetime import datetime, timezone

    from flows.pipeline import prepare, store
    from flows.refresh import refresh_changed
    from extract.collect.folder import source_uri

    path = sorted(folder.iterdir())[1]
    _change(path)
    store(engine, prepare(path.read_bytes(), source_uri(path), loaded_at=datetime.now(timezone.utc)))
    started = time.perf_counter()
    report = refresh_changed(engine)
    return {"seconds": time.perf_counter() - started, "rows": sum(report.counts.values())}


def measure(dialect: str, url: str, sizes: list[int], work: Path) -> dict:
    from flows.conform import refresh
    from load.warehouse import opened
    from tests.synthetic.bulk import load_in_bulk

    folder, documents = write_folder(work)
    out: dict = {"dialect": dialect, "sizes": {}}
    with opened(url) as engine:
        load_in_bulk(engine, documents)
        template = read_template(engine)
    for size in sizes:
        print(f"  {dialect}: growing to {size:,} documents", file=sys.stderr, flush=True)
        with opened(url) as engine:
            started = time.perf_counter()
            documents_now = grow(engine, template, size)
            grown = time.perf_counter() - started
            started = time.perf_counter()
            refresh(engine)
            full = time.perf_counter() - started
        print(f"    grown in {grown:.0f} s; full refresh {full:.1f} s", file=sys.stderr, flush=True)
        row: dict = {"documents": documents_now, "grow_seconds": grown, "full_refresh_seconds": full}
        # the median of three unchanged nights: the first after growing the warehouse may meet PostgreSQL's
        # autovacuum analysing the new rows
        nights = sorted((_night(folder, url) for _ in range(3)), key=lambda n: n["seconds"])
        row["unchanged"] = {**nights[1], "every_seconds": [n["seconds"] for n in nights],
                            "peak_rss_mb": max(n["peak_rss_mb"] for n in nights)}
        _change(sorted(folder.iterdir())[0])
        row["one_changed"] = _night(folder, url)
        with opened(url) as engine:
            row["refresh_one"] = _refresh_one(engine, folder)
        print(f"    refresh after one changed document: {row['refresh_one']['seconds']:.2f} s, "
              f"{row['refresh_one']['rows']} rows", file=sys.stderr, flush=True)
        row["load_average"] = load_average()
        out["sizes"][str(size)] = row
    return out


def markdown(results: list[dict]) -> str:
    lines = ["## A night as the warehouse grows (issue 21: `python -m benchmarks.scale_refresh`)", "",
             "The night's input is the same 142-document folder at every size; the warehouse around it is grown "
             "by copying those documents' rows in bulk (see the module). *Full refresh*: what every run with a "
             "load paid before issue 21. *Unchanged night* and *one changed*: `run --no-prefect` in its own "
             "process (wall time, the writer's peak RSS). *Refresh alone*: the refresh after one changed "
             "document, in process.", ""]
    for result in results:
        sizes = result["sizes"]
        first = sizes[min(sizes, key=int)]
        lines += [f"### {result['dialect']}", "",
                  "| documents | full refresh s | unchanged night s (× smallest) | peak RSS MB | one changed s | "
                  "peak RSS MB | refresh alone s (rows) |", "|---|---|---|---|---|---|---|"]
        for size in sorted(sizes, key=int):
            r = sizes[size]
            ratio = r["unchanged"]["seconds"] / first["unchanged"]["seconds"]
            lines.append(f"| {r['documents']:,} | {r['full_refresh_seconds']:.1f} | {r['unchanged']['seconds']:.1f} "
                         f"({ratio:.2f}×) | {r['unchanged']['peak_rss_mb']:.0f} | {r['one_changed']['seconds']:.1f} | "
                         f"{r['one_changed']['peak_rss_mb']:.0f} | {r['refresh_one']['seconds']:.2f} "
                         f"({r['refresh_one']['rows']}) |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cb-refresh"))
    parser.add_argument("--dialects", default="duckdb", help="duckdb, postgresql (a throwaway server), or both")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    for stale in args.work.glob("w.duckdb*"):
        stale.unlink()
    for stale in (args.work / "night").glob("*"):
        stale.unlink()
    dialects = args.dialects.split(",")
    results = [measure("duckdb", f"duckdb:///{args.work / 'w.duckdb'}", sizes, args.work)] if "duckdb" in dialects else []
    if "postgresql" in dialects:
        from tests.pg_server import postgres_server

        for stale in (args.work / "night").glob("*"):
            stale.unlink()
        with postgres_server() as url:
            results.append(measure("postgresql", url, sizes, args.work))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    raise SystemExit(main())
