"""Grow flagged campaigns to the accounts around them that coordination edges cannot see.

Entries (each able to propose an account, each with its evidence): an audience that is the
campaign beyond chance at its share of everyone's audience (personas, operators the clustering
missed), synchrony with the detected core,
engagement concentrated on the core, creation in one of the operation's creation bursts,
infrastructure whose users engage the core far above the base rate, and fast engagement of
the core's posts (waves). An account joins when its own account signals agree, or when at
least ``MIN_ENTRIES`` independent entries agree, one of them structural (steadily created amplifiers with aged
profiles have no own signals to speak of, but use the operation's infrastructure and engage
in its waves). Expansion runs to a fixed point (``expand_rounds``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from lockstep.roles import weights as W
from lockstep.roles.activity import Activities
from lockstep.roles.entries import FastEntry, InfraEntry, engaging_infrastructure, fast_entries
from lockstep.roles.features import (Activity, AudienceEntry, activity, audience_candidates, candidates,
                                     engaging_burst_bins)
from lockstep.roles.score import finding_evidence, own_points
from lockstep.roles.synchrony import SyncStat, core_synchrony
from lockstep.store.queries.entries import fast_core_engagement
from lockstep.store.queries.parallel import run_parallel
from lockstep.store.workspace import Workspace

__all__ = ["MIN_ENTRIES", "STRUCTURAL", "Expansion", "entered", "expand", "sync_with_core"]

MIN_ENTRIES = 2  # independent entries that take an account in without its own signals
# entries about *who* the account is (where it logs in from, when it was made), as against
# how it engages (concentration, fast engagement): one of these must be among them, since one
# engagement that is both fast and most of an account's actions is one fact, not two
STRUCTURAL = frozenset({"infrastructure", "creation burst"})


def entered(names: set[str] | frozenset[str]) -> bool:
    """Whether these entries take an account in without its own signals: at least
    ``MIN_ENTRIES``, one of them structural."""
    return len(names) >= MIN_ENTRIES and bool(names & STRUCTURAL)


@dataclass
class Expansion:
    """What expansion found: ``group`` (members and accepted candidates -> campaign),
    ``cands`` (every candidate proposed), the evidence of each entry, and ``entries``
    (account -> the names of the entries that proposed it)."""

    group: dict[str, str]
    origin: dict[str, AudienceEntry]
    cands: dict[str, str]
    acts: Mapping[str, Activity]
    bins: dict[str, Any]
    sync: dict[str, SyncStat]
    infra_entry: dict[str, InfraEntry] = field(default_factory=dict)
    fast: dict[str, FastEntry] = field(default_factory=dict)
    entries: dict[str, set[str]] = field(default_factory=dict)


def expand(ws: Workspace, members: dict[str, str], findings: dict[str, list[Any]],
           p: dict[str, Any], pool: set[str]) -> Expansion:
    """Grow campaigns to a fixed point. Synchrony is judged against the detected core only,
    once: a grown account is never the reference for the next one, so one authentic account
    in a campaign cannot pull in its whole community round after round. Creation-burst and
    infrastructure entries are judged against the base rate of the platform's other
    accounts; an account joins the group for the next round only when its own signals, or
    ``MIN_ENTRIES`` entries, agree."""
    group = dict(members)
    origin: dict[str, AudienceEntry] = {}
    cands: dict[str, str] = {}
    bins: dict[str, Any] = {}
    infra: dict[str, InfraEntry] = {}
    fast: dict[str, FastEntry] = {}
    entries: dict[str, set[str]] = {}

    def own(a: str) -> float:
        return own_points(finding_evidence(findings.get(a, [])))
    sync = {a: st for a, st in sync_with_core(ws, members, pool, p).items() if own(a) >= W.MIN_OWN_POINTS_TO_EXPAND}
    for _ in range(int(p["expand_rounds"])):
        origin.update({a: o for a, o in audience_candidates(ws, group, pool).items() if a not in members})
        core = {**group, **{a: o.campaign_id for a, o in origin.items()},
                **{a: st.campaign_id for a, st in sync.items()}}
        acts = activity(ws, core)
        concentrated = candidates(acts, core, p["expand_min_share"], pool)
        cands = {**{a: o.campaign_id for a, o in origin.items()}, **{a: st.campaign_id for a, st in sync.items()},
                 **concentrated}
        engaged = candidates(acts, core, 0.0, pool)
        # the creation bursts and the infrastructure of the engagers, and the fast engagement of
        # the operation's posts (its reference is judged below): independent, side by side
        reach = set(engaged) | {a for a in core if a not in members}
        op_core = {a: c for a, c in core.items() if c in pool}
        tasks: list[Callable[[Workspace], Any]] = [
            partial(engaging_infrastructure, engagers=reach, min_engaging=int(p["infra_min_engaging"]),
                    min_share=float(p["infra_min_share"]), min_lift=float(p["infra_min_lift"])),
            partial(engaging_burst_bins, engagers=reach, min_engaging=int(p["burst_min_engaging"]),
                    min_share=float(p["burst_min_share"]), min_lift=float(p["burst_min_lift"]),
                    min_ratio=float(p["burst_min_ratio"])),
            partial(fast_core_engagement, group=op_core, window_s=int(p["wave_window_s"]))]
        infra_all, bins, fast_rows = run_parallel(ws, tasks)
        # judged against the base rate: an account busy elsewhere that touched the core once is
        # what an organic user created that day also looks like
        q = _organic_rate(acts, core, bins, pool)
        burst = {a for a in engaged if a in bins and _share(acts[a], pool) >= float(p["burst_min_action_lift"]) * q}
        infra_now = {a: e for a, e in infra_all.items() if a in engaged}
        # the reference is the core's readers that no structural entry reached (organic readers,
        # loyalists who engage it a lot included: concentration is behaviour, not a cohort)
        fast_now = fast_entries(fast_rows, int(p["wave_window_s"]),
                                set(origin) | set(sync) | burst | set(infra_now) | set(bins))
        # an account judged in an earlier round keeps what it was judged on (it is core now)
        infra.update(infra_now)
        fast.update(fast_now)
        for a in engaged:
            entries.setdefault(a, set()).update(
                n for n, hit in (("concentration", a in concentrated), ("creation burst", a in burst),
                                 ("infrastructure", a in infra_now), ("fast engagement", a in fast_now)) if hit)
        cands.update({a: c for a, c in engaged.items() if a not in cands
                      and (a in burst or entered(entries[a]))})
        agreed = {a: c for a, c in cands.items()
                  if own(a) >= W.MIN_OWN_POINTS_TO_EXPAND or entered(entries.get(a, set()))}
        if not set(agreed) - set(group):
            break
        group.update(agreed)
    acts = activity(ws, {**group, **cands})
    cands.update({a: c for a, c in group.items() if a not in members})
    return Expansion({**members, **cands}, origin, cands, acts, bins, sync, infra, fast, entries)


def sync_with_core(ws: Workspace, group: dict[str, str], pool: set[str], p: dict[str, Any],
                   include_group: bool = False) -> dict[str, SyncStat]:
    """Synchrony with the operation's core (the group's accounts in flagged campaigns)."""
    return core_synchrony(ws, {a: c for a, c in group.items() if c in pool}, int(p["sync_window_s"]),
                          int(p["sync_min_items"]), float(p["sync_max_log10_p"]), include_group)


def _share(act: Activity, pool: set[str]) -> float:
    return sum(n for c, n in act.to_campaign.items() if c in pool) / act.n_actions if act.n_actions else 0.0


def _organic_rate(acts: Activities, core: dict[str, str], bins: dict[str, Any], pool: set[str]) -> float:
    """Share of all actions of ordinary accounts (outside the group and its creation bursts)
    that engage the core: the chance that any one organic action lands on it. Sums over the
    engagers and over the group, not over every account (whole numbers: the same sums)."""
    n_to = 0
    for acc, to, _ in acts.engaged_items():
        if acc not in core and acc not in bins:
            n_to += sum(n for c, n in to.items() if c in pool)
    n_all = acts.total_actions - sum(acts.n_actions(a) for a in set(core) | set(bins) if a in acts)
    return n_to / n_all if n_all else 0.0
