"""Field-by-field comparison of a :class:`ParseResult` against the truth it was rendered from.

Both sides become flat ``{field name: value}`` maps — figures as exact yuan
``Decimal`` after applying the printed unit, texts as printed — so a mismatch reads
``expenditure.basic: expected 1110000, got 111000`` and the count of compared fields
is honest: a field the parser did not emit is a mismatch, not a skip.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extract.parse.records import AmountRecord, ParseResult
from schemas.money import UNIT_FACTORS as MONEY_FACTORS
from tests.synthetic.truth import Truth

UNIT_FACTORS = {**MONEY_FACTORS, "%": Decimal(1), "": Decimal(1)}  # a rate or a count is taken as printed
MISSING = "<missing>"


@dataclass(frozen=True)
class Comparison:
    compared: int
    mismatches: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def to_yuan(text: str, unit: str) -> Decimal | str:
    """Printed figure and unit -> exact Decimal; the raw text when it is not a number."""
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "").replace("%", "")
    try:
        return Decimal(cleaned) * UNIT_FACTORS[unit]
    except (InvalidOperation, KeyError):
        return text


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, Decimal) and isinstance(actual, Decimal):
        return expected == actual
    return expected == actual


def compare(expected: dict[str, object], actual: dict[str, object]) -> Comparison:
    mismatches = tuple(
        f"{name}: expected {value!s}, got {actual.get(name, MISSING)!s}"
        for name, value in expected.items()
        if not _same(value, actual.get(name, MISSING))
    )
    return Comparison(len(expected), mismatches)


# ----------------------------------------------------------------- expected (truth side)


def expected_seed_fields(truth: Truth) -> dict[str, object]:
    """Everything the seed template states, keyed like :func:`actual_seed_fields`."""
    t = truth
    out: dict[str, object] = {
        "meta.department_name": t.department, "meta.fiscal_year": t.year,
        "meta.region_code": t.region_code, "meta.unit_code": t.unit_code,
        "meta.budget_unit_count": 1, "meta.doc_kind": "department_budget",
        "unit.0": (t.department, t.unit_nature, t.unit_rank, t.funding_form),
        "project.count": len(t.projects),
        "meta.stated_years": tuple(sorted({t.revenue_year, t.year})),
    }
    for item, value in t.revenue.items():
        out[f"revenue.{item}"] = value
    for item, value in t.expenditure.items():
        out[f"expenditure.{item}"] = value
    for item, (amount, pct) in t.change.items():
        out[f"change.{item}.amount"] = amount
        out[f"change.{item}.pct"] = pct
    out["operating_expenses.total"] = t.operating_expenses
    for item, value in t.three_public.items():
        out[f"three_public.{item}"] = value
    out["procurement.total"] = Decimal(0)
    out["asset.total.held.value.narrative"] = t.assets["total"]
    out["asset.vehicles.planned_purchase.quantity.narrative"] = Decimal(0)  # "无购置车辆计划"
    out["asset.total.planned_purchase.value.narrative"] = Decimal(0)  # "拟购置固定资产 0 万元"
    out["asset.total.held.value.table"] = t.assets["total"]
    out["asset.other.held.value.table"] = t.assets["other"]
    if t.assets["vehicles_quantity"]:
        out["asset.vehicles.held.quantity.table"] = t.assets["vehicles_quantity"]
        out["asset.vehicles.held.value.table"] = t.assets["vehicles"]
    for p in t.projects:
        key = f"project.{p.seq}"
        out[f"{key}.code"] = p.code
        out[f"{key}.name"] = p.name
        out[f"{key}.amount"] = p.amount
        out[f"{key}.fiscal"] = p.fiscal
        out[f"{key}.other"] = p.other
        out[f"{key}.plan"] = tuple((label.replace(" ", ""), pct) for label, pct in p.plan)
        for i, ind in enumerate(p.indicators, start=1):
            out[f"{key}.indicator.{i}"] = (ind.level1, ind.level2, ind.level3, ind.description,
                                           ind.target_text, ind.basis)
        out[f"{key}.indicator.count"] = len(p.indicators)
    return out


# ----------------------------------------------------------------- actual (parser side)


def _amounts(result: ParseResult) -> dict[tuple[str, str, str, str, str], AmountRecord]:
    found: dict[tuple[str, str, str, str, str], AmountRecord] = {}
    for r in result.amounts:
        found.setdefault((r.statement, r.item, r.key, r.column, r.source), r)
    return found


def actual_seed_fields(result: ParseResult) -> dict[str, object]:
    m = result.meta
    out: dict[str, object] = {
        "meta.department_name": m.department_name, "meta.fiscal_year": m.fiscal_year,
        "meta.region_code": m.region_code, "meta.unit_code": m.unit_code,
        "meta.budget_unit_count": m.budget_unit_count, "meta.doc_kind": m.doc_kind,
        "project.count": len(result.projects),
        "meta.stated_years": tuple(sorted({year for year, _ in m.stated_years})),
    }
    if result.units:
        u = result.units[0]
        out["unit.0"] = (u.unit_name, u.unit_nature, u.unit_rank, u.funding_form)
    for (statement, item, key, column, source), r in _amounts(result).items():
        if key:
            continue
        value = to_yuan(r.amount_text, r.unit)
        if statement == "change":
            out[f"change.{item}.{column}"] = value
        elif source == "narrative" or f"{statement}.{item}" not in out:
            out.setdefault(f"{statement}.{item}", value)
    for a in result.assets:
        base = f"asset.{a.category}.{a.measure}"
        if a.quantity_text:
            out.setdefault(f"{base}.quantity.{a.source}", to_yuan(a.quantity_text, ""))
        if a.value_text:
            out.setdefault(f"{base}.value.{a.source}", to_yuan(a.value_text, a.value_unit))
    for p in result.projects:
        key = f"project.{p.seq}"
        out[f"{key}.code"] = p.project_code_text.replace(" ", "")
        out[f"{key}.name"] = p.project_name
        out[f"{key}.amount"] = to_yuan(p.amount_text, p.unit)
        out[f"{key}.fiscal"] = to_yuan(p.fiscal_funds_text, p.unit)
        out[f"{key}.other"] = to_yuan(p.other_funds_text, p.unit)
        plans = sorted((x for x in result.plans if x.project_seq == p.seq), key=lambda x: x.seq)
        out[f"{key}.plan"] = tuple((x.period_label.replace(" ", ""), x.pct_text) for x in plans)
        inds = sorted((x for x in result.indicators if x.project_seq == p.seq), key=lambda x: x.seq)
        for x in inds:
            out[f"{key}.indicator.{x.seq}"] = (x.level1, x.level2, x.level3, x.description,
                                               x.target_text, x.basis)
        out[f"{key}.indicator.count"] = len(inds)
    return out


def compare_seed(truth: Truth, result: ParseResult) -> Comparison:
    return compare(expected_seed_fields(truth), actual_seed_fields(result))


# ----------------------------------------------------------------- standard tables


def expected_standard_fields(truth: Truth) -> dict[str, object]:
    """What the standard-tables rendering states (see render_pdf.render_standard_tables_pdf):
    the 收支总表's sources, this year's totals, balancing rows and grand totals, the 支出总表's
    合计 row, and the "三公" figures its layout prints."""
    from tests.synthetic.render_pdf import standard_quirks  # reportlab is needed only here

    t, quirks, b = truth, standard_quirks(truth), truth.balancing
    out: dict[str, object] = {
        "meta.department_name": t.department, "meta.fiscal_year": t.year,
        "meta.doc_kind": "department_budget",
    }
    for item in ("general_budget", "gov_fund", "state_capital", "special_account", "other"):
        out[f"revenue.{item}"] = t.revenue[item]
    if quirks["summary"].variant == 1:
        out["revenue.fiscal_grant"] = t.revenue["general_budget"] + t.revenue["gov_fund"] + t.revenue["state_capital"]
    out["revenue.this_year"] = t.revenue["total"]
    out["revenue.non_fiscal_balance_used"] = b["non_fiscal_balance_used"]
    out["revenue.carryover"] = b["carryover_in"]
    out["revenue.total"] = t.revenue_grand_total
    for item in ("basic", "project"):
        out[f"expenditure.{item}"] = t.expenditure[item]
    out["expenditure.this_year"] = t.expenditure["total"]
    out["expenditure.carryover"] = b["carryover_out"]
    out["expenditure.total"] = t.expenditure_grand_total
    for column in ("amount", "basic", "project"):
        out[f"expenditure_table.total.{column}"] = t.expenditure["total" if column == "amount" else column]
    for f in t.functions:
        out[f"function.{f.code}.name"] = f.name
        for column in ("amount", "basic", "project"):
            out[f"function.{f.code}.{column}"] = getattr(f, column)
    top = [f for f in t.functions if f.level == "类"]
    for column in ("amount", "basic", "project"):
        out[f"function.total.{column}"] = sum((getattr(f, column) for f in top), Decimal(0))
    for e in t.economics:
        out[f"economic.{e.code}.name"] = e.name
        out[f"economic.{e.code}.amount"] = e.amount
    out["economic.total.amount"] = sum((e.amount for e in t.economics), Decimal(0))
    one_line = quirks["three_public"].variant == 2  # vehicles printed as one figure, not split
    for item, value in t.three_public.items():
        if not (one_line and item in ("vehicle_purchase", "vehicle_operation")):
            out[f"three_public.{item}"] = value
    return out


def _table_value(r: AmountRecord) -> Decimal | str:
    # a blank table cell is how these tables print zero
    return Decimal(0) if not r.amount_text.strip() else to_yuan(r.amount_text, r.unit)


def actual_standard_fields(result: ParseResult) -> dict[str, object]:
    m = result.meta
    out: dict[str, object] = {
        "meta.department_name": m.department_name, "meta.fiscal_year": m.fiscal_year,
        "meta.doc_kind": m.doc_kind,
    }
    for r in result.amounts:
        if r.source != "table":
            continue
        statement = "economic" if r.statement.startswith("economic") else r.statement
        if statement in ("revenue", "expenditure", "three_public") and not r.key:
            out.setdefault(f"{statement}.{r.item}", _table_value(r))
        elif statement == "expenditure_table" and r.item == "total":
            out.setdefault(f"expenditure_table.total.{r.column}", _table_value(r))
        elif statement in ("function", "economic"):
            key = r.key.replace(" ", "") if r.item == "line" else r.item
            out.setdefault(f"{statement}.{key}.{r.column}", _table_value(r))
            if r.item == "line":
                out.setdefault(f"{statement}.{key}.name", r.label)
    return out


def compare_standard(truth: Truth, result: ParseResult) -> Comparison:
    return compare(expected_standard_fields(truth), actual_standard_fields(result))


def squeeze_spaces(fields: dict[str, object]) -> dict[str, object]:
    """A PDF does not store spaces reliably (a gap is a gap): compare texts without them."""

    def squeeze(value: object) -> object:
        if isinstance(value, str):
            return "".join(value.split())
        if isinstance(value, tuple):
            return tuple(squeeze(v) for v in value)
        return value

    return {name: squeeze(value) for name, value in fields.items()}
