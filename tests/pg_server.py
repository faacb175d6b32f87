"""A throwaway PostgreSQL server on 127.0.0.1 for tests, started from the machine's binaries.

Skips (with the reason) where no PostgreSQL binaries exist — except in CI (``CI`` set),
where ``.ci/run`` installs them, so a missing server fails loudly instead of hiding the
PostgreSQL half of the suite. As root, the cluster runs as the ``postgres`` system user,
since initdb refuses to run as root.

``postgres_server()`` yields the URL of its ``postgres`` database; :class:`PgServer`
also makes fresh databases, copied from a template that was migrated once (a copy takes
a few milliseconds where migrating takes a second or two).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

CANDIDATE_BIN_DIRS = ["/usr/local/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]


def _bin(name: str) -> str | None:
    for folder in CANDIDATE_BIN_DIRS:
        path = Path(folder) / name
        if path.exists():
            return str(path)
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the PostgreSQL half of the suite: .ci/run installs postgresql)")
    pytest.skip(reason)


@contextmanager
def postgres_server():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not (initdb and pg_ctl):
        _unavailable("PostgreSQL binaries (initdb, pg_ctl) not found; install postgresql to run these tests")
    prefix: list[str] = []
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and no 'postgres' user to own a test cluster")
        prefix = ["runuser", "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="cb-pg-"))
    data = root / "data"
    if prefix:
        shutil.chown(root, "postgres")
    port = _free_port()
    subprocess.run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "cb", "-E", "UTF8", "--no-locale"],
                   check=True, capture_output=True)
    options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://cb@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


class PgServer:
    """Databases on one running server: ``fresh()`` gives an empty, migrated warehouse URL;
    ``with_password(url)`` the same database for a role that must log in with a password."""

    TEMPLATE = "cb_template"
    PASSWORD_ROLE = "cb_secret"
    PASSWORD = "S3cret-pw-7d1e"  # what a test greps every output for

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self._numbers = itertools.count(1)
        self._template_ready = False
        self._password_ready = False

    def url(self, database: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + database

    def _admin(self, *statements: str) -> list[list[tuple]]:
        """Run ``statements``; the rows each returned (none for a statement without a result)."""
        import psycopg

        with psycopg.connect(self.admin_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
            cursors = [conn.execute(statement) for statement in statements]
            return [cursor.fetchall() if cursor.description else [] for cursor in cursors]

    def with_password(self, url: str) -> str:
        """``url`` for :data:`PASSWORD_ROLE`, which the server admits over TCP only with
        :data:`PASSWORD` (scram-sha-256; every other role keeps the suite's trust)."""
        if not self._password_ready:
            [[(hba,)]] = self._admin("SHOW hba_file")
            rules = Path(hba).read_text()
            Path(hba).write_text(f"host all {self.PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n{rules}")
            self._admin(f"CREATE ROLE {self.PASSWORD_ROLE} LOGIN SUPERUSER PASSWORD '{self.PASSWORD}'",
                        "SELECT pg_reload_conf()")
            self._password_ready = True
        return url.replace("://cb@", f"://{self.PASSWORD_ROLE}:{self.PASSWORD}@", 1)

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        from load.warehouse import opened

        self._admin(f"CREATE DATABASE {self.TEMPLATE}")
        with opened(self.url(self.TEMPLATE)):
            pass
        self._template_ready = True

    def fresh(self, migrated: bool = True) -> str:
        """A new database: a copy of the migrated template, or empty (``migrated=False``)."""
        name = f"cb_test_{next(self._numbers)}"
        if migrated:
            self._ensure_template()
            self._admin(f"CREATE DATABASE {name} TEMPLATE {self.TEMPLATE}")
        else:
            self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop(self, url: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
