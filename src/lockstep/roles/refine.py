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
from collections.abc import Callable
from functools import partial
from typing import Any

from lockstep.accounts.worktime import shift_rota
from lockstep.detect.evidence import chance_words
from lockstep.detect.result import DetectResult
from lockstep.gcpause import no_cycle_collection
from lockstep.roles import weights as W
from lockstep.roles.assign import assign_role
from lockstep.roles.campaign import campaign_score
from lockstep.roles.entries import FastEntry, InfraEntry
from lockstep.roles.expand import entered, expand, sync_with_core
from lockstep.roles.features import AudienceEntry, burst_with_group, shared_access_with_group
from lockstep.roles.gather import gather
from lockstep.roles.params import DEFAULTS
from lockstep.roles.pool import pool_operations
from lockstep.roles.result import AccountVerdict, CampaignVerdict, RolesResult
from lockstep.roles.score import Evidence, Scored, combine, finding_evidence, own_points
from lockstep.roles.synchrony import SyncStat, engagement_details
from lockstep.store.queries.parallel import run_parallel
from lockstep.store.queries.shared import shared_passes
from lockstep.store.workspace import Workspace

__all__ = ["refine"]


def refine(ws: Workspace, det: DetectResult, params: dict[str, Any] | None = None) -> RolesResult:
    """Judge every account of ``det`` (and the accounts around its campaigns) as inauthentic
    or not, with roles and calibrated scores, and expand operations to the amplifiers that
    coordination edges cannot see. ``params``: :data:`lockstep.roles.params.DEFAULTS` keys.

    The whole-table passes its queries share (engagement edges, action counts) are made once
    for the run and dropped at the end (``lockstep.store.queries.shared``)."""
    with shared_passes(ws), no_cycle_collection():
        return _refine(ws, det, params)


def _refine(ws: Workspace, det: DetectResult, params: dict[str, Any] | None) -> RolesResult:
    p = {**DEFAULTS, **(params or {})}
    members = det.members()
    # the account signals, the members' facts and the passes expansion reads: side by side
    g = gather(ws, det, members, p["signals"])
    findings, coordination, hists, member_infra, weekly, declared, sources = (
        g.findings, g.coordination, g.hists, g.infra, g.weekly, g.declared, g.sources)
    by_camp: dict[str, list[str]] = defaultdict(list)
    for acc, member_of in members.items():
        by_camp[member_of].append(acc)

    def judge(ms: list[str]) -> Scored:
        return campaign_score(ms, findings, hists, {m: member_infra[m] for m in ms if m in member_infra},
                              coordination, shift_rota(r for m in ms for r in weekly.get(m, ())), declared, sources)
    camp = {c: judge(ms) for c, ms in by_camp.items()}
    pool = {c for c, s in camp.items() if s.flagged}  # only operations are expanded
    camp = pool_operations(ws, camp, by_camp, pool, judge)
    _report_chance(camp, {c.id: c.p_chance for c in det.campaigns})
    ex = expand(ws, members, findings, p, pool)
    group, origin, cands, acts, bins, sync = ex.group, ex.origin, ex.cands, ex.acts, ex.bins, ex.sync
    sync.update({a: st for a, st in sync_with_core(ws, members, pool, p, include_group=True).items()
                 if a in members and a not in sync})
    op_group = {a: c for a, c in group.items() if c in pool}
    order = [a.account_id for a in det.accounts]
    seen = set(order)
    order += [a for a in cands if a not in seen]
    expanded: dict[str, list[str]] = defaultdict(list)
    # the grown group's infrastructure, creation days and engagement details: side by side
    tail: list[Callable[[Workspace], Any]] = [
        partial(shared_access_with_group, group=group), partial(burst_with_group, group=group),
        partial(engagement_details, group=op_group, accounts=[a for a in order if a in group])]
    got = run_parallel(ws, tail)
    infra: dict[str, dict[str, int]] = got[0]
    bursts: dict[str, int] = got[1]
    details: dict[str, list[dict[str, Any]]] = got[2]
    verdicts: dict[str, AccountVerdict] = {}
    for acc in order:
        cid = group.get(acc)
        items = finding_evidence(findings.get(acc, []))
        act = acts.get(acc)
        if cid is not None:
            items += _campaign_items(acc, cid, acc in members, act, camp[cid].score if cid in camp else 0.5,
                                     coordination.get(acc), infra.get(acc), bursts.get(acc),
                                     origin.get(acc), pool, bins.get(acc), sync.get(acc), details.get(acc),
                                     entered(ex.entries.get(acc, set())))
            # entry evidence counts for the accounts the entries took in, not as extra points
            # for an account judged on the other rules
            items += _entry_items(acc in members or not entered(ex.entries.get(acc, set())),
                                  ex.infra_entry.get(acc), ex.fast.get(acc), declared.get(acc))
        scored = combine(W.ACCOUNT_BIAS, items)
        flagged = scored.flagged and cid is not None
        note = None
        if flagged and cid in camp and not camp[cid].flagged:
            # one verdict: coordination inside a campaign judged authentic is not inauthenticity
            flagged, note = False, f"campaign {cid} is not judged an operation ({camp[cid].score:.2f})"
        if acc in cands and (not flagged or (own_points(items) < W.MIN_OWN_POINTS_TO_EXPAND
                                             and not entered(ex.entries.get(acc, set())))):
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


def _campaign_items(acc: str, cid: str, is_member: bool, act: Any, camp_score: float,
                    coord: dict[str, Any] | None, infra: dict[str, int] | None,
                    burst: int | None, audience: AudienceEntry | None = None,
                    pool: frozenset[str] | set[str] = frozenset(),
                    burst_bin: tuple[Any, str] | None = None, sync: SyncStat | None = None,
                    details: list[dict[str, Any]] | None = None, entered: bool = False) -> list[Evidence]:
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
        s = audience.share
        items.append(Evidence("audience", s, w["audience"] * s, audience.text(), audience.to_dict()))
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
    if not is_member and not audience and not sync and not entered:
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


def _entry_items(is_member: bool, infra: InfraEntry | None, fast: FastEntry | None,
                 declared: str | None) -> list[Evidence]:
    """Evidence of the infrastructure and fast-engagement entries (accounts those entries took
    in; ``is_member`` for the others: members are judged on coordination), and of a profile
    that declares automation."""
    w = W.ACCOUNT_WEIGHTS
    items = []
    if infra is not None and not is_member:
        s = min(1.0, infra.share)
        items.append(Evidence("engaging_infra", s, w["engaging_infra"] * s, infra.text(), infra.to_dict()))
    if fast is not None and not is_member:
        s = fast.n_fast / fast.n_core
        items.append(Evidence("fast_engagement", s, w["fast_engagement"] * s, fast.text(), fast.to_dict()))
    if declared:
        items.append(Evidence("declared_automation", 1.0, w["declared_automation"],
                              f"its profile declares it automated ({declared!r}): a labelled bot",
                              {"words": declared}))
    return items


def _secs(n: int) -> str:
    return f"{n} s" if abs(n) < 600 else (f"{n / 60:.0f} min" if abs(n) < 7200 else f"{n / 3600:.1f} h")


def _act_dict(act: Any) -> dict[str, Any]:
    if act is None:
        return {}
    return {"n_actions": act.n_actions, "n_engage": act.n_engage, "n_original": act.n_original,
            "to_campaign": act.to_campaign, "received_from_campaign": act.received_from_campaign}


def _report_chance(camp: dict[str, Scored], chance: dict[str, float | None]) -> None:
    """Add detection's chance probability of each campaign's coordination (its edges arising
    among the pairs tested by chance alone, ``Campaign.p_chance``) to the coordination item of
    its verdict: the evidence says how far from chance the coordination is, not only how dense."""
    for cid, scored in camp.items():
        p = chance.get(cid)
        if p is None:
            continue
        for e in scored.evidence:
            if e.item == "coordination" and "p_chance" not in e.value:  # a pooled verdict is shared
                e.text += f"; chance of this coordination under the null model {chance_words(p)}"
                e.value["p_chance"] = float(f"{p:.3g}")
