"""The hash chain: canonical bytes and the hash every event carries.

Why canonical JSON: the same event must hash the same on SQLite and PostgreSQL, today and
after a migration, so the hashed bytes are built from the values exactly as stored (text),
keys sorted, no whitespace, UTF-8, NaN refused.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

#: the columns an event's hash covers, in the order they are documented (docs/cases.md)
HASHED = ("seq", "event_id", "case_id", "kind", "subject_kind", "subject_id", "request_id",
          "actor", "created_at", "payload", "prev_hash")


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy / arrow scalars
        return _plain(value.item())
    return value


def canonical(obj: Any) -> bytes:
    """The one serialisation that is hashed: sorted keys, compact, UTF-8, no NaN."""
    return json.dumps(_plain(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def event_hash(row: dict[str, Any]) -> str:
    """The hash of one stored event row (its ``hash`` column excluded)."""
    return sha256(canonical({k: row.get(k) for k in HASHED}))


@dataclass(frozen=True)
class Event:
    """One stored ledger event; ``data`` is the decoded payload."""

    seq: int
    event_id: str
    case_id: str
    kind: str
    subject_kind: str | None
    subject_id: str | None
    request_id: str | None
    actor: str
    created_at: str
    payload: str
    prev_hash: str
    hash: str

    @property
    def data(self) -> dict[str, Any]:
        out = json.loads(self.payload)
        assert isinstance(out, dict)
        return out

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {k: getattr(self, k) for k in (*HASHED, "hash") if k != "payload"}
        d["payload"] = self.data
        return d


@dataclass(frozen=True)
class NewEvent:
    """An event to append; the ledger fills in seq, ids, time and the chain."""

    kind: str
    case_id: str | None  # None: the case the same append is opening
    payload: dict[str, Any]
    actor: str
    subject_kind: str | None = None
    subject_id: str | None = None
