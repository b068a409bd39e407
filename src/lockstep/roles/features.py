"""Behavioural facts about accounts relative to known campaigns, from the store's named queries.

Coordination edges cannot see an amplifier that acted once. What can: the one action
points at the campaign's core (a repost of a persona, a reply to an operator), the
account was created in the same burst as others doing the same, and it logs in from the
campaign's networks. This module measures those facts; ``score`` weighs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lockstep.roles.activity import Activity, activity, candidates
from lockstep.roles.entries import MAX_LOG10_P
from lockstep.roles.synchrony import log10_binom_tail
from lockstep.store.queries import engagement as qe
from lockstep.store.queries import infrastructure as qi
from lockstep.store.queries import profile as qp
from lockstep.store.queries.base import has_rows
from lockstep.store.queries.engagement import ENGAGE_KINDS, ORIGINAL_KINDS
from lockstep.store.workspace import Workspace

__all__ = ["ENGAGE_KINDS", "ORIGINAL_KINDS", "Activity", "AudienceEntry", "BurstBin", "activity", "audience_candidates",
           "burst_with_group", "candidates", "engaging_burst_bins", "shared_access_with_group"]


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
    out: dict[str, dict[str, int]] = {}
    for kind in qi.ACCESS_KINDS:
        rows = qi.campaign_shared_access(ws, group, kind, min_others, min_concentration)
        for acc, n in rows:
            out.setdefault(acc, {})[kind] = n
    return out


def burst_with_group(ws: Workspace, group: dict[str, str], min_same: int = 3) -> dict[str, int]:
    """Per account of ``group``: how many other accounts of its campaign were created on the
    same day (the campaign's own creation bursts)."""
    if not group:
        return {}
    return dict(qp.campaign_same_day(ws, group, min_same))


@dataclass(frozen=True)
class AudienceEntry:
    """An account outside every campaign whose audience is an operation: most of the
    engagement it receives comes from the operation's accounts, far beyond what the
    operation's share of all engagement received elsewhere on the platform makes likely."""

    campaign_id: str  # the campaign engaging it most
    n_from: int  # engagements received from the pooled campaigns' accounts
    n_received: int  # engagements received in all
    base_rate: float  # the campaigns' share of the engagement other accounts receive
    log10_p: float  # chance of n_from or more of n_received at the base rate

    @property
    def share(self) -> float:
        return self.n_from / self.n_received if self.n_received else 0.0

    def text(self) -> str:
        return (f"engaged {self.n_from} times by accounts of campaign {self.campaign_id}: {self.share:.0%} of all"
                f" the engagement it receives ({self.n_received}), against {self.base_rate:.1%} of the engagement"
                f" other accounts receive (chance about 1 in 10^{-self.log10_p:.0f})")

    def to_dict(self) -> dict[str, Any]:
        return {"from_campaign": self.n_from, "received": self.n_received,
                "base_rate": round(self.base_rate, 5), "log10_p": round(self.log10_p, 1)}


def audience_candidates(ws: Workspace, members: dict[str, str], pool: set[str] | None = None,
                        min_received: int = 5, min_share: float = 0.5,
                        max_log10_p: float = MAX_LOG10_P) -> dict[str, AudienceEntry]:
    """Accounts outside every campaign whose audience *is* the campaigns in ``pool``: at least
    ``min_share`` of the engagement they receive (and ``min_received`` engagements) comes from
    those campaigns' accounts, and that many is beyond chance (binomial tail <=
    10^``max_log10_p``) at the base rate: the campaigns' share of the engagement that accounts
    elsewhere (outside the campaigns and these candidates) receive. A persona's readers are the
    operation; a real outlet's are not. Why the base rate: an operation that camouflages with
    reposts of popular organic posts is part of everyone's audience (a fifth of all engagement
    on the heavy-camouflage world), so a real activist reposted 6 times by operators and 3
    times by its community is 67% "operation audience" by chance; a persona engaged by the
    operation every day is not."""
    if not members:
        return {}
    rows = qe.audience_rows(ws, members)
    by: dict[str, dict[str, int]] = {}
    total: dict[str, int] = {}
    for acc, cid, n, n_all in rows:
        if pool is None or str(cid) in pool:
            by.setdefault(acc, {})[cid] = n
            total[acc] = n_all
    dense = {acc: sum(per.values()) for acc, per in by.items()
             if sum(per.values()) >= min_received and sum(per.values()) >= min_share * total[acc]}
    if not dense:
        return {}
    camps = set(pool) if pool is not None else set(members.values())
    n_from, n_all = qe.received_outside(ws, members, camps)
    rest = n_all - sum(total[a] for a in dense)
    base = max(0.0, n_from - sum(dense.values())) / rest if rest > 0 else 0.0
    out = {}
    for acc, n in dense.items():
        lp = log10_binom_tail(n, total[acc], base)
        if lp <= max_log10_p:
            camp = max(by[acc].items(), key=lambda kv: (kv[1], kv[0]))[0]
            out[acc] = AudienceEntry(str(camp), n, total[acc], base, lp)
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
                        min_share: float = 0.25, min_lift: float = 5.0,
                        min_ratio: float = 0.0) -> dict[str, tuple[BurstBin, str]]:
    """Per account created in a *campaign creation burst*: (the bin, its unit).

    A bin is one when at least ``min_engaging`` of the accounts created in it engaged the
    operation's core, they are at least ``min_share`` of everything created in it, and that
    share is ``min_lift`` times the base rate (engagers of the core among the acting accounts
    created at ordinary times, outside such dense bins). Organic users who engage a persona
    (loyalists, the curious, a protest community that quotes it) are created at ordinary
    times, so their bins hold mostly accounts that never touch the core; accounts made in
    batch for the operation are not. ``min_ratio``: the bin must also be a burst (that many
    times the usual creation count around it)."""
    if not engagers:
        return {}
    unit = qp.creation_unit(ws)
    if unit is None:
        return {}
    dense, n_ordinary, n_ordinary_eng = qp.engager_dense_bins(ws, engagers, unit, min_engaging, min_share,
                                                              min_ratio)
    # base rate: how often accounts created at ordinary times (outside the dense bins) engage
    # the core; the operation's own bins would otherwise inflate it
    rate = n_ordinary_eng / n_ordinary if n_ordinary else 0.0
    rows = [r[:4] for r in dense]
    out: dict[str, tuple[BurstBin, str]] = {}
    for acc, bin_, n, n_eng in rows:
        when = bin_.strftime("%Y-%m-%d") if unit == "day" else bin_.strftime("%Y-%m-%d %H:00 UTC")
        bb = BurstBin(when, int(n), int(n_eng), rate)
        if bb.lift >= min_lift:
            out[acc] = (bb, unit)
    return out
