"""Which database a ledger lives in, and opening it with the right locking.

Embedded default: ``WORKSPACE/ledger.sqlite``. Team mode: a PostgreSQL URL from
``--ledger`` or ``LOCKSTEP_LEDGER``. Writers are serialised so the chain stays a chain:
on SQLite a writer first takes an OS lock on ``ledger.sqlite.lock`` (a blocked writer wakes
the moment it is free, where SQLite's own busy wait sleeps in steps of up to 100 ms), then
SQLite's write lock (``BEGIN IMMEDIATE``); PostgreSQL writers take a transaction-scoped
advisory lock. The OS releases both if a process dies. Readers never take the write lock.

SQLite runs in WAL mode with ``synchronous = NORMAL``: a process killed at any point loses
nothing it committed and leaves no partial transaction; only a power cut can drop the last
commits (never half of one, and the chain still verifies). Team mode on PostgreSQL keeps
the server's own durability settings.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

from lockstep.errors import UserError

LEDGER_ENV = "LOCKSTEP_LEDGER"
LEDGER_FILE = "ledger.sqlite"
PG_LOCK_KEY = 0x6C6F636B  # "lock": the advisory lock every PostgreSQL writer takes
READ = {"ledger_read": True}


def resolve_url(workspace: Path, ledger: str | None = None) -> str:
    """The ledger URL: the flag, else ``LOCKSTEP_LEDGER``, else the workspace's SQLite file."""
    url = ledger or os.environ.get(LEDGER_ENV) or ""
    if not url:
        return f"sqlite:///{(Path(workspace) / LEDGER_FILE).resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith(("postgresql+psycopg://", "sqlite:///")):
        return url
    raise UserError(f"--ledger {safe_url(url)!r}: expected postgresql://USER@HOST/DB or sqlite:///PATH")


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url).replace("postgresql+psycopg://", "postgresql://")


def make_engine(url: str) -> Engine:
    """An engine whose transactions lock for writing unless opened with ``READ`` options."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 120}, pool_size=1)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_size=2, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    event.listen(engine, "begin", _pg_begin)
    return engine


def _sqlite_connect(dbapi_con: Any, _record: Any) -> None:
    dbapi_con.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
    dbapi_con.execute("PRAGMA busy_timeout = 120000")
    dbapi_con.execute("PRAGMA journal_mode = WAL")
    dbapi_con.execute("PRAGMA synchronous = NORMAL")


def _sqlite_begin(conn: Connection) -> None:
    read = bool(conn.get_execution_options().get("ledger_read"))
    conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


@contextmanager
def writer_turn(url: str) -> Iterator[None]:
    """Wait for this process's turn to write (SQLite: an OS lock held until after COMMIT)."""
    if not url.startswith("sqlite:///"):
        yield
        return
    fd = os.open(url.split("sqlite:///", 1)[1] + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _pg_begin(conn: Connection) -> None:
    if not conn.get_execution_options().get("ledger_read"):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})")
