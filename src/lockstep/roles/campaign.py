"""Is this campaign an operation? One verdict from the combination of independent kinds of
evidence, none of which decides alone.

Kinds: coordination strength (how densely the members co-act), working time (office hours in
any zone, or a shift rota covering the clock), shared infrastructure, throwaway profiles,
creation bursts, repurposed accounts, a rare client, and, as context only, persona claims and
little-known domains. Each is ``weight * strength`` log-odds points on one bias
(``roles.weights``); no weight reaches the bias, so no one kind flags a campaign alone, and a
campaign is flagged only when at least ``MIN_KINDS`` behavioural kinds add real points
(``MIN_KIND_POINTS`` each). Removing any one kind therefore lowers the score without zeroing
it, and an operation strong on the rest stays flagged. Counter-evidence: members whose
profiles declare them automated (a feed that says it is a bot is not posing as a person).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from lockstep.accounts import CONTENT_SIGNALS, Finding
from lockstep.accounts.activity import describe_zone, office_hours, workweek_strength
from lockstep.accounts.base import pct
from lockstep.accounts.worktime import ShiftRota
from lockstep.roles import weights as W
from lockstep.roles.score import Evidence, Scored, combine

PROFILE_SIGNALS = ("handle_pattern", "empty_profile", "follower_shape")
MIN_KINDS = 2
MIN_KIND_POINTS = 0.5
#: kinds about who the members are (accounts, infrastructure, personas), not about when or
#: with whom they act; a flag needs one of them (see :func:`corroborated`)
IDENTITY_KINDS = frozenset({"infra", "fake_profiles", "creation_burst", "repurposed", "client", "persona"})
# an established outlet: verified, or widely followed and years old before it acted here
ESTABLISHED_FOLLOWERS = 20_000
ESTABLISHED_DAYS = 5 * 365


def established(followers: int | None, verified: bool | None, age_days: float | None) -> str | None:
    """Why an account counts as an established source (words), or None: a persona is young and
    small; an outlet that feeds and fans amplify is old and widely followed, or verified."""
    if verified:
        return "verified"
    if followers is not None and followers >= ESTABLISHED_FOLLOWERS and age_days is not None \
            and age_days >= ESTABLISHED_DAYS:
        return f"{followers:,} followers, {age_days / 365:.0f} years old"
    return None


def coordination_strength(coord: Mapping[str, Any] | None) -> float:
    """0..1 for one member: log of its coordination partners (a member with no listed edge,
    pruned from edges.csv, counts half)."""
    deg = int((coord or {}).get("degree", 0))
    return min(1.0, math.log1p(deg) / math.log(11)) if deg else 0.5


def campaign_score(members: list[str], findings: dict[str, list[Finding]], hists: dict[str, np.ndarray],
                   infra: dict[str, dict[str, int]], coordination: Mapping[str, Mapping[str, Any]] | None = None,
                   rota: ShiftRota | None = None, declared: Mapping[str, str] | None = None,
                   sources: Mapping[str, str | None] | None = None) -> Scored:
    """Score a campaign from its members' findings, pooled working hours (``hists``: UTC
    hour-of-week per member), shift rota (``rota``), infrastructure shared between members
    (``infra``), coordination (``coordination``: per member, as ``roles.inputs``) and
    declared automation (``declared``: member -> the words) and the standing of the members
    the campaign amplifies (``sources``: member engaged by its campaign -> why it is an
    established outlet, or None); never on content alone."""
    n = max(len(members), 1)
    w = W.CAMPAIGN_WEIGHTS

    def share(sig: str) -> float:
        return sum(1 for m in members if any(f.signal == sig for f in findings.get(m, []))) / n

    items: list[Evidence] = []
    if coordination is not None:
        s = float(np.mean([coordination_strength(coordination.get(m)) for m in members])) if members else 0.0
        deg = sorted(int((coordination.get(m) or {}).get("degree", 0)) for m in members)
        items.append(Evidence("coordination", s, w["coordination"] * s,
                              f"members co-act with a median of {deg[len(deg) // 2] if deg else 0} other members"
                              f" (strength {s:.2f})", {"median_degree": deg[len(deg) // 2] if deg else 0}))
    items.append(_working_time(members, hists, rota))
    s = sum(1 for m in members if m in infra) / n
    items.append(Evidence("infra", s, w["infra"] * s,
                          f"{pct(s)} of members share an IP, network or device with another member"))
    fake = [max([f.strength for f in findings.get(m, []) if f.signal in PROFILE_SIGNALS] or [0.0]) for m in members]
    s = float(np.mean(fake)) if fake else 0.0
    items.append(Evidence("fake_profiles", s, w["fake_profiles"] * s,
                          f"members' profiles look throwaway with mean strength {s:.2f}"
                          " (generated handles, empty profiles, no followers)"))
    for key, sig, words in (("creation_burst", "creation_burst", "were created in bursts"),
                            ("repurposed", "repurposed", "are repurposed accounts"),
                            ("client", "client_mix", "post through a rare client"),
                            ("domains", "shared_domains", "link little-known domains")):
        s = share(sig)
        if s > 0:
            items.append(Evidence(key, s, w[key] * s, f"{pct(s)} of members {words}",
                                  content=sig in CONTENT_SIGNALS))
    personas = [m for m in members if any(f.signal == "news_persona" for f in findings.get(m, []))]
    if personas:
        items.append(Evidence("persona", 1.0, w["persona"], f"{len(personas)} member(s) pose as news"
                              f" outlets: {', '.join(personas[:3])}", content=True))
    bots = [m for m in members if m in (declared or {})]
    if bots:
        s = len(bots) / n
        said = sorted({(declared or {})[m] for m in bots})
        items.append(Evidence("declared_automation", s, w["declared_automation"] * s,
                              f"{pct(s)} of members declare themselves automated in their profile"
                              f" ({', '.join(repr(x) for x in said[:3])}): labelled bots, not posing as people",
                              {"accounts": bots[:10]}))
    amplified = [m for m in members if m in (sources or {})]
    if amplified:
        est = [m for m in amplified if (sources or {})[m]]
        s = len(est) / len(amplified)
        if est:
            shown = "; ".join(f"{m} ({(sources or {})[m]})" for m in est[:3])
            items.append(Evidence("established_sources", s, w["established_sources"] * s,
                                  f"{len(est)} of the {len(amplified)} members the campaign amplifies are established"
                                  f" outlets ({shown}): it amplifies sources with an audience of their own,"
                                  " not a hidden core", {"established": est[:10], "amplified": len(amplified)}))
    return corroborated(combine(W.CAMPAIGN_BIAS, _timing_needs_identity(items)))


def _timing_needs_identity(items: list[Evidence]) -> list[Evidence]:
    """Working time adds its points only beside evidence about who the members are
    (``IDENTITY_KINDS`` with ``MIN_KIND_POINTS``): an office-hours or shift pattern says that
    employees may run the accounts, which means something once the accounts themselves look
    fabricated, shared or repurposed; an authentic crowd reacting to a weekday event (SNAP
    Higgs, July 2012) keeps European office hours too, and on coordination plus its own
    timing alone it would otherwise read as an operation. The item stays in the evidence
    with its strength, at 0 points, saying why."""
    if any(e.item in IDENTITY_KINDS and e.points >= MIN_KIND_POINTS for e in items):
        return items
    out = []
    for e in items:
        if e.item in ("office_hours", "shift_rota") and e.points > 0:
            e = Evidence(e.item, e.strength, 0.0, e.text + " (counts only beside evidence about the accounts"
                         " themselves: infrastructure, profiles, creation, repurposing, client, personas;"
                         " none here)", {**e.value, "uncounted_points": round(e.points, 3)}, e.content)
        out.append(e)
    return out


def corroborated(scored: Scored) -> Scored:
    """Cap the score below the line unless at least ``MIN_KINDS`` behavioural kinds add
    ``MIN_KIND_POINTS`` each (one strong signal is a lead, not a verdict), and unless one kind
    with those points is about who the members are (``IDENTITY_KINDS``: infrastructure,
    throwaway or mass-created or repurposed accounts, a rare client, a persona).

    Why the second condition: coordination and working time both describe *when and with
    whom* members act, and an authentic crowd reacting to a weekday event (SNAP Higgs, the
    July 2012 announcement: co-retweet rings active in European office hours) shows both.
    What sets an operation apart is the accounts themselves; without any such evidence a
    campaign stays a coordinated community, reported, not flagged."""
    strong = [e for e in scored.evidence if e.points >= MIN_KIND_POINTS]
    kinds = [e.item for e in strong if not e.content]
    identity = [e.item for e in strong if e.item in IDENTITY_KINDS]
    if scored.score >= W.FLAG_THRESHOLD and len(kinds) < MIN_KINDS:
        scored.evidence.append(Evidence("corroboration", 0.0, 0.0,
                                        f"only {len(kinds)} kind of evidence ({', '.join(kinds) or 'none'}) adds"
                                        f" {MIN_KIND_POINTS} points or more; {MIN_KINDS} are needed to flag",
                                        {"kinds": kinds}))
        scored.score = min(scored.score, W.FLAG_THRESHOLD - 1e-3)
    elif scored.score >= W.FLAG_THRESHOLD and not identity:
        scored.evidence.append(Evidence("corroboration", 0.0, 0.0,
                                        f"{', '.join(kinds)} say how the members act, but no evidence says the"
                                        " accounts are not what they seem (shared infrastructure, throwaway,"
                                        " mass-created or repurposed accounts, a rare client, a persona):"
                                        " a coordinated community, not an operation",
                                        {"kinds": kinds, "identity_kinds": []}))
        scored.score = min(scored.score, W.FLAG_THRESHOLD - 1e-3)
    return scored


def _working_time(members: list[str], hists: dict[str, np.ndarray], rota: ShiftRota | None) -> Evidence:
    """Office hours in the best zone (item ``office_hours``), or a shift rota (item
    ``shift_rota``), whichever is stronger: one kind of evidence, one weight."""
    w = W.CAMPAIGN_WEIGHTS["working_time"]
    pooled = sum((hists[m] for m in members if m in hists), np.zeros(168))
    office = None
    if pooled.sum() >= 20:
        off, sh, wk = office_hours(pooled)
        s = workweek_strength(sh, wk)
        office = Evidence("office_hours", s, w * s, f"{pct(sh)} of the members' {int(pooled.sum())} actions fall"
                          f" in {describe_zone(off)}; {pct(wk)} at weekends",
                          {"pattern": "office_hours", "utc_offset": off, "office_share": round(sh, 3),
                           "weekend_share": round(wk, 3)})
    if rota is not None and rota.strength > (office.strength if office else 0.0):
        wk = float(pooled[120:].sum() / pooled.sum()) if pooled.sum() else 0.0
        return Evidence("shift_rota", rota.strength, w * rota.strength, f"{rota.text()}; {pct(wk)} of actions"
                        " at weekends", {"pattern": "shift_rota", **rota.to_dict(), "weekend_share": round(wk, 3)})
    return office or Evidence("office_hours", 0.0, 0.0, "too few actions to judge working time")
