"""``lockstep ledger verify``: walk the chain and name every row that does not fit.

What is caught: an edited row (its hash no longer matches its content), a deleted row (a
gap in ``seq`` and a broken ``prev_hash`` link after it), a deleted tail (requests recorded
beyond the last event), reordered rows (``seq`` is hashed, so a moved row's hash breaks),
an edited or missing evidence snapshot, and guard triggers dropped behind the tool's back.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from lockstep.errors import EngineError
from lockstep.store.ledger import guards
from lockstep.store.ledger.chain import event_hash, sha256
from lockstep.store.ledger.connect import READ, safe_url
from lockstep.store.ledger.db import Ledger
from lockstep.store.ledger.tables import GENESIS, events, requests, snapshots

#: payload keys that name a snapshot by hash
SNAPSHOT_KEYS = ("snapshot", "evidence", "policy_hash")


@dataclass(frozen=True)
class Problem:
    seq: int | None
    event_id: str | None
    what: str

    def __str__(self) -> str:
        where = f"seq {self.seq}" + (f" ({self.event_id})" if self.event_id else "") if self.seq else "ledger"
        return f"{where}: {self.what}"


@dataclass
class VerifyReport:
    backend: str
    url: str
    n_events: int = 0
    n_snapshots: int = 0
    last_seq: int = 0
    head: str = GENESIS
    problems: list[Problem] = field(default_factory=list)
    missing_guards: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ok"] = self.ok
        d["problems"] = [{**asdict(p), "message": str(p)} for p in self.problems]
        return d


def verify(ledger: Ledger) -> VerifyReport:
    """Check every event, link and snapshot; never stops at the first problem."""
    rep = VerifyReport(ledger.backend, safe_url(ledger.url))
    try:
        with ledger.engine.connect() as raw:
            conn = raw.execution_options(**READ)
            referenced = _chain(conn, rep)
            _snapshots(conn, rep, referenced)
            last_req = conn.execute(select(func.max(requests.c.last_seq))).scalar()
            if last_req is not None and int(last_req) > rep.last_seq:
                rep.problems.append(Problem(None, None, f"events {rep.last_seq + 1}..{int(last_req)} are"
                                            " missing at the end of the chain (deleted)"))
            rep.missing_guards = guards.missing(conn)
            for g in rep.missing_guards:
                rep.problems.append(Problem(None, None, f"guard trigger {g} is missing (dropped)"))
    except SQLAlchemyError as exc:
        raise EngineError(f"ledger {safe_url(ledger.url)}: {str(exc).splitlines()[0]}") from None
    return rep


def _chain(conn: Any, rep: VerifyReport) -> dict[str, tuple[int, str]]:
    """Walk the events in order; returns the snapshots they cite (hash -> first citing event)."""
    expect, prev = 1, GENESIS
    referenced: dict[str, tuple[int, str]] = {}
    result = conn.execution_options(stream_results=True, yield_per=5000).execute(
        select(events).order_by(events.c.seq))
    for r in result:
        row = dict(r._mapping)
        seq, eid = int(row["seq"]), str(row["event_id"])
        if seq != expect:
            gap = f"{expect}" if seq == expect + 1 else f"{expect}..{seq - 1}"
            rep.problems.append(Problem(seq, eid, f"events {gap} before it are missing (deleted or renumbered)"))
        if row["prev_hash"] != prev:
            rep.problems.append(Problem(seq, eid, "prev_hash does not match the event before it"
                                        " (a row was deleted, inserted or reordered)"))
        if event_hash(row) != row["hash"]:
            rep.problems.append(Problem(seq, eid, "content does not match its hash (the row was edited)"))
        try:
            data = json.loads(row["payload"])
        except ValueError:
            data = {}
        for key in SNAPSHOT_KEYS:
            val = data.get(key) if isinstance(data, dict) else None
            if isinstance(val, str) and len(val) == 64:
                referenced.setdefault(val, (seq, eid))
        prev, expect = str(row["hash"]), seq + 1
        rep.n_events += 1
        rep.last_seq = seq
    rep.head = prev
    return referenced


def _snapshots(conn: Any, rep: VerifyReport, referenced: dict[str, tuple[int, str]]) -> None:
    have: set[str] = set()
    for h, content in conn.execute(select(snapshots.c.hash, snapshots.c.content)):
        rep.n_snapshots += 1
        have.add(h)
        try:
            ok = sha256(zlib.decompress(content)) == h
        except zlib.error:
            ok = False
        if not ok:
            rep.problems.append(Problem(None, None, f"evidence snapshot {h} does not match its hash (edited)"))
    for h, (seq, eid) in referenced.items():
        if h not in have:
            rep.problems.append(Problem(seq, eid, f"cites evidence snapshot {h}, which is missing (deleted)"))
