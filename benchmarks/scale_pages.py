"""End-to-end seconds per page: ``county-budgets run`` with 1 and 2 workers vs bare pdfminer.

For each set of PDFs — the real disclosures of ``../shared/corpus/real`` (PDFs by content)
and synthetic ones (``tests/synthetic``: seed layout and standard tables) — each
repetition times, in rotated order so a change in the machine's load hits all three
alike: bare ``pdfminer.high_level.extract_text`` over every file in a fresh Python
process, and ``county-budgets run --no-prefect --workers 1`` and ``--workers 2`` into a
fresh (migrated, empty) DuckDB warehouse — read, parse, transform, check, store and the
comparison refresh. Medians of the repetitions are reported.

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
    pages = page_count(files)
    times: dict[str, list[float]] = {"pdfminer": [], "workers_1": [], "workers_2": [], "pdfminer_fixed": [],
                                     "run_fixed": []}
    empty = folder.parent / "empty_folder"
    empty.mkdir(exist_ok=True)
    loads = [load_average()]
    steps = {
        "pdfminer": lambda: timed([sys.executable, "-c", BARE, *map(str, files)]),
        "workers_1": lambda: timed(run_command(folder, warehouses.fresh(), "--no-prefect", "--workers", "1")),
        "workers_2": lambda: timed(run_command(folder, warehouses.fresh(), "--no-prefect", "--workers", "2")),
    }
    fixed = {
        "pdfminer_fixed": lambda: timed([sys.executable, "-c", BARE]),
        "run_fixed": lambda: timed(run_command(empty, warehouses.fresh(), "--no-prefect", "--workers", "1")),
    }
    order = list(steps)
    for rep in range(repeat):
        for key in order[rep % 3:] + order[: rep % 3]:
            times[key].append(steps[key]().seconds)
            print(f"  {name} {key}: {times[key][-1]:.1f} s", file=sys.stderr, flush=True)
        for key, step in fixed.items():
            times[key].append(step().seconds)
        loads.append(load_average())
    med = {k: median(v) for k, v in times.items()}
    return {"set": name, "files": len(files), "pages": pages, "seconds": times, "median": med,
            "per_page_ms": {k: 1000 * v / pages for k, v in med.items()},
            "ratio_1_worker_vs_pdfminer": med["workers_1"] / med["pdfminer"],
            "speedup_2_vs_1": med["workers_1"] / med["workers_2"],
            "marginal_ratio_1_worker_vs_pdfminer": (med["workers_1"] - med["run_fixed"])
            / (med["pdfminer"] - med["pdfminer_fixed"]),
            "marginal_speedup_2_vs_1": (med["workers_1"] - med["run_fixed"]) / (med["workers_2"] - med["run_fixed"]),
            "load_average": loads}


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
