"""Issue 21: the notes of what the comparison refresh owes, and the run log.

Revision ID: 0010_operations
Revises: 0009_dq_finding
Create Date: 2026-12-07

Tables as :mod:`schemas.refresh` declares them, created by name: ``ops_refresh_pending`` (the
regions, years and kinds changed since the last refresh) and ``ops_refresh_state`` (the
derivation version the conformed tables were last rebuilt whole with), and ``ops_run_document``
(each document's outcome in a run, streamed as the run goes). A warehouse upgraded
here has no state yet, so its next refresh rebuilds everything once.
"""

from alembic import op

from load.migrations.helpers import create_tables, drop_tables

revision = "0010_operations"
down_revision = "0009_dq_finding"
branch_labels = None
depends_on = None

TABLES = ["ops_refresh_pending", "ops_refresh_state", "ops_run_document"]


def upgrade() -> None:
    create_tables(op.get_bind(), TABLES)


def downgrade() -> None:
    drop_tables(op.get_bind(), TABLES)
