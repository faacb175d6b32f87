"""The ``--dask-address`` path on a real cluster: a scheduler and two workers as separate processes.

``dask scheduler`` and two ``dask worker`` processes (one thread each, no nanny, so a killed
worker stays dead) are started on 127.0.0.1 by the test, not a LocalCluster. The Prefect flow
prepares a folder (the seed, the shared text cases, two real PDFs, an empty file and 24
synthetic budgets) on that cluster in batches of two; as soon as the first worker holds a task,
it is killed with SIGKILL (with the isolated worker processes it started). Every document must
still be recorded — loaded, or quarantined with its reason, never lost, never twice, never
half-loaded: the public views equal those of the same folder prepared in this process — and a
re-run over the surviving worker finds every document unchanged and changes no row.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flows.request import Limits, RunRequest
from flows.runner import folder_items, run_items
from load.warehouse import opened
from tests.conftest import REPO_ROOT, closed_port
from tests.flows.test_parallel import mixed_folder, outcomes, public_rows

pytestmark = pytest.mark.slow
DASK = str(Path(sys.executable).with_name("dask"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from tests.synthetic.corpus import build_corpus

    docs = mixed_folder(tmp_path_factory.mktemp("dask-cluster") / "docs")
    for d in build_corpus(1).documents[:24]:
        (docs / d.name).write_bytes(d.data)
    return docs


def _start(args: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([DASK, *args], env=env, cwd=REPO_ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)  # its own process group: the worker and its isolated workers


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(30)


@pytest.fixture
def cluster(tmp_path):
    from distributed import Client

    address = f"tcp://127.0.0.1:{closed_port()}"
    started = [_start(["scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                       "--no-dashboard"], tmp_path / "scheduler.log")]
    try:
        for name in ("w1", "w2"):
            started.append(_start(["worker", address, "--name", name, "--nthreads", "1", "--no-nanny",
                                   "--no-dashboard"], tmp_path / f"{name}.log"))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
            workers = {info["name"]: addr for addr, info in
                       client.scheduler_info()["workers"].items()}
            yield address, client, workers, dict(zip(("scheduler", "w1", "w2"), started))
    finally:
        for process in reversed(started):
            _stop(process)


def _kill_when_busy(client, address: str, process: subprocess.Popen, killed: dict) -> None:
    """SIGKILL the worker at ``address`` (its process group) as soon as it holds a task; note when."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if client.processing().get(address):
                os.killpg(process.pid, signal.SIGKILL)
                killed["at"] = time.monotonic()
                return
        except Exception:  # noqa: BLE001 - the scheduler is asked again
            pass
        time.sleep(0.02)


def _request(folder, url: str, address: str, *, workers: int) -> RunRequest:
    """A run of ``folder`` into ``url`` prepared on the cluster at ``address`` (one flow parameter)."""
    return RunRequest(source=str(folder), warehouse=url, dask=address, use_prefect=True,
                      limits=Limits(time_limit_s=60, workers=workers))


def test_a_worker_killed_mid_run_loses_no_document(prefect_harness, folder, cluster, tmp_path, monkeypatch):
    from flows import runner
    from flows.etl import on_engine, run_flow

    address, client, workers, processes = cluster
    reference_url = f"duckdb:///{tmp_path / 'reference.duckdb'}"
    with opened(reference_url) as engine:
        reference = run_items(engine, folder_items(folder), RunRequest())

    monkeypatch.setattr(runner, "BATCH_SIZE", 2)  # many batches, several in flight on each worker
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    killed: dict = {}
    killer = threading.Thread(target=_kill_when_busy, args=(client, workers["w1"], processes["w1"], killed))
    killer.start()
    started = time.monotonic()
    summary = on_engine(run_flow, address, 2)(_request(folder, url, address, workers=2))
    finished = time.monotonic()
    killer.join()
    assert "at" in killed, "the first worker was never seen holding a task"
    assert started < killed["at"] < finished  # killed while the run was preparing
    assert processes["w1"].wait(10) == -signal.SIGKILL

    files = sorted(p.name for p in folder.iterdir())
    assert sorted(r.source_uri.rsplit("/", 1)[1] for r in summary.reports) == files  # every one, once
    assert outcomes(summary) == outcomes(reference)  # loaded, or quarantined with the same reason
    assert all(r.reason for r in summary.reports if r.status == "quarantined")
    assert public_rows(url) == public_rows(reference_url)  # nothing half-loaded, nothing twice

    again = on_engine(run_flow, address, 1)(_request(folder, url, address, workers=1))
    assert again.counts["unchanged"] == len(files) and again.counts["loaded"] == 0
    assert public_rows(url) == public_rows(reference_url)
