"""A run's reports are streamed to the warehouse (issue 21): flat memory however many documents.

A run longer than what the log keeps in memory (here 2 reports, in production 2,000) drops
its reports from memory and reads them back from ``ops_run_document`` in order, with the same
values; counts are kept as reports come; a replaced report (a volume given its year later)
replaces the row. DuckDB and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import func, select

from flows import run_log
from flows.request import RunRequest
from flows.runner import DocumentReport, folder_items, run_items
from schemas.refresh import ops_run_document
from tests.synthetic.corpus import build_corpus


def test_a_long_run_streams_its_reports_and_reads_them_back(engine, tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    for d in build_corpus(1).documents[:5]:
        (folder / d.name).write_bytes(d.data)
    (folder / "empty.txt").write_bytes(b"")
    monkeypatch.setattr(run_log, "KEEP_IN_MEMORY", 2)
    monkeypatch.setattr(run_log, "FLUSH_EVERY", 2)
    summary = run_items(engine, folder_items(folder), RunRequest())
    assert summary.reports._memory is None  # outgrown: nothing kept per document
    reports = list(summary.reports)
    assert [r.source_uri.rsplit("/", 1)[1] for r in reports] == sorted(p.name for p in folder.iterdir())
    assert [r.status for r in reports] == ["loaded"] * 5 + ["quarantined"]
    assert reports[-1].reason and reports[-1].stage
    assert all(r.quality.get("passed", 0) > 0 and r.rows > 0 and r.fiscal_year for r in reports[:5])
    assert summary.line() == "6 documents: 5 loaded, 1 quarantined, 0 unchanged, 0 skipped"
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ops_run_document).where(
            ops_run_document.c.run_id == summary.reports.run_id)).scalar() == 6

    again = run_items(engine, folder_items(folder), RunRequest())
    assert again.line() == "6 documents: 0 loaded, 0 quarantined, 6 unchanged, 0 skipped"


def test_a_replaced_report_replaces_its_row(engine):
    log = run_log.RunLog(engine, DocumentReport, flush_every=1, keep=0)
    log.append(DocumentReport("file:///a.pdf", "a" * 64, "quarantined", "no year", stage="parse"))
    log.append(DocumentReport("file:///b.pdf", "b" * 64, "loaded", None, "某局", 2025, 10, {"passed": 3}))
    log.replace(DocumentReport("file:///a.pdf", "a" * 64, "loaded", None, "某局", 2025, 7, {"passed": 2}))
    assert [(r.source_uri, r.status, r.rows, r.quality, r.stage) for r in log] == [
        ("file:///a.pdf", "loaded", 7, {"passed": 2}, None), ("file:///b.pdf", "loaded", 10, {"passed": 3}, None)]
    assert log.counts["loaded"] == 2 and log.counts["quarantined"] == 0 and len(log) == 2


def test_a_small_batch_and_a_frame_write_the_same_rows(engine, monkeypatch):
    """A batch below FRAME_ROWS is one executemany INSERT, a larger one one frame through the backend's bulk
    path: the rows read back are the same, values and types (None, a quality dict, a CJK name, a year)."""
    from datetime import datetime, timezone

    from load import run_log as load_run_log

    def rows(run_id: str) -> list[dict]:
        at = datetime(2026, 12, 7, 13, 0, tzinfo=timezone.utc)
        return [{"run_id": run_id, "seq": i, "logged_at": at, "source_uri": f"file:///d/{i}.pdf",
                 "document_id": f"{i:064d}", "status": "loaded" if i % 2 else "quarantined",
                 "reason": None if i % 2 else "无法读取", "department_name": "高邑县信访局" if i % 2 else None,
                 "fiscal_year": 2021 if i % 2 else None, "rows": i, "quality": {"passed": i} if i % 2 else {},
                 "stage": None if i % 2 else "parse"} for i in range(3)]

    assert load_run_log.append(engine, rows("a" * 32)) == 3  # 3 < FRAME_ROWS: the INSERT
    monkeypatch.setattr(load_run_log, "FRAME_ROWS", 1)
    assert load_run_log.append(engine, rows("b" * 32)) == 3  # the frame
    small, framed = list(load_run_log.rows(engine, "a" * 32)), list(load_run_log.rows(engine, "b" * 32))
    assert [{k: v for k, v in r.items() if k != "run_id"} for r in small] == \
        [{k: v for k, v in r.items() if k != "run_id"} for r in framed]
    assert [(r["status"], r["department_name"], r["quality"], r["logged_at"].year) for r in small] == [
        ("quarantined", None, {}, 2026), ("loaded", "高邑县信访局", {"passed": 1}, 2026), ("quarantined", None, {}, 2026)]
