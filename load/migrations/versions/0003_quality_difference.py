"""Data quality: each verdict keeps its difference (actual − expected) and tolerance.

Revision ID: 0003_dq_difference
Revises: 0002
Create Date: 2026-12-01

Columns as :mod:`schemas.warehouse` declares them (``fct_data_quality``), added only where
missing (0001 creates the table from today's definition).
"""

from alembic import op

from load.migrations.helpers import add_missing_columns, drop_columns

revision = "0003_dq_difference"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = ["difference", "tolerance"]


def upgrade() -> None:
    add_missing_columns(op.get_bind(), "fct_data_quality", COLUMNS)


def downgrade() -> None:
    drop_columns(op.get_bind(), "fct_data_quality", COLUMNS)
