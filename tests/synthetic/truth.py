"""Known truth for a synthetic disclosure: every figure, drawn so the identities hold.

A seed makes one department-year: a real county (name and GB/T 2260 code), a
department, a year, projects and figures in exact yuan (``Decimal``). The identities
the data-quality rules check hold by construction — revenue sources sum to the total,
total = basic + project + other, projects sum to project spending, the three-public
parts add up, function lines add up to their 款 and 类, economic lines to basic
spending — so a round-trip mismatch is an extraction bug, never a generator slip.
The balancing rows of the 收支总表 (使用非财政拨款结余, 上年结转, 结转下年) sit on top:
收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转 = 本年支出合计 + 结转下年 = 支出总计.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")
WAN = Decimal("10000")

from tests.synthetic.catalogue import (  # noqa: F401  (COUNTIES is part of the API)
    COUNTIES, DEPARTMENTS, ECONOMIC_CATALOGUE, FUNCTION_CATALOGUE, INDICATOR_BASIS, INDICATOR_ROWS,
    PLAN_LABELS, PLAN_PCTS, PROJECT_NAMES,
)


@dataclass(frozen=True)
class Indicator:
    level1: str
    level2: str
    level3: str
    description: str
    target_text: str
    basis: str


@dataclass(frozen=True)
class Project:
    seq: int
    code: str  # clean
    code_printed: str  # with the stray space real exports carry
    name: str
    amount: Decimal
    fiscal: Decimal
    other: Decimal
    plan: tuple[tuple[str, str], ...]  # (period label or "" when unheaded, pct text)
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    amount: Decimal
    basic: Decimal = ZERO
    project: Decimal = ZERO

    @property
    def level(self) -> str:
        return {3: "类", 5: "款", 7: "项"}.get(len(self.code), "")


@dataclass(frozen=True)
class Truth:
    seed: int
    province: str
    city: str
    county: str
    region_code: str
    department: str  # 高邑县信访局
    department_long: str  # 高邑县人民政府信访局
    unit_code: str
    unit_nature: str
    unit_rank: str
    funding_form: str
    year: int
    revenue_year: int  # the year the revenue sentence states: the seed slips to year - 1
    revenue: dict[str, Decimal]  # total, general_budget, gov_fund, state_capital, special_account, other
    expenditure: dict[str, Decimal]  # total, basic, project, other
    change: dict[str, tuple[Decimal, Decimal]]  # item -> (signed amount, signed pct)
    operating_expenses: Decimal
    three_public: dict[str, Decimal]
    projects: tuple[Project, ...]
    assets: dict[str, Decimal]  # total, vehicles_quantity, vehicles, other
    functions: tuple[Line, ...]
    economics: tuple[Line, ...]
    # the 收支总表's balancing rows: non_fiscal_balance_used, carryover_in, carryover_out
    balancing: dict[str, Decimal]

    @property
    def general_budget_expenditure(self) -> Decimal:
        return self.revenue["general_budget"]

    @property
    def revenue_grand_total(self) -> Decimal:
        """收入总计: this year's revenue (``revenue['total']``) plus the balancing rows."""
        b = self.balancing
        return self.revenue["total"] + b["non_fiscal_balance_used"] + b["carryover_in"]

    @property
    def expenditure_grand_total(self) -> Decimal:
        """支出总计: this year's spending (``expenditure['total']``) plus 结转下年."""
        return self.expenditure["total"] + self.balancing["carryover_out"]


def wan(yuan: Decimal) -> str:
    """Yuan as printed in 万元, exact: 2422400 -> '242.24', 890220.01 -> '89.022001'."""
    text = format((yuan / WAN).normalize(), "f")
    return "0" if text in ("0", "-0") else text


def _money(rng: random.Random, low: int, high: int, step: int) -> Decimal:
    return Decimal(rng.randrange(low // step, high // step + 1) * step)


def _split(rng: random.Random, total: Decimal, parts: int, step: int) -> list[Decimal]:
    """``parts`` non-negative multiples of ``step`` (the last takes the rest) summing to total."""
    units = int(total / step)
    cuts = sorted(rng.randint(0, units) for _ in range(parts - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, units])]
    return [Decimal(s * step) for s in sizes[:-1]] + [total - Decimal(sum(sizes[:-1]) * step)]


def _project_code(rng: random.Random, region_code: str, year: int) -> tuple[str, str]:
    tail = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.choice((9, 10))))
    code = f"{region_code}{year % 100:02d}{tail}"
    if rng.random() < 0.2:
        return code, code
    cut = len(code) - rng.randint(4, 6)
    return code, f"{code[:cut]} {code[cut:]}"


def _plan(rng: random.Random) -> tuple[tuple[str, str], ...]:
    labels = PLAN_LABELS if rng.random() < 0.4 else PLAN_LABELS[:3]
    if rng.random() < 0.3:
        labels = tuple(label.replace(" ", "") for label in labels)
    plan = tuple(zip(labels, PLAN_PCTS))
    if len(labels) == 3 and rng.random() < 0.1:  # 信访维稳经费: four percentages, three headers
        plan += (("", "100.00%"),)
    return plan


def _cost_target(rng: random.Random, amount: Decimal) -> str:
    return rng.choice((f"{wan(amount)} 万元", f"{int(amount)} 元", "元", "元", "20 元万元"))


def _indicators(rng: random.Random, amount: Decimal) -> tuple[Indicator, ...]:
    spaced = rng.random() < 0.5
    out = []
    for (l1, l2, l3, desc), basis in zip(INDICATOR_ROWS, INDICATOR_BASIS):
        target = "≥90 百分比" if spaced else "≥90百分比"
        if l2 == "成本指标":
            target = _cost_target(rng, amount)
        if l2 in ("数量指标", "时效指标") and rng.random() < 0.5:
            desc = "0"
        out.append(Indicator(l1, l2, l3, desc, target, basis))
    return tuple(out)


def _projects(rng: random.Random, region_code: str, year: int) -> tuple[Project, ...]:
    names = rng.sample(PROJECT_NAMES, rng.randint(1, 12))
    out = []
    for seq, name in enumerate(names, start=1):
        amount = _money(rng, 10_000, 600_000, 100)
        other = _money(rng, 0, int(amount) // 2, 100) if rng.random() < 0.15 else ZERO
        code, printed = _project_code(rng, region_code, year)
        out.append(Project(seq, code, printed, name, amount, amount - other, other, _plan(rng),
                           _indicators(rng, amount)))
    return tuple(out)


def _change(rng: random.Random, now: Decimal) -> tuple[Decimal, Decimal]:
    if now == 0:
        return ZERO, ZERO
    prior = (now * Decimal(rng.randint(60, 140)) / 100).quantize(Decimal("100"))
    if prior <= 0:
        prior = now
    amount = now - prior
    return amount, (amount / prior * 100).quantize(Decimal("0.01"))


def _functions(rng: random.Random, basic: Decimal, project: Decimal) -> tuple[Line, ...]:
    leaves = [(c, n, k) for c, n, k in FUNCTION_CATALOGUE if k and (k != "basic" or c != "2010350")]
    basic_leaves = [leaf for leaf in leaves if leaf[2] == "basic"]
    project_leaves = [leaf for leaf in leaves if leaf[2] == "project"]
    values: dict[str, tuple[Decimal, Decimal]] = {}
    for (code, _, _), part in zip(basic_leaves, _split(rng, basic, len(basic_leaves), 100)):
        values[code] = (part, ZERO)
    for (code, _, _), part in zip(project_leaves, _split(rng, project, len(project_leaves), 100)):
        values[code] = (ZERO, part)
    lines = []
    for code, name, _ in FUNCTION_CATALOGUE:
        b = sum((v[0] for c, v in values.items() if c.startswith(code)), ZERO)
        p = sum((v[1] for c, v in values.items() if c.startswith(code)), ZERO)
        if b + p > 0:
            lines.append(Line(code, name, b + p, b, p))
    return tuple(lines)


def _economics(rng: random.Random, basic: Decimal, reception: Decimal, vehicle_op: Decimal) -> tuple[Line, ...]:
    fixed = {"30217": reception, "30231": vehicle_op}
    free = [(c, n) for c, n in ECONOMIC_CATALOGUE if c not in fixed]
    parts = _split(rng, basic - reception - vehicle_op, len(free), 100)
    amounts = {c: a for (c, _), a in zip(free, parts)} | fixed
    return tuple(Line(c, n, amounts[c]) for c, n in ECONOMIC_CATALOGUE if amounts[c] > 0)


def _balancing(rng: random.Random) -> dict[str, Decimal]:
    """Half the truths carry money over: 上年结转 (and sometimes 使用非财政拨款结余) in,
    all of it 结转下年 out, so the grand totals still balance."""
    if rng.random() < 0.5:
        return {"non_fiscal_balance_used": ZERO, "carryover_in": ZERO, "carryover_out": ZERO}
    carried = _money(rng, 10_000, 900_000, 100)
    used = _money(rng, 10_000, 300_000, 100) if rng.random() < 0.3 else ZERO
    return {"non_fiscal_balance_used": used, "carryover_in": carried, "carryover_out": carried + used}


def generate_truth(seed: int) -> Truth:
    """The same seed always gives the same truth."""
    rng = random.Random(seed)
    province, city, county, region_code = rng.choice(COUNTIES)
    dept = rng.choice(DEPARTMENTS)
    year = rng.randint(2019, 2026)
    projects = _projects(rng, region_code, year)
    project = sum((p.amount for p in projects), ZERO)
    vehicle_op = _money(rng, 0, 60_000, 100) if rng.random() < 0.7 else ZERO
    vehicle_purchase = _money(rng, 100_000, 250_000, 100) if rng.random() < 0.1 else ZERO
    reception = _money(rng, 0, 30_000, 100)
    abroad = _money(rng, 10_000, 50_000, 100) if rng.random() < 0.1 else ZERO
    basic = _money(rng, 400_000, 6_000_000, 100) + vehicle_op + reception
    total = basic + project
    other_rev = sum((p.other for p in projects), ZERO)  # projects' 其他资金 come from 其他收入
    gov_fund = _money(rng, 0, int(project - other_rev) // 2, 100) if rng.random() < 0.2 else ZERO
    revenue = {"total": total, "general_budget": total - gov_fund - other_rev, "gov_fund": gov_fund,
               "state_capital": ZERO, "special_account": ZERO, "other": other_rev}
    expenditure = {"total": total, "basic": basic, "project": project, "other": ZERO}
    change = {"basic": _change(rng, basic), "project": _change(rng, project), "other": (ZERO, ZERO)}
    prior_total = total - change["basic"][0] - change["project"][0]
    total_change = total - prior_total
    change["total"] = (total_change, (total_change / prior_total * 100).quantize(Decimal("0.01")))
    vehicles = vehicle_purchase + vehicle_op
    three = {"abroad": abroad, "vehicle_purchase": vehicle_purchase, "vehicle_operation": vehicle_op,
             "vehicle": vehicles, "reception": reception, "total": abroad + vehicles + reception}
    n_vehicles = Decimal(rng.choice((0, 0, 1, 1, 2, 3)))
    vehicle_value = _money(rng, 60_000, 300_000, 1) * n_vehicles + Decimal(rng.randint(0, 99)) / 100
    vehicle_value = vehicle_value if n_vehicles else ZERO
    other_assets = _money(rng, 50_000, 2_000_000, 1) + Decimal(rng.randint(0, 99)) / 100
    assets = {"vehicles_quantity": n_vehicles, "vehicles": vehicle_value, "other": other_assets,
              "total": vehicle_value + other_assets}
    general_project = revenue["general_budget"] - basic
    return Truth(
        seed=seed, province=province, city=city, county=county, region_code=region_code,
        department=f"{county}{dept}", department_long=f"{county}人民政府{dept}",
        unit_code=f"{rng.randint(100, 999)}001", unit_nature=rng.choice(("行政", "行政", "参公")),
        unit_rank=rng.choice(("正科级", "副科级")), funding_form="财政拨款", year=year,
        revenue_year=year - 1 if rng.random() < 0.1 else year,
        revenue=revenue, expenditure=expenditure, change=change,
        operating_expenses=_money(rng, 20_000, int(basic - vehicle_op - reception) // 3, 100),
        three_public=three, projects=projects, assets=assets,
        functions=_functions(rng, basic, general_project),
        economics=_economics(rng, basic, reception, vehicle_op),
        balancing=_balancing(rng),
    )


def identity_failures(truth: Truth) -> list[str]:
    """The identities a truth must satisfy; empty when it does (tests assert that)."""
    rev, exp, tp, a = truth.revenue, truth.expenditure, truth.three_public, truth.assets
    checks = {
        "revenue sources": rev["total"] == sum(v for k, v in rev.items() if k != "total"),
        "expenditure parts": exp["total"] == exp["basic"] + exp["project"] + exp["other"],
        "revenue = expenditure": rev["total"] == exp["total"],
        "grand totals": truth.revenue_grand_total == truth.expenditure_grand_total,
        "projects": exp["project"] == sum(p.amount for p in truth.projects),
        "project funds": all(p.amount == p.fiscal + p.other for p in truth.projects),
        "three public": tp["total"] == tp["abroad"] + tp["vehicle"] + tp["reception"],
        "vehicles": tp["vehicle"] == tp["vehicle_purchase"] + tp["vehicle_operation"],
        "assets": a["total"] == a["vehicles"] + a["other"],
        "function 类 = general budget": sum(f.amount for f in truth.functions if f.level == "类")
        == truth.general_budget_expenditure,
        "function basic+project": all(f.amount == f.basic + f.project for f in truth.functions),
        "economic = basic": sum(e.amount for e in truth.economics) == exp["basic"],
        "non-negative": all(v >= 0 for d in (rev, exp, tp, a, truth.balancing) for v in d.values()),
    }
    for parent in (f for f in truth.functions if f.level in ("类", "款")):
        width = 5 if parent.level == "类" else 7
        kids = [f for f in truth.functions if len(f.code) == width and f.code.startswith(parent.code)]
        checks[f"function {parent.code}"] = parent.amount == sum(k.amount for k in kids)
    return [name for name, ok in checks.items() if not ok]
