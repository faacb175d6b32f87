"""End-to-end seconds per page: ``county-budgets run`` with 1 and 2 workers vs bare pdfminer.

For each set of PDFs — the real disclosures of ``../shared/corpus/real`` (PDFs by content)
and synthetic ones (``tests/synthetic``: seed layout and standard tables) — each
repetition times, in rotated order so a change in the machine's load hits all three
alike: bare ``pdfminer.high_level.extract_text`` over every file in a fresh Python
process, and ``county-budgets run --no-prefect --workers 1`` and ``--workers 2`` into a
fresh (migrated, empty) DuckDB warehouse — read, parse, transform, check, store and the
comparison refresh — and, after the one-worker run, the same command again over the same
warehouse (every file unchanged). Medians of the repetitions are reported, in wall seconds and
in CPU seconds of the whole process tree (robust to what else loads the machine).

Each repetition also times the fixed cost of each command, paid once per run whatever
the number of pages: bare pdfminer given no file (Python's start, pdfminer's import) and
``run`` over an empty folder (the start, imports, worker processes, opening the
warehouse). The *marginal* ratios subtract them: what each further page costs, which is
what a nightly run over thousands of documents pays.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

from benchmarks.scale_runs import Warehouses, load_average, median, run_command, timed

BARE = ("import sys\nfrom pdfminer.high_level import extract_text\n"
        "for path in sys.argv[1:]:\n    extract_text(path)\n")
# the same work on two processes at once, each taking the next file as it finishes one (largest first, as a
# pool of workers does): what two cores of this machine give bare pdfminer, the ceiling of two workers' speedup
BARE_TWO = ("import os, sys\nfrom multiprocessing import get_context\nfrom pdfminer.high_level import extract_text\n"
            "with get_context('fork').Pool(2) as pool:\n"
            "    list(pool.imap_unordered(extract_text, sorted(sys.argv[1:], key=os.path.getsize, reverse=True)))\n")


def real_pdfs(root: Path, into: Path) -> list[Path]:
    """The PDFs (by their bytes) of the real corpus, copied flat into ``into``."""
    from extract.read.sniff import sniff

    into.mkdir(parents=True, exist_ok=True)
    out = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and sniff(path.read_bytes()[:4096]).format == "pdf":
            target = into / f"{len(out):02d}_{path.name}"
            shutil.copy(path, target)
            out.append(target)
    return out


def synthetic_pdfs(into: Path, count: int) -> list[Path]:
    """``count`` synthetic disclosures: half in the seed's layout, half as the standard tables."""
    from tests.synthetic import generate_truth
    from tests.synthetic.render_pdf import render_seed_pdf, render_standard_tables_pdf

    into.mkdir(parents=True, exist_ok=True)
    out = []
    for seed in range(count):
        truth = generate_truth(1000 + seed)
        data = render_seed_pdf(truth) if seed % 2 else render_standard_tables_pdf(truth)
        path = into / f"synthetic_{seed:03d}.pdf"
        path.write_bytes(data)
        out.append(path)
    return out


def page_count(paths: list[Path]) -> int:
    from pdfminer.pdfpage import PDFPage

    return sum(sum(1 for _ in PDFPage.get_pages(io.BytesIO(p.read_bytes()))) for p in paths)


def measure_set(name: str, files: list[Path], folder: Path, warehouses: Warehouses, repeat: int) -> dict:
    """Every figure of one set: wall seconds and CPU seconds (the whole process tree) of each command,
    medians over ``repeat`` rotated repetitions, and the issue's ratios (see :func:`ratios`)."""
    pages = page_count(files)
    keys = ("pdfminer", "workers_1", "workers_2", "unchanged", "pdfminer_fixed", "run_fixed", "pdfminer_2")
    times: dict[str, list[float]] = {k: [] for k in keys}
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    empty = folder.parent / "empty_folder"
    empty.mkdir(exist_ok=True)
    loads = [load_average()]
    loaded: list[str] = []  # the warehouse of the last one-worker run: what the unchanged re-run runs on

    def one_worker():
        loaded[:] = [warehouses.fresh()]
        return timed(run_command(folder, loaded[0], "--no-prefect", "--workers", "1"))

    steps = {
        "pdfminer": lambda: timed([sys.executable, "-c", BARE, *map(str, files)]),
        "workers_1": one_worker,
        "workers_2": lambda: timed(run_command(folder, warehouses.fresh(), "--no-prefect", "--workers", "2")),
    }
    after = {  # the same files again on the one-worker run's warehouse, then each command's fixed cost
        "unchanged": lambda: timed(run_command(folder, loaded[0], "--no-prefect", "--workers", "1")),
        "pdfminer_fixed": lambda: timed([sys.executable, "-c", BARE]),
        "run_fixed": lambda: timed(run_command(empty, warehouses.fresh(), "--no-prefect", "--workers", "1")),
        "pdfminer_2": lambda: timed([sys.executable, "-c", BARE_TWO, *map(str, files)]),
    }
    order = list(steps)
    for rep in range(repeat):
        for key in order[rep % 3:] + order[: rep % 3]:
            done = steps[key]()
            times[key].append(done.seconds)
            cpu[key].append(done.cpu_seconds)
            print(f"  {name} {key}: {done.seconds:.1f} s, {done.cpu_seconds:.1f} s CPU (load {load_average()})",
                  file=sys.stderr, flush=True)
        for key, step in after.items():
            done = step()
            times[key].append(done.seconds)
            cpu[key].append(done.cpu_seconds)
        loads.append(load_average())
    med = {k: median(v) for k, v in times.items()}
    med_cpu = {k: median(v) for k, v in cpu.items()}
    return {"set": name, "files": len(files), "pages": pages, "seconds": times, "cpu_seconds": cpu, "median": med,
            "median_cpu": med_cpu, "per_page_ms": {k: 1000 * v / pages for k, v in med.items()},
            "per_page_cpu_ms": {k: 1000 * v / pages for k, v in med_cpu.items()},
            **ratios(med, med_cpu), "load_average": loads}


def ratios(med: dict[str, float], med_cpu: dict[str, float]) -> dict[str, float]:
    """The issue's ratios from median seconds (wall) and median CPU seconds (whole process tree).

    - ``ratio_1_worker_vs_pdfminer``: ``run --workers 1`` over bare ``extract_text``, wall (target ≤ 1.10× real,
      ≤ 1.5× synthetic); ``cpu_ratio_1_worker_vs_pdfminer`` the same in CPU time (every process of the run:
      the writer, the forkserver, the worker), which the machine's other load hardly moves;
    - ``speedup_2_vs_1``: wall of one worker over wall of two (target ≥ 1.85×);
    - ``unchanged_share``: a re-run over the same, unchanged files over the full one-worker run (target ≤ 5%);
    - ``marginal_*``: the same per further page, each command's fixed cost (run over no file) subtracted;
    - ``machine_speedup_2``: bare pdfminer in one process over the same files on a pool of two processes
      (largest first) — what two cores of this machine give the parser itself, the ceiling of ``speedup_2_vs_1``.
    """
    return {"ratio_1_worker_vs_pdfminer": med["workers_1"] / med["pdfminer"],
            "cpu_ratio_1_worker_vs_pdfminer": med_cpu["workers_1"] / med_cpu["pdfminer"],
            "speedup_2_vs_1": med["workers_1"] / med["workers_2"],
            "unchanged_share": med["unchanged"] / med["workers_1"],
            "unchanged_cpu_share": med_cpu["unchanged"] / med_cpu["workers_1"],
            "marginal_ratio_1_worker_vs_pdfminer": (med["workers_1"] - med["run_fixed"])
            / (med["pdfminer"] - med["pdfminer_fixed"]),
            "marginal_speedup_2_vs_1": (med["workers_1"] - med["run_fixed"]) / (med["workers_2"] - med["run_fixed"]),
            **({"machine_speedup_2": med["pdfminer"] / med["pdfminer_2"]} if med.get("pdfminer_2") else {})}


TARGETS = {"real": {"one": 1.10, "two": 1.85, "unchanged": 0.05}, "synthetic": {"one": 1.5, "two": 1.85, "unchanged": 0.05}}


def summary_lines(results: list[dict]) -> list[str]:
    """The ratios of the issue's "Done when", one line per set (what ``benchmarks.scale --parts pages`` prints)."""
    out = []
    for s in results:
        t = TARGETS.get(s["set"], TARGETS["synthetic"])
        out.append(f"{s['set']} ({s['files']} files, {s['pages']} pages): one worker {s['ratio_1_worker_vs_pdfminer']:.2f}× "
                   f"bare pdfminer wall (target ≤ {t['one']:.2f}×), {s.get('cpu_ratio_1_worker_vs_pdfminer', 0):.2f}× in "
                   f"CPU; two workers {s['speedup_2_vs_1']:.2f}× one (target ≥ {t['two']:.2f}×); unchanged re-run "
                   f"{s.get('unchanged_share', 0):.1%} of the full run (target ≤ {t['unchanged']:.0%}), "
                   f"{s.get('unchanged_cpu_share', 0):.1%} in CPU; bare pdfminer in two processes "
                   f"{s.get('machine_speedup_2', 0):.2f}× one (this machine's ceiling); load average {s['load_average'][0]} → "
                   f"{s['load_average'][-1]}")
    return out


def measure(work: Path, real_root: Path | None, synthetic_count: int, repeat: int) -> list[dict]:
    warehouses = Warehouses(work / "warehouses")
    (work / "warehouses").mkdir(parents=True, exist_ok=True)
    results = []
    if real_root is not None and real_root.is_dir():
        folder = work / "real_pdfs"
        results.append(measure_set("real", real_pdfs(real_root, folder), folder, warehouses, repeat))
    folder = work / "synthetic_pdfs"
    results.append(measure_set("synthetic", synthetic_pdfs(folder, synthetic_count), folder, warehouses, repeat))
    return results
