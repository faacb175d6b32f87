"""A synthetic nightly run: 1,000 and 10,000 disclosures, an unchanged re-run, then 1% changed.

The multi-county synthetic corpus (``tests/synthetic/corpus.py``: text disclosures of
many counties × 20 departments × 3 years, final accounts, units) is written to a folder
of 10,000 files (and a folder of its first 1,000). Every run is ``county-budgets run``
in its own process, timed with its peak memory (:func:`benchmarks.scale_runs.timed`), in
the documented deployment set-up: a running ``prefect server start`` and
``PREFECT_API_URL`` pointing at it. Measured:

- 1,000 documents with Prefect and with ``--no-prefect``: Prefect's share of a run;
- 10,000 documents with Prefect: a full run, then unchanged re-runs (median), then a run
  after 1% of the files changed (one byte appended to every 100th file);
- an unchanged re-run with no server configured (Prefect's temporary in-process server)
  and with ``--no-prefect``, for comparison;
- peak memory of the run's own process (the writer) at 1,000 and 10,000 documents.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.scale_runs import Warehouses, load_average, median, no_server_env, prefect_server, run_command, timed


def write_corpus(root: Path, count: int, small: int) -> tuple[Path, Path]:
    """``root/all`` with ``count`` documents and ``root/first`` with the first ``small`` of them."""
    from tests.synthetic.corpus import build_corpus

    big, little = root / f"corpus_{count}", root / f"corpus_{small}"
    if big.is_dir() and len(list(big.iterdir())) == count:
        return big, little
    corpus = build_corpus(count // 60 + 1)
    documents = sorted(corpus.documents, key=lambda d: d.name)[:count]
    assert len(documents) == count, f"the corpus has only {len(documents)} documents"
    for folder, chosen in ((big, documents), (little, documents[:small])):
        folder.mkdir(parents=True, exist_ok=True)
        for d in chosen:
            (folder / d.name).write_bytes(d.data)
    return big, little


def change_one_percent(folder: Path) -> int:
    files = sorted(folder.iterdir())[::100]
    for path in files:
        with path.open("ab") as out:
            out.write(b"\n")
    return len(files)


def _run(label: str, source: Path, warehouse: str, env: dict | None, *extra: str) -> dict:
    count = sum(1 for _ in source.iterdir())
    result = timed(run_command(source, warehouse, *extra), env=env, marker=f"run: {count}/{count} documents")
    summary = next((line.strip() for line in result.output.splitlines() if " documents: " in line
                    and "loaded" in line and not line.startswith("run:")), "")
    print(f"  nightly {label}: {result.seconds:.1f} s, peak {result.peak_rss_mb:.0f} MB (tree "
          f"{result.peak_tree_mb:.0f} MB) — {summary}", file=sys.stderr, flush=True)
    return {"label": label, "seconds": result.seconds, "peak_rss_mb": result.peak_rss_mb,
            "peak_tree_mb": result.peak_tree_mb, "documents_peak_rss_mb": result.marked_peak_rss_mb,
            "documents_seconds": result.marked_seconds, "summary": summary, "load_average": load_average()}


def measure(work: Path, count: int = 10_000, small: int = 1_000, repeat: int = 3) -> dict:
    big, little = write_corpus(work, count, small)
    (work / "nightly_warehouses").mkdir(parents=True, exist_ok=True)
    warehouses = Warehouses(work / "nightly_warehouses")
    runs: dict[str, dict] = {}
    with prefect_server() as server:
        runs["small_no_prefect"] = _run(f"{small} documents, --no-prefect", little, warehouses.fresh(), None,
                                        "--no-prefect")
        runs["small_prefect"] = _run(f"{small} documents, Prefect server", little, warehouses.fresh(), server)
        url = warehouses.fresh()
        runs["full"] = _run(f"{count} documents, Prefect server", big, url, server)
        unchanged = [_run(f"{count} unchanged, Prefect server", big, url, server) for _ in range(repeat)]
        runs["unchanged"] = min(unchanged, key=lambda r: abs(r["seconds"] - median([u["seconds"] for u in unchanged])))
        runs["unchanged"]["all_seconds"] = [u["seconds"] for u in unchanged]
        runs["unchanged_no_prefect"] = _run(f"{count} unchanged, --no-prefect", big, url, None, "--no-prefect")
        runs["unchanged_no_server"] = _run(f"{count} unchanged, no server (temporary)", big, url, no_server_env())
        changed = change_one_percent(big)
        runs["changed"] = _run(f"{count}, {changed} changed, Prefect server", big, url, server)
        runs["changed"]["files_changed"] = changed
    full, small_p, small_n = runs["full"], runs["small_prefect"], runs["small_no_prefect"]
    return {
        "documents": count, "small": small, "runs": runs,
        "unchanged_share": runs["unchanged"]["seconds"] / full["seconds"],
        "changed_share": runs["changed"]["seconds"] / full["seconds"],
        "prefect_share_small": (small_p["seconds"] - small_n["seconds"]) / small_p["seconds"],
        "seconds_per_document": full["seconds"] / count,
        "rss_growth": full["peak_rss_mb"] / small_p["peak_rss_mb"],
        "documents_rss_growth": (full["documents_peak_rss_mb"] or 0) / (small_p["documents_peak_rss_mb"] or 1),
    }
