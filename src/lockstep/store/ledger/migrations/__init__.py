"""Alembic migrations of the ledger schema (run by :func:`lockstep.store.ledger.open_ledger`)."""
