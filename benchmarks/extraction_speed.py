"""Extraction speed on a folder of PDFs: the pipeline's ``prepare`` vs bare pdfminer.

``prepare`` is what every run calls per document (read → parse → transform → rules,
nothing stored). Not a test: timings depend on the machine. Both measurements run in the same process
on the same bytes (read into memory first, so disk speed is not measured), pipeline
first then pdfminer per file, and the summary prints pages/second for each and their
ratio. Usage::

    python benchmarks/extraction_speed.py [FOLDER] [--repeat N] [--limit N]

FOLDER defaults to ``../shared/corpus/real`` beside the repository.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from pdfminer.high_level import extract_text  # noqa: E402
from pdfminer.pdfpage import PDFPage  # noqa: E402

from extract.read.sniff import sniff  # noqa: E402
from flows.pipeline import prepare  # noqa: E402

DEFAULT_FOLDER = REPO_ROOT.parent / "shared" / "corpus" / "real"


@dataclass
class Timing:
    name: str
    pages: int
    pipeline_s: float
    pdfminer_s: float
    outcome: str


def pdf_files(folder: Path, limit: int | None) -> list[Path]:
    """PDFs by content, not name: a '.pdf' that is really HTML is left out."""
    found = [p for p in sorted(folder.rglob("*")) if p.is_file() and sniff(p.read_bytes()[:4096]).format == "pdf"]
    return found[:limit] if limit else found


def count_pages(data: bytes) -> int:
    return sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))


def time_pipeline(data: bytes, uri: str) -> tuple[float, str]:
    start = time.perf_counter()
    prepared = prepare(data, uri)
    elapsed = time.perf_counter() - start
    if prepared.status == "loaded":
        return elapsed, f"{prepared.doc_kind or '?'} {prepared.fiscal_year or '?'}"
    return elapsed, f"quarantined: {(prepared.reason or '')[:60]}"


def time_pdfminer(data: bytes) -> float:
    start = time.perf_counter()
    extract_text(io.BytesIO(data))
    return time.perf_counter() - start


def measure(path: Path, repeat: int) -> Timing:
    data = path.read_bytes()
    pipeline, pdfminer, outcome = [], [], ""
    for _ in range(repeat):
        elapsed, outcome = time_pipeline(data, str(path))
        pipeline.append(elapsed)
        pdfminer.append(time_pdfminer(data))
    return Timing(path.name, count_pages(data), min(pipeline), min(pdfminer), outcome)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=1, help="runs per file; the fastest counts")
    parser.add_argument("--limit", type=int, default=None, help="only the first N PDFs")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"no such folder: {args.folder}", file=sys.stderr)
        return 2
    files = pdf_files(args.folder, args.limit)
    if not files:
        print(f"no PDF files under {args.folder}", file=sys.stderr)
        return 2
    timings = [measure(path, max(1, args.repeat)) for path in files]
    print(f"{'file':<48} {'pages':>5} {'pipeline p/s':>12} {'pdfminer p/s':>12}  outcome")
    for t in timings:
        print(f"{t.name[:48]:<48} {t.pages:>5} {t.pages / t.pipeline_s:>12.1f} "
              f"{t.pages / t.pdfminer_s:>12.1f}  {t.outcome}")
    pages = sum(t.pages for t in timings)
    pipeline = pages / sum(t.pipeline_s for t in timings)
    pdfminer = pages / sum(t.pdfminer_s for t in timings)
    print(f"\n{len(timings)} PDFs, {pages} pages")
    print(f"pipeline (prepare: read + parse + transform + rules): {pipeline:.1f} pages/s")
    print(f"pdfminer extract_text:   {pdfminer:.1f} pages/s")
    print(f"ratio pipeline/pdfminer: {pipeline / pdfminer:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
