"""The ledger: open (and migrate) it, append events atomically, read them back.

Why one ``append`` that takes a builder: the checks a new event depends on (the case
exists, the subject is suspended, the appeal is pending) must be made under the same
write lock as the insert, or two writers could both act on a state that only one of them
saw. The builder runs inside the locked transaction; what it returns is chained and
inserted there; a crash anywhere before COMMIT leaves nothing behind.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import uuid4

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from lockstep.errors import EngineError, UserError
from lockstep.store.ledger.chain import Event, NewEvent, canonical, event_hash, sha256
from lockstep.store.ledger.connect import READ, make_engine, safe_url, writer_turn
from lockstep.store.ledger.tables import GENESIS, VERSION_TABLE, events, requests, snapshots

MIGRATIONS = Path(__file__).parent / "migrations"
_COLS = [c.name for c in events.columns]
_SNAP_CACHE: dict[str, Any] = {}  # snapshots are immutable: decoded once per process
MAX_IN = 500  # a longer subject list is filtered here, not in SQL
_STORED: set[tuple[str, str]] = set()  # (ledger url, snapshot hash) known to be in the ledger


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _event(row: Any) -> Event:
    return Event(**{k: row._mapping[k] for k in _COLS})


def _load_snapshot(conn: Connection, digest: str) -> Any:
    if digest not in _SNAP_CACHE:
        row = conn.execute(select(snapshots.c.content).where(snapshots.c.hash == digest)).first()
        if row is None:
            raise UserError(f"ledger: evidence snapshot {digest} is missing")
        _SNAP_CACHE[digest] = json.loads(zlib.decompress(row[0]))
    return _SNAP_CACHE[digest]


class Txn:
    """What a builder may read while it holds the write lock."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def events(self, case_id: str | None = None, subjects: Sequence[str] | None = None,
               kinds: Sequence[str] | None = None) -> list[Event]:
        return _select_events(self.conn, case_id, subjects, kinds)

    def snapshot(self, digest: str) -> Any:
        return _load_snapshot(self.conn, digest)

    def count(self, kind: str) -> int:
        return int(self.conn.execute(select(func.count()).where(events.c.kind == kind)).scalar_one())


def _select_events(conn: Connection, case_id: str | None, subjects: Sequence[str] | None,
                   kinds: Sequence[str] | None) -> list[Event]:
    q = select(events)
    if case_id is not None:
        q = q.where(events.c.case_id == case_id)
    wanted = None
    if subjects is not None and len(subjects) > MAX_IN:  # past the engines' bound-parameter limits
        wanted = set(subjects)
        q = q.where(events.c.subject_id.is_not(None))
    elif subjects is not None:
        q = q.where(events.c.subject_id.in_(list(subjects)))
    if kinds is not None:
        q = q.where(events.c.kind.in_(list(kinds)))
    rows = (_event(r) for r in conn.execute(q.order_by(events.c.seq)))
    return [e for e in rows if wanted is None or e.subject_id in wanted]


@dataclass(frozen=True)
class Appended:
    """What an append wrote (or, for a replayed request id, what it wrote the first time)."""

    events: list[Event]
    replayed: bool = False
    case_id: str | None = None
    new_snapshots: list[str] = field(default_factory=list)


Builder = Callable[[Txn], tuple[list[NewEvent], dict[str, tuple[str, bytes]]]]


class Ledger:
    """An open ledger database (SQLite file or PostgreSQL)."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine

    @property
    def backend(self) -> str:
        return "postgresql" if self.engine.dialect.name == "postgresql" else "sqlite"

    def append(self, build: Builder, *, request_id: str | None, digest: str,
               new_case_prefix: str = "C") -> Appended:
        """Run ``build`` under the write lock, then chain and insert what it returns.

        ``build`` returns the events and the snapshots (hash -> (kind, canonical bytes)) they
        cite. A ``request_id`` already used with the same ``digest`` returns the first
        answer without acting again; with another digest it is refused."""
        if request_id is not None and not (0 < len(request_id) <= 128):
            raise UserError(f"--request-id must be 1 to 128 characters (got {len(request_id)})")
        try:
            with writer_turn(self.url), self.engine.begin() as conn:
                if request_id is not None:
                    prior = conn.execute(select(requests).where(requests.c.request_id == request_id)).first()
                    if prior is not None:
                        if prior.digest != digest:
                            raise UserError(f"request id {request_id!r} was already used for a different command")
                        rows = conn.execute(select(events).where(events.c.seq.between(prior.first_seq, prior.last_seq))
                                            .order_by(events.c.seq))
                        evs = [_event(r) for r in rows]
                        return Appended(evs, replayed=True, case_id=evs[0].case_id if evs else None)
                txn = Txn(conn)
                new, snaps = build(txn)
                if not new:
                    raise UserError("nothing to record")
                done = self._write(conn, txn, new, snaps, request_id, digest, new_case_prefix)
            _STORED.update((self.url, h) for h in snaps)  # committed: later appends skip the lookup
            return done
        except SQLAlchemyError as exc:
            raise EngineError(f"ledger {safe_url(self.url)}: {_first_line(exc)}") from None

    def _write(self, conn: Connection, txn: Txn, new: list[NewEvent], snaps: dict[str, tuple[str, bytes]],
               request_id: str | None, digest: str, prefix: str) -> Appended:
        stored: list[str] = []
        for h, (kind, data) in snaps.items():
            if (self.url, h) in _STORED:
                continue
            if sha256(data) != h:
                raise ValueError(f"snapshot {h} does not hash to its name")
            if conn.execute(select(snapshots.c.hash).where(snapshots.c.hash == h)).first() is None:
                conn.execute(insert(snapshots).values(hash=h, kind=kind, size=len(data), content=zlib.compress(data)))
                stored.append(h)
        case_id = None
        if any(e.case_id is None for e in new):
            case_id = f"{prefix}{txn.count('case.opened') + 1}"
        last = conn.execute(select(events.c.seq, events.c.hash).order_by(events.c.seq.desc()).limit(1)).first()
        seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
        first, created, out = seq + 1, now_iso(), []
        for e in new:
            seq += 1
            row: dict[str, Any] = {
                "seq": seq, "event_id": f"ev-{uuid4().hex}", "case_id": e.case_id or case_id,
                "kind": e.kind, "subject_kind": e.subject_kind, "subject_id": e.subject_id,
                "request_id": request_id, "actor": e.actor, "created_at": created,
                "payload": canonical(e.payload).decode("utf-8"), "prev_hash": prev}
            row["hash"] = prev = event_hash(row)
            out.append(row)
        conn.execute(insert(events), out)
        conn.execute(insert(requests).values(request_id=request_id or f"auto-{uuid4().hex}", digest=digest,
                                             first_seq=first, last_seq=seq, created_at=created))
        return Appended([Event(**r) for r in out], case_id=case_id or new[0].case_id, new_snapshots=stored)

    # -- reads ---------------------------------------------------------------------------
    def events(self, case_id: str | None = None, subjects: Sequence[str] | None = None,
               kinds: Sequence[str] | None = None) -> list[Event]:
        try:
            with self.engine.connect() as conn:
                return _select_events(conn.execution_options(**READ), case_id, subjects, kinds)
        except SQLAlchemyError as exc:
            raise EngineError(f"ledger {safe_url(self.url)}: {_first_line(exc)}") from None

    def snapshot(self, digest: str) -> Any:
        with self.engine.connect() as conn:
            return _load_snapshot(conn.execution_options(**READ), digest)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _first_line(exc: BaseException) -> str:
    msg = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return msg[0] if msg else type(exc).__name__


def _head() -> str | None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision, under the write lock (a no-op when current)."""
    head = _head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn.execution_options(**READ),
                                             opts={"version_table": VERSION_TABLE}).get_current_revision()
    if current == head:
        return
    with writer_turn(str(engine.url.render_as_string(hide_password=False))), engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_ledger(url: str) -> Ledger:
    """Open the ledger at ``url`` (see :func:`connect.resolve_url`), creating its schema."""
    try:
        engine = make_engine(url)
        migrate(engine)
    except SQLAlchemyError as exc:
        raise EngineError(f"cannot open ledger {safe_url(url)}: {_first_line(exc)}") from None
    return Ledger(url, engine)
