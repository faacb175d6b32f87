"""Shared by the collect tests: a fake portal on 127.0.0.1, a raw store, fast fetch settings."""

from __future__ import annotations

import pytest

from extract.collect.fetch import FetchSettings
from extract.collect.raw_store import RawStore
from tests.fake_portal import FakePortal

FAST = dict(
    connect_timeout_s=1.0, read_timeout_s=0.4, deadline_s=0.8, max_attempts=3,
    backoff_base_s=0.01, backoff_max_s=0.02, per_host_interval_s=0.0,
    per_host_concurrency=4, allowed_hosts=frozenset({"127.0.0.1"}), max_bytes=200_000,
)


def fast_settings(**kw) -> FetchSettings:
    """Timeouts and backoff short enough for tests; anything can be overridden."""
    return FetchSettings(**{**FAST, **kw})


@pytest.fixture
def portal():
    with FakePortal() as p:
        yield p


@pytest.fixture
def store(tmp_path):
    return RawStore.local(tmp_path / "raw")
