"""Progress people can see, and backfill reading each document once.

On a terminal ``run``/``backfill``/``audit`` draw a rich progress bar; elsewhere (here: the
test runner's pipes) they print plain lines on stderr — the first document, one line every
10 s, the last — and stdout stays the report alone.
"""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

from flows import pipeline, runner
from flows.cli import app
from flows.progress import PlainProgress, TerminalProgress, reporting, tracker
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


def test_run_prints_plain_progress_lines_on_stderr_when_not_a_terminal(folder, tmp_path):
    result = CliRunner().invoke(app, ["run", "--no-prefect", "--source", str(folder), "--warehouse",
                                      f"duckdb:///{tmp_path / 'w.duckdb'}"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"run: 1/3 documents \(33%\), [\d.]+ documents/s, about \d:\d\d:\d\d left — "
                        r"a_gaoyi_2021\.txt: loaded", lines[0]), lines
    assert re.fullmatch(r"run: 3/3 documents \(100%\), [\d.]+ documents/s, \d:\d\d:\d\d in all — "
                        r"c_empty\.txt: quarantined", lines[-1]), lines
    assert "documents/s" not in result.stdout


def test_audit_progress_stays_off_stdout(folder):
    result = CliRunner().invoke(app, ["audit", str(folder), "--time-limit", "0"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1].startswith("audit: 3/3 documents (100%)")
    assert "audit:" not in result.stdout and result.stdout.startswith("a_gaoyi_2021.txt\n")


def test_backfill_reads_and_prepares_each_document_once(folder, tmp_path, monkeypatch):
    reads, prepares = [], []
    read, prepare = runner.read_source_file, pipeline.prepare
    monkeypatch.setattr(runner, "read_source_file", lambda path: reads.append(path.name) or read(path))
    monkeypatch.setattr(pipeline, "prepare", lambda data, uri, **kw: prepares.append(uri) or prepare(data, uri, **kw))
    result = CliRunner().invoke(app, ["backfill", "--no-prefect", "--time-limit", "0", "--source", str(folder),
                                      "--years", "2019-2021", "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}"])
    assert result.exit_code == 0, result.output
    assert sorted(reads) == ["a_gaoyi_2021.txt", "b_zhaoxian_2020.txt", "c_empty.txt"]
    assert len(prepares) == 3
    assert "2019: 0 loaded, 0 quarantined\n2020: 1 loaded, 0 quarantined\n2021: 1 loaded, 0 quarantined\n" \
           "other years or no year: 1 quarantined" in result.stdout
    assert result.stderr.splitlines()[-1].startswith("run: 3/3 documents (100%)")


def test_plain_lines_come_every_interval_and_at_the_end():
    out = io.StringIO()
    with reporting(PlainProgress(out, interval_s=3600)), tracker("run", 4) as progress:
        for name in "abcd":
            progress.advance(f"{name}.pdf", "loaded")
    assert [line.split(" — ")[1] for line in out.getvalue().splitlines()] == ["a.pdf: loaded", "d.pdf: loaded"]


def test_a_terminal_gets_a_bar_with_count_rate_and_current_file():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140)
    with reporting(TerminalProgress(console)), tracker("run", 2) as progress:
        progress.advance("一.pdf", "loaded")
        progress.advance("二.pdf", "quarantined")
    final = out.getvalue().rsplit("\r", 1)[-1]
    assert "2/2" in final and "docs/s" in final and "run" in final and "二.pdf quarantined" in final
