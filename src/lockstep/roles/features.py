"""Behavioural facts about accounts relative to known campaigns, computed in DuckDB.

Coordination edges cannot see an amplifier that acted once. What can: the one action
points at the campaign's core (a repost of a persona, a reply to an operator), the
account was created in the same burst as others doing the same, and it logs in from the
campaign's networks. This module measures those facts; ``score`` weighs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from lockstep.accounts.base import has_rows
from lockstep.store.workspace import Workspace

ENGAGE_KINDS = ("repost", "reply", "quote", "like")
ORIGINAL_KINDS = ("post", "quote", "link")


@dataclass
class Activity:
    n_actions: int = 0
    n_engage: int = 0
    n_original: int = 0
    # campaign id -> engagements pointing at that campaign's accounts or posts
    to_campaign: dict[str, int] = field(default_factory=dict)
    # engagements this account *received* from other accounts of its campaign
    received_from_campaign: int = 0
    created_at: Any = None


def _kinds(kinds: tuple[str, ...]) -> str:
    return ", ".join(f"'{k}'" for k in kinds)


def activity(ws: Workspace, members: dict[str, str]) -> dict[str, Activity]:
    """Per account: action counts and engagements with each campaign's core."""
    ws.con.register("_members", pa.table({"account_id": list(members),
                                          "campaign_id": list(members.values())}))
    out: dict[str, Activity] = {}
    for acc, n, n_eng, n_orig, created in ws.con.execute(f"""
            SELECT a.account_id, count(*), count(*) FILTER (WHERE kind IN ({_kinds(ENGAGE_KINDS)})),
                   count(*) FILTER (WHERE kind IN ({_kinds(ORIGINAL_KINDS)})), any_value(ac.created_at)
            FROM actions a LEFT JOIN accounts ac USING (account_id) GROUP BY 1""").fetchall():
        out[acc] = Activity(int(n), int(n_eng), int(n_orig), created_at=created)
    rows = ws.con.execute(f"""
        WITH core_posts AS (
            SELECT DISTINCT a.action_id, m.campaign_id FROM actions a JOIN _members m USING (account_id)),
        eng AS (SELECT row_key, account_id, target_id, target_account_id FROM actions
                WHERE kind IN ({_kinds(ENGAGE_KINDS)})),
        hits AS (
            SELECT eng.row_key, eng.account_id, m.campaign_id, m.account_id AS target
            FROM eng JOIN _members m ON eng.target_account_id = m.account_id
            UNION
            SELECT eng.row_key, eng.account_id, cp.campaign_id, NULL FROM eng
            JOIN core_posts cp ON eng.target_id = cp.action_id)
        SELECT h.account_id, h.campaign_id, count(DISTINCT h.row_key)
        FROM hits h WHERE h.account_id <> coalesce(h.target, '') GROUP BY 1, 2""").fetchall()
    for acc, camp, n in rows:
        out.setdefault(acc, Activity()).to_campaign[str(camp)] = int(n)
    # how much each member is engaged with by its own campaign: originators are engaged with
    for acc, n in ws.con.execute(f"""
            WITH eng AS (SELECT e.account_id AS src, coalesce(e.target_account_id, p.account_id) AS dst
                         FROM actions e LEFT JOIN (SELECT DISTINCT action_id, account_id FROM actions
                                                   WHERE kind IN ({_kinds(ORIGINAL_KINDS)})) p
                           ON e.target_id = p.action_id
                         WHERE e.kind IN ({_kinds(ENGAGE_KINDS)}))
            SELECT eng.dst, count(*) FROM eng JOIN _members ms ON eng.src = ms.account_id
            JOIN _members md ON eng.dst = md.account_id AND md.campaign_id = ms.campaign_id
            WHERE eng.src <> eng.dst GROUP BY 1""").fetchall():
        if acc in out:
            out[acc].received_from_campaign = int(n)
    ws.con.unregister("_members")
    return out


def candidates(acts: dict[str, Activity], members: dict[str, str], min_share: float,
               pool: set[str] | None = None) -> dict[str, str]:
    """Accounts outside every campaign whose activity is concentrated on the core of the
    campaigns in ``pool`` (the flagged ones: an operation the clustering split into several
    campaigns is still one operation): account -> the campaign it engages most. Needs only
    one action, when that action is engagement with the core."""
    out = {}
    for acc, a in acts.items():
        if acc in members or not a.to_campaign or a.n_actions == 0:
            continue
        counts = {c: n for c, n in a.to_campaign.items() if pool is None or c in pool}
        if not counts:
            continue
        camp = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        if sum(counts.values()) / a.n_actions >= min_share:
            out[acc] = camp
    return out


def shared_access_with_group(ws: Workspace, group: dict[str, str], min_others: int = 3,
                             min_concentration: float = 0.5) -> dict[str, dict[str, int]]:
    """Per account of ``group`` (account -> campaign): how many *other* accounts of its own
    campaign share an IP, /24 network or device value with it, counting only values that
    belong to the campaign: used by at least ``min_others + 1`` of its accounts (and by more of
    them than use 99% of the platform's values), and for which at least ``min_concentration``
    of all accounts using the value belong to the campaigns (an operation split into two
    clusters shares its IPs between them). A home router, a campus or a carrier
    NAT shared with neighbours is not an operation's infrastructure."""
    if not group or not has_rows(ws, "access"):
        return {}
    ws.con.register("_group", pa.table({"account_id": list(group), "campaign_id": list(group.values())}))
    out: dict[str, dict[str, int]] = {}
    for kind in ("ip", "network", "device"):
        rows = ws.con.execute(f"""
            WITH v AS (SELECT DISTINCT a.account_id, g.campaign_id, a.{kind} AS val FROM access a
                       JOIN _group g USING (account_id) WHERE a.{kind} IS NOT NULL AND a.{kind} <> ''),
            per AS (SELECT {kind} AS val, count(DISTINCT account_id) AS n_acc FROM access
                    WHERE {kind} IS NOT NULL GROUP BY 1),
            c AS (SELECT campaign_id, val, count(*) AS n FROM v GROUP BY 1, 2
                  HAVING count(*) >= greatest({int(min_others) + 1},
                                              (SELECT quantile_cont(n_acc, 0.99) FROM per))),
            tot AS (SELECT {kind} AS val, count(DISTINCT account_id) AS n_all FROM access
                    WHERE {kind} IN (SELECT val FROM c) GROUP BY 1),
            grp AS (SELECT val, count(DISTINCT account_id) AS n_grp FROM v GROUP BY 1),
            ok AS (SELECT c.* FROM c JOIN tot USING (val) JOIN grp USING (val)
                   WHERE grp.n_grp >= {float(min_concentration)} * tot.n_all)
            SELECT v.account_id, max(ok.n) - 1 FROM v JOIN ok USING (campaign_id, val)
            GROUP BY 1""").fetchall()
        for acc, n in rows:
            out.setdefault(acc, {})[kind] = int(n)
    ws.con.unregister("_group")
    return out


def burst_with_group(ws: Workspace, group: dict[str, str], min_same: int = 3) -> dict[str, int]:
    """Per account of ``group``: how many other accounts of its campaign were created on the
    same day (the campaign's own creation bursts)."""
    if not group:
        return {}
    ws.con.register("_group", pa.table({"account_id": list(group), "campaign_id": list(group.values())}))
    rows = ws.con.execute(f"""
        WITH v AS (SELECT g.account_id, g.campaign_id, date_trunc('day', a.created_at) AS d
                   FROM _group g JOIN accounts a USING (account_id) WHERE a.created_at IS NOT NULL),
        c AS (SELECT campaign_id, d, count(*) AS n FROM v GROUP BY 1, 2 HAVING count(*) >= {int(min_same)})
        SELECT v.account_id, c.n - 1 FROM v JOIN c USING (campaign_id, d)""").fetchall()
    ws.con.unregister("_group")
    return {acc: int(n) for acc, n in rows}


def audience_candidates(ws: Workspace, members: dict[str, str], pool: set[str] | None = None,
                        min_received: int = 5, min_share: float = 0.5) -> dict[str, tuple[str, int, int]]:
    """Accounts outside every campaign whose audience *is* the campaigns in ``pool``: at least
    ``min_share`` of the engagement they receive (and ``min_received`` engagements) comes from
    those campaigns' accounts. A persona's readers are the operation; a real outlet's are not.
    Returns account -> (campaign engaging it most, engagements from the pool, received in all)."""
    if not members:
        return {}
    ws.con.register("_members", pa.table({"account_id": list(members),
                                          "campaign_id": list(members.values())}))
    rows = ws.con.execute(f"""
        WITH eng AS (SELECT e.account_id AS src, coalesce(e.target_account_id, p.account_id) AS dst
                     FROM actions e LEFT JOIN (SELECT DISTINCT action_id, account_id FROM actions
                                               WHERE kind IN ({_kinds(ORIGINAL_KINDS)})) p
                       ON e.target_id = p.action_id
                     WHERE e.kind IN ({_kinds(ENGAGE_KINDS)})),
        per AS (SELECT eng.dst, m.campaign_id, count(*) AS n FROM eng JOIN _members m ON eng.src = m.account_id
                WHERE eng.src <> eng.dst AND eng.dst NOT IN (SELECT account_id FROM _members) GROUP BY 1, 2
                HAVING count(*) >= 1),
        tot AS (SELECT dst, count(*) AS n_all FROM eng WHERE src <> dst AND dst IN (SELECT dst FROM per)
                GROUP BY 1)
        SELECT per.dst, per.campaign_id, per.n, tot.n_all FROM per JOIN tot USING (dst)""").fetchall()
    ws.con.unregister("_members")
    by: dict[str, dict[str, int]] = {}
    total: dict[str, int] = {}
    for acc, cid, n, n_all in rows:
        if pool is None or str(cid) in pool:
            by.setdefault(acc, {})[str(cid)] = int(n)
            total[acc] = int(n_all)
    out = {}
    for acc, per in by.items():
        n = sum(per.values())
        if n >= min_received and n >= min_share * total[acc]:
            out[acc] = (max(per.items(), key=lambda kv: (kv[1], kv[0]))[0], n, total[acc])
    return out


@dataclass
class BurstBin:
    """A creation bin (hour, or day when only dates are known) whose accounts engage the
    operation's core far more often than the platform's accounts do."""
    bin: str
    n_created: int
    n_engaging: int
    base_rate: float

    @property
    def lift(self) -> float:
        return (self.n_engaging / self.n_created) / max(self.base_rate, 1e-9)


def engaging_burst_bins(ws: Workspace, engagers: set[str], min_engaging: int = 5,
                        min_share: float = 0.25, min_lift: float = 5.0) -> dict[str, tuple[BurstBin, str]]:
    """Per account created in a *campaign creation burst*: (the bin, its unit).

    A bin is one when at least ``min_engaging`` of the accounts created in it engaged the
    operation's core, they are at least ``min_share`` of everything created in it, and that
    share is ``min_lift`` times the base rate (engagers of the core among the acting accounts
    created at ordinary times, outside such dense bins). Organic users who engage a persona
    (loyalists, the curious, a protest community that quotes it) are created at ordinary
    times, so their bins hold mostly accounts that never touch the core; accounts made in
    batch for the operation are not."""
    if not engagers:
        return {}
    midnight = ws.con.execute(
        "SELECT avg(CASE WHEN created_at = date_trunc('day', created_at) THEN 1 ELSE 0 END)"
        " FROM accounts WHERE created_at IS NOT NULL").fetchall()[0][0]
    if midnight is None:
        return {}
    unit = "day" if midnight > 0.9 else "hour"
    ws.con.register("_eng", pa.table({"account_id": sorted(engagers)}))
    # the population: accounts that act at all (only they could have engaged)
    ws.con.execute("""CREATE OR REPLACE TEMP TABLE _created AS
        SELECT account_id, created_at, account_id IN (SELECT account_id FROM _eng) AS eng
        FROM accounts WHERE created_at IS NOT NULL
          AND account_id IN (SELECT DISTINCT account_id FROM actions)""")
    rows = ws.con.execute(f"""
        WITH b AS (SELECT account_id, date_trunc('{unit}', created_at) AS bin, eng FROM _created),
        s AS (SELECT bin, count(*) AS n, count(*) FILTER (WHERE eng) AS n_eng FROM b GROUP BY 1),
        dense AS (SELECT bin FROM s WHERE n_eng >= {int(min_engaging)} AND n_eng >= {float(min_share)} * n)
        SELECT b.account_id, s.bin, s.n, s.n_eng, s.bin IN (SELECT bin FROM dense) FROM b JOIN s USING (bin)
        """).fetchall()
    # base rate: how often accounts created at ordinary times (outside the dense bins) engage
    # the core; the operation's own bins would otherwise inflate it
    ordinary = [r for r in rows if not r[4]]
    rate = sum(1 for r in ordinary if r[0] in engagers) / len(ordinary) if ordinary else 0.0
    rows = [r[:4] for r in rows if r[4]]
    ws.con.execute("DROP TABLE _created")
    ws.con.unregister("_eng")
    out: dict[str, tuple[BurstBin, str]] = {}
    for acc, bin_, n, n_eng in rows:
        when = bin_.strftime("%Y-%m-%d") if unit == "day" else bin_.strftime("%Y-%m-%d %H:00 UTC")
        bb = BurstBin(when, int(n), int(n_eng), rate)
        if bb.lift >= min_lift:
            out[acc] = (bb, unit)
    return out
