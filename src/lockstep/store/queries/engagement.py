"""Engaging a campaign's core: the one definition, as a query and as a Python predicate.

An action **engages the core** of campaign C when it is an engagement (``ENGAGE_KINDS``:
repost, reply, quote, like) and either

- its ``target_id`` is an action of one of C's accounts (any kind: a post, a quote, even a
  repost), or
- its ``target_account_id`` is one of C's accounts, other than the acting account itself.

One action counts once per campaign it engages. Batch scoring
(:func:`core_engagement_counts`, used by ``roles.features.activity``) and ``lockstep watch``
(:func:`engaged_campaigns` on each arriving action, with the items from :func:`core_items`)
both use this definition, so they cannot disagree on who engages which campaign; a test
checks that they give the same counts on the same accounts. Expansion candidates
(``roles.features.candidates``), campaign pooling, the fingerprint's posts and the
engagement details shown as evidence (:func:`core_item_engagements`) use it too.

Engagement *received* (who an engagement lands on: its target account, else the author of
the original post it targets) is a different question, answered by
:func:`engagement_received_within` and :func:`audience_rows`; so is synchrony (acting on
the items the core acted on within seconds of it: ``queries.synchrony``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from lockstep.distinct import distinct
from lockstep.store.queries import engagement_passes as ep
from lockstep.store.queries import shared as sh
from lockstep.store.queries.base import fetch, group_table, ids_table, in_list, temp_arrow
from lockstep.store.workspace import Workspace

ENGAGE_KINDS = sh.ENGAGE_KINDS  # ("repost", "reply", "quote", "like")
ORIGINAL_KINDS = sh.ORIGINAL_KINDS  # ("post", "quote", "link")


@dataclass
class CoreIndex:
    """The core to engage: account -> its campaign, item (action id) -> campaigns whose
    accounts authored it."""

    accounts: dict[str, str] = field(default_factory=dict)
    items: dict[str, set[str]] = field(default_factory=dict)

    def add_item(self, action_id: str, campaign_id: str) -> None:
        self.items.setdefault(action_id, set()).add(campaign_id)


def engaged_campaigns(account_id: str, kind: str | None, target_id: str | None,
                      target_account_id: str | None, core: CoreIndex) -> set[str]:
    """The campaigns whose core this one action engages (see the module docstring)."""
    if kind not in ENGAGE_KINDS:
        return set()
    out = set(core.items.get(target_id, ())) if target_id is not None else set()
    if target_account_id is not None and target_account_id != account_id:
        cid = core.accounts.get(target_account_id)
        if cid is not None:
            out.add(cid)
    return out


_CORE_ITEMS_SQL = "SELECT DISTINCT a.action_id, m.campaign_id FROM actions a JOIN _core m USING (account_id)"


def core_items(ws: Workspace, members: Mapping[str, str]) -> list[tuple[str, str]]:
    """(action id, campaign id) of every action of the campaigns' accounts (``members``:
    account -> campaign): the items whose engagement engages the core."""
    if not members:
        return []
    with temp_arrow(ws, "_core", group_table(members)):
        return [(str(a), str(c)) for a, c in fetch(ws, _CORE_ITEMS_SQL)]


def core_engagement_counts(ws: Workspace, members: Mapping[str, str]) -> list[tuple[str, str, int]]:
    """(account, campaign, actions of the account that engage that campaign's core), for every
    account (members included) with at least one such action, by account and campaign.

    On the run's shared engagement table (``queries.shared``): an engagement hits campaign C
    through its target account (a member of C other than itself) or the author of its target
    action (a member of C); each (engagement, campaign) counts once."""
    if not members:
        return []
    p = sh.passes(ws)
    camp_of, camps = sh.campaign_ids(p, members)
    n, src, ta, author = ep.engagement_targets(p)
    c_ta = np.where(ta >= 0, camp_of[ta], -1)
    c_au = np.where(author >= 0, camp_of[author], -1)
    hit_ta = (c_ta >= 0) & (src != ta)
    hit_au = c_au >= 0
    k = np.int64(len(camps))
    # distinct (engagement, campaign) by one sort (no index of first rows: a stable argsort of
    # every hit took most of the query), then the engagement's account from its number
    keys = distinct(np.concatenate([n[hit_ta].astype(np.int64) * k + c_ta[hit_ta],
                                    n[hit_au].astype(np.int64) * k + c_au[hit_au]]))
    srcs = ep.engagement_sources(p)[keys // k]
    pairs, counts = np.unique(srcs.astype(np.int64) * k + keys % k, return_counts=True)
    ids = p.ids
    return [(ids[int(q // k)], camps[int(q % k)], int(c)) for q, c in zip(pairs.tolist(), counts.tolist())]


class CoreItemEngagement(NamedTuple):
    account_id: str
    kind: str
    item: str  # the core item engaged
    author: str  # the core account that made it
    seconds_after: float  # after the core item


def core_item_engagements(ws: Workspace, core_accounts: Sequence[str], accounts: Sequence[str],
                          limit: int) -> list[CoreItemEngagement]:
    """Per account of ``accounts``: its engagements whose target is an action of one of
    ``core_accounts`` (the item half of the definition above), earliest first, at most
    ``limit``, with the seconds since that core item: what an investigator checks by hand."""
    if not core_accounts or not accounts:
        return []
    con = ws.con.cursor()  # a cursor of its own: the caller's connection may hold a result
    try:
        con.register("_dgroup", ids_table(core_accounts))
        con.register("_dacc", ids_table(accounts))
        rows = con.execute(f"""
            WITH core_posts AS (SELECT DISTINCT action_id, account_id AS author, epoch(timestamp) AS t FROM actions
                                WHERE account_id IN (SELECT account_id FROM _dgroup)),
            e AS (SELECT a.account_id, a.kind, a.target_id, p.author, epoch(a.timestamp) - p.t AS secs,
                         row_number() OVER (PARTITION BY a.account_id ORDER BY a.timestamp, a.target_id) AS rn
                  FROM actions a JOIN core_posts p ON a.target_id = p.action_id
                  WHERE a.account_id IN (SELECT account_id FROM _dacc)
                    AND a.kind IN ({in_list(ENGAGE_KINDS)}))
            SELECT account_id, kind, target_id, author, secs FROM e WHERE rn <= {int(limit)}
            ORDER BY account_id, rn""").fetchall()
    finally:
        con.close()
    return [CoreItemEngagement(str(a), str(k), str(i), str(au), float(s)) for a, k, i, au, s in rows]


# Engagement edges src -> dst: dst is the target account, else the author of the original
# post (ORIGINAL_KINDS) that the engagement targets; built once per run (``queries.shared``).


def engagement_received_within(ws: Workspace, members: Mapping[str, str]) -> list[tuple[str, int]]:
    """(member, engagements it received from other accounts of its own campaign), by member."""
    if not members:
        return []
    p = sh.passes(ws)
    camp_of, _ = sh.campaign_ids(p, members)
    src, dst = ep.received_edges(p)
    cs = camp_of[src]
    got = np.bincount(dst[(cs >= 0) & (cs == camp_of[dst])], minlength=len(p.ids))
    ids = p.ids
    return [(ids[i], int(got[i])) for i in np.flatnonzero(got).tolist()]


def audience_rows(ws: Workspace, members: Mapping[str, str]) -> list[tuple[str, str, int, int]]:
    """(account outside ``members``, campaign, engagements it received from that campaign's
    accounts, engagements it received in all) for every account engaged by a campaign, by
    account and campaign."""
    if not members:
        return []
    p = sh.passes(ws)
    camp_of, camps = sh.campaign_ids(p, members)
    src, dst = ep.received_edges(p)
    cs = camp_of[src]
    sel = (cs >= 0) & (camp_of[dst] < 0)
    k = np.int64(len(camps))
    pairs, counts = np.unique(dst[sel].astype(np.int64) * k + cs[sel], return_counts=True)
    total = ep.received_totals(p)
    ids = p.ids
    return [(ids[int(q // k)], camps[int(q % k)], int(c), int(total[q // k]))
            for q, c in zip(pairs.tolist(), counts.tolist())]


def received_outside(ws: Workspace, members: Mapping[str, str], campaigns: Collection[str]) -> tuple[int, int]:
    """(engagements landing on accounts outside ``members`` that accounts of ``campaigns``
    made, engagements landing on accounts outside ``members`` in all), each from another
    account: the base rate against which :func:`audience_rows` is judged (an operation that
    spends its reposts on popular organic posts is part of everyone's audience)."""
    if not members:
        return 0, 0
    p = sh.passes(ws)
    camp_of, camps = sh.campaign_ids(p, members)
    src, dst = ep.received_edges(p)
    outside = camp_of[dst] < 0
    wanted = np.array([c in set(campaigns) for c in camps] + [False], dtype=bool)  # [-1] -> False
    return int(np.count_nonzero(outside & wanted[camp_of[src]])), int(np.count_nonzero(outside))
