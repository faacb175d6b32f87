"""``county-budgets audit PATH``: how well extraction reads a folder of real documents.

It runs the same read → parse → transform → data-quality steps as a load (nothing is
written), per document and in total, so a person can see at a glance which documents
were recognised (kind, year, department), which standard tables and sections were
found, how many data-quality rules pass, fail or could not be evaluated, and how fast
extraction runs in pages per second.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import typer

from extract.parse.document import PARSER_VERSION, parse_document
from extract.read.reader import read_document
from extract.parse.staging import stage
from schemas.errors import DocumentError
from transform import transform_document

SKIP_SUFFIXES = {".csv", ".json", ".md"}


@dataclass
class AuditRow:
    file: str
    status: str  # loaded | quarantined | error
    reason: str | None = None
    doc_kind: str | None = None
    fiscal_year: int | None = None
    department: str | None = None
    pages: int = 0
    scanned_pages: list[int] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    rules_passed: int = 0
    rules_failed: int = 0
    rules_not_evaluated: int = 0
    failed_rules: list[str] = field(default_factory=list)
    extract_seconds: float = 0.0
    projects: int = 0  # projects and special funds read from performance-target tables
    indicators: int = 0  # their indicator rows, and a 部门整体 form's
    assets: int = 0  # asset figures of the 国有资产 section


@dataclass
class AuditSummary:
    documents: int
    loaded: int
    quarantined: int
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


def _quality(doc, result, size: int) -> tuple[int, int, int, list[str]]:
    frames = transform_document(stage(doc, result, size).frames, parser_version=PARSER_VERSION,
                                loaded_at=datetime.now(timezone.utc))
    dq = frames["fct_data_quality"].to_dicts()
    failed = [r["rule_code"] for r in dq if r["passed"] is False]
    return (sum(1 for r in dq if r["passed"] is True), len(failed),
            sum(1 for r in dq if r["passed"] is None), failed)


def audit_document(path: Path, root: Path | None = None) -> AuditRow:
    name = str(path.relative_to(root)) if root and root != path else path.name
    data = path.read_bytes()
    started = time.perf_counter()
    try:
        doc = read_document(data, str(path))
        row = AuditRow(name, "loaded", pages=doc.page_count, scanned_pages=doc.scanned_pages)
        result = parse_document(doc)
    except DocumentError as err:
        return AuditRow(name, "quarantined", reason=err.reason,
                        extract_seconds=time.perf_counter() - started)
    row.extract_seconds = time.perf_counter() - started
    meta = result.meta
    row.doc_kind, row.fiscal_year, row.department = meta.doc_kind, meta.fiscal_year, meta.department_name
    row.tables = list(dict.fromkeys(result.tables_found))
    row.sections = list(result.sections_found)
    row.projects = sum(1 for p in result.projects if p.scope != "department")
    row.indicators, row.assets = len(result.indicators), len(result.assets)
    try:
        row.rules_passed, row.rules_failed, row.rules_not_evaluated, row.failed_rules = _quality(
            doc, result, len(data))
    except Exception as err:  # the audit reports a transform bug instead of stopping
        row.status, row.reason = "error", f"transform failed: {type(err).__name__}: {err}"
    return row


def audit_folder(path: str | Path) -> list[AuditRow]:
    root = Path(path)
    return [audit_document(p, root) for p in audit_files(root)]


def summarize(rows: list[AuditRow]) -> AuditSummary:
    return AuditSummary(
        documents=len(rows),
        loaded=sum(r.status == "loaded" for r in rows),
        quarantined=sum(r.status == "quarantined" for r in rows),
        pages=sum(r.pages for r in rows),
        extract_seconds=sum(r.extract_seconds for r in rows if r.pages),
        rules_passed=sum(r.rules_passed for r in rows),
        rules_failed=sum(r.rules_failed for r in rows),
        rules_not_evaluated=sum(r.rules_not_evaluated for r in rows),
        tables=Counter(t for r in rows for t in r.tables),
    )


def format_report(rows: list[AuditRow]) -> str:
    lines = []
    for r in rows:
        if r.status != "loaded":
            lines.append(f"{r.file}\n    {r.status.upper()}: {r.reason}")
            continue
        speed = r.pages / r.extract_seconds if r.extract_seconds else 0.0
        lines.append(
            f"{r.file}\n    {r.doc_kind} {r.fiscal_year} {r.department} | {r.pages} pages, "
            f"{speed:.1f} pages/s" + (f", scanned pages {r.scanned_pages}" if r.scanned_pages else "")
            + f"\n    tables: {', '.join(r.tables) or '-'}\n    sections: {', '.join(r.sections) or '-'}"
            + f"\n    projects: {r.projects}, indicators: {r.indicators}, assets: {r.assets}"
            + f"\n    rules: {r.rules_passed} pass, {r.rules_failed} fail, {r.rules_not_evaluated} not evaluated"
            + (f" (failing: {', '.join(sorted(set(r.failed_rules)))})" if r.failed_rules else "")
        )
    s = summarize(rows)
    lines.append(
        f"TOTAL {s.documents} documents: {s.loaded} loaded, {s.quarantined} quarantined; "
        f"{s.pages} pages at {s.pages_per_second:.1f} pages/s; rules {s.rules_passed} pass, "
        f"{s.rules_failed} fail, {s.rules_not_evaluated} not evaluated"
    )
    lines.append("tables found: " + ", ".join(f"{k}×{v}" for k, v in s.tables.most_common()))
    return "\n".join(lines)


def audit_command(path: Path = typer.Argument(..., exists=True, help="a document or a folder of documents")) -> None:
    """Run extraction over PATH and print what was recognised, per document and in total."""
    typer.echo(format_report(audit_folder(path)))
