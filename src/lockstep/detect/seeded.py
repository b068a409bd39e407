"""A :class:`DetectResult` from campaigns found elsewhere: another tool's clusters, a
reviewer's list, a hand-made fixture. The roles stage and the outputs then work on them
exactly as on detection's own campaigns.

Why: a campaign is a set of accounts plus the edges that link them; where they came from
does not change how their accounts are judged.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lockstep.detect.campaigns import mean_incident_dt, summarise
from lockstep.detect.evidence import evidence_text, signal_breakdown
from lockstep.detect.result import Campaign, CoordinatedAccount, DetectResult
from lockstep.graph.cluster import Cluster
from lockstep.graph.fuse import fuse


def result_from_campaigns(campaigns: dict[str, list[str]], edges: pa.Table,
                          other_accounts: list[str] | None = None,
                          record: dict[str, object] | None = None) -> DetectResult:
    """Campaigns given as id -> members (in that order), linked by per-signal ``edges``
    (account_a, account_b, signal, weight, n_shared, mean_dt_seconds); ``other_accounts``
    are listed after the members with no campaign."""
    ag = fuse(edges)
    index = {n: i for i, n in enumerate(ag.names)}
    clusters = []
    for ms in campaigns.values():
        verts = [index[m] for m in ms if m in index]
        inside = np.isin(ag.src, verts) & np.isin(ag.dst, verts)
        n = len(verts)
        clusters.append(Cluster(verts, int(inside.sum()), float(ag.weight[inside].sum()),
                                float(inside.sum() / (n * (n - 1) / 2)) if n > 1 else 0.0))
    view = summarise(ag, clusters, edges)
    breakdown = signal_breakdown(edges)
    dts = mean_incident_dt(ag).tolist()
    score = {ag.names[v]: view.score[v] for v in range(ag.n_vertices)}
    camps, accounts = [], []
    for i, (cid, ms) in enumerate(campaigns.items()):
        c = clusters[i]
        camps.append(Campaign(id=cid, members=tuple(ms), signals=view.signals[i], n_edges=c.n_edges,
                              total_weight=c.weight, density=c.density, mean_dt_seconds=view.mean_dt[i],
                              n_shared_items=view.n_shared[i], top_items=tuple(view.top_items[i])))
        for m in ms:
            v = index.get(m)
            dt = dts[v] if v is not None else None
            accounts.append(CoordinatedAccount(m, cid, score.get(m, 0.0),
                                               evidence_text(breakdown.get(m, {}), None if dt is None or dt != dt else dt)))
    listed = {a.account_id for a in accounts}
    for name in [*ag.names, *(other_accounts or [])]:
        if name not in listed:
            listed.add(name)
            accounts.append(CoordinatedAccount(name, None, 0.0, evidence_text(breakdown.get(name, {}), None)))
    return DetectResult(record=dict(record or {}), sources={}, data_window={}, edges=edges, graph=ag,
                        campaigns=camps, accounts=accounts, graph_selection=None)
