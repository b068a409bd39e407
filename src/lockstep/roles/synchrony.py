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

from lockstep.store.queries.engagement import core_item_engagements
from lockstep.store.queries.synchrony import core_sync_counts
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


def core_synchrony(ws: Workspace, group: dict[str, str], window_s: int = 300, min_sync: int = 3,
                   max_log10_p: float = -6.0, include_group: bool = False) -> dict[str, SyncStat]:
    """Accounts (outside ``group`` unless ``include_group``) that engage the group's items
    within ``window_s`` of the group, at least ``min_sync`` items and with a binomial chance
    under 10^max_log10_p given the reference rate of outside engagements of the same items."""
    if not group:
        return {}
    rows = core_sync_counts(ws, group, window_s)
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
    """Per account: the core items it engaged (item id, author, seconds after the core item),
    earliest first, at most ``limit``: what a user needs to check an amplifier by hand. The
    items are those of the one definition of engaging the core (any action of the group's
    accounts; ``lockstep.store.queries.engagement``)."""
    if not group or not accounts:
        return {}
    rows = core_item_engagements(ws, list(group), accounts, limit)
    out: dict[str, list[dict[str, Any]]] = {}
    for acc, kind, item, author, secs in rows:
        out.setdefault(acc, []).append({"item": item, "kind": kind, "author": author,
                                        "seconds_after": int(round(secs))})
    return out
