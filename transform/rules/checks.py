"""Per-document tests that are not a plain sum: change percentages, classification trees,
the stated year, readable figures.

Each is a function ``DocumentFacts -> Verdict | Missing`` used by a :class:`Custom` row of
the catalogue. Sources: the 收支预算增减变化 sentences (``change.*``), the 功能分类 and
经济分类 tables, the years printed beside the totals, every printed figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from transform.rules.facts import ZERO, DocumentFacts, Figure
from transform.rules.kinds import term
from transform.rules.model import Missing, Verdict
from reference.vocabulary import blank_figure
from schemas.money import MONEY_UNITS
from schemas.vocabulary import PRINTED_YEAR_SOURCES

PCT_SLACK = Decimal("0.005")
WAN_GRID = Decimal(100)  # a 万元 figure printed to two decimals is a whole multiple of 100 yuan


def _pct_interval(change: Figure, current: Figure) -> tuple[Decimal, Decimal] | None:
    """Range of change/(current-change)·100 over every rounding of the two printed figures."""
    values = []
    for dc in (-change.slack, change.slack):
        for dn in (-current.slack, current.slack):
            previous = current.value + dn - (change.value + dc)
            if previous <= 0:
                return None
            values.append((change.value + dc) / previous * 100)
    return min(values), max(values)


def change_pct(item: str) -> Callable[[DocumentFacts], Verdict | Missing]:
    """The stated change % of ``item`` agrees with change / (current − change)."""
    def test(doc: DocumentFacts) -> Verdict | Missing:
        change, pct = doc.line("change", item), doc.line("change", item, "pct")
        current = doc.line("expenditure", item) or (doc.line("revenue", "total") if item == "total" else None)
        names = (f"change.{item} (amount)", f"change.{item} (%)", term(f"expenditure.{item}"))
        missing = tuple(name for name, f in zip(names, (change, pct, current)) if f is None)
        if missing:
            return Missing(missing)
        interval = _pct_interval(change, current)
        if interval is None:
            ok = change.value == 0 and pct.value == 0
            return Verdict(ok, ZERO, pct.value, ZERO,
                           f"previous year was zero; stated {pct.value}% for a change of {change.value}")
        low, high = interval
        slack = PCT_SLACK + pct.slack
        ok = low - slack <= pct.value <= high + slack
        mid = (change.value / (current.value - change.value) * 100).quantize(Decimal("0.01"))
        return Verdict(ok, mid, pct.value, ((high - low) / 2 + slack).quantize(Decimal("0.0001")),
                       f"stated {pct.value}%, amounts give {mid}% (range {low:.4f}–{high:.4f})")
    return test


def stated_year(doc: DocumentFacts) -> Verdict | Missing:
    fiscal_year = doc.document.get("fiscal_year")
    stated = [(r["stated_year"], r["line_no"], r["source_text"]) for r in doc.stated_years]
    missing = (() if fiscal_year is not None else ("the document's fiscal year",)) + (
        () if stated else ("a year printed beside a total",))
    if missing:
        return Missing(missing)
    slips = [(year, line, text) for year, line, text in stated if year != fiscal_year]
    if not slips:
        return Verdict(True, Decimal(fiscal_year), Decimal(fiscal_year), ZERO,
                       f"every year stated beside a total is {fiscal_year}")
    year, line, text = slips[0]
    return Verdict(False, Decimal(fiscal_year), Decimal(year), ZERO,
                   f"the text states {year} in a {fiscal_year} disclosure (line {line}: {text[:60]})")


YEAR_HINTS = {"sibling_volume": "a sibling volume of the same department", "crawl_link": "the link text the crawler followed",
              "file_name": "its file name", "url": "its address"}


def fiscal_year_printed(doc: DocumentFacts) -> Verdict | Missing:
    """The fiscal year is printed in the document (title, cover, a table's title), not taken
    from its context: a year from a sibling volume, a link, a file name or an address is a guess."""
    year, source = doc.document.get("fiscal_year"), doc.document.get("fiscal_year_source")
    if year is None or source is None:
        return Missing(("dim_document.fiscal_year_source",))
    if source in PRINTED_YEAR_SOURCES:
        return Verdict(True, Decimal(year), Decimal(year), ZERO, f"{year}, printed in the document's {source}")
    return Verdict(False, None, Decimal(year), None,
                   f"the document prints no fiscal year: {year} was taken from {YEAR_HINTS.get(source, source)}")


def figures_readable(doc: DocumentFacts) -> Verdict | Missing:
    rows = doc.lines + doc.three_public_rows + doc.procurement_rows
    money = [r for r in rows if r["stated_unit"] in MONEY_UNITS and not blank_figure(r["stated_text"].replace(" ", ""))]
    if not money:
        return Missing(("any printed money figure",))
    unreadable = [r for r in money if r["amount_yuan"] is None]
    if not unreadable:
        return Verdict(True, None, None, None, f"all {len(money)} printed figures read as numbers")
    listed = "; ".join(f"{r['stated_text']!r} (line {r['line_no']})" for r in unreadable[:5])
    return Verdict(False, Decimal(len(money)), Decimal(len(money) - len(unreadable)), None,
                   f"{len(unreadable)} of {len(money)} printed figures unreadable: {listed}")


def _slack(values: list[Decimal]) -> Decimal:
    """Rounding allowance for table lines whose unit is no longer known."""
    return Decimal(50) if all(v % WAN_GRID == 0 for v in values) else Decimal("0.005")


def classification_lines(kind: str) -> Callable[[DocumentFacts], Verdict | Missing]:
    """Each 类 (款) of the ``kind`` classification table equals the sum of its printed 款 (项) lines.
    Every printed line counts, a code printed on two lines included (the parent is its first)."""
    def test(doc: DocumentFacts) -> Verdict | Missing:
        lines = [line for line in (doc.functions if kind == "function" else doc.economics)
                 if line["amount_yuan"] is not None]
        parents: dict[str, dict] = {}
        for line in lines:
            parents.setdefault(line[f"{kind}_code"], line)
        if not parents:
            return Missing((f"the {kind} classification table",))
        compared, bad = 0, []
        for code, parent in parents.items():
            children = [c for c in lines if len(c[f"{kind}_code"]) == len(code) + 2
                        and c[f"{kind}_code"].startswith(code)]
            if not children:
                continue
            compared += 1
            total = sum((c["amount_yuan"] for c in children), ZERO)
            tolerance = _slack([parent["amount_yuan"]] + [c["amount_yuan"] for c in children]) * (len(children) + 1)
            if abs(total - parent["amount_yuan"]) > tolerance:
                bad.append((parent, code, total, tolerance))
        if compared == 0:
            return Missing((f"a {kind} class printed with its sub-lines",))
        if not bad:
            return Verdict(True, None, None, None, f"all {compared} classes equal the sum of their lines")
        parent, _, total, tolerance = bad[0]
        listed = "; ".join(f"{code} {p[f'{kind}_name']}: stated {p['amount_yuan']}, lines sum to {t}"
                           for p, code, t, _ in bad[:3])
        return Verdict(False, total, parent["amount_yuan"], tolerance,
                       f"{len(bad)} of {compared} classes differ from their lines: {listed}")
    return test


def classification_codes_unique(doc: DocumentFacts) -> Verdict | Missing:
    """Each 功能/经济分类 code names one line: the same code printed again under another name
    (长春 预算表6: 30208 for both 取暖费 and 物业管理费) is a misprint to look at."""
    lines = [(kind, line) for kind, rows in (("function", doc.functions), ("economic", doc.economics))
             for line in rows if line[f"{kind}_code"]]
    if not lines:
        return Missing(("a classification table with codes",))
    names: dict[tuple[str, str], list[str]] = {}
    for kind, line in lines:
        named = names.setdefault((kind, line[f"{kind}_code"]), [])
        if line[f"{kind}_name"] not in named:
            named.append(line[f"{kind}_name"])
    twice = [(code, named) for (_, code), named in names.items() if len(named) > 1]
    if not twice:
        return Verdict(True, None, None, None, f"all {len(names)} codes name one line each")
    listed = "; ".join(f"{code} printed for {' and '.join(named)}" for code, named in twice[:3])
    return Verdict(False, Decimal(len(names)), Decimal(len(names) - len(twice)), None,
                   f"{len(twice)} code(s) printed on lines of different names: {listed}")
