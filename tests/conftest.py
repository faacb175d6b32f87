"""Test-wide setup: an isolated Prefect home, and the location of ../shared.

Prefect settings must be in the environment before prefect is first imported, so
they are set at import time of this conftest, never from a user's ~/.prefect.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="cb-prefect-home-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("PREFECT_PROFILES_PATH", None)
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ.pop("COUNTY_BUDGETS_WAREHOUSE", None)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
SEED_PATH = REPO_ROOT / "samples" / "gaoyi_xinfang_2021.txt"


def require_shared(*parts: str) -> Path:
    """Path under ../shared, or skip with a message saying what is missing and why."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is absent: the real corpus and registry live in ../shared beside the "
            "repository (present in CI and on the developers' machines, not in a user's clone)"
        )
    return path


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()


@pytest.fixture
def real_corpus() -> Path:
    return require_shared("corpus", "real")


@pytest.fixture
def portal_registry_csv() -> Path:
    return require_shared("registry", "disclosure_portals.csv")


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API server for the whole session (each start costs 5–15 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield
