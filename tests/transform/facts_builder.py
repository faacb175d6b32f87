"""Build one document's warehouse frames by hand, typed by the warehouse tables, for rule tests.

``lines`` are ``(statement, item, printed text, unit[, source])`` as a 收支总表 or a
narrative prints them; amounts are converted the way the pipeline converts them.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from schemas import table
from schemas.frames import check_frame, conform, empty_frame, polars_schema
from transform.numbers import to_yuan
from transform.quality import checks_frame, run_rules

DOC = "d" * 64


def _frame(name: str, rows: list[dict]) -> pl.DataFrame:
    t = table(name)
    full = [{c: row.get(c) for c in t.columns.keys()} for row in rows]
    frame = pl.DataFrame(full, schema=polars_schema(t), orient="row") if full else empty_frame(t)
    return check_frame(conform(frame, t), t)


def budget_lines(lines: list[tuple], document_id: str = DOC) -> pl.DataFrame:
    rows = []
    for seq, (statement, item, text, unit, *rest) in enumerate(lines, start=1):
        source = rest[0] if rest else "table"
        column = rest[1] if len(rest) > 1 else ("quantity" if unit == "" else "pct" if unit == "%" else "amount")
        key = rest[2] if len(rest) > 2 else ""
        rows.append({
            "document_id": document_id, "page_no": 1, "line_no": seq, "source_text": f"{item} {text}",
            "line_seq": seq, "statement": statement, "item": item, "item_key": key, "column_name": column,
            "label": item, "source": source,
            "amount_yuan": to_yuan(text, unit) if unit in ("元", "万元", "亿元") else None,
            "quantity": Decimal(text) if column == "quantity" else None,
            "rate_pct": Decimal(text) if column == "pct" else None,
            "stated_text": text, "stated_unit": unit,
        })
    return _frame("fct_budget_line", rows)


def projects(items: list[tuple], unit: str = "元", document_id: str = DOC) -> pl.DataFrame:
    """``(code, name, amount, fiscal funds, other funds)`` as printed in ``unit``."""
    rows = []
    for seq, (code, name, amount, fiscal, other) in enumerate(items, start=1):
        rows.append({
            "document_id": document_id, "page_no": 1, "line_no": seq, "source_text": name, "project_seq": seq,
            "project_code": code, "project_code_text": code, "project_name": name,
            "amount_yuan": to_yuan(amount, unit), "fiscal_funds_yuan": to_yuan(fiscal, unit),
            "other_funds_yuan": to_yuan(other, unit), "stated_unit": unit,
        })
    return _frame("fct_project_budget", rows)


def three_public(items: list[tuple], document_id: str = DOC) -> pl.DataFrame:
    """``(item, printed text, unit, source)``."""
    rows = [{"document_id": document_id, "page_no": 1, "line_no": seq, "source_text": item, "line_seq": seq,
             "item": item, "source": source, "amount_yuan": to_yuan(text, unit), "stated_text": text,
             "stated_unit": unit} for seq, (item, text, unit, source) in enumerate(items, start=1)]
    return _frame("fct_three_public", rows)


def verdicts(frames: dict[str, pl.DataFrame], document_id: str = DOC) -> dict[str, dict]:
    """rule_code → the fct_data_quality row the pipeline would store."""
    frame = checks_frame(run_rules(frames, [document_id]))
    t = table("fct_data_quality")
    return {row["rule_code"]: row for row in check_frame(conform(frame, t), t).to_dicts()}
