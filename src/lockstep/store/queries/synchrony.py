"""Acting on the core's items within seconds of the core.

Synchrony is not "engaging the core" (``queries.engagement``): its items are everything the
core acted on (its original posts and the posts it engaged), and it measures *when* others
act on the same items. The query runs on a cursor of its own, because the caller's
connection may hold an unfinished result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from lockstep.store.queries import shared as sh
from lockstep.store.queries.base import group_table, in_list
from lockstep.store.queries.engagement import ENGAGE_KINDS, ORIGINAL_KINDS
from lockstep.store.workspace import Workspace


class SyncCounts(NamedTuple):
    account_id: str
    in_group: bool
    n_items: int  # distinct core items it engaged
    n_sync: int  # of which within the window of a group account acting on the same item
    median_gap_s: float | None  # median gap of those within the window
    #: the campaign whose accounts it was closest to, most often; ties go to the lower campaign
    #: id (on the gap, then on the count), so the answer does not depend on DuckDB's threads
    campaign_id: str


def core_sync_counts(ws: Workspace, group: Mapping[str, str], window_s: int) -> list[SyncCounts]:
    """Per account engaging an item the group acted on (original posts of the group and the
    targets of its engagements): items engaged, and how many within ``window_s`` seconds of
    a group account (other than itself) acting on the same item; by account, so runs agree.
    Once per run for one group and window (``queries.shared``): expansion and the final
    verdicts both ask it of the detected core."""
    key = ("core_sync_counts", int(window_s), tuple(sorted(group.items())))
    rows: list[SyncCounts] = sh.cached(sh.passes(ws), key, lambda p: _core_sync_counts(ws, group, window_s))
    return list(rows)


def _core_sync_counts(ws: Workspace, group: Mapping[str, str], window_s: int) -> list[SyncCounts]:
    con = ws.con.cursor()
    try:
        con.register("_sgroup", group_table(group))
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _core_acts AS
            SELECT a.action_id AS item, epoch(a.timestamp) AS t, g.account_id, g.campaign_id
            FROM actions a JOIN _sgroup g USING (account_id) WHERE a.kind IN ({in_list(ORIGINAL_KINDS)})
            UNION ALL
            SELECT a.target_id, epoch(a.timestamp), g.account_id, g.campaign_id
            FROM actions a JOIN _sgroup g USING (account_id)
            WHERE a.kind IN ({in_list(ENGAGE_KINDS)}) AND a.target_id IS NOT NULL AND a.target_id <> ''""").fetchall()
        rows = con.execute(f"""
            WITH eng AS (SELECT a.account_id, a.target_id AS item, epoch(a.timestamp) AS t FROM actions a
                         WHERE a.kind IN ({in_list(ENGAGE_KINDS)})
                           AND a.target_id IN (SELECT item FROM _core_acts)),
            gap AS (SELECT e.account_id, e.item, e.account_id IN (SELECT account_id FROM _sgroup) AS in_group,
                           min(abs(e.t - c.t)) AS g,
                           min({{'g': abs(e.t - c.t), 'c': c.campaign_id}}).c AS cid
                    FROM eng e JOIN _core_acts c ON c.item = e.item AND c.account_id <> e.account_id
                    GROUP BY 1, 2, 3),
            top AS (SELECT account_id, in_group, min({{'n': -n, 'c': cid}}).c AS cid FROM
                    (SELECT account_id, in_group, cid, count(*) AS n FROM gap GROUP BY 1, 2, 3) GROUP BY 1, 2)
            SELECT account_id, in_group, count(*) AS n_items,
                   count(*) FILTER (WHERE g <= {int(window_s)}) AS n_sync,
                   median(g) FILTER (WHERE g <= {int(window_s)}) AS med, any_value(top.cid) AS cid
            FROM gap JOIN top USING (account_id, in_group) GROUP BY 1, 2 ORDER BY 1, 2""").fetchall()
        con.execute("DROP TABLE IF EXISTS _core_acts").fetchall()
        con.unregister("_sgroup")
    finally:
        con.close()
    return [SyncCounts(str(a), bool(g), int(n), int(s), None if m is None else float(m), str(c))
            for a, g, n, s, m, c in rows]
