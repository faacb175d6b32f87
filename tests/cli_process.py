"""``county-budgets`` run as its own process, as a person or cron runs it: the bytes it writes on
stdout and stderr, its exit code, and an environment of the test's making (its own Prefect home,
no password in it unless the test puts one there)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

# variables of the test process that must not leak into the command's run
_DROPPED = ("PREFECT_API_URL", "PGPASSWORD", "COUNTY_BUDGETS_WAREHOUSE", "COLUMNS")


def cli_env(prefect_home: Path, **extra: str) -> dict[str, str]:
    """The test process's environment with its own ``PREFECT_HOME`` and ``extra`` on top."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    return env | {"PREFECT_HOME": str(prefect_home)} | extra


def cli(*args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """``county-budgets ARGS``; stdout and stderr as bytes."""
    return subprocess.run([sys.executable, "-m", "cli", *args], env=env, cwd=cwd or REPO_ROOT,
                          capture_output=True, timeout=timeout)
