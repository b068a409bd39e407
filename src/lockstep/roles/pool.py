"""Pool an operation that the clustering split into several flagged campaigns, so that it is
judged as one (its pooled working hours, profiles and infrastructure), never lifting an
unflagged (authentic) campaign."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from lockstep.roles.features import Activity, activity
from lockstep.roles.score import Evidence, Scored
from lockstep.store.workspace import Workspace

POOL_MIN_ENGAGERS = 2


def pool_operations(ws: Workspace, camp: dict[str, Any], by_camp: dict[str, list[str]], pool: set[str],
                    judge: Callable[[list[str]], Scored]) -> dict[str, Any]:
    """One operation split by the clustering into several flagged campaigns is judged as one:
    flagged campaigns whose members engage each other's accounts or posts (at least
    ``POOL_MIN_ENGAGERS`` members, or a fifth of the smaller one) are joined, and each keeps the
    better of its own score and the pooled one. Only flagged campaigns are pooled, so an
    authentic community can never be lifted by an operation that engages it. ``judge`` scores
    a list of accounts as one campaign (``roles.campaign.campaign_score`` on their facts)."""
    if len(pool) < 2:
        return camp
    ordered = sorted(pool)  # not set order, which changes from run to run with the hash seed
    members = {a: c for c in ordered for a in by_camp[c]}
    acts = activity(ws, members)
    links: dict[tuple[str, str], int] = defaultdict(int)
    for acc, cid in members.items():
        for other in acts.get(acc, Activity()).to_campaign:
            if other != cid and other in pool:
                links[(cid, other) if cid < other else (other, cid)] += 1
    parent = {c: c for c in ordered}

    def find(c: str) -> str:
        while parent[c] != c:
            c = parent[c]
        return c
    for (a, b), n in links.items():
        if n >= max(POOL_MIN_ENGAGERS, 0.2 * min(len(by_camp[a]), len(by_camp[b]))):
            parent[find(a)] = find(b)
    comps: dict[str, list[str]] = defaultdict(list)
    for c in ordered:
        comps[find(c)].append(c)
    out = dict(camp)
    for cids in comps.values():
        if len(cids) < 2:
            continue
        ms = [m for c in cids for m in by_camp[c]]
        pooled = judge(ms)
        pooled.evidence.insert(0, Evidence("pooled", 1.0, 0.0, f"judged as one operation with campaigns"
                                           f" {', '.join(sorted(cids))} ({len(ms)} accounts), whose members"
                                           " engage each other's accounts and posts", {"campaigns": sorted(cids)}))
        for c in cids:
            if pooled.score > camp[c].score:
                out[c] = pooled
    return out
