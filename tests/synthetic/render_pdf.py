"""PDF renderings of a truth: the seed's template, and the national standard tables.

Quirks real files show are switched on by the truth's seed so a corpus mixes them:
tables continued over a page break with or without a repeated header, names wrapped
inside narrow cells, 元 and 万元 tables in one document, thousands separators, stray
spaces in codes, blank cells for zero, and (on request) a scanned page with no text.
Each table also takes one of its real title variants (a unit-named 西南大学支出预算表, a
部门支出总表 …); the 收支总表 prints its balancing rows under grand totals labelled 收入总计,
合计 or 总计 and sometimes a 财政拨款 aggregate row over its parts; the "三公" table is
sometimes flattened onto one line of labels and figures with the vehicles not split.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from tests.synthetic.pdf_layout import Flow
from tests.synthetic.render_text import seed_blocks
from tests.synthetic.truth import WAN, Truth

SEED_WIDTHS = {  # column widths by column count, so the seed's tables look like its Word export
    4: [150, 80, 80, 100], 3: [200, 80, 150],
    7: [68, 96, 70, 92, 66, 70, 40],
}


@dataclass(frozen=True)
class TableQuirks:
    """Per-table choices; drawn from the truth's seed so they vary across a corpus."""

    unit: str  # "元" | "万元"
    thousands: bool
    blank_zero: bool
    spaced_code: bool
    split: bool
    repeat_header: bool
    narrow: bool  # name columns so narrow that long names wrap inside their cell
    variant: int = 0  # which real title / layout variant of the table (0, 1 or 2)

    @classmethod
    def draw(cls, rng: random.Random) -> TableQuirks:
        return cls(unit=rng.choice(("元", "万元")), thousands=rng.random() < 0.5,
                   blank_zero=rng.random() < 0.5, spaced_code=rng.random() < 0.3,
                   split=rng.random() < 0.4, repeat_header=rng.random() < 0.5,
                   narrow=rng.random() < 0.5, variant=rng.randrange(3))

    def amount(self, yuan: Decimal) -> str:
        if yuan == 0 and self.blank_zero:
            return ""
        value = yuan / WAN if self.unit == "万元" else yuan
        return f"{value:,.2f}" if self.thousands else f"{value:.2f}"

    def code(self, code: str) -> str:
        return f"{code[:3]} {code[3:]}" if self.spaced_code and len(code) > 3 else code


def render_seed_pdf(truth: Truth, with_scanned_page: bool = False, split_projects: bool = False,
                    repeat_rows: int = 0) -> bytes:
    """The seed template typeset: paragraphs wrap, tab rows become ruled tables.

    ``split_projects`` breaks every 绩效目标表 across a page, after a different row for each
    project (in its head, at its indicator header, among its indicators), as a word processor
    does; ``repeat_rows`` repeats that many of its first rows on the continuation page (the
    word processor's "repeat as header row"), 0 for none.
    """
    flow = Flow()
    blocks = seed_blocks(truth)
    scan_pending = with_scanned_page
    for index, block in enumerate(blocks):
        if isinstance(block, str):
            flow.paragraph(block, size=16 if index == 0 else None, centred=index < 2)
            continue
        width = max(len(row) for row in block)
        rows = [row + [""] * (width - len(row)) for row in block]
        widths = SEED_WIDTHS.get(width, [1] * width)
        project = split_projects and rows[0][0] == "项目编码"
        if project:
            flow.break_table_after(rows, widths, 2 + index % (len(rows) - 3))
        flow.table(rows, widths, header_rows=repeat_rows if project else 0, repeat_header=project and repeat_rows > 0)
        if scan_pending:  # after the first table, among narrative pages
            flow.scanned_page(truth.seed)
            scan_pending = False
    return flow.finish()


def _cover(flow: Flow, truth: Truth) -> None:
    flow.gap(220)
    flow.paragraph(truth.department, size=22, centred=True)
    flow.gap(20)
    flow.paragraph(f"{truth.year}年部门预算", size=22, centred=True)
    flow.gap(260)
    flow.paragraph(f"编制部门：{truth.department}", size=12, centred=True)
    flow.new_page()


def _heading(flow: Flow, title: str, truth: Truth, q: TableQuirks) -> None:
    if q.split:  # start the table near the page foot so it must continue overleaf
        flow.paragraph("注：本表反映部门预算安排情况，数据来源于部门预算编制系统。")
        flow.gap(max(0.0, flow.y - flow.s.margin - 120))
    flow.paragraph(title, size=13, centred=True)
    flow.paragraph(f"部门：{truth.department}　　　　　　　　　　单位：{q.unit}")


SUMMARY_TITLES = ("收支预算总表", "{department}收支预算总表", "部门收支总表")
GRAND_LABELS = (("收入总计", "支出总计"), ("合计", "合计"), ("总计", "总计"))


def summary_sources(truth: Truth, q: TableQuirks) -> list[tuple[str, Decimal]]:
    """The revenue rows; variant 1 prints the 财政拨款 aggregate above its parts."""
    r = truth.revenue
    if q.variant == 1:
        grant = r["general_budget"] + r["gov_fund"] + r["state_capital"]
        return [("一、财政拨款（补助）收入", grant), ("其中：一般公共预算", r["general_budget"]),
                ("政府性基金预算", r["gov_fund"]), ("国有资本经营预算", r["state_capital"]),
                ("二、财政专户管理资金收入", r["special_account"]), ("三、其他收入", r["other"])]
    return [("一、一般公共预算拨款收入", r["general_budget"]), ("二、政府性基金预算拨款收入", r["gov_fund"]),
            ("三、国有资本经营预算拨款收入", r["state_capital"]), ("四、财政专户管理资金收入", r["special_account"]),
            ("五、其他收入", r["other"])]


def _summary(flow: Flow, truth: Truth, q: TableQuirks) -> None:
    r, e, b = truth.revenue, truth.expenditure, truth.balancing
    left = summary_sources(truth, q)
    right = [("一、基本支出", e["basic"]), ("二、项目支出", e["project"]), ("三、其他支出", e["other"])]
    right += [("", None)] * (len(left) - len(right))
    rows = [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]]
    for (ln, lv), (rn, rv) in zip(left, right):
        rows.append([ln, q.amount(lv), rn, q.amount(rv) if rv is not None else ""])
    revenue_grand, expenditure_grand = GRAND_LABELS[q.variant]
    rows.append(["本年收入合计", q.amount(r["total"]), "本年支出合计", q.amount(e["total"])])
    rows.append(["使用非财政拨款结余", q.amount(b["non_fiscal_balance_used"]), "结转下年", q.amount(b["carryover_out"])])
    rows.append(["上年结转", q.amount(b["carryover_in"]), "", ""])
    rows.append([revenue_grand, q.amount(truth.revenue_grand_total), expenditure_grand,
                 q.amount(truth.expenditure_grand_total)])
    _heading(flow, SUMMARY_TITLES[q.variant].format(department=truth.department), truth, q)
    flow.table(rows, [150, 80, 150, 80], header_rows=2, repeat_header=q.repeat_header, right_align_from=1)


FUNCTION_TITLES = ("一般公共预算支出表", "{department}一般公共预算支出预算表", "一般公共预算支出预算表（按功能分类）")
EXPENDITURE_TITLES = ("部门支出总表", "{department}支出预算表", "支出预算表")


def _expenditure(flow: Flow, truth: Truth, q: TableQuirks) -> None:
    """The 支出总表 (all funds, by function class): its 合计 row splits basic and project."""
    e = truth.expenditure
    rows = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
    if e["total"] == truth.general_budget_expenditure:  # all spending is general budget: its 类 lines
        rows += [[q.code(f.code), f.name, q.amount(f.amount), q.amount(f.basic), q.amount(f.project)]
                 for f in truth.functions if f.level == "类"]
    rows.append(["", "合计", q.amount(e["total"]), q.amount(e["basic"]), q.amount(e["project"])])
    _heading(flow, EXPENDITURE_TITLES[q.variant].format(department=truth.department), truth, q)
    flow.table(rows, [60, 130, 80, 80, 80], header_rows=1, repeat_header=q.repeat_header, right_align_from=2)


def _functions(flow: Flow, truth: Truth, q: TableQuirks) -> None:
    rows = [["科目编码", "科目名称", "一般公共预算支出", "", ""], ["", "", "合计", "基本支出", "项目支出"]]
    for f in truth.functions:
        rows.append([q.code(f.code), f.name, q.amount(f.amount), q.amount(f.basic), q.amount(f.project)])
    basic = sum((f.basic for f in truth.functions if f.level == "类"), Decimal(0))
    project = sum((f.project for f in truth.functions if f.level == "类"), Decimal(0))
    rows.append(["", "合计", q.amount(basic + project), q.amount(basic), q.amount(project)])
    _heading(flow, FUNCTION_TITLES[q.variant].format(department=truth.department), truth, q)
    flow.table(rows, [60, 80 if q.narrow else 130, 70, 70, 70], header_rows=2, repeat_header=q.repeat_header, right_align_from=2)


def _economics(flow: Flow, truth: Truth, q: TableQuirks) -> None:
    rows = [["科目编码", "科目名称", "金额"]]
    rows += [[q.code(e.code), e.name, q.amount(e.amount)] for e in truth.economics]
    rows.append(["", "合计", q.amount(sum((e.amount for e in truth.economics), Decimal(0)))])
    _heading(flow, "一般公共预算基本支出表", truth, q)
    flow.table(rows, [70, 90 if q.narrow else 200, 100], header_rows=1, repeat_header=q.repeat_header, right_align_from=2)


def _three_public(flow: Flow, truth: Truth, q: TableQuirks) -> None:
    tp = truth.three_public
    if tp["total"] == 0 or q.variant == 2:  # a row of nothing but blanks states nothing; print the zeros
        q = TableQuirks(**{**q.__dict__, "blank_zero": False})
    if q.variant == 2:  # flattened onto one line (HTML-to-text, some PDFs): vehicles not split
        _heading(flow, "“三公”经费支出表", truth, q)
        flow.paragraph(f"“三公”经费合计 {q.amount(tp['total'])} 因公出国（境）费 {q.amount(tp['abroad'])} "
                       f"公务用车购置及运行费 {q.amount(tp['vehicle'])} 公务接待费 {q.amount(tp['reception'])}", size=8)
        return
    rows = [["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
            ["", "", "小计", "公务用车购置费", "公务用车运行费", ""],
            [q.amount(tp["total"]), q.amount(tp["abroad"]), q.amount(tp["vehicle"]),
             q.amount(tp["vehicle_purchase"]), q.amount(tp["vehicle_operation"]), q.amount(tp["reception"])]]
    _heading(flow, "“三公”经费支出表", truth, q)
    flow.table(rows, [70, 80, 70, 80, 80, 70], header_rows=2, right_align_from=0)


STANDARD_TABLES = (("summary", _summary), ("function", _functions), ("economic", _economics),
                   ("three_public", _three_public), ("expenditure", _expenditure))


def standard_quirks(truth: Truth) -> dict[str, TableQuirks]:
    """The quirks each standard table of this truth is drawn with (tests read the units)."""
    rng = random.Random(truth.seed * 7919 + 1)
    return {name: TableQuirks.draw(rng) for name, _ in STANDARD_TABLES}


def render_standard_tables_pdf(truth: Truth, with_scanned_page: bool = False) -> bytes:
    """Cover plus 收支预算总表, 一般公共预算支出表, 基本支出表, 三公 table and 支出总表, one per page."""
    flow = Flow()
    _cover(flow, truth)
    if with_scanned_page:
        flow.scanned_page(truth.seed)
    quirks = standard_quirks(truth)
    for number, (name, draw) in enumerate(STANDARD_TABLES):
        if number:
            flow.new_page()
        draw(flow, truth, quirks[name])
    return flow.finish()
