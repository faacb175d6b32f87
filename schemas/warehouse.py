"""Star schema of the warehouse: ``dim_*`` dimensions and ``fct_*`` facts.

Grain of every fact is one printed figure (or one table row) of one document, keyed
by ``(document_id, <fact>_seq)``: re-loading a document deletes and re-inserts its
rows, so no surrogate key ever needs a sequence (duckdb-engine cannot make one).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, Numeric, String, Table, Text

from schemas.base import MONEY, RATE, SHA256, keys_kept_by_writer, metadata, money, provenance


def _seq(name: str) -> Column:
    return Column(name, Integer, primary_key=True, autoincrement=False)


def _doc_pk() -> Column:
    return Column("document_id", SHA256, primary_key=True)


# ---------------------------------------------------------------- dimensions
dim_region = Table(
    "dim_region",
    metadata,
    Column("region_code", String(6), primary_key=True),  # GB/T 2260
    Column("region_name", Text, nullable=False),
    Column("level", String(16), nullable=False),  # province | city | county
    Column("parent_code", String(6)),
    Column("province_name", Text),
    Column("city_name", Text),
    Column("county_name", Text),
)

dim_fiscal_year = Table(
    "dim_fiscal_year",
    metadata,
    Column("fiscal_year", Integer, primary_key=True, autoincrement=False),
)

dim_department = Table(
    "dim_department",
    metadata,
    # stable hash of region_code + normalised name, so a department keeps its id
    # across years and documents
    Column("department_id", String(16), primary_key=True),
    Column("region_code", String(6)),
    Column("department_name", Text, nullable=False),
    Column("unit_code", String(16)),
)

dim_document = Table(
    "dim_document",
    metadata,
    Column("document_id", SHA256, primary_key=True),
    Column("source_uri", Text, nullable=False),
    Column("format", String(8)),  # text | html | pdf | unknown
    Column("byte_size", Integer),
    Column("encoding", String(16)),
    Column("page_count", Integer),
    Column("region_code", String(6)),
    Column("department_id", String(16)),
    Column("department_name", Text),
    Column("publisher", Text),
    Column("parent_department_name", Text),  # the 主管部门 a unit's disclosure states (never its file name)
    Column("parent_department_source", Text),  # where: "p3 l2: <printed line>"
    Column("fiscal_year", Integer),
    # where the year was read: title | cover | table_title (printed in the document), or, for a
    # volume that prints none, sibling_volume | file_name | url | crawl_link (with a warning)
    Column("fiscal_year_source", String(16)),
    # department_budget | unit_budget | final_account | performance_target_form (部门整体绩效目标申报表)
    Column("doc_kind", String(24)),
    # loaded | quarantined | withdrawn | seen_only (identified from its title, no figures to read:
    # an image-only or attachment-only page; status_reason says which, fct_document_link where)
    # | held (read, but its identity needs a person: no department named …; `county-budgets review`)
    Column("status", String(16), nullable=False),
    Column("status_reason", Text),
    Column("scanned_pages", Text),  # comma-separated 1-based pages with no text layer
    Column("parser_version", String(16), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    # --- identity (issue 15), recorded for every status, look-alikes and held documents included:
    # what the document is: department_budget | unit_budget | department_final_account |
    # unit_final_account | three_public_budget | three_public_final_account | performance_target_form,
    # or a look-alike kept out: government_fiscal_report | region_three_public_summary | audit_report |
    # statistical_bulletin | procurement | regulation | performance_evaluation | … (status quarantined)
    Column("doc_class", String(40)),
    Column("class_evidence", Text),  # what decided it: "title '…'; statement naming …"
    Column("document_title", Text),  # the title as printed, labels and tags cut
    # where the department name was read: label | title | cover | statement | heading | sibling_volume | review
    Column("department_source", String(16)),
    Column("admin_level", String(16)),  # national | provincial | city | county | township
    Column("body_type", String(16)),  # department | unit
    # where the region was read: name (the department's, GB/T 2260) | title | portal (the registry's
    # region of the portal it was fetched from) | review; NULL: nothing placed it
    Column("region_source", String(16)),
)

dim_project = Table(
    "dim_project",
    metadata,
    Column("project_code", String(40), primary_key=True),  # spaces removed
    Column("project_name", Text, nullable=False),
    Column("region_code", String(6)),
)

dim_indicator = Table(
    "dim_indicator",
    metadata,
    Column("indicator_id", String(16), primary_key=True),  # hash of the three levels
    Column("level1", Text, nullable=False),
    Column("level2", Text, nullable=False),
    Column("level3", Text, nullable=False),
)

dim_budget_unit = Table(
    "dim_budget_unit",
    metadata,
    _doc_pk(),
    _seq("unit_seq"),
    Column("unit_name", Text, nullable=False),
    Column("unit_code", String(16)),
    Column("unit_nature", Text),
    Column("unit_rank", Text),
    Column("funding_form", Text),
    Column("page_no", Integer, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("source_text", Text, nullable=False),
)

# --------------------------------------------------------------------- facts
fct_budget_line = Table(
    "fct_budget_line",
    metadata,
    *provenance(),
    _seq("line_seq"),
    Column("statement", String(32), nullable=False),
    Column("item", String(40), nullable=False),
    Column("item_key", String(40), nullable=False),
    Column("column_name", String(16), nullable=False),
    Column("label", Text, nullable=False),
    Column("source", String(12), nullable=False),  # narrative | table
    money("amount_yuan"),
    Column("rate_pct", RATE),
    Column("quantity", MONEY),
    Column("stated_text", Text, nullable=False),
    Column("stated_unit", String(8), nullable=False),
)

fct_three_public = Table(
    "fct_three_public",
    metadata,
    *provenance(),
    _seq("line_seq"),
    Column("item", String(24), nullable=False),
    Column("source", String(12), nullable=False),
    money("amount_yuan"),
    Column("stated_text", Text, nullable=False),
    Column("stated_unit", String(8), nullable=False),
)

fct_project_budget = Table(
    "fct_project_budget",
    metadata,
    *provenance(),
    _seq("project_seq"),
    Column("project_code", String(40), nullable=False),
    Column("project_code_text", Text, nullable=False),
    Column("project_name", Text, nullable=False),
    Column("unit_code", String(16)),
    Column("unit_name", Text),
    money("amount_yuan"),
    money("fiscal_funds_yuan"),
    money("other_funds_yuan"),
    Column("stated_unit", String(8), nullable=False),
    # project (项目支出绩效目标表) | special_fund (专项资金绩效目标表: a fund the department manages,
    # not its own 项目支出) | department (部门整体支出绩效目标表: the whole budget's targets)
    Column("scope", String(16)),
)

fct_spending_plan = Table(
    "fct_spending_plan",
    metadata,
    *provenance(),
    _seq("plan_seq"),
    Column("project_seq", Integer, nullable=False),
    Column("project_code", String(40), nullable=False),
    Column("period_label", Text, nullable=False),
    Column("by_month", Integer),  # 3 for "3 月底"; NULL when no header names it
    Column("cumulative_pct", RATE),
    Column("stated_text", Text, nullable=False),
)

fct_performance_target = Table(
    "fct_performance_target",
    metadata,
    *provenance(),
    _seq("target_seq"),
    Column("project_seq", Integer, nullable=False),
    Column("project_code", String(40), nullable=False),
    Column("indicator_id", String(16), nullable=False),
    Column("level1", Text, nullable=False),
    Column("level2", Text, nullable=False),
    Column("level3", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("target_text", Text, nullable=False),
    Column("comparator", String(4)),  # ≥ ≤ > < = ; NULL when not a parsed figure
    Column("target_value", Numeric(20, 4)),
    Column("target_unit", Text),
    Column("basis", Text, nullable=False),
    Column("weight_pct", RATE),
)

fct_asset = Table(
    "fct_asset",
    metadata,
    *provenance(),
    _seq("asset_seq"),
    Column("category", String(24), nullable=False),
    Column("label", Text, nullable=False),
    Column("source", String(12), nullable=False),
    Column("quantity", MONEY),
    money("value_yuan"),
    Column("measure", String(16)),  # held (截至…共有) | planned_purchase (预算安排购置)
    Column("quantity_unit", String(16)),  # 辆 | 台（套） | 平方米 … as printed
    money("unit_value_threshold_yuan"),  # large_equipment: counted above this unit value (单价100万元以上)
)

fct_procurement = Table(
    "fct_procurement",
    metadata,
    *provenance(),
    _seq("line_seq"),
    Column("item", String(24), nullable=False),
    Column("source", String(12), nullable=False),
    money("amount_yuan"),
    Column("stated_text", Text, nullable=False),
    Column("stated_unit", String(8), nullable=False),
)

fct_expenditure_by_function = Table(
    "fct_expenditure_by_function",
    metadata,
    *provenance(),
    _seq("line_seq"),
    Column("function_code", String(12), nullable=False),
    Column("function_name", Text, nullable=False),
    Column("level", Integer, nullable=False),  # 1 类, 2 款, 3 项
    money("amount_yuan"),
    money("basic_yuan"),
    money("project_yuan"),
)

fct_expenditure_by_economic = Table(
    "fct_expenditure_by_economic",
    metadata,
    *provenance(),
    _seq("line_seq"),
    Column("economic_code", String(12), nullable=False),
    Column("economic_name", Text, nullable=False),
    money("amount_yuan"),
)

fct_document_page = Table(
    "fct_document_page",
    metadata,
    _doc_pk(),
    Column("page_no", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(12), nullable=False),  # text | blank | scanned | cover | ocr (a scan read with OCR)
    Column("char_count", Integer, nullable=False),
    Column("image_count", Integer, nullable=False),
    Column("ocr_confidence", Numeric(4, 3)),  # ocr: the engine's mean confidence in the page's text, else NULL
    Column("ocr_held", Integer),  # ocr: figures read with too little confidence, held back (left blank)
)

fct_document_link = Table(
    "fct_document_link",
    metadata,
    *provenance(),
    _seq("link_seq"),
    Column("kind", String(12), nullable=False),  # image | attachment
    Column("url", Text, nullable=False),  # resolved against the page's address where it has one
    Column("label", Text),  # the link text (an attachment's printed name), NULL for images
)

fct_data_quality = Table(
    "fct_data_quality",
    metadata,
    _doc_pk(),
    Column("rule_code", String(48), primary_key=True),
    Column("severity", String(8), nullable=False),  # error | warning
    Column("passed", Boolean),  # NULL: could not be evaluated (a figure is missing)
    Column("expected", MONEY),
    Column("actual", MONEY),
    Column("message", Text, nullable=False),
    Column("difference", MONEY),  # actual - expected
    Column("tolerance", Numeric(18, 4)),  # the rounding the printed figures allow (yuan, or % points)
    Column("finding", String(16)),  # a failure's kind: contradiction | unreconciled; NULL unless failed
)

# Tables whose rows belong to exactly one document: replaced as a unit on reload (keys_kept_by_writer).
DOCUMENT_FACT_TABLES = keys_kept_by_writer([
    dim_budget_unit,
    fct_budget_line,
    fct_three_public,
    fct_project_budget,
    fct_spending_plan,
    fct_performance_target,
    fct_asset,
    fct_procurement,
    fct_expenditure_by_function,
    fct_expenditure_by_economic,
    fct_document_page,
    fct_document_link,
    fct_data_quality,
])
# DuckDB finds a document's rows through an index on document_id (no scan of the column into the writer's
# memory; one document's rows share one key). PostgreSQL's primary key (document_id, …) serves the same.
for _fact in DOCUMENT_FACT_TABLES:
    Index(f"ix_{_fact.name}_document_id", _fact.c.document_id).ddl_if(dialect="duckdb")
