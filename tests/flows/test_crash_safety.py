"""Crash safety and concurrency with real processes: SIGKILL mid-load, then re-run; two runs at once.

Each document is written in one transaction, so a run killed in the middle of a load
leaves the documents it committed and nothing of the one it was writing; the re-run
loads the rest and the warehouse equals a clean load. On PostgreSQL two runs over the
same documents (both ``--force``, so both write every document) serialise per document
on advisory locks: no duplicate, no interleaving, no document refused.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from flows.pipeline import prepare, store
from load.warehouse import opened
from schemas.warehouse import DOCUMENT_FACT_TABLES
from tests.conftest import REPO_ROOT, SEED_PATH, make_warehouse_url, query_rows

SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
VARIANTS = [("高邑县", 2021), ("赵县", 2021), ("无极县", 2020), ("平山县", 2021), ("元氏县", 2019), ("赞皇县", 2021)]
TABLES = ["dim_document", *(t.name for t in DOCUMENT_FACT_TABLES)]


def variant(county: str, year: int) -> str:
    return SEED_TEXT.replace("高邑县", county).replace("2021", str(year)).replace("2020", str(year - 1))


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for county, year in VARIANTS:
        (docs / f"{county}_{year}.txt").write_text(variant(county, year), encoding="utf-8")
    return docs


def per_document_counts(url: str) -> dict[str, tuple[int, ...]]:
    """document source file → (status, rows in every fact table): equal warehouses give equal maps."""
    out = {}
    for document_id, uri, status in query_rows(url, "SELECT document_id, source_uri, status FROM dim_document"):
        counts = tuple(query_rows(url, f"SELECT COUNT(*) FROM {t} WHERE document_id = :d", d=document_id)[0][0]
                       for t in TABLES)
        out[uri.rsplit("/", 1)[1]] = (status, *counts)
    return out


def clean_reference(folder, dialect, request, tmp_path) -> dict:
    (tmp_path / "clean").mkdir()
    url = make_warehouse_url(dialect, request, tmp_path / "clean")
    with opened(url) as engine:
        for path in sorted(folder.iterdir()):
            store(engine, prepare(path.read_bytes(), str(path.resolve())))
    return per_document_counts(url)


def cli(url: str, folder, *extra: str, env: dict | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "tests.flows.stall", "run", "--no-prefect", "--source", str(folder),
               "--warehouse", url, "--time-limit", "60", *extra]
    return subprocess.Popen(command, cwd=REPO_ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def wait_for(path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def no_duplicates(url: str) -> None:
    for t in TABLES:
        [(total,)] = query_rows(url, f"SELECT COUNT(*) FROM {t}")
        [(distinct,)] = query_rows(url, f"SELECT COUNT(*) FROM (SELECT DISTINCT * FROM {t}) d")
        assert total == distinct, t


@pytest.mark.slow  # kills a child run mid-load and runs again (a minute and more): full suite only
def test_sigkill_in_the_middle_of_a_load_then_rerun(folder, warehouse_url, dialect, request, tmp_path):
    marker = tmp_path / "stalled"
    killed = cli(warehouse_url, folder, env={"CB_STALL_AT": "3", "CB_STALL_MARKER": str(marker), "CB_STALL_S": "120"})
    try:
        wait_for(marker, 120)  # the third document is half-written, its transaction open
        os.killpg(killed.pid, signal.SIGKILL)
    finally:
        killed.wait(30)
    assert killed.returncode == -signal.SIGKILL

    after_kill = per_document_counts(warehouse_url)
    reference = clean_reference(folder, dialect, request, tmp_path)
    assert len(after_kill) == 2  # two committed documents, nothing of the third
    assert all(after_kill[name] == reference[name] for name in after_kill)
    orphans = query_rows(warehouse_url, "SELECT COUNT(*) FROM fct_budget_line WHERE document_id NOT IN "
                                        "(SELECT document_id FROM dim_document)")
    assert orphans == [(0,)]

    rerun = cli(warehouse_url, folder)
    output, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, output
    assert "6 documents: 4 loaded, 0 quarantined, 2 unchanged" in output, output
    assert per_document_counts(warehouse_url) == reference
    no_duplicates(warehouse_url)


@pytest.mark.slow  # PostgreSQL: full suite only (as every PostgreSQL half, tests/conftest.py DIALECT_PARAMS)
def test_two_runs_at_once_on_postgresql_never_duplicate_or_interleave(folder, request, tmp_path):
    url = make_warehouse_url("postgresql", request, tmp_path, migrated=False)  # both runs also migrate it
    slow = {"CB_STALL_EVERY_S": "0.3"}  # every load transaction stays open a while: the runs overlap
    runs = [cli(url, folder, "--force", env=slow) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    for run, output in zip(runs, outputs):
        assert run.returncode == 0, output
        assert "6 documents: 6 loaded, 0 quarantined" in output, output
    assert per_document_counts(url) == clean_reference(folder, "postgresql", request, tmp_path)
    no_duplicates(url)
