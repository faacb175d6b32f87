"""``county-budgets audit PATH``: how well extraction reads a folder of real documents.

It runs the pipeline's own :func:`flows.pipeline.prepare` (read → parse → transform →
data-quality rules; nothing is written) per document, and prints what a load would put
in the warehouse: the kind, year and department recognised, the standard tables and
sections found, the key figures (收入总计, 支出总计, 基本支出, 项目支出, 三公经费合计,
机关运行经费, in yuan as ``v_budget_summary`` would show them: the most precisely printed of
the table's and the narrative's, :mod:`schemas.preference`), how many projects, performance
indicators and asset rows were read, and each rule's verdict (pass / fail / not evaluated,
with the failing codes). Two audits of the same folder, before and after a change, can be
compared line by line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from extract.read.pages import expected_pages
from flows.isolation import preparer_for
from flows.items import SourceItem, batches, item_size, read_item
from flows.progress import shown, tracker
from flows.request import DEFAULT_TIME_LIMIT_S, Limits, default_workers
from flows.safe_text import safe_text
from schemas.figures import BUDGET_LINE, figure
from schemas.preference import preferred
from schemas.vocabulary import HELD, LOADED, QUARANTINED, SEEN_ONLY

if TYPE_CHECKING:  # the pipeline (parser, polars) is imported when a document is audited, not with the commands
    import polars as pl

    from flows.pipeline import Prepared

SKIP_SUFFIXES = {".csv", ".json", ".md"}
BATCH_SIZE = 16
# The key figures (schemas.figures names) under the labels the report prints; each is chosen as the
# public views choose it (schemas.preference).
KEY_FIGURES = {"revenue_total": figure("revenue", "total"), "expenditure_total": figure("expenditure", "total"),
               "basic": figure("expenditure", "basic"), "project": figure("expenditure", "project"),
               "operating_expenses": figure("operating_expenses", "total"),
               "three_public_total": figure("three_public", "total")}
COUNTED = (("projects", "fct_project_budget"), ("indicators", "fct_performance_target"), ("assets", "fct_asset"))


@dataclass
class AuditRow:
    file: str
    status: str  # loaded | quarantined
    reason: str | None = None
    stage: str | None = None
    doc_kind: str | None = None
    fiscal_year: int | None = None
    department: str | None = None
    pages: int = 0
    scanned_pages: list[int] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    figures: dict[str, Decimal | None] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    rules_passed: int = 0
    rules_failed: int = 0
    rules_not_evaluated: int = 0
    failed_rules: list[str] = field(default_factory=list)
    failures: dict[str, tuple[str, str]] = field(default_factory=dict)  # rule → (severity, finding)
    extract_seconds: float = 0.0
    projects: int = 0  # projects and special funds read from performance-target tables
    indicators: int = 0  # their indicator rows, and a 部门整体 form's
    assets: int = 0  # asset figures of the 国有资产 section


@dataclass
class AuditSummary:
    documents: int
    loaded: int
    quarantined: int
    seen_only: int
    held: int
    pages: int
    extract_seconds: float
    rules_passed: int
    rules_failed: int
    rules_not_evaluated: int
    tables: Counter

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.extract_seconds if self.extract_seconds else 0.0


def audit_files(root: Path) -> list[Path]:
    """Documents under ``root`` (a file or a folder), ground-truth sidecars left out."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() not in SKIP_SUFFIXES)


def key_figures(frames: dict[str, pl.DataFrame]) -> dict[str, Decimal | None]:
    """收入总计, 支出总计, 基本支出, 项目支出, 机关运行经费 and 三公经费合计 of one document, in yuan,
    as ``v_budget_summary`` shows them (:func:`schemas.preference.preferred`)."""
    import polars as pl

    out = {}
    for label, f in KEY_FIGURES.items():
        rows = frames[f.table].filter(pl.col("item") == f.item)
        if f.table == BUDGET_LINE:
            rows = rows.filter((pl.col("statement") == f.statement) & (pl.col("column_name") == "amount"))
        out[label] = preferred(rows.to_dicts())
    return out


def audit_row(prepared: Prepared, name: str) -> AuditRow:
    """What one prepared document would put in the warehouse, for people to read."""
    import polars as pl

    p = prepared
    row = AuditRow(name, p.status, reason=p.reason, stage=p.stage, doc_kind=p.doc_kind, fiscal_year=p.fiscal_year,
                   department=p.department_name, pages=p.page_count, scanned_pages=p.scanned_pages,
                   tables=p.tables, sections=p.sections, extract_seconds=p.seconds)
    if p.status not in (LOADED, HELD):
        return row
    row.figures = key_figures(p.frames)
    row.found = {label: p.frames[name].height for label, name in COUNTED}
    projects = p.frames["fct_project_budget"]
    row.found["projects"] = projects.filter(pl.col("scope") != "department").height  # not a 部门整体 form
    dq = p.frames["fct_data_quality"].to_dicts()
    row.failed_rules = [r["rule_code"] for r in dq if r["passed"] is False]
    row.failures = {r["rule_code"]: (r["severity"], r["finding"] or "") for r in dq if r["passed"] is False}
    row.rules_passed = sum(1 for r in dq if r["passed"] is True)
    row.rules_failed = len(row.failed_rules)
    row.rules_not_evaluated = sum(1 for r in dq if r["passed"] is None)
    return row


def _name(path: Path, root: Path | None) -> str:
    return str(path.relative_to(root)) if root and root != path else path.name


def audit_paths(paths: list[Path], root: Path | None, limits: Limits | None) -> list[AuditRow]:
    """Documents through ``prepare``, a batch at a time (``limits.workers`` at once), in order."""
    return [audit_row(p, name) for name, p in prepared_paths(paths, root, limits)]


def prepared_paths(paths: list[Path], root: Path | None, limits: Limits | None) -> list[tuple[str, Prepared]]:
    """(name, what ``prepare`` made of it) per document, in order, as ``audit`` and ``run`` decide it;
    progress as each is read (flows.progress, as ``run`` reports it). As ``run`` does, a volume that
    prints no year takes a second look with its siblings' hints, and a nameless tables-only volume
    its one sibling's name (flows.year_hints)."""
    from flows.pipeline import prepare, quarantined
    from flows.year_hints import hints_among, names_among

    preparer = preparer_for(limits)
    out: list[tuple[str, Prepared]] = []
    done: list[Prepared] = []
    pending: list[tuple[int, bytes, Prepared]] = []
    items = [SourceItem(str(path), path) for path in paths]
    sizes = [item_size(item) for item in items]
    with tracker("audit", len(paths), sum(sizes)) as progress:
        for chunk, _ in batches(items, sizes, BATCH_SIZE, None):
            start = len(out)
            found: dict[int, Prepared] = {}
            readable: list[tuple[int, bytes, str]] = []
            for i, item in enumerate(chunk):
                data = read_item(item)
                if isinstance(data, str):
                    found[i] = quarantined(0, item.uri, data, "read", document_id="-")
                    progress.advance(_name(item.path, root), found[i].status, size=item_size(item))
                else:
                    readable.append((i, data, item.uri))
                    progress.expect(item.uri, expected_pages(data), len(data))
            prepared = preparer([(data, uri) for _, data, uri in readable], datetime.now(timezone.utc))
            for (i, data, uri), p in zip(readable, prepared):
                found[i] = p
                progress.advance(_name(chunk[i].path, root), p.status, key=uri, pages=p.page_count, size=len(data))
                done.append(p)
                if p.needs_year:
                    pending.append((start + i, data, p))
            out.extend((_name(chunk[i].path, root), found[i]) for i in range(len(chunk)))
    for index, data, first in pending:  # as run does: a second look with the hints of its context
        again = prepare(data, first.source_uri, hints=hints_among(first.source_uri, first.department_name, done))
        if again.status != QUARANTINED:
            out[index] = (out[index][0], again)
    for volume in done:  # and a nameless tables-only volume takes its one sibling's name
        if names_among(volume, done):
            at = next(i for i, path in enumerate(paths) if str(path) == volume.source_uri)
            out[at] = (out[at][0], volume)
    return out


def audit_folder(path: str | Path, limits: Limits | None = None) -> list[AuditRow]:
    root = Path(path)
    return audit_paths(audit_files(root), root, limits)


def summarize(rows: list[AuditRow]) -> AuditSummary:
    return AuditSummary(
        documents=len(rows),
        loaded=sum(r.status == LOADED for r in rows),
        quarantined=sum(r.status == QUARANTINED for r in rows),
        seen_only=sum(r.status == SEEN_ONLY for r in rows),
        held=sum(r.status == HELD for r in rows),
        pages=sum(r.pages for r in rows),
        extract_seconds=sum(r.extract_seconds for r in rows if r.pages),
        rules_passed=sum(r.rules_passed for r in rows),
        rules_failed=sum(r.rules_failed for r in rows),
        rules_not_evaluated=sum(r.rules_not_evaluated for r in rows),
        tables=Counter(t for r in rows for t in r.tables),
    )


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def format_row(r: AuditRow) -> str:
    # the file name, the department and the reason are the documents' text: safe for a terminal
    r = replace(r, file=safe_text(r.file, markup=None), department=safe_text(r.department, markup=None) or None,
                reason=safe_text(r.reason, markup=None))
    if r.status == SEEN_ONLY:  # a page kept as a link only (no figures): not a failure
        what = " ".join(str(v) for v in (r.doc_kind, r.fiscal_year, r.department) if v)
        return f"{r.file}\n    SEEN ONLY{(' ' + what) if what else ''}, no figures loaded: {r.reason}"
    if r.status not in (LOADED, HELD):
        return f"{r.file}\n    {r.status.upper()} at {r.stage or '?'}: {r.reason}"
    speed = r.pages / r.extract_seconds if r.extract_seconds else 0.0
    f = r.figures
    return (
        f"{r.file}\n" + (f"    HELD: {r.reason}\n" if r.status == HELD else "")
        + f"    {r.doc_kind} {r.fiscal_year} {r.department} | {r.pages} pages, {speed:.1f} pages/s"
        + (f", scanned pages {r.scanned_pages}" if r.scanned_pages else "")
        + f"\n    tables: {', '.join(r.tables) or '-'}\n    sections: {', '.join(r.sections) or '-'}"
        + f"\n    figures (yuan): revenue {_money(f.get('revenue_total'))}, expenditure "
        f"{_money(f.get('expenditure_total'))}, basic {_money(f.get('basic'))}, project {_money(f.get('project'))}, "
        f"三公 {_money(f.get('three_public_total'))}, 机关运行经费 {_money(f.get('operating_expenses'))}"
        + f"\n    found: {r.found.get('projects', 0)} projects, {r.found.get('indicators', 0)} indicators, "
        f"{r.found.get('assets', 0)} asset rows"
        + f"\n    rules: {r.rules_passed} pass, {r.rules_failed} fail, {r.rules_not_evaluated} not evaluated"
        + (f" (failing: {'; '.join(f'{code} — {sev}, {kind}' for code, (sev, kind) in sorted(r.failures.items()))})"
           if r.failures else "")
    )


def error_share(rows: list[AuditRow]) -> str:
    """How many loaded documents fail an error rule, and how many of them only where they contradict themselves."""
    loaded = [r for r in rows if r.status == LOADED]
    failing = [r for r in loaded if any(sev == "error" for sev, _ in r.failures.values())]
    own = [r for r in failing if all(kind == "contradiction" for sev, kind in r.failures.values() if sev == "error")]
    share = f" ({len(failing) / len(loaded):.1%})" if loaded else ""
    return (f"{len(failing)} of {len(loaded)} loaded documents fail an error rule{share}, "
            f"{len(own)} of them only where the document contradicts itself")


def format_report(rows: list[AuditRow]) -> str:
    lines = [format_row(r) for r in rows]
    s = summarize(rows)
    lines.append(
        f"TOTAL {s.documents} documents: {s.loaded} loaded, {s.quarantined} quarantined"
        + (f", {s.seen_only} seen only" if s.seen_only else "") + (f", {s.held} held" if s.held else "") + "; "
        f"{s.pages} pages at {s.pages_per_second:.1f} pages/s; rules {s.rules_passed} pass, "
        f"{s.rules_failed} fail, {s.rules_not_evaluated} not evaluated"
    )
    lines.append(error_share(rows))
    lines.append("tables found: " + ", ".join(f"{k}×{v}" for k, v in s.tables.most_common()))
    return "\n".join(lines)


def audit_command(
    path: Path = typer.Argument(..., exists=True, help="a document or a folder of documents"),
    time_limit: float = typer.Option(DEFAULT_TIME_LIMIT_S, "--time-limit", min=0,
                                     help="Seconds one document may take (0: in this process, no limit)"),
    workers: Optional[int] = typer.Option(None, "--workers", "-j", min=1,
                                          help="Documents read at once, each in its own worker process "
                                               "[default: the cores]"),
) -> None:
    """Run extraction over PATH and print what was recognised, per document and in total (progress on stderr)."""
    limits = Limits(time_limit, workers=workers or default_workers()) if time_limit > 0 else None
    with shown():
        rows = audit_folder(path, limits)
    typer.echo(format_report(rows))
