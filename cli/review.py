"""``county-budgets review``: documents held for a person, and what the person decides.

A document is held when it was read but its identity is not settled by its own text: it
names no department or unit (a page that opens "2019年度“三公”经费…" with no title), or
neither 预算 nor 决算. Its figures are stored but kept out of every ``v_*`` view and mart.

- ``review`` lists every held document: its id, file, the year and kind it states, why it is
  held and the evidence read (``--format csv|json`` for all columns);
- ``review release ID --department NAME [--year Y] [--kind K] [--region CODE]`` loads it under
  that identity (what is not given is what the document states; the region, if not given,
  comes from the department's name);
- ``review reject ID --reason TEXT`` quarantines it with the person's reason.

A decision is kept by the document's sha256 (``fct_review_decision``) and applied again
whenever the document is prepared anew (a newer parser, ``--force``). ``ID`` may be the first
characters of the sha256 that ``review`` prints. Mounted by :mod:`cli.app`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Optional

import typer

from reference.regions import find_region_in_text
from cli.base import CommandGroup
from cli.options import check_region
from cli.output import FORMAT, WAREHOUSE, console, emit, table
from load.review import decide, held_documents, stored_document
from load.warehouse import opened
from schemas.errors import SetupError
from schemas.vocabulary import DOC_KIND_VALUES, HELD, QUARANTINED

if TYPE_CHECKING:
    import polars as pl

review_app = typer.Typer(cls=CommandGroup, help="Documents held for review: list them, release or reject one.")
ID_SHOWN = 12


@review_app.callback(invoke_without_command=True)
def review_command(ctx: typer.Context, fmt: str = FORMAT, warehouse: Optional[str] = WAREHOUSE) -> None:
    """List every held document with why it is held."""
    if ctx.invoked_subcommand:
        return
    with opened(warehouse, read_only=True) as engine:
        held = held_documents(engine)
    if fmt != "table":
        emit(held, fmt)
        return
    console.print(table(f"{held.height} documents held for review", ["id", "file", "year", "kind", "why", "evidence"],
                        [[r["document_id"][:ID_SHOWN], (r["source_uri"] or "").rsplit("/", 1)[-1],
                          str(r["fiscal_year"] or "—"), r["doc_kind"] or "—", r["status_reason"] or "",
                          r["class_evidence"] or ""] for r in held.iter_rows(named=True)]))
    if held.height:
        console.print("release one: county-budgets review release ID --department NAME [--year Y] [--kind K]; "
                      "reject one: county-budgets review reject ID --reason TEXT")


def _held(engine, document: str) -> dict:
    try:
        row = stored_document(engine, document)
    except ValueError as exc:
        raise SetupError(str(exc)) from None
    if row is None:
        raise SetupError(f"no document {document!r} in the warehouse: `county-budgets review` lists the held ones")
    if row["status"] != HELD:
        raise SetupError(f"document {row['document_id'][:ID_SHOWN]} is {row['status']}, not held: only a held "
                         "document is released or rejected")
    return row


def _finish(engine, decision: dict, values: dict, dims: dict[str, pl.DataFrame]) -> None:
    from flows.conform import refresh  # the comparison refresh: imported by the commands that write

    decide(engine, decision, values, dims)
    refresh(engine)


@review_app.command("release")
def release_command(
    document: str = typer.Argument(..., help="the document's sha256 (or its first characters)"),
    department: Optional[str] = typer.Option(None, "--department", help="the department or unit it is of"),
    year: Optional[int] = typer.Option(None, "--year", help="its fiscal year, if the document's is wrong or missing"),
    kind: Optional[str] = typer.Option(None, "--kind", help=f"one of {', '.join(DOC_KIND_VALUES)}"),
    region: Optional[str] = typer.Option(None, "--region", help="GB/T 2260 code or name [default: from --department]"),
    note: Optional[str] = typer.Option(None, "--note", help="why (kept with the decision)"),
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Load a held document under the identity given (the rest as the document states it)."""
    if kind is not None and kind not in DOC_KIND_VALUES:
        raise SetupError(f"--kind: {kind!r} is not one of {', '.join(DOC_KIND_VALUES)}")
    try:
        code = check_region(region) if region else None
    except ValueError as exc:
        raise SetupError(f"--region: {exc}") from None
    if code is None and department and (found := find_region_in_text(department)) is not None:
        code = found.code
    from transform.review import RELEASE, released_dimensions, released_values

    with opened(warehouse) as engine:
        row = _held(engine, document)
        decision = {"document_id": row["document_id"], "decision": RELEASE, "department_name": department,
                    "fiscal_year": year, "doc_kind": kind, "region_code": code, "note": note,
                    "decided_at": datetime.now(timezone.utc)}
        values = released_values(row, decision)
        if not values["department_name"] or not values["fiscal_year"] or not values["doc_kind"]:
            raise SetupError("the document does not state " + ", ".join(
                flag for flag, key in (("--department", "department_name"), ("--year", "fiscal_year"),
                                       ("--kind", "doc_kind")) if not values[key]) + ": give it to release it")
        from extract.parse.identity.names import levels_of
        from flows.pipeline import region_frame

        values |= levels_of(values["department_name"], values["region_code"], values["doc_kind"])
        dims = {**released_dimensions(values), "dim_region": region_frame(values["region_code"])}
        _finish(engine, decision, values, dims)
    console.print(f"released {row['document_id'][:ID_SHOWN]}: {values['department_name']} {values['fiscal_year']} "
                  f"{values['doc_kind']} is loaded")


@review_app.command("reject")
def reject_command(
    document: str = typer.Argument(..., help="the document's sha256 (or its first characters)"),
    reason: str = typer.Option(..., "--reason", help="why it is not loaded (its quarantine reason)"),
    warehouse: Optional[str] = WAREHOUSE,
) -> None:
    """Quarantine a held document with the reason given."""
    from transform.review import REJECT, reject_reason

    with opened(warehouse) as engine:
        row = _held(engine, document)
        decision = {"document_id": row["document_id"], "decision": REJECT, "department_name": None,
                    "fiscal_year": None, "doc_kind": None, "region_code": None, "note": reason,
                    "decided_at": datetime.now(timezone.utc)}
        _finish(engine, decision, {"status": QUARANTINED, "status_reason": reject_reason(reason)}, {})
    console.print(f"rejected {row['document_id'][:ID_SHOWN]}: quarantined ({reject_reason(reason)})")
