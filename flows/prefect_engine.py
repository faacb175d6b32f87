"""Prefect's side of preparing documents: the batch task, the preparers that feed it, the task
runners (this machine's threads or Dask), and the progress artifact.

:mod:`flows.etl` builds its flows from these; :mod:`flows.runs` imports both only when a run asks
for Prefect, so ``--no-prefect`` runs never pay Prefect's import and start-up. Each task carries a
batch of documents, named after its first and last file, prepared on this machine's isolated
worker processes or on Dask (:func:`on_engine`). Task caching is off (``NONE``): inputs are bytes
and engines, and re-running must re-check the warehouse, not a cache.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Sequence

from prefect import task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext

from flows.parallel import Recovering, batch_label, prepare_batch
from flows.pipeline import Prepared
from flows.request import Limits, default_workers
from flows.safe_text import safe_markdown
from schemas.errors import SetupError
from schemas.redact import mask_url

PROGRESS_EVERY_S = 5.0  # at most one progress artifact update per this many seconds
LOCAL_TASK_BATCH = 32  # documents per task run when the task feeds this machine's isolated workers


@task(name="prepare-documents", task_run_name="prepare {label}", cache_policy=NONE, retries=0)
def prepare_task(batch: Sequence[tuple[bytes, str]], loaded_at: datetime, limits: Limits | None,
                 label: str) -> list[Prepared]:
    """Prepare a batch of documents, each in a worker process under ``limits`` (flows.isolation); on a
    Dask worker, with as many isolated worker processes as that Dask worker has threads."""
    return prepare_batch(batch, loaded_at, limits, _dask_threads())


def _dask_threads() -> int | None:
    try:
        from distributed import get_worker

        return get_worker().state.nthreads
    except (ImportError, ValueError):  # not on a Dask worker
        return None


class Forgetting:
    """A task's future whose result, once taken, is no longer tracked by the flow run: Prefect keeps
    every task result's state in ``FlowRunContext.run_results`` until the flow ends, which
    would grow with the number of batches of a long run."""

    def __init__(self, future):
        self.future = future

    def result(self) -> list[Prepared]:
        prepared = self.future.result()
        context = FlowRunContext.get()
        if context is not None:
            for obj in (prepared, *prepared):
                context.run_results.pop(id(obj), None)
        return prepared


class PrefectPreparer:
    """A PrepareMany submitting one :func:`prepare_task` per batch to the flow's task runner (threads
    here, whose tasks feed this process's isolated workers, or Dask); ``in_flight`` batches are
    kept submitted so every worker has the next batch waiting. A lost batch is re-run here
    (:class:`flows.parallel.Recovering`)."""

    def __init__(self, limits: Limits | None, in_flight: int = 2, batch_size: int | None = None):
        self.limits, self.in_flight, self.batch_size = limits, in_flight, batch_size

    def submit(self, items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> Recovering:
        items = list(items)
        future = Forgetting(prepare_task.submit(items, loaded_at, self.limits, batch_label(items)))
        return Recovering(future, items, loaded_at, self.limits)

    def __call__(self, items: Sequence[tuple[bytes, str]], loaded_at: datetime) -> list[Prepared]:
        return self.submit(items, loaded_at).result()


def prefect_preparer(limits: Limits | None) -> PrefectPreparer:
    """The preparer for the current flow run: on Dask, two batches in flight per Dask worker thread
    (``limits.workers`` of them); here, the isolated workers' own lookahead."""
    workers = limits.workers if limits else 1
    if _on_dask():
        return PrefectPreparer(limits, 2 * workers)
    # here one task feeds every isolated worker (each document is its own unit of work there), so a
    # task may carry a bigger batch: fewer task runs, the same documents in flight as without Prefect
    return PrefectPreparer(limits, in_flight=1, batch_size=LOCAL_TASK_BATCH)


def _on_dask() -> bool:
    context = FlowRunContext.get()
    return context is not None and type(context.task_runner).__name__ == "DaskTaskRunner"


def task_runner_for(dask: str | None, workers: int):
    """None (the flow's own threads) without ``dask``; a DaskTaskRunner on a ``LocalCluster`` of
    ``workers`` single-threaded processes for ``"local"``; else one connected to the scheduler at
    that address. Dask workers must not be daemonic, since each starts the isolated worker
    processes of :mod:`flows.isolation` (a LocalCluster is set up so; see the README for a cluster)."""
    if not dask:
        return None
    from dask import config as dask_config
    from prefect_dask import DaskTaskRunner

    from flows.dask_worker import CloseIsolatedWorkers

    if dask == "local":
        dask_config.set({"distributed.worker.daemon": False})
        logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO lines would drown the run's own
        return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                              cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None, "silence_logs": logging.ERROR,
                                              "plugins": {CloseIsolatedWorkers()}})
    return DaskTaskRunner(address=dask)


def on_engine(flow_, dask: str | None, workers: int | None):
    """``flow_`` with the task runner the request asks for."""
    runner = task_runner_for(dask, workers or default_workers())
    return flow_.with_options(task_runner=runner) if runner is not None else flow_


class ArtifactProgress:
    """A Prefect progress artifact (0–100 %) for a run's documents, updated at most every
    :data:`PROGRESS_EVERY_S` seconds: what a deployment's run page shows while it works."""

    def __init__(self, key: str):
        self.key, self.artifact_id, self.last = key, None, 0.0

    def start(self, run) -> None:
        self.last = time.monotonic()
        self.artifact_id = create_progress_artifact(0.0, key=self.key,
                                                    description=f"{run.label}: {run.estimate.total} documents")

    def advance(self, snapshot) -> None:
        if time.monotonic() - self.last >= PROGRESS_EVERY_S:
            self._update(snapshot)

    def _update(self, snapshot) -> None:
        self.last = time.monotonic()
        share = 100.0 * snapshot.done / snapshot.total if snapshot.total else 100.0
        update_progress_artifact(self.artifact_id, share, description=safe_markdown(snapshot.line()))

    def finish(self, snapshot) -> None:
        if self.artifact_id is not None:
            self._update(snapshot)


STARTUP_ENV = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"  # Prefect's own; cli.app raises its default
LOCAL_API = "http://127.0.0.1:4200/api"  # where `prefect server start` serves by default


def check_api(*, serving: bool = False) -> None:
    """Make sure Prefect's API answers before any work: the server ``PREFECT_API_URL`` names, else the
    temporary server Prefect starts in this process (``serving``: a deployment needs a running server,
    whose schedule outlives this process). Where it does not, a :class:`~schemas.errors.SetupError`
    naming both ways out; Prefect's own log lines about the attempt are held back, so the command
    prints that one line."""
    from prefect.client.orchestration import get_client
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    url = PREFECT_API_URL.value()
    start = f"start one (`prefect server start`) and set PREFECT_API_URL={LOCAL_API}"
    if serving and not url:
        raise SetupError(f"serve needs a running Prefect server, which keeps the schedule after this command ends: "
                         f"{start}, then run serve again")
    quiet = logging.getLogger("prefect")
    was_disabled, quiet.disabled = quiet.disabled, True  # "Starting/Stopping temporary server on …"
    try:
        try:
            with get_client(sync_client=True) as client:
                problem = client.api_healthcheck()
        except Exception as exc:  # noqa: BLE001 - every way Prefect fails to start or answer
            problem = exc
        if problem is not None and not url:
            SubprocessASGIServer().stop()  # what the failed start left behind, quietly
    finally:
        quiet.disabled = was_disabled
    if problem is None:
        return
    detail = (str(problem).strip().splitlines() or [type(problem).__name__])[0].split(". ")[0].rstrip(".")
    if url:
        also = "" if serving else (", unset PREFECT_API_URL to let Prefect start a temporary one, or run with "
                                   "--no-prefect")
        raise SetupError(f"no Prefect server answers at PREFECT_API_URL={mask_url(url)} ({mask_url(detail)}): start "
                         f"it (`prefect server start`){also}")
    raise SetupError(f"Prefect's temporary server did not start within "
                     f"{PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()} s ({detail}; a busy machine is slow "
                     f"to start it): run with --no-prefect, or {start}; {STARTUP_ENV} sets how long to wait")
