"""Foundation star schema: dimensions, facts and data-quality results.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Tables are created from their definitions in ``schemas`` *by name*: a later change
to a table is a new revision with explicit ``op.add_column``/``op.alter_column``
steps, never an edit here (autogenerate cannot reflect DuckDB).
"""

from alembic import op

from load.migrations.helpers import create_tables, drop_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = [
    "dim_region", "dim_fiscal_year", "dim_department", "dim_document", "dim_project", "dim_indicator",
    "dim_budget_unit", "fct_budget_line", "fct_three_public", "fct_project_budget", "fct_spending_plan",
    "fct_performance_target", "fct_asset", "fct_procurement", "fct_expenditure_by_function",
    "fct_expenditure_by_economic", "fct_document_page", "fct_data_quality",
]


def upgrade() -> None:
    create_tables(op.get_bind(), TABLES)


def downgrade() -> None:
    drop_tables(op.get_bind(), TABLES)
