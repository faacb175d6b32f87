"""An unchanged night costs its warehouse queries, not the parser's import (issue 21).

A run's fixed cost is most of what a night in which nothing changed pays: the command's imports,
opening the warehouse and the check of each file's sha256. These tests run the real command in
fresh processes and look at what it imported: a ``run`` over files already loaded by this parser
imports neither the parser, nor polars/Arrow/pandera, nor alembic (the warehouse is at its head),
nor the query commands, and starts no worker process; the first run, which has documents to
store, imports polars and the transform but still not the parser (its workers prepared them).
``county-budgets --help`` still lists every command.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from cli.main import command_named, prepares_here
from tests.conftest import REPO_ROOT, SEED_PATH

HEAVY = ("extract.parse.document", "polars", "pyarrow", "pandera", "alembic", "transform", "cli.audit",
         "cli.compare", "flows.pipeline", "flows.conform", "pdfminer")
PROBE = """
import multiprocessing, sys
from cli.main import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = [m for m in {heavy!r} if m in sys.modules]
print("IMPORTED", heavy, "CHILDREN", len(multiprocessing.active_children()), "EXIT", code)
"""


def probe(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return next(line for line in done.stdout.splitlines() if line.startswith("IMPORTED"))


def test_an_unchanged_run_imports_neither_the_parser_nor_polars(seed_folder, tmp_path):
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    run = ("run", "--no-prefect", "--source", str(seed_folder), "--warehouse", url, "--workers", "1")
    first = probe(*run)
    assert "'polars'" in first and "'transform'" in first  # a document was stored (flows.prepared) …
    # … that a worker prepared: the writer imports neither the parser nor pdfminer (0.2 s of its CPU)
    assert "'extract.parse.document'" not in first and "'flows.pipeline'" not in first and "'pdfminer'" not in first
    assert probe(*run) == "IMPORTED [] CHILDREN 0 EXIT 0"


@pytest.mark.parametrize("argv, named", [(["run", "-s", "x"], "run"), (["--verbose", "compare", "--help"], "compare"),
                                         (["--help"], None), ([], None)])
def test_the_command_a_line_names(argv, named):
    assert command_named(argv) == named


@pytest.mark.parametrize("argv, env, starts", [
    (["run", "--source", "d", "--no-prefect"], {}, True),
    (["backfill", "--years", "2021"], {}, True),
    (["--verbose", "run", "-s", "d"], {}, True),
    (["run", "--source", "d", "--time-limit", "0"], {}, False),  # prepared in the command's own process
    (["run", "--source", "d", "--time-limit=0"], {}, False),
    (["run", "--source", "d", "--time-limit", "30"], {}, True),
    (["run", "--source", "d", "--dask"], {}, False),
    (["run", "--dask-address=tcp://127.0.0.1:8786"], {}, False),
    (["run", "--source", "d"], {"COUNTY_BUDGETS_DASK_ADDRESS": "tcp://127.0.0.1:8786"}, False),
    (["run", "--help"], {}, False), (["compare"], {}, False), (["serve"], {}, False), ([], {}, False)])
def test_the_forkserver_is_started_first_only_for_a_run_whose_documents_this_machine_prepares(argv, env, starts,
                                                                                              monkeypatch):
    monkeypatch.delenv("COUNTY_BUDGETS_DASK_ADDRESS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert prepares_here(argv) is starts


def test_the_command_starts_the_forkserver_before_its_own_imports_and_freezes_the_collector_on_its_way_out(
        tmp_path):
    """``python -m cli run`` (cli.main.entry): the forkserver is running before ``cli.run`` is imported, and
    at exit, however the command ended (here a setup error, exit 2), the collector has frozen what the
    command made, so the interpreter's finalization does not walk it; the forkserver is gone."""
    script = """
import atexit, gc, sys
from multiprocessing import forkserver
import flows.forkserver
started = []
real_start = flows.forkserver.start
def start():
    real_start()
    started.append(("cli.run" in sys.modules, forkserver._forkserver._forkserver_pid is not None))
flows.forkserver.start = start
atexit.register(lambda: print("AT EXIT", started[0], gc.get_freeze_count() > 10_000,
                              forkserver._forkserver._forkserver_pid, flush=True))
sys.argv = ["county-budgets", *sys.argv[1:]]
from cli.main import entry
entry()
"""
    done = subprocess.run([sys.executable, "-c", script, "run", "--no-prefect", "--source", str(tmp_path / "absent"),
                           "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]
    # first started before cli.run was imported (the run's own warm-up later finds it running); frozen; gone
    assert "AT EXIT (False, True) True None" in done.stdout, (done.stdout, done.stderr[-2000:])


def test_help_still_lists_every_command():
    done = subprocess.run([sys.executable, "-m", "cli", "--help"], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    listed = {line.split()[1] for line in done.stdout.splitlines() if line.startswith("│ ") and len(line.split()) > 2}
    assert {"run", "backfill", "serve", "audit", "export", "compare", "coverage", "quality", "departments",
            "report", "rules", "sources", "review"} <= listed


def test_the_forkserver_is_stopped_at_close_whether_idle_or_used_and_a_next_run_starts_another():
    """The forkserver a run starts early holds the command's stdout: left to itself, a caller reading the
    output to its end would wait for its imports (no document needed it) or for its own exit after this
    process's (0.2 s tearing down the pipeline). It is killed at close, idle or used; the next run starts
    another, which prepares a document."""
    script = """
import sys, time
from datetime import datetime, timezone
from multiprocessing import forkserver
import psutil
from flows.isolation import close_shared, preparer_for
from flows.request import Limits

def gone(pid):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False

preparer = preparer_for(Limits(workers=1))
preparer.warm()
pid = forkserver._forkserver._forkserver_pid
started = time.monotonic()
close_shared()
print("idle", gone(pid), time.monotonic() - started < 1)
preparer = preparer_for(Limits(workers=1))
preparer.warm()
again = forkserver._forkserver._forkserver_pid
[done] = preparer([(open(sys.argv[1], "rb").read(), "file:///seed.txt")], datetime.now(timezone.utc))
close_shared()
print("used", again != pid, done.status, gone(again))
preparer = preparer_for(Limits(workers=1))
[done] = preparer([(open(sys.argv[1], "rb").read(), "file:///seed.txt")], datetime.now(timezone.utc))
print("next", forkserver._forkserver._forkserver_pid not in (pid, again), done.status, done.department_name)
close_shared()
"""
    done = subprocess.run([sys.executable, "-c", script, str(SEED_PATH)], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["idle True True", "used True loaded True", "next True loaded 高邑县信访局"], done.stdout


def test_the_writer_hands_the_pool_its_function_without_importing_the_pipeline():
    """The pool is given :func:`flows.isolation.prepare_in_worker` (pickled by name), not the pipeline's
    ``prepare``: importing that in the writer held back the first document's scheduling by 0.6–0.8 s while
    the forkserver had it imported already. A worker runs the real ``prepare`` through it."""
    script = """
import pickle, sys
from datetime import datetime, timezone
from flows.isolation import close_shared, prepare_in_worker, preparer_for
from flows.request import Limits

preparer = preparer_for(Limits(workers=1))
print(preparer.fn is prepare_in_worker, len(pickle.dumps(preparer.fn)) < 100, "flows.pipeline" in sys.modules)
[done] = preparer([(open(sys.argv[1], "rb").read(), "file:///seed.txt")], datetime.now(timezone.utc))
close_shared()
print(done.status, done.department_name, done.fiscal_year)
"""
    done = subprocess.run([sys.executable, "-c", script, str(SEED_PATH)], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["True True False", "loaded 高邑县信访局 2021"], done.stdout
