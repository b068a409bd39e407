"""What the roles stage returns: :class:`RolesResult`, one verdict per account and per
campaign, each with the evidence it rests on. Nothing here is written anywhere; the only
writer is :mod:`lockstep.outputs`.

Why separate from detection: detection says which accounts act together (coordinated);
roles says which of them, and which accounts around them, are inauthentic (flagged), and
in what role. Coordination is not inauthenticity: a protest community coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lockstep.roles.score import Evidence


@dataclass(frozen=True)
class AccountVerdict:
    """The roles decision on one account: ``flagged`` (inauthentic) with its ``role``
    (core, amplifier, persona; "" when not flagged), a calibrated ``score`` and the
    evidence items that make it up."""

    account_id: str
    campaign_id: str | None  # detect's campaign, or the one it was expanded into
    role: str
    role_reason: str
    score: float
    flagged: bool
    behaviour_score: float
    expanded: bool  # engages a campaign's core without being a detect member
    evidence: tuple[Evidence, ...]
    note: str | None = None
    activity: dict[str, Any] = field(default_factory=dict)
    detailed: bool = True  # kept in account_evidence.json (in a campaign, or a finding of its own)

    @property
    def summary(self) -> str:
        """The three strongest positive evidence items in plain words (accounts.csv)."""
        return " | ".join(e.text for e in self.evidence[:3] if e.points > 0)

    def to_dict(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "campaign_id": self.campaign_id, "role": self.role,
                "role_reason": self.role_reason, "score": round(self.score, 4), "flagged": self.flagged,
                "behaviour_score": round(self.behaviour_score, 4), "expanded": self.expanded,
                "note": self.note, "activity": self.activity,
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True)
class CampaignVerdict:
    """Whether a campaign is judged an operation, with the evidence, and the amplifiers
    expansion attached to it."""

    campaign_id: str
    score: float
    flagged: bool
    evidence: tuple[Evidence, ...]
    expanded_amplifiers: tuple[str, ...] = ()


@dataclass
class RolesResult:
    """Verdicts for every account of the pruned graph plus the accounts expansion added
    (in that order), and for every campaign; ``params`` are the values used."""

    accounts: dict[str, AccountVerdict]
    campaigns: dict[str, CampaignVerdict]
    params: dict[str, Any]

    @property
    def flagged(self) -> list[AccountVerdict]:
        return [v for v in self.accounts.values() if v.flagged]
