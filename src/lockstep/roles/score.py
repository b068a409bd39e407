"""Turn findings and behaviour into one score per account and per campaign, each with
the evidence list that makes it up (item, strength, points, plain words). The campaign
verdict is in ``roles.campaign``.

Content is context, never the sole reason: points from content signals are shown, but an
account whose behavioural points alone stay under the threshold is not flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from lockstep.accounts import CONTENT_SIGNALS, Finding
from lockstep.roles import weights as W


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


# Evidence that is about the campaign, or an expansion entry (entries are counted as entries,
# ``roles.expand.entered``, never as the account's own signals agreeing)
NOT_OWN = frozenset({"coordination", "engagement", "campaign", "fast_engagement", "engaging_infra"})


def own_points(items: list[Evidence]) -> float:
    """Points from the account's own (non-content) signals: what must 'agree' to expand."""
    return sum(e.points for e in items if e.item in W.ACCOUNT_WEIGHTS and not e.content
               and e.item not in NOT_OWN)
