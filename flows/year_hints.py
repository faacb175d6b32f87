"""A second look at volumes that print no fiscal year (or no name), with what the run knows of their context.

A tables-only volume may print no year (收支总表, 收入总表 … with no year in any title). The
first pass quarantines it (``Prepared.needs_year``); once every document of the run is
stored, it is prepared again with :class:`~extract.parse.year_hints.DocumentHints`:

- **sibling volumes**: documents already in the warehouse, loaded (or seen only) with a
  year printed in their own title, cover or table titles, of the same department (names
  compared canonically: 中共江苏省委办公厅 = 江苏省委办公厅), found with it — in the same
  folder for a folder run, under the same portal (``src_document_url.source_id``) for a
  crawl. Their years count only when they agree (one year);
- the **link text** the crawler recorded for its address (``src_document_url.title``);
- its **file name** and **address**.

Extract applies them in that order and records which in ``dim_document.fiscal_year_source``;
the ``fiscal_year_printed`` rule reports the guess as a warning. A volume no hint dates
stays quarantined with the reason saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import polars as pl
from sqlalchemy.engine import Engine

from extract.parse.year_hints import PRINTED_SOURCES, DocumentHints
from flows.pipeline import Prepared, prepare
from load.siblings import crawl_link, printed_totals, sibling_volumes
from schemas.vocabulary import HELD, LOADED, QUARANTINED, SEEN_ONLY, WITHDRAWN
from transform.dimensions import canonical_department_name
from transform.review import apply_decision

SIBLING_STATUSES = (LOADED, SEEN_ONLY, WITHDRAWN)


def _folder(uri: str) -> str | None:
    """The folder of a local file (a path or a file: URI); None for a fetched address."""
    if urlsplit(uri).scheme in ("http", "https") or "/" not in uri:
        return None
    return uri.rsplit("/", 1)[0] + "/"


def _same_department(name: str | None, other: str | None) -> bool:
    return name is None or (other is not None and canonical_department_name(name) == canonical_department_name(other))


def hints_for(engine: Engine, uri: str, department_name: str | None) -> DocumentHints:
    """File name, address, link text and the printed years of sibling volumes (see the module docstring)."""
    link = crawl_link(engine, uri)
    folder = _folder(uri)
    source_id = link["source_id"] if link is not None and department_name is not None else None
    rows = sibling_volumes(engine, uri, statuses=SIBLING_STATUSES, year_sources=PRINTED_SOURCES, folder=folder,
                           source_id=None if folder is not None else source_id)
    return DocumentHints.of_uri(uri, link_text=(link["title"] or "") if link is not None else "",
                                sibling_years=sibling_years(department_name, rows))


def sibling_years(department_name: str | None, rows) -> tuple[int, ...]:
    """The printed years of sibling volumes (rows with ``department_name`` and ``fiscal_year``) of the
    same department."""
    return tuple(sorted({r["fiscal_year"] for r in rows if _same_department(department_name, r["department_name"])}))


def hints_among(uri: str, department_name: str | None, others: Sequence[Prepared]) -> DocumentHints:
    """Hints for a year-less volume from documents prepared beside it (``audit``: no warehouse):
    those of the same folder whose year is printed in their own content, then its name and address."""
    folder = _folder(uri)
    rows = [{"fiscal_year": p.fiscal_year, "department_name": p.department_name} for p in others
            if p.status in SIBLING_STATUSES and p.fiscal_year is not None and p.year_printed
            and folder is not None and _folder(p.source_uri) == folder]
    return DocumentHints.of_uri(uri, sibling_years=sibling_years(department_name, rows))


def resolve_missing_years(engine: Engine, pending: Sequence[Prepared], read: Callable[[str], bytes], *,
                          loaded_at: datetime, store: Callable[[Prepared], object]) -> list:
    """Prepare each year-less volume again with its hints; store those that now have a year.
    Returns what ``store`` returned for each (the run's reports replace the first ones)."""
    done = []
    for first in pending:
        hints = hints_for(engine, first.source_uri, first.department_name)
        again = prepare(read(first.source_uri), first.source_uri, loaded_at=loaded_at, hints=hints)
        if again.status != QUARANTINED:
            done.append(store(again))
    return done


def resolve_missing_departments(engine: Engine, held: Sequence[Prepared], *,
                                store: Callable[[Prepared], object]) -> list:
    """A tables-only volume that prints no name (held for that), named after its siblings: when the
    volumes found with it (same folder, or same portal) that name their department and print the
    same year name exactly one department, it is that department's (``department_source``
    ``sibling_volume``) and is stored again, loaded; otherwise it stays held. Returns what ``store``
    returned for each it named."""
    done = []
    for volume in held:
        if volume.status != HELD or volume.department_name is not None or not volume.tables:
            continue
        link = crawl_link(engine, volume.source_uri)
        folder = _folder(volume.source_uri)
        rows = sibling_volumes(engine, volume.source_uri, statuses=(LOADED,), year_sources=PRINTED_SOURCES,
                               folder=folder, source_id=link["source_id"] if link and folder is None else None)
        totals = printed_totals(engine, [r["document_id"] for r in rows])
        if name_from_siblings(volume, [r | {"totals": totals[r["document_id"]]} for r in rows]):
            done.append(store(volume))
    return done


#: How far the 收入总计 of two volumes of one release may differ and still be the same figure: a
#: narrative rounds to 万元 (half of 0.01万元 is 50 yuan; some round to whole 万元).
SAME_TOTAL_YUAN = Decimal(5000)


def _totals(frames) -> set:
    lines = frames.get("fct_budget_line")
    if lines is None or lines.is_empty():
        return set()
    return set(lines.filter((pl.col("item") == "total") & (pl.col("column_name") == "amount")
                            & pl.col("statement").is_in(["revenue", "expenditure"]))["amount_yuan"].drop_nulls())


def name_from_siblings(volume: Prepared, rows) -> bool:
    """Name a held nameless ``volume`` after the department its siblings (``rows``: department_name,
    fiscal_year, region_code, totals) name for its year: the only one, or — where several departments
    publish beside it (a city's folder of releases) — the only one whose printed 收入总计/支出总计 is
    this volume's. True when it was named (and is now loaded)."""
    named = {canonical_department_name(r["department_name"]): r for r in rows
             if r["department_name"] and r["fiscal_year"] == volume.fiscal_year}
    if len(named) > 1:
        own = _totals(volume.frames)
        named = {k: r for k, r in named.items()
                 if any(abs(a - b) <= SAME_TOTAL_YUAN for a in own for b in r.get("totals") or ())}
    if len(named) != 1:
        return False
    [sibling] = named.values()
    decision = {"decision": "release", "department_name": sibling["department_name"],
                "region_code": sibling["region_code"], "source": "sibling_volume"}
    volume.frames = apply_decision(volume.frames, decision)
    volume.status, volume.reason, volume.department_name = LOADED, None, sibling["department_name"]
    return True


def names_among(volume: Prepared, others: Sequence[Prepared]) -> bool:
    """:func:`name_from_siblings` with the documents prepared beside it (``audit``: no warehouse)."""
    folder = _folder(volume.source_uri)
    if volume.status != HELD or volume.department_name is not None or not volume.tables or folder is None:
        return False
    rows = [{"department_name": p.department_name, "fiscal_year": p.fiscal_year, "region_code": p.region_code,
             "totals": _totals(p.frames)}
            for p in others if p.status == LOADED and p.year_printed and _folder(p.source_uri) == folder]
    return name_from_siblings(volume, rows)
