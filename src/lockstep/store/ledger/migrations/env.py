"""Alembic environment: migrations always run on the connection lockstep hands over.

Why no URL here: the ledger opens its own engine (with the engines' write locks), starts a
transaction, and passes the connection in ``config.attributes``, so two processes opening a
fresh ledger at once run the migration one after the other, never twice.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from lockstep.store.ledger.tables import VERSION_TABLE, metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("lockstep ledger migrations run through lockstep.store.ledger.open_ledger")
context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
