"""Comparison: conformed dimensions, cross-document checks, disclosure observations; the parent
department a unit's disclosure states.

Revision ID: 0004_comparison
Revises: 0003_dq_difference
Create Date: 2026-11-30

Tables as :mod:`schemas.conformed` declares them, created by name; two columns added to
``dim_document`` (idempotent: revision 0001 creates today's definition on a fresh warehouse).
"""

from alembic import op

from load.migrations.helpers import add_missing_columns, create_tables, drop_columns, drop_tables

revision = "0004_comparison"
down_revision = "0003_dq_difference"
branch_labels = None
depends_on = None

TABLES = ["dim_department_category", "dim_department_conformed", "dim_doc_kind", "dim_classification",
          "fct_cross_document_check", "fct_cross_document_evidence", "fct_disclosure_observation"]
DOCUMENT_COLUMNS = ["parent_department_name", "parent_department_source"]


def upgrade() -> None:
    bind = op.get_bind()
    create_tables(bind, TABLES)
    add_missing_columns(bind, "dim_document", DOCUMENT_COLUMNS)


def downgrade() -> None:
    bind = op.get_bind()
    drop_columns(bind, "dim_document", DOCUMENT_COLUMNS)
    drop_tables(bind, TABLES)
