"""The ledger's tables, in SQLAlchemy Core, the same on SQLite and PostgreSQL.

Why this shape (after Bluesky Ozone's moderation events): one append-only table of events,
each carrying the hash of the one before it, so every case's history and every subject's
status can be rebuilt from it alone; evidence and policy texts stored once, addressed by
the sha256 of their canonical bytes, so a decision names exactly what it rested on; and a
table of request ids so a retried command is answered from what it did the first time.
Timestamps are ISO-8601 text, hashed exactly as stored, so no engine's time type can change
a hashed value on the way back.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

GENESIS = "0" * 64  # prev_hash of the first event

events = Table(
    "ledger_events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("case_id", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("subject_kind", String(16), nullable=True),
    Column("subject_id", String(256), nullable=True),
    Column("request_id", String(128), nullable=True),
    Column("actor", String(256), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("ix_ledger_events_case_subject", events.c.case_id, events.c.subject_id)
Index("ix_ledger_events_case_kind", events.c.case_id, events.c.kind)

snapshots = Table(
    "ledger_snapshots", metadata,
    Column("hash", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),  # zlib of the canonical JSON bytes
)

requests = Table(
    "ledger_requests", metadata,
    Column("request_id", String(128), primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("first_seq", Integer, nullable=False),
    Column("last_seq", Integer, nullable=False),
    Column("created_at", String(40), nullable=False),
)

#: tables whose rows may never change once written (guarded by triggers on both engines)
APPEND_ONLY = ("ledger_events", "ledger_snapshots", "ledger_requests")
VERSION_TABLE = "lockstep_ledger_version"
