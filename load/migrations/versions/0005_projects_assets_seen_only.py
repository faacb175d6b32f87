"""Projects by scope, assets held and planned, documents seen only (issue 8 items 3–5).

Revision ID: 0005_parse2
Revises: 0004_comparison
Create Date: 2026-11-30

Columns as :mod:`schemas.warehouse` declares them, added where missing (idempotent:
revision 0001 creates today's definitions on a fresh warehouse):

- ``fct_project_budget.scope``: project | special_fund | department;
- ``fct_asset.measure`` (held | planned_purchase), ``quantity_unit``,
  ``unit_value_threshold_yuan`` (large equipment counted above a unit value);
- ``dim_document.fiscal_year_source``: where the fiscal year was read (title, cover,
  table_title, sibling_volume, file_name, url, crawl_link);
- table ``fct_document_link``: the image and attachment addresses of a page seen only.
"""

from alembic import op

from load.migrations.helpers import add_missing_columns_of, create_tables, drop_columns_of, drop_tables

revision = "0005_parse2"
down_revision = "0004_comparison"
branch_labels = None
depends_on = None

COLUMNS = {
    "fct_project_budget": ["scope"],
    "fct_asset": ["measure", "quantity_unit", "unit_value_threshold_yuan"],
    "dim_document": ["fiscal_year_source"],
}
TABLES = ["fct_document_link"]


def upgrade() -> None:
    bind = op.get_bind()
    create_tables(bind, TABLES)
    add_missing_columns_of(bind, COLUMNS)


def downgrade() -> None:
    bind = op.get_bind()
    drop_columns_of(bind, COLUMNS)
    drop_tables(bind, TABLES)
