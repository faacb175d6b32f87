"""Levels and peers (issue 20): who each conformed department is compared with.

Revision ID: 0008_levels
Revises: 0007_ocr_pages
Create Date: 2026-12-07

Columns as :mod:`schemas.conformed` declares them, added where missing:
``dim_department_conformed.admin_level`` (national | provincial | city | county | township),
``body_type`` (department | unit | central_unit), ``level_source`` (document | region | name), and
``fct_disclosure_observation.admin_level``. Both tables are rebuilt whole by every refresh, so
existing rows get their values at the next load or ``county-budgets departments``. The ranking
view ``v_department_ranking`` needs no revision: views are re-created on open.
"""

from alembic import op

from load.migrations.helpers import add_missing_columns_of, drop_columns_of

revision = "0008_levels"
down_revision = "0007_ocr_pages"
branch_labels = None
depends_on = None

COLUMNS = {
    "dim_department_conformed": ["admin_level", "body_type", "level_source"],
    "fct_disclosure_observation": ["admin_level"],
}


def upgrade() -> None:
    bind = op.get_bind()
    add_missing_columns_of(bind, COLUMNS)


def downgrade() -> None:
    bind = op.get_bind()
    drop_columns_of(bind, COLUMNS)
