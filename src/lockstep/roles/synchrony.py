"""Synchrony with the operation's core, and the engagement details a user can check.

Detect's clustering can miss operators whose coordination edges are few (camouflage spends
most of their reposts on popular organic posts, so their share of engagement with the core
stays low). What still gives them away is timing: they repost the *same items* as the core
within seconds of the core, again and again. The reference is the detected core only (never
an account grown from it), so that a few authentic accounts in a campaign cannot pull in
their community round after round. An organic account that reposts a core post
does so minutes to hours later. So for every account outside the group we count the core
items it engaged within ``window_s`` seconds of a group account acting on the same item,
and judge that count against how often the other outside engagements of the *same items*
land that close (a binomial tail): a retweet wave of a viral post lifts the reference rate
for everyone, so only accounts far above it are taken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from lockstep.roles.features import ENGAGE_KINDS, ORIGINAL_KINDS, _kinds
from lockstep.store.workspace import Workspace


@dataclass
class SyncStat:
    """One account's synchrony with the group: items engaged within the window of the core."""
    campaign_id: str
    n_items: int       # distinct core items it engaged
    n_sync: int        # of which within window_s of a group account acting on the same item
    median_gap_s: float
    ref_rate: float    # share of outside engagements of core items that land within the window
    log10_p: float     # log10 of P(>= n_sync of n_items | ref_rate)
    window_s: int

    def text(self) -> str:
        return (f"engaged {self.n_sync} of the {self.n_items} core items it touched within {self.window_s} s"
                f" of the core acting on the same item (median {self.median_gap_s:.0f} s); other accounts"
                f" engaging those items land that close {self.ref_rate:.1%} of the time"
                f" (chance about 1 in 10^{-self.log10_p:.0f})")

    def to_dict(self) -> dict[str, Any]:
        return {"n_items": self.n_items, "n_sync": self.n_sync, "median_gap_s": round(self.median_gap_s, 1),
                "ref_rate": round(self.ref_rate, 5), "log10_p": round(self.log10_p, 1),
                "window_s": self.window_s}


def log10_binom_tail(k: int, n: int, q: float) -> float:
    """log10 P(X >= k) for X ~ Binomial(n, q)."""
    if k <= 0:
        return 0.0
    if q <= 0:
        return -300.0
    if q >= 1:
        return 0.0
    terms = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
             + i * math.log(q) + (n - i) * math.log1p(-q) for i in range(k, n + 1)]
    m = max(terms)
    return (m + math.log(sum(math.exp(t - m) for t in terms))) / math.log(10)


def _register_group(con: Any, group: dict[str, str]) -> None:
    con.register("_sgroup", pa.table({"account_id": list(group), "campaign_id": list(group.values())}))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _core_acts AS
        SELECT a.action_id AS item, epoch(a.timestamp) AS t, g.account_id, g.campaign_id
        FROM actions a JOIN _sgroup g USING (account_id) WHERE a.kind IN ({_kinds(ORIGINAL_KINDS)})
        UNION ALL
        SELECT a.target_id, epoch(a.timestamp), g.account_id, g.campaign_id
        FROM actions a JOIN _sgroup g USING (account_id)
        WHERE a.kind IN ({_kinds(ENGAGE_KINDS)}) AND a.target_id IS NOT NULL AND a.target_id <> ''""").fetchall()


def _drop(con: Any) -> None:
    con.execute("DROP TABLE IF EXISTS _core_acts").fetchall()
    con.unregister("_sgroup")


def core_synchrony(ws: Workspace, group: dict[str, str], window_s: int = 300, min_sync: int = 3,
                   max_log10_p: float = -6.0, include_group: bool = False) -> dict[str, SyncStat]:
    """Accounts (outside ``group`` unless ``include_group``) that engage the group's items
    within ``window_s`` of the group, at least ``min_sync`` items and with a binomial chance
    under 10^max_log10_p given the reference rate of outside engagements of the same items."""
    if not group:
        return {}
    # a cursor of its own: the caller's connection may hold an unfinished result
    con = ws.con.cursor()
    _register_group(con, group)
    rows = con.execute(f"""
        WITH eng AS (SELECT a.account_id, a.target_id AS item, epoch(a.timestamp) AS t FROM actions a
                     WHERE a.kind IN ({_kinds(ENGAGE_KINDS)})
                       AND a.target_id IN (SELECT item FROM _core_acts)),
        gap AS (SELECT e.account_id, e.item, e.account_id IN (SELECT account_id FROM _sgroup) AS in_group,
                       min(abs(e.t - c.t)) AS g, arg_min(c.campaign_id, abs(e.t - c.t)) AS cid
                FROM eng e JOIN _core_acts c ON c.item = e.item AND c.account_id <> e.account_id
                GROUP BY 1, 2, 3)
        SELECT account_id, in_group, count(*) AS n_items,
               count(*) FILTER (WHERE g <= {int(window_s)}) AS n_sync,
               median(g) FILTER (WHERE g <= {int(window_s)}) AS med, mode(cid) AS cid
        FROM gap GROUP BY 1, 2""").fetchall()
    _drop(con)
    con.close()
    outside = [(n, s) for _, ing, n, s, _, _ in rows if not ing]
    tot = sum(n for n, _ in outside)
    ref = sum(s for _, s in outside) / tot if tot else 0.0
    out: dict[str, SyncStat] = {}
    for acc, ing, n, s, med, cid in rows:
        if (ing and not include_group) or s < min_sync:
            continue
        lp = log10_binom_tail(int(s), int(n), ref)
        if lp <= max_log10_p:
            out[acc] = SyncStat(str(cid), int(n), int(s), float(med or 0.0), ref, lp, int(window_s))
    return out


def engagement_details(ws: Workspace, group: dict[str, str], accounts: list[str],
                       limit: int = 10) -> dict[str, list[dict[str, Any]]]:
    """Per account: the core posts it engaged (item id, author, seconds after the core post),
    earliest first, at most ``limit``: what a user needs to check an amplifier by hand."""
    if not group or not accounts:
        return {}
    con = ws.con.cursor()
    con.register("_dgroup", pa.table({"account_id": list(group)}))
    con.register("_dacc", pa.table({"account_id": list(accounts)}))
    rows = con.execute(f"""
        WITH core_posts AS (SELECT DISTINCT action_id, account_id AS author, epoch(timestamp) AS t FROM actions
                            WHERE kind IN ({_kinds(ORIGINAL_KINDS)})
                              AND account_id IN (SELECT account_id FROM _dgroup)),
        e AS (SELECT a.account_id, a.kind, a.target_id, p.author, epoch(a.timestamp) - p.t AS secs,
                     row_number() OVER (PARTITION BY a.account_id ORDER BY a.timestamp, a.target_id) AS rn
              FROM actions a JOIN core_posts p ON a.target_id = p.action_id
              WHERE a.account_id IN (SELECT account_id FROM _dacc) AND a.account_id <> p.author
                AND a.kind IN ({_kinds(ENGAGE_KINDS)}))
        SELECT account_id, kind, target_id, author, secs FROM e WHERE rn <= {int(limit)}
        ORDER BY account_id, rn""").fetchall()
    con.close()
    out: dict[str, list[dict[str, Any]]] = {}
    for acc, kind, item, author, secs in rows:
        out.setdefault(acc, []).append({"item": item, "kind": kind, "author": author,
                                        "seconds_after": int(round(secs))})
    return out
