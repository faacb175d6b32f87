"""Test-wide setup: an isolated Prefect home, and the location of ../shared.

Prefect settings must be in the environment before prefect is first imported, so
they are set at import time of this conftest, never from a user's ~/.prefect.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import atexit
import shutil

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="cb-prefect-home-")
atexit.register(shutil.rmtree, _PREFECT_HOME, True)  # each process that imports this makes, and removes, its own
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("PREFECT_PROFILES_PATH", None)
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ.pop("COUNTY_BUDGETS_WAREHOUSE", None)
# pytest-xdist's workers inherit COLUMNS=80 from the controller: the commands' tables would be cut
# to 80 columns there and not in a plain run (cli.base.report_console)
os.environ.pop("COLUMNS", None)
# One read cache for the session (extract.read.read_cache): the real corpus and the shared folders are read by
# several fixtures (the triage sweep, the combined warehouse, the real-corpus checks), each once interpreted
# by pdfminer. The controlling process makes the folder; xdist's workers and every process the tests start
# inherit it. The cache keeps only what the reader made of the bytes, so every parse, rule and load still runs.
if not os.environ.get("PYTEST_XDIST_WORKER"):
    _READ_CACHE = tempfile.mkdtemp(prefix="cb-read-cache-")
    os.environ["COUNTY_BUDGETS_READ_CACHE"] = _READ_CACHE
    atexit.register(shutil.rmtree, _READ_CACHE, True)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
SEED_PATH = REPO_ROOT / "samples" / "gaoyi_xinfang_2021.txt"


# Work units of the two workers (addopts: -n 2 --dist loadfile --no-loadscope-reorder): a test file is one
# unit, so a module's fixtures are built once, except the files here, which share one session fixture and
# form one unit, so one worker builds it once (the combined warehouse, tests/flows/conftest.py: ~3 minutes).
# (pytest-xdist's loadgroup does not do this with pytest 9: its worker renames ``item._nodeid`` to add the
# group, and pytest 9 reads a node's id elsewhere, so every test stays a unit of its own.)
SHARED_UNITS = {f"tests/flows/{name}": "combined" for name in ("test_report.py", "test_comparison.py",
                                                               "test_ranking.py")}


def work_unit(nodeid: str) -> str:
    """The unit a test id belongs to: its file, or the name its file shares with others (SHARED_UNITS)."""
    path = nodeid.split("::", 1)[0]
    return SHARED_UNITS.get(path, path)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` with the units of :func:`work_unit` (runs in the controlling process)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedUnits(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return SharedUnits(config, log)


def pytest_collection_modifyitems(config, items):
    """The units in the order the workers take them (``--no-loadscope-reorder`` keeps it): those holding a
    ``slow`` test first, then the larger ones, so that no long unit starts last and keeps one worker busy
    alone at the end. Within a unit the tests keep their order."""
    size: dict[str, int] = {}
    holds_slow: dict[str, bool] = {}
    for item in items:
        unit = work_unit(item.nodeid)
        size[unit] = size.get(unit, 0) + 1
        holds_slow[unit] = holds_slow.get(unit, False) or item.get_closest_marker("slow") is not None
    rank = {unit: index for index, unit in enumerate(sorted(size, key=lambda u: (not holds_slow[u], -size[u])))}
    items.sort(key=lambda item: rank[work_unit(item.nodeid)])


def require_shared(*parts: str) -> Path:
    """Path under ../shared, or skip with a message saying what is missing and why."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is absent: the real corpus and registry live in ../shared beside the "
            "repository (present in CI and on the developers' machines, not in a user's clone)"
        )
    return path


def shared_cases(entries: list, *parts: str) -> list:
    """Parameters for a test per shared entry (LABELS.json rows): ``entries`` as they are, or, when
    ../shared/<parts> is absent, one parameter that skips saying what is missing (pytest's own
    word for an empty list is "got empty parameter set")."""
    path = SHARED_DIR.joinpath(*parts)
    if entries or path.exists():
        return entries
    return [pytest.param(None, marks=pytest.mark.skip(
        reason=f"{path} is absent: the real corpus and registry live in ../shared beside the repository "
               "(present in CI and on the developers' machines, not in a user's clone)"))]


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then let go)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def seed_folder(tmp_path) -> Path:
    """A folder holding the seed as ``seed.txt``."""
    import shutil

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_PATH, folder / "seed.txt")
    return folder


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
    """One temporary Prefect API server for the whole session (each start costs 5–15 s, over a minute on a
    loaded machine)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


# ------------------------------------------------------------------ shared fixtures
# One copy of each: the fake portal, the raw store, a warehouse engine, fast fetch settings.
FAST_FETCH = dict(
    connect_timeout_s=1.0, read_timeout_s=0.4, deadline_s=0.8, max_attempts=3, backoff_base_s=0.01,
    backoff_max_s=0.02, per_host_interval_s=0.0, per_host_concurrency=4, allowed_hosts=frozenset({"127.0.0.1"}),
    max_bytes=200_000,
)


def fast_fetch(**overrides):
    """FetchSettings for tests against 127.0.0.1: short timeouts and backoff, small size cap."""
    from extract.collect.fetch import FetchSettings

    return FetchSettings(**{**FAST_FETCH, **overrides})


@pytest.fixture
def portal():
    """A fake county portal on 127.0.0.1 (tests/fake_portal.py), stopped after the test."""
    from tests.fake_portal import FakePortal

    with FakePortal() as served:
        yield served


@pytest.fixture
def store(tmp_path):
    """An empty local raw store."""
    from extract.collect.raw_store import RawStore

    return RawStore.local(tmp_path / "raw")


DIALECTS = ["duckdb", "postgresql"]
# the parameters of a test run per dialect: the PostgreSQL half is marked slow, so it runs in the full suite
# (`pytest -q`, CI) and the fast lane (`pytest -m "not slow"`) runs DuckDB only and starts no PostgreSQL
# server; the fast lane keeps its DuckDB = PostgreSQL parity checks in tests/load/test_postgres_rules.py
DIALECT_PARAMS = ["duckdb", pytest.param("postgresql", marks=pytest.mark.slow)]


@pytest.fixture(scope="session")
def pg():
    """One throwaway PostgreSQL server for the session (tests/pg_server.py)."""
    from tests.pg_server import PgServer, postgres_server

    with postgres_server() as admin_url:
        yield PgServer(admin_url)


@pytest.fixture(scope="session")
def duckdb_template(tmp_path_factory) -> Path:
    """A DuckDB warehouse file migrated once per worker process: each test's DuckDB warehouse is a copy of
    it, as each PostgreSQL one is a copy of a migrated template database (tests/pg_server.py). Migrating a
    new file takes seconds, copying it milliseconds."""
    from load.warehouse import opened

    path = tmp_path_factory.mktemp("duckdb-template") / "template.duckdb"
    with opened(f"duckdb:///{path}"):
        pass
    assert not path.with_name(path.name + ".wal").exists(), "the template was not checkpointed on close"
    return path


def make_warehouse_url(dialect: str, request, tmp_path: Path, *, migrated: bool = True) -> str:
    """A fresh warehouse URL of ``dialect``: a DuckDB file in ``tmp_path`` (a copy of the migrated template,
    or no file with ``migrated=False``), or a new PostgreSQL database."""
    if dialect == "duckdb":
        path = tmp_path / "w.duckdb"
        if migrated and not path.exists():
            import shutil

            shutil.copyfile(request.getfixturevalue("duckdb_template"), path)
        return f"duckdb:///{path}"
    server = request.getfixturevalue("pg")
    url = server.fresh(migrated=migrated)
    request.addfinalizer(lambda: server.drop(url))
    return url


@pytest.fixture(params=DIALECT_PARAMS)
def dialect(request) -> str:
    return request.param


@pytest.fixture
def warehouse_url(dialect, request, tmp_path):
    """A fresh, empty warehouse URL, once per dialect: every warehouse test runs on DuckDB and PostgreSQL."""
    return make_warehouse_url(dialect, request, tmp_path)


@pytest.fixture
def engine(warehouse_url):
    """An opened (migrated) engine on :func:`warehouse_url`, disposed after the test."""
    from load.warehouse import opened

    with opened(warehouse_url) as opened_engine:
        yield opened_engine


def query_rows(url_or_engine, sql: str, **params) -> list[tuple]:
    """Rows of ``sql`` as tuples, from a URL (a short-lived engine) or an engine."""
    from sqlalchemy import create_engine, text

    from load.warehouse import normalized_url

    engine = create_engine(normalized_url(url_or_engine)) if isinstance(url_or_engine, str) else url_or_engine
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params)]
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()
