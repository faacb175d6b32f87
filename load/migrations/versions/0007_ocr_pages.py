"""Pages read with OCR: the engine's confidence and the figures it held back, per page.

Revision ID: 0007_ocr_pages
Revises: 0006_identity
"""

from alembic import op

from load.migrations.helpers import add_missing_columns_of, drop_columns_of

revision = "0007_ocr_pages"
down_revision = "0006_identity"
branch_labels = None
depends_on = None

COLUMNS = {"fct_document_page": ["ocr_confidence", "ocr_held"]}


def upgrade() -> None:
    bind = op.get_bind()
    add_missing_columns_of(bind, COLUMNS)


def downgrade() -> None:
    bind = op.get_bind()
    drop_columns_of(bind, COLUMNS)
