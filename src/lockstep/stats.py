"""Workspace statistics: what is in it, over what time, and what is most shared.

One function returns plain data (``workspace_stats``) so the command can print it as
tables or as JSON, the same numbers either way. The numbers come from the store's named
queries (``lockstep.store.queries.stats``).
"""

from __future__ import annotations

from typing import Any

from lockstep.store import Workspace
from lockstep.store.queries import stats as q

TOP_N = 10


def workspace_stats(ws: Workspace, top: int = TOP_N) -> dict[str, Any]:
    """Counts by platform and kind, time spans, top items, accounts, access, files."""
    by_platform = q.by_platform(ws)
    for row in by_platform:
        for k in ("first", "last"):
            row[k] = row[k].isoformat(sep=" ") if row[k] is not None else None
    first, last = q.time_span(ws)
    return {
        "workspace": str(ws.path),
        "actions": ws.count("actions"),
        "accounts": ws.count("accounts"),
        "access": ws.count("access"),
        "entities": ws.count("entities"),
        "memberships": ws.count("memberships"),
        "time_span": {"first": first.isoformat(sep=" ") if first else None,
                      "last": last.isoformat(sep=" ") if last else None},
        "by_platform": by_platform,
        "by_kind": q.by_kind(ws),
        "by_precision": q.by_precision(ws),
        "accounts_by_platform": q.accounts_by_platform(ws),
        "access_summary": q.access_summary(ws),
        "top": {what: q.top_items(ws, what, top) for what in q.TOP_ITEMS},
        "files": q.ingested_files(ws),
    }
