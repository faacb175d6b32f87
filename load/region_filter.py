"""The one SQL filter the conformed reads and the incremental refresh share: a column among region codes.

Its own module so that :mod:`load.refresh` (imported by every run, to note what a write changed) does
not import :mod:`load.conformed` and with it polars: a run whose every file is unchanged needs neither.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import false, or_, true

Regions = Sequence[str | None] | None  # region codes of a chunk (None in it: documents with no region); None: all


def among_regions(column, regions: Regions):
    """``column`` among ``regions`` (NULL included when None is one of them); true when ``regions`` is None."""
    if regions is None:
        return true()
    codes = [r for r in regions if r is not None]
    known = column.in_(codes) if codes else false()
    return or_(known, column.is_(None)) if len(codes) < len(regions) else known
