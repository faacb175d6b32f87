"""``python -m tests.flows.stall <county-budgets arguments>``: the CLI with a slow load, for crash tests.

Inside each document's load transaction, right after its ``fct_budget_line`` rows are
inserted (so the transaction has written rows of several tables and not committed),
the process sleeps ``CB_STALL_EVERY_S`` seconds; at the ``CB_STALL_AT``-th document it
first writes ``CB_STALL_MARKER`` and then sleeps ``CB_STALL_S`` seconds, so a test can
kill it there with SIGKILL. Production code has no such hook: this module patches
:func:`load.documents.backend_of` before the CLI starts.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from load import documents


def install(stall_at: int, marker: Path | None, stall_s: float, every_s: float) -> None:
    real = documents.backend_of
    seen = {"documents": 0}

    class Stalling:
        def __init__(self, inner):
            self.inner = inner

        def insert(self, connection, table, frame):
            rows = self.inner.insert(connection, table, frame)
            if table.name == "fct_budget_line" and rows:
                seen["documents"] += 1
                time.sleep(every_s)
                if marker is not None and seen["documents"] == stall_at:
                    marker.write_text(str(os.getpid()), encoding="utf-8")
                    time.sleep(stall_s)
            return rows

        def __getattr__(self, name):  # locking and insert_missing as the real backend does them
            return getattr(self.inner, name)

    documents.backend_of = lambda connection: Stalling(real(connection))


if __name__ == "__main__":
    marker = os.environ.get("CB_STALL_MARKER")
    install(int(os.environ.get("CB_STALL_AT", "0")), Path(marker) if marker else None,
            float(os.environ.get("CB_STALL_S", "120")), float(os.environ.get("CB_STALL_EVERY_S", "0")))
    from cli.app import app

    app(prog_name="county-budgets")
