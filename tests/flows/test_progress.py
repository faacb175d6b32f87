"""Progress people can see, and backfill reading each document once.

On a terminal ``run``/``backfill``/``audit`` draw a rich progress bar; elsewhere (here: the
test runner's pipes) they print plain lines on stderr — the first document, one line every
10 s, the last — and stdout stays the report alone.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from rich.console import Console
from typer.testing import CliRunner

from flows import items, pipeline
from cli.app import app
from flows.progress import Estimate, PlainProgress, TerminalProgress, reporting, tracker
from tests.conftest import SEED_PATH

SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a_gaoyi_2021.txt").write_bytes(SEED_PATH.read_bytes())
    (docs / "b_zhaoxian_2020.txt").write_text(SEED_TEXT.replace("高邑县", "赵县").replace("2021", "2020")
                                              .replace("2020年预算收入", "2019年预算收入"), encoding="utf-8")
    (docs / "c_empty.txt").write_bytes(b"")
    return docs


LINE = r"run: (\d)/3 documents \(\d+%\), \d+ pages, [\d.]+ pages/s, "


def test_run_prints_plain_progress_lines_on_stderr_when_not_a_terminal(folder, tmp_path):
    result = CliRunner().invoke(app, ["run", "--no-prefect", "--source", str(folder), "--warehouse",
                                      f"duckdb:///{tmp_path / 'w.duckdb'}"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"run: 3 documents to read \(\d+ KiB\)", lines[0]), lines
    # the first document done, whichever of the two workers finishes first; a read one is "read"
    assert re.fullmatch(LINE + r"(about \d:\d\d:\d\d left|time left not known yet) — "
                        r"(a_gaoyi_2021\.txt: read|b_zhaoxian_2020\.txt: read|c_empty\.txt: quarantined)",
                        lines[1]), lines
    assert re.fullmatch(LINE.replace("(\\d)", "3") + r"\d:\d\d:\d\d in all — .+", lines[-1]), lines
    assert lines[1].startswith("run: 1/3") and lines[-1].startswith("run: 3/3 documents (100%), 2 pages")
    assert "pages/s" not in result.stdout


def test_audit_progress_stays_off_stdout(folder):
    result = CliRunner().invoke(app, ["audit", str(folder), "--time-limit", "0"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1].startswith("audit: 3/3 documents (100%)")
    assert "audit:" not in result.stdout and result.stdout.startswith("a_gaoyi_2021.txt\n")


def test_backfill_reads_and_prepares_each_document_once(folder, tmp_path, monkeypatch):
    reads, prepares = [], []
    read, prepare = items.read_source_file, pipeline.prepare
    monkeypatch.setattr(items, "read_source_file", lambda path: reads.append(path.name) or read(path))
    monkeypatch.setattr(pipeline, "prepare", lambda data, uri, **kw: prepares.append(uri) or prepare(data, uri, **kw))
    result = CliRunner().invoke(app, ["backfill", "--no-prefect", "--time-limit", "0", "--source", str(folder),
                                      "--years", "2019-2021", "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}"])
    assert result.exit_code == 0, result.output
    assert sorted(reads) == ["a_gaoyi_2021.txt", "b_zhaoxian_2020.txt", "c_empty.txt"]
    assert len(prepares) == 3
    assert "2019: 0 loaded, 0 quarantined\n2020: 1 loaded, 0 quarantined\n2021: 1 loaded, 0 quarantined\n" \
           "other years or no year: 1 quarantined" in result.stdout
    assert result.stderr.splitlines()[-1].startswith("run: 3/3 documents (100%)")


def test_plain_lines_come_at_the_start_the_first_document_and_the_end():
    out = io.StringIO()
    with reporting(PlainProgress(out, interval_s=3600)), tracker("run", 4, 4000) as progress:
        for name in "abcd":
            progress.advance(f"{name}.pdf", "loaded", pages=2, size=1000)
    lines = out.getvalue().splitlines()
    assert lines[0] == "run: 4 documents to read (4 KiB)"
    assert [line.split(" — ")[1] for line in lines[1:]] == ["a.pdf: loaded", "d.pdf: loaded"]
    assert lines[-1].startswith("run: 4/4 documents (100%), 8 pages, ")


def test_a_line_comes_every_interval_while_a_document_takes_long():
    out = io.StringIO()
    with reporting(PlainProgress(out, interval_s=0.2)), tracker("run", 2) as progress:
        progress.advance("a.pdf", "read", pages=3)
        time.sleep(1.0)  # the second document takes long: the clock keeps writing
        progress.advance("b.pdf", "read", pages=3)
    lines = out.getvalue().splitlines()
    steady = [line for line in lines if line.startswith("run: 1/2 documents")]
    assert len(steady) >= 3, lines  # the first document's line, then one about every 0.2 s
    assert lines[-1].startswith("run: 2/2 documents (100%), 6 pages")


def test_time_left_is_pages_left_at_the_pages_per_second_so_far():
    estimate = Estimate(total=4, total_bytes=4000, started=0.0)
    estimate.record("unchanged.pdf", None, 1000, now=1.0)  # settled unread: no work, not in what is left
    for key in ("a", "b"):
        estimate.expect(key, 10, 1000)
    assert estimate.left_s(5.0) is None  # nothing read yet
    estimate.record("a", 10, 1000, now=10.0)  # the first: its time is the workers' start, not pages'
    estimate.record("b", 20, 1000, now=20.0)  # 20 pages in 10 s: 2 pages/s; expected 10, had 20
    # left: the last, unread, 1000 bytes at 30 pages per 2000 bytes = 15 pages, at 2 pages/s
    assert estimate.left_s(20.0) == pytest.approx(7.5)
    assert (estimate.done, estimate.pages) == (3, 30)


def test_a_terminal_gets_a_bar_with_count_rate_and_current_file():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140)
    with reporting(TerminalProgress(console)), tracker("run", 2) as progress:
        progress.advance("一.pdf", "loaded", pages=5)
        progress.advance("二.pdf", "quarantined", pages=0)
    final = out.getvalue().rsplit("\r", 1)[-1]
    assert "2/2" in final and "pages/s" in final and "run" in final and "二.pdf: quarantined" in final


def test_a_document_stored_is_let_go_so_the_tracker_keeps_only_documents_in_flight():
    from flows.progress import Tracker

    run = Tracker("run", 3)
    run.advance("a.pdf", "loaded", key="a", pages=2)  # the worker's report
    run.advance("a.pdf", "loaded", key="a", pages=2, final=True)  # the writer's: counted once, then let go
    run.advance("b.pdf", "loaded", key="b", pages=1, final=True)  # only the writer's (a Dask worker's is elsewhere)
    run.advance("c.pdf", "quarantined", key="c", pages=1)
    assert run.estimate.done == 3 and run.estimate.pages == 4
    assert run._seen == {"c"}
