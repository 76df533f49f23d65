"""Alembic environment: runs on the connection handed over by indicators.store.migrate (or DATABASE_URL)."""

from alembic import context

from indicators import store

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` run by hand: use DATABASE_URL / the default SQLite file
    with store.make_engine().begin() as connection:
        context.configure(connection=connection, target_metadata=store.metadata, render_as_batch=True)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=store.metadata, render_as_batch=True)
    context.run_migrations()
