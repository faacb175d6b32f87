"""Document identity (issue 15): what each document is, from which evidence, and its level.

Revision ID: 0006_identity
Revises: 0005_parse2
Create Date: 2026-12-07

Columns of ``dim_document`` as :mod:`schemas.warehouse` declares them, added where missing:
``doc_class`` (a disclosure's class, or the look-alike a quarantined document is),
``class_evidence``, ``document_title``, ``department_source``, ``admin_level``, ``body_type``,
``region_source``.
Status ``held`` (read, identity needs a person) needs no DDL: ``status`` is free text; a
person's decision on a held document is kept in the new table ``fct_review_decision``.
"""

from alembic import op

from load.migrations.helpers import add_missing_columns_of, create_tables, drop_columns_of, drop_tables

revision = "0006_identity"
down_revision = "0005_parse2"
branch_labels = None
depends_on = None

COLUMNS = {
    "dim_document": ["doc_class", "class_evidence", "document_title", "department_source", "admin_level",
                     "body_type", "region_source"],
}


TABLES = ["fct_review_decision"]


def upgrade() -> None:
    bind = op.get_bind()
    create_tables(bind, TABLES)
    add_missing_columns_of(bind, COLUMNS)


def downgrade() -> None:
    bind = op.get_bind()
    drop_columns_of(bind, COLUMNS)
    drop_tables(bind, TABLES)
