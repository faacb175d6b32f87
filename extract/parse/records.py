"""What template parsers emit: long records of stated figures, still as printed text.

Parsers never convert numbers. They record *what* a figure is (statement + item +
key + column), the figure exactly as printed, the unit it was printed in and where
it was printed. :mod:`transform` owns turning that into exact yuan, so a parsing bug
and a unit bug can never hide each other, and every fact keeps its source text.

Vocabulary of ``statement``/``item`` (extend, never rename: views depend on it; assets are
:class:`AssetRecord` s of their own). Each figure a document states once — its name, printed
labels, fact table and view column — is declared in :mod:`schemas.figures` (the one place the
views, the rules' messages, ``table_roles`` and ``audit`` read them from); this list says what
the parsers emit:

- ``revenue``: total (收入总计, the grand total, whatever the table labels it: 合计/总计),
  this_year (本年收入合计), fiscal_grant (财政拨款收入: the aggregate of general_budget,
  gov_fund and state_capital — sum it or its parts, never both), general_budget,
  gov_fund, state_capital, special_account, unit_funds (单位资金: aggregate of the
  unit's own sources), operating_income (事业收入), business_income (事业单位经营收入),
  superior_subsidy, subordinate_remit, other, and the balancing rows
  non_fiscal_balance_used (使用非财政拨款结余 / 用事业基金弥补收支差额), carryover (上年结转
  / 年初结转和结余), prior_account_balance (上年实户资金余额)
- ``expenditure``: total (支出总计), this_year (本年支出合计), basic, project, other (单位预留
  机动经费: the third part of basic/project/other, never the function class 229 其他支出),
  business (经营支出), subsidy_to_subordinate, remit_to_superior, general_budget
  (narrative), and the balancing rows balance_distribution (结余分配), carryover (结转下年
  / 年末结转和结余), unallocated_account_balance (未安排支出的实户资金)
- ``change``: total, basic, project, other (column ``amount`` signed, ``pct`` signed)
- ``operating_expenses``: total
- ``three_public``: total, abroad, vehicle (kept when purchase and operation are not
  split), vehicle_purchase, vehicle_operation, reception, and where a table adds them:
  grand_total, meeting (会议费), training (培训费)
- ``procurement``: total, goods, works, services
- ``project_list``: total (a project table's own 合计 row), count (编报绩效目标的项目共N个: the
  number of projects the document says it lists, column quantity), amount (涉及项目预算资金)
- ``department_form``: total, basic, project (a 部门整体支出绩效目标表's money)
- ``function``: item ``line`` (key = 功能分类 code) or ``total``; column amount/basic/project
  (personnel/public where a table splits basic spending), label = name
- ``economic``: key = 经济分类 code, column amount, label = name
- ``summary_table`` / ``fiscal_summary_table``: item revenue/expenditure, key = row label;
  ``revenue_table`` / ``expenditure_table`` / ``fiscal_expenditure_table`` (财政拨款支出表) /
  ``economic_general`` / ``operating_expenses_table`` / ``gov_fund`` / ``state_capital``:
  table lines

A table cell printed blank (or as a dash) is emitted with ``amount_text ""``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.read.model import Line

SOURCE_TEXT_MAX = 240  # characters of printed text kept as a fact's source_text


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact was printed: 1-based page and line, and the printed text (``source_text``)."""

    page_no: int
    line_no: int
    snippet: str


def provenance(lines: Line | Sequence[Line], focus: str = "") -> Provenance:
    """The one way every parser records where it read something.

    ``lines`` is the printed line (a table row, a cover line) or the lines a wrapped
    statement runs over; the page and line are the first one's, the text is theirs,
    each stripped and joined as read. Text longer than ``SOURCE_TEXT_MAX`` is cut to a
    window around ``focus`` (the figure as printed), else to its start.
    """
    seq = [lines] if isinstance(lines, Line) else list(lines)
    if not seq:
        raise ValueError("provenance needs at least one printed line")
    text = "".join(line.text.strip() for line in seq)
    if len(text) > SOURCE_TEXT_MAX:
        at = text.find(focus) if focus else -1
        start = max(0, min(at - SOURCE_TEXT_MAX // 2, len(text) - SOURCE_TEXT_MAX)) if at >= 0 else 0
        text = text[start : start + SOURCE_TEXT_MAX]
    return Provenance(seq[0].page_no, seq[0].line_no, text)


@dataclass(frozen=True, slots=True)
class AmountRecord:
    statement: str
    item: str
    amount_text: str
    unit: str  # "元", "万元", "%", "" (count)
    where: Provenance
    source: str = "narrative"  # "narrative" | "table"
    key: str = ""
    label: str = ""
    column: str = "amount"


@dataclass(frozen=True, slots=True)
class AssetRecord:
    """One asset figure of the 国有资产占用 section (prose) or its table: a category's quantity
    and/or value, held (``held``: 截至…共有) or to be bought (``planned_purchase``)."""

    category: str  # total | buildings | office_buildings | vehicles | equipment | large_equipment | furniture | intangible | other
    measure: str  # held | planned_purchase
    quantity_text: str  # as printed ("16", "3773.63"), "" when not stated
    quantity_unit: str  # 辆, 台（套）, 平方米 …
    value_text: str
    value_unit: str  # 元 | 万元 | 亿元, "" when no value is stated
    threshold_text: str  # large_equipment: the unit value above which it counts ("100万元"), as printed
    label: str
    where: Provenance
    source: str  # narrative | table


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """A budget unit listed in the 机构设置 table."""

    unit_name: str
    unit_nature: str  # 行政 / 事业 / 参公 ...
    unit_rank: str  # 正科级 ...
    funding_form: str  # 财政拨款 / 差额 / 自收自支
    where: Provenance
    unit_code: str = ""


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    seq: int
    project_code_text: str  # as printed, stray spaces included
    project_name: str
    amount_text: str
    fiscal_funds_text: str
    other_funds_text: str
    unit: str
    where: Provenance
    unit_code: str = ""
    unit_name: str = ""
    purpose: str = ""
    goal: str = ""
    scope: str = "project"  # project | special_fund (专项资金) | department (部门整体支出绩效目标)


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """One point of a project's spending plan: by ``period_label`` spend ``pct_text``."""

    project_seq: int
    seq: int
    period_label: str  # "3 月底", "" when the document gives a % with no header
    pct_text: str
    where: Provenance


@dataclass(frozen=True, slots=True)
class IndicatorRecord:
    project_seq: int
    seq: int
    level1: str
    level2: str
    level3: str
    description: str
    target_text: str
    basis: str
    where: Provenance
    weight_text: str = ""


@dataclass(slots=True)
class DocumentMeta:
    department_name: str | None = None
    publisher: str | None = None
    fiscal_year: int | None = None
    # title | cover | table_title (printed); sibling_volume | crawl_link | file_name | url (hints)
    fiscal_year_source: str | None = None
    doc_kind: str | None = None  # department_budget | unit_budget | final_account | performance_target_form
    region_name: str | None = None
    region_code: str | None = None
    region_source: str | None = None  # name | title (the document's) | portal (the registry's) | review
    province_name: str | None = None
    city_name: str | None = None
    county_name: str | None = None
    unit_code: str | None = None
    budget_unit_count: int | None = None
    # what the document is, from the evidence recorded in class_evidence (extract.parse.identity):
    # department_budget | unit_budget | department_final_account | unit_final_account |
    # three_public_budget | three_public_final_account | performance_target_form, or a look-alike's code
    doc_class: str | None = None
    class_evidence: str | None = None  # "title '…'; statement '…'" — what decided doc_class
    title: str | None = None  # the title as printed (labels and tags cut)
    department_source: str | None = None  # label | title | cover | statement | heading | sibling_volume
    admin_level: str | None = None  # national | provincial | city | county | township
    body_type: str | None = None  # department | unit
    hold_reason: str | None = None  # why a person must look before it is loaded (status held)
    where: dict[str, Provenance] = field(default_factory=dict)
    # years stated in the text next to a figure ("2020年预算收入"): (year, provenance)
    stated_years: list[tuple[int, Provenance]] = field(default_factory=list)


@dataclass(slots=True)
class ParseResult:
    meta: DocumentMeta
    amounts: list[AmountRecord] = field(default_factory=list)
    units: list[UnitRecord] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    assets: list[AssetRecord] = field(default_factory=list)
    sections_found: list[str] = field(default_factory=list)
    tables_found: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
