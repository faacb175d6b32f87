"""Cross-checks between the narrative and the standard tables, and within classification tables.

The narrative usually rounds to 万元 while the tables print 元 (or 万元 to six places), so
each comparison allows the rounding of both printed figures and no more. Nothing is
reconciled: when the two disagree the row fails and keeps both figures.
"""

from __future__ import annotations

from decimal import Decimal

from transform.quality import ZERO, Check, DocumentFacts, Figure, _sum, compare, rule

THREE_PUBLIC_ITEMS = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
WAN_GRID = Decimal(100)  # a 万元 figure printed to two decimals is a whole multiple of 100 yuan


def _both(narrative: Figure | None, table: Figure | None) -> bool:
    return narrative is not None and table is not None


@rule
def three_public_narrative_vs_table(doc: DocumentFacts) -> list[Check]:
    checks = []
    for item in THREE_PUBLIC_ITEMS:
        narrative, table = doc.three_public(item, "narrative"), doc.three_public(item, "table")
        if _both(narrative, table):
            checks.append(compare(f"three_public_{item}_narrative_vs_table",
                                  f'"三公" {item}: narrative = table', narrative.as_printed(), table))
    return checks


@rule
def operating_expenses_narrative_vs_table(doc: DocumentFacts) -> list[Check]:
    narrative = doc.line("operating_expenses", "total", source="narrative")
    table = doc.line("operating_expenses", "total", source="table")
    if not _both(narrative, table):
        return []
    return [compare("operating_expenses_narrative_vs_table", "机关运行经费: narrative = table",
                    narrative.as_printed(), table)]


@rule
def totals_narrative_vs_table(doc: DocumentFacts) -> list[Check]:
    checks = []
    for statement in ("revenue", "expenditure"):
        narrative = doc.line(statement, "total", source="narrative")
        table = doc.line(statement, "total", source="table")
        if _both(narrative, table):
            checks.append(compare(f"{statement}_total_narrative_vs_table", f"{statement} total: narrative = table",
                                  narrative.as_printed(), table))
    return checks


def _slack(values: list[Decimal]) -> Decimal:
    """Rounding allowance for table lines whose unit is no longer known."""
    return Decimal(50) if all(v % WAN_GRID == 0 for v in values) else Decimal("0.005")


def _children_mismatches(lines: list[dict], kind: str = "function") -> tuple[int, list[str]]:
    by_code = {line[f"{kind}_code"]: line for line in lines if line["amount_yuan"] is not None}
    compared, bad = 0, []
    for code, parent in by_code.items():
        children = [c for k, c in by_code.items() if len(k) == len(code) + 2 and k.startswith(code)]
        if not children:
            continue
        compared += 1
        total = sum((c["amount_yuan"] for c in children), ZERO)
        tolerance = _slack([parent["amount_yuan"]] + [c["amount_yuan"] for c in children]) * (len(children) + 1)
        if abs(total - parent["amount_yuan"]) > tolerance:
            bad.append(f"{code} {parent[f'{kind}_name']}: stated {parent['amount_yuan']}, lines sum to {total}")
    return compared, bad


@rule
def function_lines_sum_to_class_totals(doc: DocumentFacts) -> list[Check]:
    if not doc.functions:
        return []
    compared, bad = _children_mismatches(doc.functions)
    if compared == 0:
        return [Check("function_lines_sum_to_class_totals", "error", None, None, None,
                      "类/款 totals vs their lines: not evaluated, no class with printed sub-lines")]
    message = (f"all {compared} 类/款 totals equal the sum of their lines" if not bad
               else f"{len(bad)} of {compared} 类/款 totals differ from their lines: " + "; ".join(bad[:3]))
    return [Check("function_lines_sum_to_class_totals", "error", not bad, None, None, message)]


@rule
def three_public_grand_total_equals_parts(doc: DocumentFacts) -> list[Check]:
    """Tables that add 会议费 and 培训费 to the "三公" print a 合计 that must be their sum."""
    grand = doc.three_public("grand_total")
    if grand is None:
        return []
    derived = _sum([doc.three_public("total"), doc.three_public("meeting"), doc.three_public("training")])
    return [compare("three_public_grand_total_equals_parts", '"三公" + 会议费 + 培训费 合计 = its parts',
                    grand, derived)]


@rule
def economic_lines_sum_to_class_totals(doc: DocumentFacts) -> list[Check]:
    """经济分类: each 类 (301 工资福利支出…) equals the sum of its 款 lines (30101…)."""
    if not doc.economics:
        return []
    compared, bad = _children_mismatches(doc.economics, "economic")
    if compared == 0:
        return []
    message = (f"all {compared} economic classes equal the sum of their lines" if not bad
               else f"{len(bad)} of {compared} economic classes differ from their lines: " + "; ".join(bad[:3]))
    return [Check("economic_lines_sum_to_class_totals", "error", not bad, None, None, message)]
