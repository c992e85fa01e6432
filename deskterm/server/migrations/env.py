"""Alembic's entry: run the revisions on the connection `deskterm.server.migrations` hands in.

The caller holds the migration lock on that connection, inside one open transaction, so
the revisions run inside it and are committed (or rolled back) together.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
