"""Issue 21: DuckDB's writer-keyed tables lose their PRIMARY KEY; its document facts gain an index on
document_id; so the writer's memory stays flat.

Revision ID: 0011_writer_keys
Revises: 0010_operations
Create Date: 2026-12-07

The tables :func:`schemas.base.keys_kept_by_writer` flags (a document's facts, a region's conformed
rows) are replaced as a whole, one writer and one transaction at a time, with their keys checked
unique before they are written. On DuckDB a key is an in-memory index (ART) the writer loads to
insert into the table: 52 MB to refresh one region at 100,000 documents. A warehouse made before
this revision is rebuilt here, table by table, without the key (its rows copied; about 12 s at
100,000 documents), and each document fact gets the index on document_id through which a document's
rows are replaced (``schemas.warehouse``). A warehouse made now never had the keys. PostgreSQL keeps
its keys: nothing to do there. The downgrade drops the indexes and puts the keys back. Both run with
``load.duckdb_settings.MIGRATION_MEMORY`` (building the keys of 100,000 documents does not fit in 512 MB).
"""

from alembic import op

from load.migrations.helpers import duckdb_indexes, roomy, set_duckdb_key

revision = "0011_writer_keys"
down_revision = "0010_operations"
branch_labels = None
depends_on = None

# every table schemas flags today (tests/load/test_writer_keys.py holds the two lists equal)
TABLES = [
    "dim_budget_unit", "fct_budget_line", "fct_three_public", "fct_project_budget", "fct_spending_plan",
    "fct_performance_target", "fct_asset", "fct_procurement", "fct_expenditure_by_function",
    "fct_expenditure_by_economic", "fct_document_page", "fct_document_link", "fct_data_quality",
    "dim_department_conformed", "fct_cross_document_check", "fct_cross_document_evidence",
    "fct_disclosure_observation",
]


def upgrade() -> None:
    with roomy(op.get_bind()) as bind:
        for name in TABLES:
            set_duckdb_key(bind, name, keyed=False)
            duckdb_indexes(bind, name, present=True)


def downgrade() -> None:
    with roomy(op.get_bind()) as bind:
        for name in reversed(TABLES):
            duckdb_indexes(bind, name, present=False)
            set_duckdb_key(bind, name, keyed=True)
