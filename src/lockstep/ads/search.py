"""``lockstep ads registry search``: what a domain, handle or name matches, and what the policy says.

The same matcher as ``ads check`` answers, so a search shows exactly how a check would
see that advertiser (stage, evidence, rule), plus the near names when nothing matches exactly.
"""

from __future__ import annotations

from pathlib import Path

from lockstep.ads.check import make_matcher
from lockstep.ads.decide import decide
from lockstep.ads.domains import host_of
from lockstep.ads.matching import Advertiser
from lockstep.ads.policy import load_policy
from lockstep.ads.registry import load_registry


def search_registry(query: str, *, workspace: Path | None = None, policy_path: Path | None = None) -> list[str]:
    """Lines describing the matches of ``query`` read as a domain, a handle and a name."""
    policy = load_policy(policy_path)
    registry = load_registry(workspace)
    matcher = make_matcher(registry, policy)
    q = query.strip()
    tries = []
    if host_of(q) is not None and "." in q and not q.startswith("@"):
        tries.append(("domain", Advertiser(q, domains=[q])))
    if q.startswith("@") or ":" in q or "/" in q:
        tries.append(("handle", Advertiser(q, handles=[q])))
    tries.append(("name", Advertiser(q, name=q)))
    lines = [f"registry {registry.version}; policy {policy.label}"]
    for kind, adv in tries:
        hits = matcher.match([adv])[0]
        if not hits:
            lines.append(f"as a {kind}: no match")
            continue
        d = decide(adv, hits, policy, matcher)
        lines.append(f"as a {kind}: {d.decision} by rule {d.rule}")
        for h in hits:
            lines.append(f"  {'strong' if h.strong else 'weak'} {h.stage} match: {h.evidence}")
    return lines
