"""The roles stage: refine a detection result into core, amplifier and persona accounts with
one calibrated score per account and per campaign, and expand campaigns to the amplifiers
that coordination edges cannot see (accounts that acted once or twice, all toward the core).

Roles sit above detection, as the data flows: :func:`refine` takes a
:class:`~lockstep.detect.result.DetectResult` and the workspace, and returns a
:class:`~lockstep.roles.result.RolesResult`; it writes nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from lockstep.accounts import compute_findings
from lockstep.accounts.activity import hour_of_week_hist
from lockstep.detect.result import DetectResult
from lockstep.roles import weights as W
from lockstep.roles.assign import assign_role
from lockstep.roles.features import (Activity, activity, audience_candidates, burst_with_group, candidates,
                                     engaging_burst_bins, shared_access_with_group)
from lockstep.roles.inputs import coordination_by_account
from lockstep.roles.params import DEFAULTS
from lockstep.roles.pool import pool_operations
from lockstep.roles.result import AccountVerdict, CampaignVerdict, RolesResult
from lockstep.roles.score import Evidence, campaign_score, combine, finding_evidence, own_points
from lockstep.roles.synchrony import SyncStat, core_synchrony, engagement_details
from lockstep.store.workspace import Workspace

__all__ = ["refine"]


def refine(ws: Workspace, det: DetectResult, params: dict[str, Any] | None = None) -> RolesResult:
    """Judge every account of ``det`` (and the accounts around its campaigns) as inauthentic
    or not, with roles and calibrated scores, and expand operations to the amplifiers that
    coordination edges cannot see. ``params``: :data:`lockstep.roles.params.DEFAULTS` keys."""
    p = {**DEFAULTS, **(params or {})}
    members = det.members()
    coordination = coordination_by_account(det.edges)
    findings = compute_findings(ws, params=p["signals"])
    hists = hour_of_week_hist(ws, list(members)) if members else {}
    by_camp: dict[str, list[str]] = defaultdict(list)
    for acc, member_of in members.items():
        by_camp[member_of].append(acc)
    member_infra = shared_access_with_group(ws, members)
    camp = {c: campaign_score(ms, findings, hists, {m: member_infra[m] for m in ms if m in member_infra})
            for c, ms in by_camp.items()}
    pool = {c for c, s in camp.items() if s.flagged}  # only operations are expanded
    camp = pool_operations(ws, camp, by_camp, pool, findings, hists, member_infra)
    group, origin, cands, acts, bins, sync = _expand(ws, members, findings, p, pool)
    sync.update({a: st for a, st in _sync(ws, members, pool, p, include_group=True).items()
                 if a in members and a not in sync})
    op_group = {a: c for a, c in group.items() if c in pool}
    infra = shared_access_with_group(ws, group)
    bursts = burst_with_group(ws, group)

    order = [a.account_id for a in det.accounts]
    seen = set(order)
    order += [a for a in cands if a not in seen]
    expanded: dict[str, list[str]] = defaultdict(list)
    details = engagement_details(ws, op_group, [a for a in order if a in group])
    verdicts: dict[str, AccountVerdict] = {}
    for acc in order:
        cid = group.get(acc)
        items = finding_evidence(findings.get(acc, []))
        act = acts.get(acc)
        if cid is not None:
            items += _campaign_items(acc, cid, acc in members, act, camp[cid].score if cid in camp else 0.5,
                                     coordination.get(acc), infra.get(acc), bursts.get(acc),
                                     origin.get(acc), pool, bins.get(acc), sync.get(acc), details.get(acc))
        scored = combine(W.ACCOUNT_BIAS, items)
        flagged = scored.flagged and cid is not None
        note = None
        if acc in cands and (not flagged or own_points(items) < W.MIN_OWN_POINTS_TO_EXPAND):
            flagged, note = False, (f"engages the campaign's core, but its own account signals"
                                    f" ({own_points(items):.1f} points) do not agree, so it is not"
                                    " expanded into the campaign")
        role, why = ("", "not part of a flagged campaign")
        if flagged:
            role, why = assign_role(acc, acc in members or acc in origin or acc in sync, act,
                                    findings.get(acc, []))
            if acc in cands and cid is not None:
                expanded[cid].append(acc)
        score = scored.score if flagged else min(scored.score, W.FLAG_THRESHOLD - 1e-3)
        verdicts[acc] = AccountVerdict(
            account_id=acc, campaign_id=cid, role=role, role_reason=why, score=score, flagged=flagged,
            behaviour_score=scored.behaviour_score, expanded=acc in cands, evidence=tuple(scored.evidence),
            note=note, activity=_act_dict(act), detailed=cid is not None or bool(findings.get(acc)))
    campaigns = {cid: CampaignVerdict(cid, s.score, s.flagged, tuple(s.evidence), tuple(sorted(expanded.get(cid, []))))
                 for cid, s in camp.items()}
    return RolesResult(accounts=verdicts, campaigns=campaigns, params=p)


def _expand(ws: Workspace, members: dict[str, str], findings: dict[str, list[Any]],
            p: dict[str, Any], pool: set[str]) -> tuple[dict[str, str], dict[str, tuple[str, int, int]],
                                                     dict[str, str], dict[str, Any], dict[str, Any],
                                                     dict[str, SyncStat]]:
    """Grow campaigns to a fixed point: originators whose audience is the campaign (personas,
    operators the clustering missed), accounts concentrated on the campaign's core, and
    accounts with *any* engagement with the core that were created in one of the
    operation's creation bursts (bins whose accounts engage the core far above the base
    rate: batch-made accounts that spend most of their few actions elsewhere). An account
    joins the group for the next round only when its own signals agree, so that the
    audience of a persona is measured against the operation's amplifiers, not the world.
    Operators the clustering missed are grown into the core by synchrony (they act on the
    core's items within seconds of the core, far more often than others engaging the same
    items), so that the amplifiers who engage only them are found in the next round."""
    group = dict(members)
    origin: dict[str, tuple[str, int, int]] = {}
    cands: dict[str, str] = {}
    bins: dict[str, Any] = {}
    # synchrony is judged against the detected core only, once: a grown account is never the
    # reference for the next one, so one authentic account in a campaign cannot pull in its
    # whole community round after round
    sync = {a: st for a, st in _sync(ws, members, pool, p).items()
            if own_points(finding_evidence(findings.get(a, []))) >= W.MIN_OWN_POINTS_TO_EXPAND}
    for _ in range(int(p["expand_rounds"])):
        origin.update({a: o for a, o in audience_candidates(ws, group, pool).items() if a not in members})
        core = {**group, **{a: o[0] for a, o in origin.items()}, **{a: st.campaign_id for a, st in sync.items()}}
        acts = activity(ws, core)
        cands = {**{a: o[0] for a, o in origin.items()}, **{a: st.campaign_id for a, st in sync.items()},
                 **candidates(acts, core, p["expand_min_share"], pool)}
        engaged = {a: c for a, c in candidates(acts, core, 0.0, pool).items()}
        bins = engaging_burst_bins(ws, set(engaged) | {a for a in core if a not in members},
                                   int(p["burst_min_engaging"]), float(p["burst_min_share"]),
                                   float(p["burst_min_lift"]))
        # judged against the base rate: an account busy elsewhere that touched the core once is
        # what an organic user created that day also looks like
        q = _organic_rate(acts, core, bins, pool)
        cands.update({a: c for a, c in engaged.items() if a in bins and a not in cands
                      and _share(acts[a], pool) >= float(p["burst_min_action_lift"]) * q})
        agreed = {a: c for a, c in cands.items()
                  if own_points(finding_evidence(findings.get(a, []))) >= W.MIN_OWN_POINTS_TO_EXPAND}
        if not set(agreed) - set(group):
            break
        group.update(agreed)
    acts = activity(ws, {**group, **cands})
    cands.update({a: c for a, c in group.items() if a not in members})
    return {**members, **cands}, origin, cands, acts, bins, sync


def _sync(ws: Workspace, group: dict[str, str], pool: set[str], p: dict[str, Any],
          include_group: bool = False) -> dict[str, SyncStat]:
    """Synchrony with the operation's core (the group's accounts in flagged campaigns)."""
    return core_synchrony(ws, {a: c for a, c in group.items() if c in pool}, int(p["sync_window_s"]),
                          int(p["sync_min_items"]), float(p["sync_max_log10_p"]), include_group)


def _share(act: Activity, pool: set[str]) -> float:
    return sum(n for c, n in act.to_campaign.items() if c in pool) / act.n_actions if act.n_actions else 0.0


def _organic_rate(acts: dict[str, Activity], core: dict[str, str], bins: dict[str, Any], pool: set[str]) -> float:
    """Share of all actions of ordinary accounts (outside the group and its creation bursts)
    that engage the core: the chance that any one organic action lands on it."""
    n_to = n_all = 0
    for acc, a in acts.items():
        if acc not in core and acc not in bins:
            n_to += sum(n for c, n in a.to_campaign.items() if c in pool)
            n_all += a.n_actions
    return n_to / n_all if n_all else 0.0


def _campaign_items(acc: str, cid: str, is_member: bool, act: Any, camp_score: float,
                    coord: dict[str, Any] | None, infra: dict[str, int] | None,
                    burst: int | None, audience: tuple[str, int, int] | None = None,
                    pool: frozenset[str] | set[str] = frozenset(),
                    burst_bin: tuple[Any, str] | None = None, sync: SyncStat | None = None,
                    details: list[dict[str, Any]] | None = None) -> list[Evidence]:
    w = W.ACCOUNT_WEIGHTS
    items = []
    # engagement with the operation: every flagged campaign counts (one operation is often
    # split into several clusters), plus the account's own campaign
    n_to = sum(n for c, n in act.to_campaign.items() if c in pool or c == cid) if act else 0
    n_act = act.n_actions if act else 0
    share = n_to / n_act if n_act else 0.0
    if is_member:
        deg = (coord or {}).get("degree", 0)
        # a member without listed edges (pruned from edges.csv) counts half
        s = min(1.0, math.log1p(deg) / math.log(11)) if deg else 0.5
        sigs = ", ".join(f"{k} x{v}" for k, v in sorted((coord or {}).get("signals", {}).items()))
        words = (f"coordinated with {deg} accounts ({sigs})" if deg
                 else "a member per detect, with no edge of its own in edges.csv")
        items.append(Evidence("coordination", s, w["coordination"] * s, f"in campaign {cid}: {words}",
                              {"degree": deg, "partners": (coord or {}).get("partners", [])}))
    if n_to:
        seen = "; ".join(f"{d['kind']} of {d['item']} by {d['author']} {_secs(d['seconds_after'])} after it"
                         for d in (details or [])[:3])
        items.append(Evidence("engagement", share, w["engagement"] * share,
                              f"{n_to} of its {n_act} actions engage the accounts or posts of campaign {cid}"
                              + (f" or the other flagged campaigns ({len(pool)} in all)" if len(pool) > 1 else "")
                              + (f" ({seen}" + (", ..." if len(details or []) > 3 else "") + ")" if seen else ""),
                              {"n_to_campaign": n_to, "n_actions": n_act, "core_posts": details or []}))
    if sync:
        s = min(1.0, math.log1p(sync.n_sync) / math.log(11))
        items.append(Evidence("sync_core", s, w["sync_core"] * s, sync.text(), sync.to_dict()))
    if audience:
        s = audience[1] / audience[2]
        items.append(Evidence("audience", s, w["audience"] * s,
                              f"engaged {audience[1]} times by accounts of campaign {cid}: {s:.0%} of all"
                              f" the engagement it receives ({audience[2]})",
                              {"from_campaign": audience[1], "received": audience[2]}))
    if burst_bin:
        bb, unit = burst_bin
        s = bb.n_engaging / bb.n_created
        items.append(Evidence("engaging_burst", s, w["engaging_burst"] * s,
                              f"created {bb.bin} with {bb.n_created - 1} other accounts; {bb.n_engaging} of"
                              f" them ({s:.0%}) engage the operation's core, against {bb.base_rate:.2%} of all"
                              f" accounts ({bb.lift:.0f}x): a creation burst of the operation",
                              {"bin": bb.bin, "unit": unit, "n_created": bb.n_created,
                               "n_engaging": bb.n_engaging, "base_rate": round(bb.base_rate, 5),
                               "lift": round(bb.lift, 1)}))
    cs = 2 * camp_score - 1
    if not is_member and not audience and not sync:
        cs *= max(share, (burst_bin[0].n_engaging / burst_bin[0].n_created) if burst_bin else 0.0)
    items.append(Evidence("campaign", cs, w["campaign"] * cs,
                          f"campaign {cid} scores {camp_score:.2f} as an operation", {"campaign_score": camp_score}))
    if infra:
        s = 1.0 if ("ip" in infra or "device" in infra) else 0.6
        words = ", ".join(f"{k} with {n}" for k, n in sorted(infra.items()))
        items.append(Evidence("infra_campaign", s, w["infra_campaign"] * s,
                              f"shares access infrastructure with accounts of campaign {cid} ({words})", infra))
    if burst:
        s = min(1.0, burst / 10)
        items.append(Evidence("burst_campaign", s, w["burst_campaign"] * s,
                              f"created on the same day as {burst} other accounts of campaign {cid}",
                              {"same_day": burst}))
    return items


def _secs(n: int) -> str:
    return f"{n} s" if abs(n) < 600 else (f"{n / 60:.0f} min" if abs(n) < 7200 else f"{n / 3600:.1f} h")


def _act_dict(act: Any) -> dict[str, Any]:
    if act is None:
        return {}
    return {"n_actions": act.n_actions, "n_engage": act.n_engage, "n_original": act.n_original,
            "to_campaign": act.to_campaign, "received_from_campaign": act.received_from_campaign}
