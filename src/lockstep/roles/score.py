"""Turn findings and behaviour into one score per account and per campaign, each with
the evidence list that makes it up (item, strength, points, plain words).

Content is context, never the sole reason: points from content signals are shown, but an
account whose behavioural points alone stay under the threshold is not flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lockstep.accounts import CONTENT_SIGNALS, Finding
from lockstep.accounts.activity import describe_zone, office_hours, workweek_strength
from lockstep.accounts.base import pct
from lockstep.roles import weights as W

PROFILE_SIGNALS = ("handle_pattern", "empty_profile", "follower_shape")


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


@dataclass
class Evidence:
    item: str
    strength: float
    points: float
    text: str
    value: dict[str, Any] = field(default_factory=dict)
    content: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "strength": round(self.strength, 3), "points": round(self.points, 2),
                "text": self.text, "value": self.value, "content": self.content}


@dataclass
class Scored:
    score: float
    behaviour_score: float
    evidence: list[Evidence]
    logit: float

    @property
    def flagged(self) -> bool:
        return self.score >= W.FLAG_THRESHOLD and self.behaviour_score >= W.FLAG_THRESHOLD


def combine(bias: float, items: list[Evidence]) -> Scored:
    total = bias + sum(e.points for e in items)
    behaviour = total - sum(e.points for e in items if e.content)
    score = sigmoid(total)
    b_score = sigmoid(behaviour)
    if b_score < W.FLAG_THRESHOLD:  # content may not carry an account over the line
        score = min(score, W.FLAG_THRESHOLD - 1e-3)
    items = sorted(items, key=lambda e: -abs(e.points))
    return Scored(score, b_score, items, total)


def finding_evidence(findings: list[Finding]) -> list[Evidence]:
    out = []
    for f in findings:
        w = W.ACCOUNT_WEIGHTS.get(f.signal, 0.0)
        out.append(Evidence(f.signal, f.strength, w * f.strength, f.text, f.value,
                            f.signal in CONTENT_SIGNALS))
    return out


def own_points(items: list[Evidence]) -> float:
    """Points from the account's own (non-content) signals: what must 'agree' to expand."""
    return sum(e.points for e in items if e.item in W.ACCOUNT_WEIGHTS and not e.content
               and e.item not in ("coordination", "engagement", "campaign"))


def campaign_score(members: list[str], findings: dict[str, list[Finding]],
                   hists: dict[str, np.ndarray], infra: dict[str, dict[str, int]]) -> Scored:
    """Is this cluster an operation or authentic coordination? Judged on the members'
    account signals, pooled working hours and shared infrastructure, never on content."""
    n = max(len(members), 1)

    def share(sig: str) -> float:
        return sum(1 for m in members if any(f.signal == sig for f in findings.get(m, []))) / n

    items: list[Evidence] = []
    pooled = sum((hists[m] for m in members if m in hists), np.zeros(168))
    if pooled.sum() >= 20:
        off, sh, wk = office_hours(pooled)
        s = workweek_strength(sh, wk)
        items.append(Evidence("office_hours", s, W.CAMPAIGN_WEIGHTS["office_hours"] * s,
                              f"{pct(sh)} of the members' {int(pooled.sum())} actions fall in"
                              f" {describe_zone(off)}; {pct(wk)} at weekends",
                              {"utc_offset": off, "office_share": round(sh, 3), "weekend_share": round(wk, 3)}))
    s = sum(1 for m in members if m in infra) / n
    items.append(Evidence("infra", s, W.CAMPAIGN_WEIGHTS["infra"] * s,
                          f"{pct(s)} of members share an IP, network or device with another member"))
    fake = [max([f.strength for f in findings.get(m, []) if f.signal in PROFILE_SIGNALS] or [0.0])
            for m in members]
    s = float(np.mean(fake)) if fake else 0.0
    items.append(Evidence("fake_profiles", s, W.CAMPAIGN_WEIGHTS["fake_profiles"] * s,
                          f"members' profiles look throwaway with mean strength {s:.2f}"
                          " (generated handles, empty profiles, no followers)"))
    for key, sig, words in (("creation_burst", "creation_burst", "were created in bursts"),
                            ("repurposed", "repurposed", "are repurposed accounts"),
                            ("client", "client_mix", "post through a rare client"),
                            ("domains", "shared_domains", "link little-known domains")):
        s = share(sig)
        if s > 0:
            items.append(Evidence(key, s, W.CAMPAIGN_WEIGHTS[key] * s, f"{pct(s)} of members {words}",
                                  content=sig in CONTENT_SIGNALS))
    personas = [m for m in members if any(f.signal == "news_persona" for f in findings.get(m, []))]
    if personas:
        items.append(Evidence("persona", 1.0, W.CAMPAIGN_WEIGHTS["persona"],
                              f"{len(personas)} member(s) pose as news outlets: {', '.join(personas[:3])}",
                              content=True))
    return combine(W.CAMPAIGN_BIAS, items)
