"""A refresh that costs what changed (issue 21): the notes of what the comparison refresh owes.

Revision ID: 0010_refresh_queue
Revises: 0009_dq_finding
Create Date: 2026-12-07

Tables as :mod:`schemas.refresh` declares them, created by name: ``ops_refresh_pending`` (the
regions, years and kinds changed since the last refresh) and ``ops_refresh_state`` (the
derivation version the conformed tables were last rebuilt whole with). A warehouse upgraded
here has no state yet, so its next refresh rebuilds everything once.
"""

from alembic import op

from load.migrations.helpers import create_tables, drop_tables

revision = "0010_refresh_queue"
down_revision = "0009_dq_finding"
branch_labels = None
depends_on = None

TABLES = ["ops_refresh_pending", "ops_refresh_state"]


def upgrade() -> None:
    create_tables(op.get_bind(), TABLES)


def downgrade() -> None:
    drop_tables(op.get_bind(), TABLES)
