"""OCR on image-only renderings of shared real PDFs: figures read exactly, wrong figures no rule caught, time.

Not a test (times depend on the machine and on what else runs on it). Each PDF of
../shared/corpus/real named on the command line is rendered to images at ``--dpi`` and
put back together as an image-only PDF (tests/office_inputs.image_only_pdf), then both the
original and the scan go through the whole pipeline into one DuckDB warehouse. Per
document it prints, as JSON lines:

- ``labels_exact``: LABELS.json's hand-read figures that ``v_budget_summary`` gives exactly
  for the scan (of those LABELS states);
- ``wrong_passing``: figures the scan gives differently from LABELS while every rule of the
  document passed or was not evaluated (a misread that nothing caught: the goal is 0);
- ``held``: figures held back for low OCR confidence; ``failed_rules``: rules the scan fails
  that the original passes;
- ``table_figures_same``: of every amount the original's fact tables hold, the share the
  scan's hold identically (same table, label or code, column, amount);
- ``seconds_per_page``: the scan's whole ``prepare`` (render + OCR + layout + parse + rules) per page,
  wall time, with the load average it ran under; ``cpu_seconds_per_page``: the same in CPU time
  of all the process's threads (on an idle 2-core machine wall time is about half of it).

Usage::

    python benchmarks/ocr_accuracy.py "002_北京/2026年北京市信访办公室部门预算.pdf" … [--dpi 200] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import text  # noqa: E402

from flows.pipeline import prepare, store  # noqa: E402
from load.warehouse import opened  # noqa: E402
from tests.office_inputs import image_only_pdf  # noqa: E402

REAL = REPO_ROOT.parent / "shared" / "corpus" / "real"
FIGURES = ["revenue_total_yuan", "expenditure_total_yuan", "three_public_total_yuan", "three_public_abroad_yuan",
           "three_public_reception_yuan", "three_public_vehicle_purchase_yuan",
           "three_public_vehicle_operation_yuan", "operating_expenses_yuan"]
AMOUNT_TABLES = {"fct_budget_line": ("statement", "item", "column_name", "amount_yuan"),
                 "fct_three_public": ("item", "amount_yuan"),
                 "fct_expenditure_by_function": ("function_code", "amount_yuan"),
                 "fct_expenditure_by_economic": ("economic_code", "amount_yuan")}


def amounts(prepared) -> Counter:
    found: Counter = Counter()
    for name, columns in AMOUNT_TABLES.items():
        frame = prepared.frames.get(name)
        if frame is None or not frame.height:
            continue
        present = [c for c in columns if c in frame.columns]
        for row in frame.select(present).iter_rows():
            if row[-1] is not None:
                found[(name, *row)] += 1
    return found


def measure(entry: dict, work: Path, dpi: int, engine) -> dict:
    source = REAL / entry["file"]
    scan = image_only_pdf(source, work / f"{source.stem}-{dpi}dpi.pdf", dpi=dpi)
    original = prepare(source.read_bytes(), str(source))
    started, cpu = time.perf_counter(), _cpu()
    scanned = prepare(scan.read_bytes(), str(scan))
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    for p in (original, scanned):
        store(engine, p)
    page_frame = scanned.frames["fct_document_page"]
    pages = page_frame.height or 1
    with engine.connect() as c:
        summary = c.execute(text("SELECT * FROM v_budget_summary WHERE document_id = :d"),
                            {"d": scanned.document_id}).mappings().first() or {}
        rules = dict(c.execute(text("SELECT rule_code, passed FROM fct_data_quality WHERE document_id = :d"),
                               {"d": scanned.document_id}).all())
        before = dict(c.execute(text("SELECT rule_code, passed FROM fct_data_quality WHERE document_id = :d"),
                                {"d": original.document_id}).all())
    stated = {f: Decimal(str(entry[f])) for f in FIGURES if entry.get(f) is not None}
    exact = [f for f, v in stated.items() if summary.get(f) == v]
    wrong = {f: str(summary.get(f)) for f, v in stated.items() if summary.get(f) is not None and summary.get(f) != v}
    failed = sorted(r for r, ok in rules.items() if ok is False and before.get(r) is not False)
    base, got = amounts(original), amounts(scanned)
    same = sum((base & got).values())
    return {
        "file": entry["file"], "status": scanned.status, "reason": scanned.reason, "pages": page_frame.height,
        "labels_exact": f"{len(exact)}/{len(stated)}", "wrong": wrong, "missing": sorted(set(stated) - set(exact) - set(wrong)),
        "wrong_passing": len(wrong) if wrong and not failed else 0, "failed_rules": failed,
        "held": int(page_frame["ocr_held"].fill_null(0).sum()), "table_figures_same": f"{same}/{sum(base.values())}",
        "seconds_per_page": round(seconds / pages, 2), "cpu_seconds_per_page": round(cpu / pages, 2),
        "load_average": round(os.getloadavg()[0], 1),
        "mean_confidence": float(page_frame["ocr_confidence"].cast(float).mean() or 0),
    }


def _cpu() -> float:
    """CPU seconds of this process, every thread (onnxruntime's) counted: unlike wall time, not
    stretched by other work on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="paths under ../shared/corpus/real, as LABELS.json names them")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path("/tmp/cb-ocr-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    labels = {e["file"]: e for e in json.loads((REAL / "LABELS.json").read_text(encoding="utf-8"))}
    url = f"duckdb:///{args.work / 'ocr.duckdb'}"
    (args.work / "ocr.duckdb").unlink(missing_ok=True)
    with opened(url) as engine:
        for name in args.files:
            print(json.dumps(measure(labels[name], args.work, args.dpi, engine), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
