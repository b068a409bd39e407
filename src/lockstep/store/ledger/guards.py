"""Triggers that make the database itself refuse UPDATE and DELETE on the ledger's tables.

Why in the database and not only in the code: a ledger is evidence, and the first thing
someone editing it "behind the tool's back" meets should be a refusal. ``ledger verify``
still catches an edit made after the guard was dropped, through the hash chain.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from lockstep.store.ledger.tables import APPEND_ONLY

PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION lockstep_ledger_refuse() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN RAISE EXCEPTION 'lockstep ledger: % on % refused, the ledger is append-only',"
    " TG_OP, TG_TABLE_NAME; END $$"
)


def trigger_names(table: str) -> tuple[str, str]:
    return f"{table}_no_update", f"{table}_no_delete"


def install(conn: Connection) -> None:
    """Create the refusing triggers on every append-only table (idempotent)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(PG_FUNCTION))  # text(): the driver would read '%' as a placeholder
        for table in APPEND_ONLY:
            upd, dele = trigger_names(table)
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {upd} ON {table}")
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {dele} ON {table}")
            conn.exec_driver_sql(f"CREATE TRIGGER {upd} BEFORE UPDATE OR TRUNCATE ON {table}"
                                 " FOR EACH STATEMENT EXECUTE FUNCTION lockstep_ledger_refuse()")
            conn.exec_driver_sql(f"CREATE TRIGGER {dele} BEFORE DELETE ON {table}"
                                 " FOR EACH STATEMENT EXECUTE FUNCTION lockstep_ledger_refuse()")
        return
    for table in APPEND_ONLY:
        for name, op in zip(trigger_names(table), ("UPDATE", "DELETE")):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} BEGIN"
                f" SELECT RAISE(ABORT, 'lockstep ledger: {op} on {table} refused,"
                " the ledger is append-only'); END")


def missing(conn: Connection) -> list[str]:
    """Names of guard triggers that are absent (dropped behind the tool's back)."""
    want = [n for t in APPEND_ONLY for n in trigger_names(t)]
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").fetchall()
    else:
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    have = {str(r[0]) for r in rows}
    return [n for n in want if n not in have]
