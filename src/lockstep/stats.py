"""Workspace statistics: what is in it, over what time, and what is most shared.

One function returns plain data (``workspace_stats``) so the command can print it as
tables or as JSON, the same numbers either way.
"""

from __future__ import annotations

from typing import Any

from lockstep.store import Workspace

TOP_N = 10


def _rows(ws: Workspace, sql: str) -> list[dict[str, Any]]:
    cur = ws.con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _top(ws: Workspace, expr: str, where: str = "TRUE", n: int = TOP_N, unnest: bool = False) -> list[dict[str, Any]]:
    src = f"(SELECT unnest({expr}) AS item FROM actions WHERE {where})" if unnest else \
        f"(SELECT {expr} AS item FROM actions WHERE {where})"
    return _rows(ws, f"SELECT item, count(*) AS n FROM {src} WHERE item IS NOT NULL"
                     f" GROUP BY item ORDER BY n DESC, item LIMIT {n}")


def workspace_stats(ws: Workspace, top: int = TOP_N) -> dict[str, Any]:
    """Counts by platform and kind, time spans, top items, accounts, access, files."""
    by_platform = _rows(ws, "SELECT platform, count(*) AS actions, count(DISTINCT account_id) AS accounts,"
                            " min(timestamp) AS first, max(timestamp) AS last FROM actions"
                            " GROUP BY platform ORDER BY actions DESC")
    for row in by_platform:
        for k in ("first", "last"):
            row[k] = row[k].isoformat(sep=" ") if row[k] is not None else None
    span = ws.con.execute("SELECT min(timestamp), max(timestamp) FROM actions").fetchone()
    return {
        "workspace": str(ws.path),
        "actions": ws.count("actions"),
        "accounts": ws.count("accounts"),
        "access": ws.count("access"),
        "entities": ws.count("entities"),
        "memberships": ws.count("memberships"),
        "time_span": {"first": span[0].isoformat(sep=" ") if span and span[0] else None,
                      "last": span[1].isoformat(sep=" ") if span and span[1] else None},
        "by_platform": by_platform,
        "by_kind": _rows(ws, "SELECT platform, kind, count(*) AS n FROM actions GROUP BY ALL ORDER BY n DESC"),
        "by_precision": _rows(ws, "SELECT time_precision, count(*) AS n FROM actions GROUP BY ALL ORDER BY n DESC"),
        "accounts_by_platform": _rows(ws, "SELECT platform, count(*) AS n FROM accounts GROUP BY ALL ORDER BY n DESC"),
        "access_summary": _rows(ws, "SELECT count(DISTINCT account_id) AS accounts, count(DISTINCT ip) AS ips,"
                                    " count(DISTINCT network) AS networks, count(DISTINCT country) AS countries"
                                    " FROM access"),
        "top": {
            "targets": _top(ws, "target_id", n=top),
            "target_accounts": _top(ws, "target_account_id", n=top),
            "urls": _top(ws, "urls", n=top, unnest=True),
            "hashtags": _top(ws, "list_transform(hashtags, lambda h: lower(h))", n=top, unnest=True),
            "active_accounts": _top(ws, "account_id", n=top),
        },
        "files": _rows(ws, "SELECT path, format, rows_read, rows_stored, rows_quarantined, quarantine_file,"
                           " CAST(ingested_at AS VARCHAR) AS ingested_at FROM ingested_files ORDER BY ingested_at"),
    }
