"""Data quality: each failure says what it is (issue 16).

Revision ID: 0009_dq_finding
Revises: 0008_levels
Create Date: 2026-12-09

``fct_data_quality.finding`` as :mod:`schemas.warehouse` declares it, added where missing:
``contradiction`` (both sides printed and read: the document disagrees with itself) or
``unreconciled`` (the pipeline could not make them meet), NULL for a rule that holds or
could not be evaluated. ``severity`` needs no DDL: it now also says how large a failure is
(within 0.01% of the figures a ``warning``).
"""

from alembic import op

from load.migrations.helpers import add_missing_columns, drop_columns

revision = "0009_dq_finding"
down_revision = "0008_levels"
branch_labels = None
depends_on = None

COLUMNS = ["finding"]


def upgrade() -> None:
    add_missing_columns(op.get_bind(), "fct_data_quality", COLUMNS)


def downgrade() -> None:
    drop_columns(op.get_bind(), "fct_data_quality", COLUMNS)
