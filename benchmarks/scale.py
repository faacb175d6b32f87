"""Scale benchmarks → BENCHMARKS.md: pages vs bare pdfminer, loads vs native bulk, a 10,000-document night.

Not a test (the numbers depend on the machine and on what else runs on it). Usage::

    python -m benchmarks.scale --parts pages   # issue 21's page ratios, printed and written
    python -m benchmarks.scale [--parts pages,loads,nightly,memory] [--repeat 3] [--documents 10000]
                               [--work /tmp/cb-bench] [--out BENCHMARKS.md]

Each part stores its results in ``WORK/results.json`` as it finishes, so parts can be run
separately (on a quiet machine: check ``uptime``); the Markdown is rendered from every
result there. Parts: ``pages`` (:mod:`benchmarks.scale_pages`), ``loads``
(:mod:`benchmarks.scale_loads`), ``nightly`` (:mod:`benchmarks.scale_nightly`), ``memory``
(:mod:`benchmarks.scale_memory`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.scale_report import render  # noqa: E402
from benchmarks.scale_runs import load_average  # noqa: E402

PACKAGES = ("prefect", "prefect-dask", "dask", "distributed", "pebble", "polars", "pyarrow", "duckdb",
            "duckdb-engine", "sqlalchemy", "psycopg", "pdfminer.six", "pdfplumber")
REAL = REPO_ROOT.parent / "shared" / "corpus" / "real"


def machine() -> dict:
    import psutil

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return {"cpu": model, "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
            "ram_gib": round(psutil.virtual_memory().total / 2**30, 1), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", "packages": versions}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="pages,loads,nightly,memory")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--documents", type=int, default=10_000, help="documents of the synthetic night")
    parser.add_argument("--small", type=int, default=1_000, help="documents of the small night (memory, Prefect)")
    parser.add_argument("--load-documents", type=int, default=300, help="documents of the load benchmark")
    parser.add_argument("--synthetic-pdfs", type=int, default=24)
    parser.add_argument("--work", type=Path, default=Path("/tmp/cb-bench"))
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "BENCHMARKS.md")
    parser.add_argument("--render-only", action="store_true", help="write the Markdown from WORK/results.json")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    store = args.work / "results.json"
    results = json.loads(store.read_text()) if store.exists() else {}

    def save(part: str, value) -> None:
        results[part] = value
        results.setdefault("load_average", {})[part] = load_average()
        store.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))

    if not args.render_only:
        results["machine"] = machine()
        results["measured_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for part in [p.strip() for p in args.parts.split(",") if p.strip()]:
            print(f"{part} (load average {load_average()})", file=sys.stderr, flush=True)
            if part == "pages":
                from benchmarks import scale_pages

                save(part, scale_pages.measure(args.work, REAL, args.synthetic_pdfs, args.repeat))
                print("\n".join(scale_pages.summary_lines(results[part])), flush=True)
            elif part == "loads":
                from benchmarks import scale_loads

                save(part, scale_loads.measure(args.work, args.load_documents, args.repeat))
            elif part == "memory":
                from benchmarks import scale_memory

                save(part, scale_memory.measure(args.work, args.documents, args.small))
            elif part == "nightly":
                from benchmarks import scale_nightly

                save(part, scale_nightly.measure(args.work, args.documents, args.small, args.repeat))
            else:
                parser.error(f"unknown part {part!r}")
    args.out.write_text(render(results), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
