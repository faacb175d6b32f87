"""Source registry: disclosure portals per region, fetch records, document URLs, crawl runs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Tables as :mod:`schemas.registry` declares them, created by name (see 0001).
"""

from alembic import op

from load.migrations.helpers import create_tables, drop_tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ["src_source", "src_fetch", "src_document_url", "src_crawl_run"]


def upgrade() -> None:
    create_tables(op.get_bind(), TABLES)


def downgrade() -> None:
    drop_tables(op.get_bind(), TABLES)
