"""What every JSON format's parser shares: the error it raises and defensive field readers.

A parser turns one JSON record into canonical rows (``{table: [row, ...]}``). It raises
:class:`RowError` (field and reason) when the whole record is unusable, and appends a
RowError to ``errors`` for one bad item inside a record (one tweet of a twarc2 page), so
one bad item never costs its neighbours. The readers below accept only the JSON shape
they expect: a string where a dict was expected is a RowError naming the field, never an
AttributeError.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

Rows = dict[str, list[dict[str, Any]]]
TIME_MIN = datetime(1970, 1, 1)
TIME_MAX = datetime(2100, 1, 1)
OUT_OF_RANGE = "time out of range or not finite (accepted: 1970-01-01 to 2099-12-31 UTC)"


class RowError(ValueError):
    """A record (or one item of it) that cannot be stored: which field, and why."""

    def __init__(self, field: str | None, reason: str, raw: str | None = None) -> None:
        super().__init__(reason)
        self.field, self.reason, self.raw = field, reason, raw

    def within(self, prefix: str, raw: Any = None) -> "RowError":
        """The same error located inside an item (``data[3].created_at``)."""
        fld = f"{prefix}.{self.field}" if self.field else prefix
        return RowError(fld, self.reason, _dump(raw) if raw is not None else self.raw)


class Parser(Protocol):
    """The interface of a JSON format's parser."""

    expand: tuple[str, ...]  # document members whose arrays hold the records (see jsonrecords)

    def probe(self, obj: dict[str, Any]) -> bool: ...

    def rows(self, obj: dict[str, Any], errors: list[RowError], context: dict[str, Any]) -> Rows: ...


def _dump(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, default=str)


def obj_at(parent: Mapping[str, Any], key: str, field: str | None = None) -> dict[str, Any]:
    """``parent[key]`` when it is an object, {} when absent or null, else a RowError."""
    v = parent.get(key)
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise RowError(field or key, f"expected an object, got {type(v).__name__}")
    return v


def list_at(parent: Mapping[str, Any], key: str, field: str | None = None) -> list[Any]:
    """``parent[key]`` when it is an array, [] when absent or null, else a RowError."""
    v = parent.get(key)
    if v is None:
        return []
    if not isinstance(v, list):
        raise RowError(field or key, f"expected an array, got {type(v).__name__}")
    return v


def dicts(items: list[Any]) -> list[dict[str, Any]]:
    """The object elements of an array (``[null]`` and stray scalars are skipped)."""
    return [x for x in items if isinstance(x, dict)]


def text(v: Any) -> str | None:
    """A text value: strings as they are, numbers as text, anything else as None."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, (str, int, float)):
        return str(v)
    return None


def ident(value: Any, field: str) -> str:
    """A required id (string or integer)."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list, float)):
        raise RowError(field, "empty id" if value is None else f"not an id ({type(value).__name__})")
    s = str(value).strip()
    if not s:
        raise RowError(field, "empty id")
    return s


def opt_int(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RowError(field, "not an integer")
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        raise RowError(field, "not an integer") from None
    if not -(2**63) <= n < 2**63:
        raise RowError(field, "integer out of range")
    return n


def in_range(dt: datetime, field: str) -> datetime:
    if not TIME_MIN <= dt < TIME_MAX:
        raise RowError(field, OUT_OF_RANGE)
    return dt


def iso_time(value: Any, field: str) -> datetime:
    """ISO 8601 (``2021-06-01T10:00:00.000Z``) -> naive UTC datetime, range-checked."""
    if not isinstance(value, str) or not value.strip():
        raise RowError(field, "unparseable timestamp (missing or malformed)")
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise RowError(field, "unparseable timestamp (missing or malformed)") from None
    if dt.tzinfo is not None:
        try:
            dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:
            raise RowError(field, OUT_OF_RANGE) from None
    return in_range(dt, field)


def v1_time(value: Any, field: str) -> datetime:
    """Twitter v1.1 ``Wed Oct 10 20:19:24 +0000 2018`` (or ISO 8601) -> naive UTC."""
    if isinstance(value, str):
        try:
            dt = datetime.strptime(value.strip(), "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            return iso_time(value, field)
        return in_range(dt.astimezone(timezone.utc).replace(tzinfo=None), field)
    raise RowError(field, "unparseable timestamp (missing or malformed)")


def epoch_time(value: Any, field: str, per_second: int = 1) -> datetime:
    """Unix time (``per_second`` = 1 for seconds, 1_000_000 for microseconds) -> naive UTC,
    range-checked; integers are converted exactly."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise RowError(field, "not a Unix timestamp (missing or malformed)")
    try:
        us = value * 1_000_000 // per_second if isinstance(value, int) else float(value) * 1e6 / per_second
    except ValueError:
        raise RowError(field, "not a Unix timestamp (missing or malformed)") from None
    if not (0 <= us < 4_102_444_800_000_000):  # also false for NaN
        raise RowError(field, OUT_OF_RANGE)
    return TIME_MIN + timedelta(microseconds=round(us))
