"""Alembic environment: always run with a connection handed in by load.warehouse."""

from alembic import context

from schemas import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
