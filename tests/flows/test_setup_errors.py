"""Set-up problems: one line on stderr naming the problem and the fix, exit 2; --verbose adds the traceback."""

from __future__ import annotations

import re

import subprocess
import sys
import textwrap
import time

import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.conftest import REPO_ROOT, closed_port, query_rows

runner = CliRunner()
REGISTRY_HEADER = "省份,城市,区县,地区名称,层级,原始链接,页面是否可用,地区是否匹配,页面类型\n"


@pytest.fixture
def source(seed_folder):
    return seed_folder


def run(*args: str):
    return runner.invoke(app, ["run", "--no-prefect", *args])


def assert_one_line(result, *fragments: str) -> str:
    assert result.exit_code == 2, result.output
    # a run that found the damage once it had begun (or at the refresh after its documents) has already
    # said what it is to read and how far it got (flows.progress)
    lines = [line for line in result.stderr.strip().splitlines()
             if not re.match(r"run: \d+ documents? to read|run: \d+/\d+ documents", line)]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("url, fragments", [
    ("sqlite:///x.db", ["unsupported warehouse 'sqlite' in 'sqlite:///x.db'", "use duckdb:///"]),
    ("not a url", ["cannot parse the warehouse URL 'not a url'", "postgresql+psycopg://"]),
    ("postgresql+asyncpg://u@h/db", ["warehouse driver 'postgresql+asyncpg' is not installed"]),
])
def test_bad_or_unsupported_warehouse_url(source, url, fragments):
    assert_one_line(run("--source", str(source), "--warehouse", url), *fragments)


@pytest.mark.parametrize("command", [["run", "--no-prefect"], ["coverage"]])
def test_postgresql_url_without_its_driver_names_the_install(source, monkeypatch, command):
    # a default install has no psycopg: the URL must not end in a ModuleNotFoundError traceback
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else real(name, *a))
    args = [*command, "--warehouse", "postgresql://u@127.0.0.1/db"] + (["--source", str(source)] if "run" in command else [])
    assert_one_line(runner.invoke(app, args), "needs the psycopg driver", "pip install -e '.[postgres]'")


def test_unreachable_postgresql_server(source):
    port = closed_port()
    line = assert_one_line(run("--source", str(source), "--warehouse", f"postgresql://cb@127.0.0.1:{port}/w"),
                           f"cannot connect to the PostgreSQL warehouse at 127.0.0.1:{port}/w",
                           "Start the server or fix --warehouse")
    assert "refused" in line.lower()


def test_verbose_adds_the_traceback(source):
    result = runner.invoke(app, ["run", "--no-prefect", "--source", str(source), "--warehouse", "sqlite:///x.db",
                                 "--verbose"])
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: unsupported warehouse 'sqlite'")


def test_missing_source(tmp_path):
    assert_one_line(run("--source", str(tmp_path / "nope"), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}"),
                    "source not found", "Give an existing folder or file")


def test_the_registry_csv_is_not_taken_for_a_url_manifest(tmp_path):
    # regression: run --source disclosure_portals.csv started fetching thousands of portal index pages
    registry = tmp_path / "disclosure_portals.csv"
    registry.write_text(REGISTRY_HEADER + "河北省,石家庄市,高邑县,高邑县,区县,http://127.0.0.1:9/x,是,是,预决算页面\n",
                        encoding="utf-8")
    assert_one_line(run("--source", str(registry), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}"),
                    "is a registry of disclosure portals, not a list of document URLs",
                    f"county-budgets sources import {registry}")


def test_a_csv_without_urls(tmp_path):
    manifest = tmp_path / "urls.csv"
    manifest.write_text("name,address\n高邑县,x\n", encoding="utf-8")
    assert_one_line(run("--source", str(manifest), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}"),
                    f"cannot use {manifest} as a list of document URLs", "needs a url column")


def hold_duckdb(path, seconds: float) -> subprocess.Popen:
    """Another process (an analyst's session) holding the DuckDB file for ``seconds``."""
    code = textwrap.dedent(f"""
        import duckdb, sys, time
        connection = duckdb.connect({str(path)!r})
        print("holding", flush=True)
        time.sleep({seconds})
        connection.close()
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_duckdb_file_held_by_another_process_is_refused_after_a_bounded_wait(tmp_path, source):
    path = tmp_path / "w.duckdb"
    holder = hold_duckdb(path, 60)
    try:
        started = time.monotonic()
        result = run("--source", str(source), "--warehouse", f"duckdb:///{path}", "--lock-wait", "1")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert_one_line(result, f"the warehouse file {path} is in use by another process", "waited 1 s",
                    "Let that run finish")
    assert 1 <= waited < 15


@pytest.mark.slow  # waits for a process holding the file: full suite only
def test_a_run_waits_for_a_duckdb_file_that_is_released(tmp_path, source):
    path = tmp_path / "w.duckdb"
    holder = hold_duckdb(path, 2)
    try:
        result = run("--source", str(source), "--warehouse", f"duckdb:///{path}", "--lock-wait", "30")
    finally:
        holder.wait()
    assert result.exit_code == 0, result.output
    assert "1 documents: 1 loaded" in result.output
    assert query_rows(f"duckdb:///{path}", "SELECT COUNT(*) FROM v_budget_summary") == [(1,)]


def test_an_unreadable_source(source, tmp_path, monkeypatch):
    # root reads everything, so the permission check is exercised by denying it where it is asked
    import flows.runs

    monkeypatch.setattr(flows.runs.os, "access", lambda path, mode: False)
    assert_one_line(run("--source", str(source), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}"),
                    f"cannot read the source {source}: permission denied")


def test_a_duckdb_file_in_a_missing_folder_is_refused_with_its_absolute_path(source, tmp_path, monkeypatch):
    # duckdb:///data/x.duckdb is ./data/x.duckdb: the folder is never created behind a typo for /data
    monkeypatch.chdir(tmp_path)
    for command in (["run", "--no-prefect", "--source", str(source)], ["departments"], ["quality"]):
        line = assert_one_line(runner.invoke(app, [*command, "--warehouse", "duckdb:///data/x.duckdb"]),
                               "duckdb:////data/x.duckdb", str(tmp_path / "data"))
        assert not (tmp_path / "data").exists(), line
    line = assert_one_line(run("--source", str(source), "--warehouse", "duckdb:///data/x.duckdb"))
    assert line == (f"error: the folder of the warehouse file does not exist: {tmp_path / 'data'} (duckdb:///data/x.duckdb "
                    f"names {tmp_path / 'data' / 'x.duckdb'}: after duckdb:// three slashes begin a path relative to the "
                    "current folder, four an absolute one (duckdb:////data/x.duckdb)). Create the folder first, or fix "
                    "--warehouse")


@pytest.mark.parametrize("url, fragment", [
    ("postgresql://cb@127.0.0.1:abc/db", "its port 'abc' is not a number"),
    ("postgresql://cb@127.0.0.1:99999/db", "names port 99999, outside 1–65535"),
])
def test_a_bad_port(source, url, fragment):
    assert_one_line(run("--source", str(source), "--warehouse", url), fragment)


BLOCK = 262_144  # DuckDB's block size; the file starts with a 12 KiB header


def damaged_copies(tmp_path, source) -> dict[str, str]:
    """A loaded warehouse file, then copies: one with a block overwritten, one cut to a third."""
    good = tmp_path / "good.duckdb"
    assert run("--source", str(source), "--time-limit", "0", "--warehouse", f"duckdb:///{good}").exit_code == 0
    data = good.read_bytes()
    out = {}
    for name, damaged in (("block", data[: 12288 + BLOCK + 8] + b"\x5a" * 262000 + data[12288 + BLOCK + 262008:]),
                          ("truncated", data[: len(data) // 3])):
        path = tmp_path / f"{name}.duckdb"
        path.write_bytes(damaged)
        out[name] = f"duckdb:///{path}"
    return out


@pytest.mark.parametrize("command", [["run", "--no-prefect", "--time-limit", "0", "--force"], *(
    pytest.param(c, marks=pytest.mark.slow)  # each damages a new warehouse: the fast lane keeps the run's
    for c in (["quality"], ["compare", "--category", "信访"], ["departments"], ["export", "--out", "x"]))])
@pytest.mark.slow
def test_a_damaged_warehouse_file_is_one_line_exit_2(source, tmp_path, command):
    for kind, url in damaged_copies(tmp_path, source).items():
        args = [*command, "--warehouse", url] + (["--source", str(source)] if command[0] == "run" else [])
        line = assert_one_line(runner.invoke(app, args), "is damaged (", "Restore it from a backup")
        assert ("checksum" in line) if kind == "block" else ("Could not read enough bytes" in line), line


@pytest.mark.slow
def test_no_damaged_block_of_a_warehouse_file_ends_in_a_traceback(source, tmp_path):
    good = tmp_path / "good.duckdb"
    assert run("--source", str(source), "--time-limit", "0", "--warehouse", f"duckdb:///{good}").exit_code == 0
    data, damaged = good.read_bytes(), tmp_path / "damaged.duckdb"
    outcomes = set()
    for offset in range(12288 + 8, len(data), BLOCK):
        for command in (["quality"], ["run", "--no-prefect", "--time-limit", "0", "--source", str(source)]):
            damaged.write_bytes(data[:offset] + b"\x5a" * 262000 + data[offset + 262000:])
            result = runner.invoke(app, [*command, "--warehouse", f"duckdb:///{damaged}"])
            assert result.exit_code in (0, 2), (offset, result.output)
            if result.exit_code == 2:
                assert_one_line(result, "is damaged (")
            outcomes.add(result.exit_code)
    assert outcomes == {0, 2}  # some blocks are free space; the others are refused in one line
