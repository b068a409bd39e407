"""What a workspace holds: counts by platform, kind and time precision, time span, access
summary, the most frequent items and the files ingested. Rows are plain dicts (column ->
value), ready to print as tables or JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lockstep.store.workspace import Workspace

# What ``top_items`` can rank, as the SQL expression over ``actions`` and whether it is a list.
TOP_ITEMS: dict[str, tuple[str, bool]] = {
    "targets": ("target_id", False),
    "target_accounts": ("target_account_id", False),
    "urls": ("urls", True),
    "hashtags": ("list_transform(hashtags, lambda h: lower(h))", True),
    "active_accounts": ("account_id", False),
}


def _dicts(ws: Workspace, sql: str) -> list[dict[str, Any]]:
    cur = ws.con.execute(sql)
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def by_platform(ws: Workspace) -> list[dict[str, Any]]:
    """Per platform: actions, acting accounts, first and last action time (most actions first)."""
    return _dicts(ws, "SELECT platform, count(*) AS actions, count(DISTINCT account_id) AS accounts,"
                      " min(timestamp) AS first, max(timestamp) AS last FROM actions"
                      " GROUP BY platform ORDER BY actions DESC")


def time_span(ws: Workspace) -> tuple[datetime | None, datetime | None]:
    """First and last action time over the whole workspace."""
    row = ws.con.execute("SELECT min(timestamp), max(timestamp) FROM actions").fetchone()
    return (row[0], row[1]) if row else (None, None)


def by_kind(ws: Workspace) -> list[dict[str, Any]]:
    """Actions per platform and kind."""
    return _dicts(ws, "SELECT platform, kind, count(*) AS n FROM actions GROUP BY ALL ORDER BY n DESC")


def by_precision(ws: Workspace) -> list[dict[str, Any]]:
    """Actions per time precision of their timestamps."""
    return _dicts(ws, "SELECT time_precision, count(*) AS n FROM actions GROUP BY ALL ORDER BY n DESC")


def accounts_by_platform(ws: Workspace) -> list[dict[str, Any]]:
    """Account profiles per platform."""
    return _dicts(ws, "SELECT platform, count(*) AS n FROM accounts GROUP BY ALL ORDER BY n DESC")


def access_summary(ws: Workspace) -> list[dict[str, Any]]:
    """Distinct accounts, IPs, networks and countries in the access log (one row)."""
    return _dicts(ws, "SELECT count(DISTINCT account_id) AS accounts, count(DISTINCT ip) AS ips,"
                      " count(DISTINCT network) AS networks, count(DISTINCT country) AS countries"
                      " FROM access")


def top_items(ws: Workspace, what: str, n: int) -> list[dict[str, Any]]:
    """The ``n`` most frequent values of one of ``TOP_ITEMS`` over all actions, with counts."""
    if what not in TOP_ITEMS:
        raise ValueError(f"top_items: {what!r} is not one of {sorted(TOP_ITEMS)}")
    expr, unnest = TOP_ITEMS[what]
    src = f"(SELECT unnest({expr}) AS item FROM actions WHERE TRUE)" if unnest else \
        f"(SELECT {expr} AS item FROM actions WHERE TRUE)"
    return _dicts(ws, f"SELECT item, count(*) AS n FROM {src} WHERE item IS NOT NULL"
                      f" GROUP BY item ORDER BY n DESC, item LIMIT {int(n)}")


def ingested_files(ws: Workspace) -> list[dict[str, Any]]:
    """Every ingested file with its row counts and quarantine file, oldest first."""
    return _dicts(ws, "SELECT path, format, rows_read, rows_stored, rows_quarantined, quarantine_file,"
                      " CAST(ingested_at AS VARCHAR) AS ingested_at FROM ingested_files ORDER BY ingested_at")
