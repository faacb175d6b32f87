"""BENCHMARKS.md from the results of :mod:`benchmarks.scale`: the targets first, then each part's numbers.

The interpretation (why a target is missed, what the machine was doing) is kept by hand in
``benchmarks/scale_notes.md`` and included as it is, so a re-run renders new numbers
without losing it — and the notes must then be re-read against them.
"""

from __future__ import annotations

from pathlib import Path

NOTES = Path(__file__).with_name("scale_notes.md")


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def _targets(r: dict) -> list[str]:
    rows = ["| target | measured | |", "|---|---|---|"]
    for s in r.get("pages", []):
        one, two = s["ratio_1_worker_vs_pdfminer"], s["speedup_2_vs_1"]
        limit = 1.10 if s["set"] == "real" else 1.5
        cpu = s.get("cpu_ratio_1_worker_vs_pdfminer")
        in_cpu = f" ({cpu:.2f}× in CPU time)" if cpu is not None else ""
        rows.append(f"| one worker within {limit:.2f}× of bare pdfminer per page ({s['set']} PDFs) | {one:.2f}×{in_cpu} | "
                    f"{_met(one <= limit)} |")
        ceiling = (f" (bare pdfminer in two processes: {s['machine_speedup_2']:.2f}× one)"
                   if "machine_speedup_2" in s else "")
        rows.append(f"| two workers ≥ 1.85× one worker's throughput ({s['set']} PDFs) | {two:.2f}×{ceiling} | "
                    f"{_met(two >= 1.85)} |")
        if "unchanged_share" in s:
            share = s["unchanged_share"]
            rows.append(f"| unchanged re-run ≤ 5% of the full one-worker run ({s['set']} PDFs) | {share:.1%} "
                        f"({s['unchanged_cpu_share']:.1%} in CPU time) | {_met(share <= 0.05)} |")
        if "marginal_ratio_1_worker_vs_pdfminer" in s:
            m1, m2 = s["marginal_ratio_1_worker_vs_pdfminer"], s["marginal_speedup_2_vs_1"]
            rows.append(f"| … the same per further page, each command's fixed cost per run subtracted ({s['set']}) | "
                        f"{m1:.2f}× of pdfminer; 2 workers {m2:.2f}× | {_met(m1 <= limit and m2 >= 1.85)} |")
    for dialect, d in r.get("loads", {}).items():
        ratio = d["ratio_pipeline_vs_native_per_document"]
        rows.append(f"| loads within 2× of the native bulk path ({dialect}, per document) | {ratio:.2f}× | "
                    f"{_met(ratio <= 2)} |")
    n = r.get("nightly")
    if n:
        rows.append(f"| unchanged re-run < 5% of a full run ({n['documents']:,} documents, Prefect server) | "
                    f"{n['unchanged_share']:.1%} | {_met(n['unchanged_share'] < 0.05)} |")
        small, full = n["runs"]["small_prefect"], n["runs"]["full"]
        for key, what in (("documents_peak_rss_mb", "while documents stream"), ("peak_rss_mb", "whole run")):
            if small.get(key) and full.get(key):
                growth = full[key] / small[key]
                rows.append(f"| peak RSS flat from {n['small']:,} to {n['documents']:,} documents (the run's "
                            f"process, {what}) | {small[key]:.0f} MB → {full[key]:.0f} MB ({growth:.2f}×) | "
                            f"{_met(growth <= 1.15)} |")
    for dialect, m in r.get("memory", {}).items():
        small, full = m["runs"]["small"], m["runs"]["full"]
        rows.append(f"| peak RSS flat from {m['small']:,} to {m['documents']:,} documents (the run's process while "
                    f"documents stream, --no-prefect, {dialect}) | {small['documents_peak_rss_mb']:.0f} MB → "
                    f"{full['documents_peak_rss_mb']:.0f} MB ({m['growth']:.2f}×) | {_met(m['growth'] <= 1.15)} |")
        whole = full["peak_rss_mb"] / small["peak_rss_mb"]
        rows.append(f"| … the same, whole run (the comparison refresh included) | {small['peak_rss_mb']:.0f} MB → "
                    f"{full['peak_rss_mb']:.0f} MB ({whole:.2f}×) | {_met(whole <= 1.15)} |")
    return rows


def _memory(r: dict) -> list[str]:
    out = ["| run | seconds | peak RSS of the run's process: while documents stream / whole run | "
           "whole run with its workers | outcome |", "|---|---|---|---|---|"]
    for m in r.get("memory", {}).values():
        for run in m["runs"].values():
            out.append(f"| {run['label']} | {run['seconds']:.1f} | {run['documents_peak_rss_mb'] or 0:.0f} MB / "
                       f"{run['peak_rss_mb']:.0f} MB | {run['peak_tree_mb']:.0f} MB | {run['summary']} |")
    return out + [""]


def _machine(r: dict) -> list[str]:
    m = r.get("machine", {})
    lines = [f"- measured {r.get('measured_at', '?')} on {m.get('cpu', '?')}: {m.get('cores')} cores "
             f"({m.get('usable_cores')} usable), {m.get('ram_gib')} GiB RAM, {m.get('system')}, "
             f"Python {m.get('python')}",
             "- packages: " + ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items()),
             "- load average (1 / 5 / 15 min) when each part finished: "
             + "; ".join(f"{k} {v}" for k, v in r.get("load_average", {}).items())]
    return lines


def _pages(r: dict) -> list[str]:
    out = []
    for s in r.get("pages", []):
        out += [f"### {s['set'].capitalize()} PDFs: {s['files']} files, {s['pages']} pages", "",
                "| | median s | ms per page | median CPU s (all processes) | every repetition (s) |",
                "|---|---|---|---|---|"]
        for key, label in (("pdfminer", "bare `pdfminer.high_level.extract_text`"),
                           ("workers_1", "`run --no-prefect --workers 1`"),
                           ("workers_2", "`run --no-prefect --workers 2`"),
                           ("unchanged", "`run --workers 1` again, every file unchanged"),
                           ("pdfminer_2", "bare pdfminer on a pool of two processes (largest file first)"),
                           ("pdfminer_fixed", "fixed cost: bare pdfminer given no file"),
                           ("run_fixed", "fixed cost: `run --workers 1` over an empty folder")):
            if key not in s["median"]:
                continue
            cpu = f"{s['median_cpu'][key]:.1f}" if "median_cpu" in s else "—"
            out.append(f"| {label} | {s['median'][key]:.1f} | {s['per_page_ms'][key]:.1f} | {cpu} | "
                       + ", ".join(f"{v:.1f}" for v in s["seconds"][key]) + " |")
        out += ["", f"Load average during the repetitions: {' → '.join(s['load_average'])}.", ""]
    return out


def _loads(r: dict) -> list[str]:
    out = []
    for dialect, d in r.get("loads", {}).items():
        out += [f"### {dialect}: {d['documents']} synthetic documents, {d['rows']:,} rows", "",
                "| path | median s | rows/s | ratio of the pipeline to it |", "|---|---|---|---|"]
        for key, label in (("pipeline", "pipeline `store` (one transaction per document)"),
                           ("native_per_document", "native bulk, one transaction per document"),
                           ("native_one_batch", "native bulk, everything in one transaction")):
            ratio = d["median"]["pipeline"] / d["median"][key]
            out.append(f"| {label} | {d['median'][key]:.2f} | {d['rows_per_s'][key]:,.0f} | {ratio:.2f}× |")
        out.append("")
    return out


def _nightly(r: dict) -> list[str]:
    n = r.get("nightly")
    if not n:
        return []
    out = ["| run | seconds | peak RSS of the run's process: while documents stream / whole run | "
           "whole run with its workers | outcome |", "|---|---|---|---|---|"]
    for run in n["runs"].values():
        seconds = f"{run['seconds']:.1f}"
        if "all_seconds" in run:
            seconds += " (median of " + ", ".join(f"{s:.1f}" for s in run["all_seconds"]) + ")"
        streaming = f"{run['documents_peak_rss_mb']:.0f} MB / " if run.get("documents_peak_rss_mb") else ""
        out.append(f"| {run['label']} | {seconds} | {streaming}{run['peak_rss_mb']:.0f} MB | "
                   f"{run['peak_tree_mb']:.0f} MB | {run['summary']} |")
    runs = n["runs"]
    prefect_unchanged = (runs["unchanged"]["seconds"] - runs["unchanged_no_prefect"]["seconds"]) \
        / runs["unchanged"]["seconds"]
    out += ["", f"- full run: {n['seconds_per_document'] * 1000:.0f} ms per document "
                f"({1 / n['seconds_per_document']:.1f} documents/s)",
            f"- unchanged re-run: {n['unchanged_share']:.1%} of the full run; after 1% changed: "
            f"{n['changed_share']:.1%}",
            f"- Prefect's share of a run (server running): {n['prefect_share_small']:.1%} of the "
            f"{n['small']:,}-document run, {prefect_unchanged:.1%} of the unchanged {n['documents']:,}-document "
            f"re-run; with no server the temporary API server makes the unchanged re-run "
            f"{runs['unchanged_no_server']['seconds']:.1f} s", ""]
    return out


def render(r: dict) -> str:
    lines = ["# Benchmarks", "",
             "Written by `python -m benchmarks.scale` (not part of the test suite; see the module for what each "
             "number is). Ratios are measured within one run of the benchmark, on the same files.", "",
             "## Machine", "", *_machine(r), "", "## Targets", "", *_targets(r), ""]
    if NOTES.exists():
        lines += ["## What the numbers say", "", NOTES.read_text(encoding="utf-8").strip(), ""]
    if r.get("pages"):
        lines += ["## Seconds per page, end to end", "", *_pages(r)]
    if r.get("loads"):
        lines += ["## Loads: rows per second", "", *_loads(r)]
    if r.get("nightly"):
        lines += [f"## A synthetic night: {r['nightly']['documents']:,} documents", "", *_nightly(r)]
    if r.get("memory"):
        lines += ["## Memory by backend (--no-prefect)", "", *_memory(r)]
    return "\n".join(lines).rstrip() + "\n"
