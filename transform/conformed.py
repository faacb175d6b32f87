"""The conformed frames: what makes documents comparable, derived from the warehouse's documents.

Pure (frames in, frames out; reference data from :mod:`reference`): each department's most used
name, its category and why (:mod:`reference.departments`), its level and body type (the caller's
``department_level``, see :data:`LevelOf`); what was seen of each disclosure; every 功能/经济分类
code per year with the code it conforms to today (:mod:`reference.classification`); the category and
document-kind lists. Every frame has its table's declared columns and dtypes
(:func:`schemas.frames.polars_schema` of :mod:`schemas.conformed`). ``flows.conform`` reads the
warehouse, calls these and has ``load.conformed`` write the result.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Callable, Iterable, Protocol

import polars as pl

from reference.classification import conform, level_of, reference_codes, reference_name
from reference.departments import CategoryMatch, categories, categorise, match_name, region_chain_names
from reference.vocabulary import YEAR
from schemas.conformed import (
    DOC_KINDS, SEEN_ONLY_STATUSES, dim_classification, dim_department_category, dim_department_conformed,
    dim_doc_kind, fct_disclosure_observation,
)
from schemas.frames import polars_schema
from schemas.vocabulary import LOADED, LOOK_ALIKE_CLASSES, WITHDRAWN

LEADING_YEAR = re.compile(rf"^{YEAR}\s*年\s*度?")
READ_STATUSES = (LOADED, WITHDRAWN)


class Level(Protocol):
    admin_level: str | None
    body_type: str | None
    level_source: str | None


# (department name, region code, parent department name, the levels its documents were read with) → Level
LevelOf = Callable[[str, "str | None", "str | None", Iterable["str | None"]], Level]


def _hash(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


def _match_row(match: CategoryMatch | None) -> dict:
    if match is None:
        return {"department_category": None, "category_group": None, "matched_on": None, "matched_pattern": None,
                "matched_text": None}
    return {"department_category": match.category, "category_group": match.group, "matched_on": match.matched_on,
            "matched_pattern": match.pattern, "matched_text": match.matched_text}


def conformed_departments(documents: pl.DataFrame, department_level: LevelOf) -> pl.DataFrame:
    """``dim_department_conformed``: one row per department_id of ``documents`` (as
    ``load.conformed.read_documents`` gives them): its most used name, a parent any of its documents
    states, the category match, and the level ``department_level`` gives it."""
    rows = []
    named = documents.filter(pl.col("department_id").is_not_null())
    for (department_id,), docs in named.sort("document_id").group_by(["department_id"], maintain_order=True):
        names = Counter(n for n in docs["department_name"].to_list() if n)
        name = min(names, key=lambda n: (-names[n], n))
        parents = docs.filter(pl.col("parent_department_name").is_not_null())
        parent = parents.row(0, named=True) if parents.height else {}
        region = docs["region_code"].drop_nulls().head(1).to_list()
        region_code = region[0] if region else None
        match = categorise(name, region_code=region_code, parent=parent.get("parent_department_name"))
        level = department_level(name, region_code, parent.get("parent_department_name"),
                                 docs["admin_level"].to_list())
        rows.append({"department_id": department_id, "region_code": region_code, "department_name": name,
                     **_match_row(match), "parent_department_name": parent.get("parent_department_name"),
                     "parent_department_source": parent.get("parent_department_source"),
                     "admin_level": level.admin_level, "body_type": level.body_type,
                     "level_source": level.level_source})
    return pl.DataFrame(rows, schema=polars_schema(dim_department_conformed), orient="row")


def _kind(doc_kind: str | None) -> str | None:
    return DOC_KINDS[doc_kind][0] if doc_kind in DOC_KINDS else (doc_kind[:16] if doc_kind else None)


def observations(documents: pl.DataFrame, departments: pl.DataFrame, urls: pl.DataFrame) -> pl.DataFrame:
    """``fct_disclosure_observation``: what was seen of each disclosure: read (figures loaded),
    seen_only (found without figures) or found (a portal link, or a document that could not be read
    or is held but names its region and year). Look-alikes (a government-wide report, an audit
    report …) are no disclosure of anyone. One row per document or URL (the first wins)."""
    category = dict(zip(departments["department_id"], departments["department_category"]))
    level = dict(zip(departments["department_id"], departments["admin_level"]))
    rows, known = [], set(documents["document_id"].to_list())
    for d in documents.iter_rows(named=True):
        if d["doc_class"] in LOOK_ALIKE_CLASSES:
            continue  # a county's budget report or an audit report is no department's disclosure
        status = ("read" if d["status"] in READ_STATUSES else "seen_only" if d["status"] in SEEN_ONLY_STATUSES
                  else "found" if d["fiscal_year"] and d["region_code"] else None)
        if status is None:
            continue
        found = category.get(d["department_id"]) if d["department_id"] else None
        if found is None and d["department_name"] and not d["department_id"]:
            match = categorise(d["department_name"], region_code=d["region_code"], parent=d["parent_department_name"])
            found = match.category if match else None
        rows.append({"observation_id": _hash("document", d["document_id"]), "region_code": d["region_code"],
                     "department_category": found, "department_name": d["department_name"],
                     "fiscal_year": d["fiscal_year"], "kind": _kind(d["doc_kind"]), "status": status,
                     "document_id": d["document_id"], "url": None, "seen_at": d["last_seen"] or d["loaded_at"],
                     "admin_level": level.get(d["department_id"]) or d["admin_level"]})
    for u in urls.iter_rows(named=True):
        if u["document_id"] in known:
            continue  # the document's own observation stands for it
        title = LEADING_YEAR.sub("", (u["title"] or "").strip())
        match = match_name(title, region_chain_names(u["region_code"])) if title else None
        rows.append({"observation_id": _hash("url", u["url"]), "region_code": u["region_code"],
                     "department_category": match.category if match else None, "department_name": None,
                     "fiscal_year": u["fiscal_year"], "kind": _kind(u["doc_kind"]), "status": "found",
                     "document_id": u["document_id"], "url": u["url"], "seen_at": u["last_seen"],
                     "admin_level": None})
    frame = pl.DataFrame(rows, schema=polars_schema(fct_disclosure_observation), orient="row")
    return frame.unique("observation_id", keep="first", maintain_order=True)


def classification(pairs: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """``dim_classification``: every reference code valid in one of ``years``, and every code a document
    prints (``pairs``: scheme, code, name, fiscal_year, documents), per year, with today's code for it."""
    printed = {(r["scheme"], r["code"], r["fiscal_year"]): r for r in pairs.iter_rows(named=True)}
    listed = {(r.scheme, r.code) for r in reference_codes()}
    keys = set(printed) | {(r.scheme, r.code, y) for r in reference_codes() for y in years if r.valid_in(y)}
    rows = []
    for scheme, code, year in sorted(keys):
        target = conform(scheme, code, year)
        seen = printed.get((scheme, code, year))
        name = reference_name(scheme, code, year) or (seen["name"] if seen else code)
        rows.append({"scheme": scheme, "code": code, "fiscal_year": year, "name": name,
                     "level": level_of(code), "conformed_code": target.code,
                     "conformed_name": target.name or (name if target.code == code else None),
                     "crosswalk": "; ".join(target.steps) or None,
                     "source": "reference" if (scheme, code) in listed else "document",
                     "documents": seen["documents"] if seen else 0})
    return pl.DataFrame(rows, schema=polars_schema(dim_classification), orient="row")


def category_list() -> pl.DataFrame:
    """``dim_department_category``: the categories of ``reference/data/department_categories.toml``."""
    return pl.DataFrame([{"department_category": c.name, "category_group": c.group, "sort_order": c.order,
                          "description": c.en} for c in categories()],
                        schema=polars_schema(dim_department_category), orient="row")


def doc_kinds(kinds: list[str]) -> pl.DataFrame:
    """``dim_doc_kind``: every known document kind, and any other kind the warehouse holds (``kinds``)."""
    present = [k for k in kinds if k not in DOC_KINDS]
    rows = [{"doc_kind": k, "kind": kind, "scope": scope, "label": label}
            for k, (kind, scope, label) in DOC_KINDS.items()]
    rows += [{"doc_kind": k, "kind": k[:16], "scope": None, "label": k} for k in sorted(present)]
    return pl.DataFrame(rows, schema=polars_schema(dim_doc_kind), orient="row")


def unmapped(departments: pl.DataFrame) -> list[str]:
    """Names of the departments whose category or level is unknown."""
    return departments.filter(pl.col("department_category").is_null() | pl.col("admin_level").is_null()
                              )["department_name"].to_list()
