"""Process parallelism: the same warehouse in this process, on worker processes and on a Dask LocalCluster.

A small corpus (the seed, the two text cases of ../shared/corpus/cases, two real PDFs, an
empty file) is run three ways — prepared in this process, on two isolated worker
processes in batches of two (several batches in flight while the writer stores), and
through the Prefect flow on a Dask ``LocalCluster`` of two workers — and every public view
must hold the same rows, and every document the same outcome. Also: a batch whose task is
lost is re-run here with each document isolated; task runs are named after their files;
the flow publishes a progress artifact.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import datetime, timezone

import pytest

from flows.parallel import Recovering, batch_label
from flows.request import Limits, RunRequest
from flows.runner import folder_items, run_items
from load.warehouse import opened
from schemas.public import PUBLIC_VIEWS
from tests.conftest import SEED_PATH, query_rows, require_shared

REAL_PDFS = ("002_北京/2026年北京市信访办公室部门预算.pdf", "001_上海/2026年上海市水务局_部门预算.pdf")
TIMESTAMPS = {"loaded_at", "last_seen_at", "seen_at"}


def mixed_folder(folder):
    """``folder`` created and filled with the seed, the shared case texts, two real PDFs and an empty file."""
    real, cases = require_shared("corpus", "real"), require_shared("corpus", "cases")
    folder.mkdir()
    shutil.copy(SEED_PATH, folder / SEED_PATH.name)
    for case in sorted(cases.glob("*.txt")):
        shutil.copy(case, folder / case.name)
    for pdf in REAL_PDFS:
        shutil.copy(real / pdf, folder / pdf.rsplit("/", 1)[1])
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return mixed_folder(tmp_path_factory.mktemp("parallel") / "docs")


def public_rows(url: str) -> dict[str, list[tuple]]:
    out = {}
    for view in PUBLIC_VIEWS:
        rows = query_rows(url, f"SELECT * FROM {view}")
        columns = [c for c, in query_rows(url, f"SELECT column_name FROM information_schema.columns "
                                               f"WHERE table_name = '{view}' ORDER BY ordinal_position")]
        keep = [i for i, c in enumerate(columns) if c not in TIMESTAMPS]
        out[view] = sorted((tuple("" if r[i] is None else str(r[i]) for i in keep) for r in rows))
    return out


def outcomes(summary) -> list[tuple]:
    return sorted((r.source_uri.rsplit("/", 1)[1], r.status, r.stage, r.reason, r.rows) for r in summary.reports)


@pytest.fixture(scope="module")
def in_process(corpus, tmp_path_factory):
    url = f"duckdb:///{tmp_path_factory.mktemp('inproc') / 'w.duckdb'}"
    with opened(url) as engine:
        summary = run_items(engine, folder_items(corpus), RunRequest())
    return url, summary


@pytest.mark.slow
def test_the_corpus_is_worth_comparing(in_process):
    url, summary = in_process
    assert summary.line() == "6 documents: 5 loaded, 1 quarantined, 0 unchanged, 0 skipped"
    views = public_rows(url)
    assert len(views["v_budget_summary"]) == 5 and len(views["v_document"]) == 6


@pytest.mark.slow  # two isolated worker processes over the small corpus: full suite only
def test_worker_processes_give_the_same_warehouse(corpus, in_process, tmp_path):
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    with opened(url) as engine:
        summary = run_items(engine, folder_items(corpus), RunRequest(limits=Limits(time_limit_s=60, workers=2)),
                            batch_size=2)
    assert outcomes(summary) == outcomes(in_process[1])
    assert public_rows(url) == public_rows(in_process[0])


@pytest.mark.slow  # a Dask LocalCluster under the Prefect server: full suite only
def test_a_dask_local_cluster_gives_the_same_warehouse(prefect_harness, corpus, in_process, tmp_path, monkeypatch,
                                                       caplog):
    from prefect.client.orchestration import get_client

    from flows import runner
    from flows.etl import on_engine, run_flow
    from flows.request import Limits, RunRequest

    monkeypatch.setattr(runner, "BATCH_SIZE", 2)  # three batches, so several are in flight on the cluster
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    summary = on_engine(run_flow, "local", 2)(RunRequest(source=str(corpus), warehouse=url, dask="local",
                                                         limits=Limits(time_limit_s=60, workers=2)))
    assert outcomes(summary) == outcomes(in_process[1])
    assert public_rows(url) == public_rows(in_process[0])
    assert "was lost" not in caplog.text  # prepared on the cluster, not re-run here

    async def read():
        async with get_client() as client:
            return await client.read_task_runs(), await client.read_latest_artifacts()

    task_runs, artifacts = asyncio.run(read())
    names = {t.name for t in task_runs if t.name.startswith("prepare ")}
    files = sorted(p.name for p in corpus.iterdir())
    assert f"prepare {files[0]} … {files[1]} (2 documents)" in names
    progress = {a.key: a for a in artifacts}["county-budgets-run-progress"]
    assert progress.type == "progress" and progress.data == 100.0


class LostWorker:
    def result(self):
        raise RuntimeError("Worker tcp://10.0.0.7:40123 was lost while running the task")


def test_a_lost_batch_is_prepared_again_here_each_document_isolated(caplog):
    items = [(SEED_PATH.read_bytes(), "file:///seed.txt"), (b"%PDF-1.4 truncated", "file:///broken.pdf")]
    recovered = Recovering(LostWorker(), items, datetime.now(timezone.utc), Limits(time_limit_s=30)).result()
    assert [(p.source_uri, p.status) for p in recovered] == [("file:///seed.txt", "loaded"),
                                                               ("file:///broken.pdf", "quarantined")]
    assert "the batch seed.txt … broken.pdf (2 documents) was lost (RuntimeError: Worker tcp://10.0.0.7:40123" \
           in caplog.text


def test_batch_labels_name_the_files():
    assert batch_label([(b"", "file:///a/b.pdf")]) == "b.pdf"
    assert batch_label([(b"", "https://x.gov.cn/1.pdf"), (b"", "x"), (b"", "/d/z.txt")]) == "1.pdf … z.txt (3 documents)"
