"""Conformed dimensions and cross-document results: what makes documents comparable.

Unlike the per-document facts of :mod:`schemas.warehouse`, these tables are derived from
the whole warehouse and rebuilt after each load (``flows.conform.refresh``: every region,
a chunk of regions at a time, in one transaction), so a
change to the category patterns or the classification crosswalk reaches every row:

- ``dim_department_category``: the canonical kinds of department (信访, 财政, 宣传 …) and
  their groups (政府部门, 党委部门 …), from ``reference/data/department_categories.toml``;
- ``dim_department_conformed``: each department's category and why (the pattern, and
  whether it matched the department's own name or the parent department its documents state),
  its administrative level and kind of body (who it is compared with);
- ``dim_doc_kind``: document kind (budget / final_account) and scope (department / unit);
- ``dim_classification``: every 功能/经济分类 code printed or listed per fiscal year, with the
  code it conforms to today (crosswalk) — so a 2018 and a 2026 line of one function compare;
- ``fct_cross_document_check`` + ``fct_cross_document_evidence``: results of the rules that
  compare documents (this year's 上年 figure vs last year's document, execution, missing
  years, department vs its units), with every document involved;
- ``fct_disclosure_observation``: what was seen of each region's disclosures (read, seen
  only, found), the input of ``v_coverage``.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, Text

from schemas.base import SHA256, keys_kept_by_writer, metadata, money
from schemas.vocabulary import DEPARTMENT_BUDGET, FINAL_ACCOUNT, PERFORMANCE_TARGET_FORM, SEEN_ONLY, UNIT_BUDGET

CATEGORY = String(24)
# dim_document.status values of a disclosure that was found and identified (year, kind,
# department, region from its title) but carries no figures: an image-only or
# attachment-only page: "seen_only" (set by flows.pipeline.prepare, issue 8 item 4).
SEEN_ONLY_STATUSES: tuple[str, ...] = (SEEN_ONLY,)
# document kind → (kind, scope, label); scope None where the kind does not say
DOC_KINDS: dict[str, tuple[str, str | None, str]] = {
    DEPARTMENT_BUDGET: ("budget", "department", "部门预算"),
    UNIT_BUDGET: ("budget", "unit", "单位预算"),
    FINAL_ACCOUNT: ("final_account", None, "决算"),
    PERFORMANCE_TARGET_FORM: ("target_form", "department", "部门整体绩效目标申报表"),
}

dim_department_category = Table(
    "dim_department_category",
    metadata,
    Column("department_category", CATEGORY, primary_key=True),
    Column("category_group", CATEGORY, nullable=False),  # 政府部门 | 党委部门 | 人大政协 | 司法机关 | 群团组织 …
    Column("sort_order", Integer, nullable=False),  # precedence order of the reference file
    Column("description", Text),
)

dim_department_conformed = Table(
    "dim_department_conformed",
    metadata,
    Column("department_id", String(16), primary_key=True),
    Column("region_code", String(6)),
    Column("department_name", Text, nullable=False),
    Column("department_category", CATEGORY),  # NULL: unmapped (`county-budgets departments --unmapped`)
    Column("category_group", CATEGORY),
    Column("matched_on", String(8)),  # name | parent
    Column("matched_pattern", Text),
    Column("matched_text", Text),  # the name the pattern was found in
    Column("parent_department_name", Text),
    Column("parent_department_source", Text),  # "p3 l2: <printed line>" of the document stating it
    # appended (issue 20): who the department is compared with
    Column("admin_level", String(16)),  # national | provincial | city | county | township; NULL: unknown
    Column("body_type", String(16)),  # department | unit | central_unit (a unit of a central ministry)
    Column("level_source", String(16)),  # name | parent (a ministry) | region (GB/T 2260) | document (as read)
)

dim_doc_kind = Table(
    "dim_doc_kind",
    metadata,
    Column("doc_kind", String(24), primary_key=True),  # as dim_document.doc_kind
    Column("kind", String(16), nullable=False),  # budget | final_account
    Column("scope", String(16)),  # department | unit | NULL (the kind does not say)
    Column("label", Text, nullable=False),
)

dim_classification = Table(
    "dim_classification",
    metadata,
    Column("scheme", String(8), primary_key=True),  # function | economic
    Column("code", String(12), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),  # the reference name that year, else as printed
    Column("level", Integer, nullable=False),  # 1 类, 2 款, 3 项
    Column("conformed_code", String(12), nullable=False),  # today's code for it (crosswalk followed)
    Column("conformed_name", Text),
    Column("crosswalk", Text),  # the steps taken, "21506→22401 (move, 2019)"
    Column("source", String(12), nullable=False),  # reference | document (printed, not in the reference)
    Column("documents", Integer, nullable=False),  # loaded documents printing the code that year
)

fct_cross_document_check = Table(
    "fct_cross_document_check",
    metadata,
    Column("check_id", String(16), primary_key=True),  # hash of rule, department, year, kind, item
    Column("rule_code", String(48), nullable=False),
    Column("severity", String(8), nullable=False),  # error | warning
    Column("passed", Boolean),  # NULL: not evaluated, the message names the missing input
    Column("region_code", String(6)),
    Column("department_id", String(16)),
    Column("department_name", Text),
    Column("fiscal_year", Integer),
    Column("doc_kind", String(24)),
    Column("item", String(24)),  # which figure (total, basic, project) where the rule checks several
    money("expected"),  # what the other document(s) say
    money("actual"),  # what this document says
    money("difference"),  # actual - expected
    money("tolerance"),
    Column("message", Text, nullable=False),
)

fct_cross_document_evidence = Table(
    "fct_cross_document_evidence",
    metadata,
    Column("check_id", String(16), primary_key=True),
    Column("document_id", SHA256, primary_key=True),
    # this_year | last_year | budget | final_account | department | unit | neighbour
    Column("role", String(24), nullable=False),
    Column("fiscal_year", Integer),
    Column("page_no", Integer),  # where the compared figure is printed (NULL: the document as a whole)
    Column("line_no", Integer),
    Column("source_text", Text),
)

fct_disclosure_observation = Table(
    "fct_disclosure_observation",
    metadata,
    Column("observation_id", String(16), primary_key=True),  # hash of document or URL
    Column("region_code", String(6)),
    Column("department_category", CATEGORY),
    Column("department_name", Text),
    Column("fiscal_year", Integer),
    Column("kind", String(16)),  # budget | final_account
    Column("status", String(16), nullable=False),  # read | seen_only | found
    Column("document_id", SHA256),
    Column("url", Text),
    Column("seen_at", DateTime(timezone=True)),
    Column("admin_level", String(16)),  # appended (issue 20): a national body is no region's disclosure
)

# Replaced region by region (or whole) by the refresh, their keys checked unique first: kept by the writer
# (no PRIMARY KEY on DuckDB, schemas.base.keys_kept_by_writer). The other three are small and whole.
keys_kept_by_writer([dim_department_conformed, fct_cross_document_check, fct_cross_document_evidence,
                     fct_disclosure_observation])

# Rebuilt whole by every refresh, in this order (no foreign keys, so order is cosmetic).
CONFORMED_TABLES = [
    dim_department_category, dim_department_conformed, dim_doc_kind, dim_classification,
    fct_cross_document_check, fct_cross_document_evidence, fct_disclosure_observation,
]
