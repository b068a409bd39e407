"""What detection returns: :class:`DetectResult`, the campaigns and every account of the
pruned graph with its coordination evidence. Nothing here is written anywhere; the only
writer is :mod:`lockstep.outputs`.

Why an object and not files: the roles stage, cases, reports, sharing and the console all
read detection in-process; passing results through CSV made one run's outputs disagree
with each other (a stage re-parsed and rewrote what another had written).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from lockstep.graph.fuse import AccountGraph


@dataclass(frozen=True)
class Campaign:
    """A cluster of accounts that passed the campaign thresholds: its members (strongest
    first) and what links them."""

    id: str
    members: tuple[str, ...]
    signals: dict[str, int]  # per signal: edges inside the campaign
    n_edges: int
    total_weight: float
    density: float
    mean_dt_seconds: float | None
    n_shared_items: int
    top_items: tuple[str, ...]
    #: chance that its tested edges (those with p_chance) arise among the pairs tested by
    #: chance alone (lockstep.detect.significance.campaign_chance); None: no tested edge
    p_chance: float | None = None

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"n_edges": self.n_edges, "total_weight": round(self.total_weight, 4),
               "density": round(self.density, 4), "mean_dt_seconds": self.mean_dt_seconds,
               "n_shared_items": self.n_shared_items, "top_items": list(self.top_items)}
        if self.p_chance is not None:
            out["p_chance"] = float(f"{self.p_chance:.3g}")
        return out


@dataclass(frozen=True)
class CoordinatedAccount:
    """One vertex of the pruned graph. ``campaign_id`` is None when its edges did not make
    it part of a campaign; ``score`` is its campaign-internal strength relative to the
    strongest member (0 outside campaigns)."""

    account_id: str
    campaign_id: str | None
    score: float
    evidence: str  # plain words: per signal, shared items with how many accounts

    @property
    def coordinated(self) -> bool:
        return self.campaign_id is not None


@dataclass
class DetectResult:
    """One detection run's answer.

    ``edges`` are the pruned per-signal edges with their evidence lists, in the order they are
    written (heaviest first); ``accounts`` every vertex of the pruned graph, campaign members
    first; ``record`` the full parameters, as replayed from params.json."""

    record: dict[str, Any]
    sources: dict[str, str]
    data_window: dict[str, Any]
    edges: pa.Table
    graph: AccountGraph
    campaigns: list[Campaign]
    accounts: list[CoordinatedAccount]
    graph_selection: np.ndarray | None | bool  # graph files: None all edges, indices, False none
    signals: dict[str, Any] = field(default_factory=dict)  # per signal: edges, seconds
    steps: dict[str, Any] = field(default_factory=dict)  # per step: counts, seconds
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def members(self) -> dict[str, str]:
        """account id -> campaign id for every campaign member."""
        return {m: c.id for c in self.campaigns for m in c.members}

    def campaign(self, cid: str) -> Campaign:
        for c in self.campaigns:
            if c.id == cid:
                return c
        raise KeyError(cid)

    @property
    def n_coordinated(self) -> int:
        return sum(len(c.members) for c in self.campaigns)
