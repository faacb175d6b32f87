"""What a Dask worker needs besides the task: closing its isolated worker processes when it stops.

Imported only when a run uses Dask (``flows.etl.task_runner_for``). Without the plugin a
stopping Dask worker waits for the pebble pool it started (:mod:`flows.isolation`) and is
killed by its nanny after 4 s.
"""

from __future__ import annotations

from distributed import WorkerPlugin

from flows.isolation import close_shared


class CloseIsolatedWorkers(WorkerPlugin):
    name = "county-budgets-isolation"

    def teardown(self, worker) -> None:
        close_shared()
