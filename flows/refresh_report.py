"""What a comparison refresh wrote: rows per table, and the departments it could not place.

Its own module so that a run whose refresh has nothing to do (:func:`flows.refresh.refresh_changed`
with no note) can say so without importing the refresh itself (polars and the transforms).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RefreshReport:
    counts: dict[str, int]
    unmapped: list[str]  # departments whose category or level is unknown

    def line(self) -> str:
        c = self.counts
        return (f"conformed {c.get('dim_department_conformed', 0)} departments ({len(self.unmapped)} with no "
                f"category or level), "
                f"{c.get('dim_classification', 0)} classification codes, "
                f"{c.get('fct_cross_document_check', 0)} cross-document checks, "
                f"{c.get('fct_disclosure_observation', 0)} disclosure observations")
