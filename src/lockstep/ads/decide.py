"""Turn an advertiser's hits into a decision, with the rule that made it and the evidence.

The rules (names from the policy file): no hit -> ``no-match``; only weak hits, or a name
hit while the advertiser's own domain and handles matched nothing -> ``weak-match``; strong
hits on entries the policy decides differently -> ``conflicting-matches``; otherwise the
rule for the matched entries' typology (``state-editorial-control``, ``independent-public-media``,
``independent-state-funded``, or ``uncertain-typology`` for a missing or uncertain code).
"""

from __future__ import annotations

from dataclasses import dataclass

from lockstep.ads.matching import Advertiser, Hit, Matcher
from lockstep.ads.policy import Policy

COLUMNS = ("advertiser", "decision", "rule", "matched_entry", "evidence")


@dataclass(frozen=True)
class Decision:
    """One advertiser's decision; the first five fields are the columns of decisions.csv."""

    advertiser: str
    decision: str
    rule: str
    matched_entry: str
    evidence: str
    line: int = 0
    entries: tuple[str, ...] = ()   # every entry that matched strongly (state media, whatever the decision)

    def row(self) -> tuple[str, str, str, str, str]:
        return (self.advertiser, self.decision, self.rule, self.matched_entry, self.evidence)


def versions(policy: Policy, registry_version: str) -> str:
    return f"policy {policy.name} {policy.version}; registry {registry_version}"


def decide(adv: Advertiser, hits: list[Hit], policy: Policy, matcher: Matcher) -> Decision:
    """The decision for one advertiser from the hits of its first matching stage."""
    stamp = versions(policy, matcher.registry.version)

    def out(rule: str, matched: list[str], evidence: list[str], entries: tuple[str, ...] = ()) -> Decision:
        r = policy.rules[rule]
        text = "; ".join([*evidence, f"rule {rule}: {r.reason}" if r.reason else f"rule {rule}", stamp])
        return Decision(adv.advertiser, r.decision, rule, ";".join(matched), text, adv.line, entries)

    if not hits:
        given = ", ".join(x for x, v in (("name", adv.name.strip()), ("domain", adv.domains), ("handles", adv.handles),
                                         ("landing URLs", adv.landing_urls), ("redirects", adv.redirects)) if v)
        return out("no-match", [], [f"no registry entry matches the {given or 'advertiser'}"])
    strong = [h for h in hits if h.strong]
    ids = list(dict.fromkeys(h.entry for h in strong))
    if not strong:
        best = max(hits, key=lambda h: h.score)
        return out("weak-match", [best.entry], [h.evidence for h in hits[:3]])
    if hits[0].stage == "name" and adv.has_links():
        return out("weak-match", ids[:1], [strong[0].evidence, "but none of the advertiser's own domains, "
                                           "handles or URLs matches this entry"], tuple(ids))
    rules = {eid: policy.rule_for(matcher.entry(eid).typology) for eid in ids}
    decisions = {r.decision for r in rules.values()}
    evidence = list(dict.fromkeys(h.evidence for h in strong))[:4]
    if len(strong) > 4:
        evidence.append(f"and {len(strong) - 4} more matches")
    if len(decisions) > 1:
        parts = [f"{eid}: {r.name} -> {r.decision}" for eid, r in rules.items()]
        return out("conflicting-matches", ids, [*evidence, "entries decided differently: " + ", ".join(parts)],
                   tuple(ids))
    # Same decision everywhere: the rule of the first (strongest-stage) entry decides.
    rule = rules[ids[0]]
    return out(rule.name, ids, evidence, tuple(ids))
