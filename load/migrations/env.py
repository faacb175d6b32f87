"""Alembic environment: always run with a connection handed in by load.warehouse."""

from alembic import context
from alembic.ddl.impl import DefaultImpl

from schemas import metadata


class DuckDBImpl(DefaultImpl):
    """Lets alembic run against duckdb-engine, which ships no alembic dialect (registered when defined:
    here, where alembic runs, so nothing else imports alembic)."""

    __dialect__ = "duckdb"
    transactional_ddl = True


connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
