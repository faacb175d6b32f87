"""One run request, honoured the same way by every kind of source.

A :class:`RunRequest` says what a run should do — which source, which warehouse,
which fiscal years and region, whether to re-load unchanged bytes (``force``) and
whether a quarantine fails the run (``strict``) — and every path (a folder, a URL
manifest, the registry's portals, with or without Prefect) reads its options from
it, so no path can silently drop one. Region scope follows the GB/T 2260 reference
table (``reference/data/regions.csv``): a city selects its counties by their
recorded parent, never by a shared prefix of digits.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from extract.collect.fetch_policy import FetchSettings
from reference.regions import is_within, province_named

DEFAULT_TIME_LIMIT_S = 120.0
DEFAULT_MEMORY_LIMIT_MB = 4096


@dataclass(frozen=True)
class Limits:
    """Per-document limits (:mod:`flows.isolation`). ``time_limit_s`` 0 prepares in this
    process, without limits (for debugging); ``workers`` is how many documents are
    prepared at once (worker processes here, or Dask workers: :func:`default_workers`
    is what the command line gives by default)."""

    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB
    workers: int = 1

    @property
    def isolated(self) -> bool:
        return self.time_limit_s > 0

    @property
    def bytes_in_flight(self) -> int | None:
        """Bytes of documents the run's own process holds at once: half of ``memory_limit_mb`` (the rest
        is its frames, Python and the warehouse's buffers); None without a memory limit."""
        return self.memory_limit_mb * 2**20 // 2 if self.memory_limit_mb else None

def default_workers() -> int:
    """The cores this process may use (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class RunRequest:
    """What one run does. ``region`` is a GB/T 2260 code and ``province`` a full province
    name (河北省); both are already checked (see :mod:`cli.options`)."""

    source: str | None = None  # None: the registry's portals; a .csv: a URL manifest; else a folder or file
    warehouse: str | None = None
    years: tuple[int, ...] | None = None
    region: str | None = None
    province: str | None = None
    force: bool = False
    strict: bool = False
    raw_store: str | None = None
    portal_config: str | None = None
    use_prefect: bool = True
    limits: Limits | None = None  # None: prepare in this process (the library default); the CLI sets limits
    lock_wait_s: float | None = None  # how long to wait for a DuckDB file another process holds (None: default)
    dask: str | None = None  # None: prepare here; "local": a Dask LocalCluster; else a scheduler address (Prefect only)
    host_budget_s: float | None = None  # seconds of fetching one host may take (None: FetchSettings' default)
    crawl_budget_s: float | None = None  # seconds of fetching in all (None: FetchSettings' default)

    @property
    def source_kind(self) -> str:
        if self.source is None:
            return "registry"
        path = Path(self.source)
        return "manifest" if path.is_file() and path.suffix.lower() == ".csv" else "folder"

    @property
    def province_code(self) -> str | None:
        ref = province_named(self.province) if self.province else None
        return ref.code if ref else None

    def fetch_settings(self, base: FetchSettings | None = None) -> FetchSettings:
        """``base`` (default: FetchSettings()) with the request's time budgets, where it sets them."""
        budgets = {k: v for k, v in (("host_budget_s", self.host_budget_s), ("crawl_budget_s", self.crawl_budget_s))
                   if v is not None}
        return replace(base or FetchSettings(), **budgets)


    def out_of_scope(self, fiscal_year: int | None, region_code: str | None) -> str | None:
        """Why a document of this year and region is outside the request, or None when inside."""
        if self.years is not None and fiscal_year not in self.years:
            return f"fiscal year {fiscal_year} outside the requested years"
        for scope, label in ((self.region, "region"), (self.province_code, "province")):
            if scope and not is_within(region_code, scope):
                if region_code is None:
                    return (f"the document names no region this tool recognises, and the run is limited to "
                            f"{label} {scope}")
                return f"region {region_code} outside the requested {label} {scope}"
        return None
