"""One confidence per match, from independent reasons.

Every reason belongs to one *family* of evidence and has a strength in 0-1:

==========  ==============================================================  ========
family      reason (strength)                                                 cap
==========  ==============================================================  ========
id          our id equals a tip asset's id (or the id in its profile URL) on   0.95
            the same platform (0.95)
name        identical moniker: handle or page vanity skeleton equals a tip    0.60
            handle (0.60); identical display name (0.50); similar name,
            similarity s >= 0.85 (0.50 * s, at most 0.49)
domain      its posts link to a tip domain or URL: 0.45 + 0.05 per further   0.60
            post (0.60 at 4); a mirror (same name, other suffix) 0.8 times
            that; a tip domain that is popular here (linked by over 2 % and
            20 of our accounts) 0.1
website     its profile (url, description) names a tip domain as its own      0.60
            site (0.55; a mirror 0.44)
text        near-duplicates of a tip text (est. Jaccard >= 0.5): 0.50 +        0.60
            0.05 per further post
behaviour   acting on a tip activity item (URL, text, hashtag) inside that    0.40
            item's activity window: 0.30 for links and texts, 0.15 for
            hashtags (+0.05 per further item)
connection  administers a matched page/group, or is administered by a matched    0.90
            account: 0.9 * c (c: the matched neighbour's confidence)
posting     a page/group matched accounts or pages post into: 0.9 * c * p    0.90
            (p: their share of its posts, c: their post-weighted mean
            confidence; at least 3 posts)
==========  ==============================================================  ========

Within a family the strongest reason counts (two name reasons are one fact seen twice);
families combine as independent evidence (noisy-OR)::

    confidence = 1 - prod over families f of (1 - min(cap_f, max strength in f))

Why these numbers: the default threshold is 0.7 and the name cap is 0.6, so a name alone,
however similar (an authentic outlet called "HK Current Affairs Today"), never reaches
it; an identical moniker (0.6) plus any moderate independent reason (>= 0.25: a domain,
a text, a link in the window, a connection) does (1 - 0.4 * 0.75 = 0.70); operation
domains (0.45) plus templated text (0.5) do (0.725); a similar name (< 0.5) plus a hashtag
(0.15) does not (0.575); a hashtag in the window (0.15) does not lift an identical handle (0.66), because
popular hashtags are shared by chance. Connections carry the matched neighbour's
confidence down (0.9 per hop), so an admin of a confirmed page is matched, and the
neighbours of a weak match are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_MIN_CONFIDENCE = 0.7
CAPS: dict[str, float] = {"id": 0.95, "name": 0.6, "domain": 0.6, "website": 0.6, "text": 0.6, "behaviour": 0.4,
                          "connection": 0.9, "posting": 0.9, "media": 0.7}
FAMILIES = tuple(CAPS)


@dataclass(frozen=True)
class Reason:
    """One piece of evidence: its family, strength and a short readable text naming the
    tip's indicator, our item and how similar."""

    family: str
    strength: float
    text: str


@dataclass
class Match:
    """One of our accounts, pages, groups or channels, with every reason found for it."""

    platform: str
    id: str
    kind: str
    name: str = ""
    reasons: list[Reason] = field(default_factory=list)

    def add(self, family: str, strength: float, text: str) -> None:
        if family not in CAPS:
            raise ValueError(f"unknown evidence family {family!r}")
        self.reasons.append(Reason(family, max(0.0, min(CAPS[family], strength)), text))

    def family_strengths(self) -> dict[str, float]:
        """The strongest reason of each family, capped."""
        out: dict[str, float] = {}
        for r in self.reasons:
            out[r.family] = min(CAPS[r.family], max(out.get(r.family, 0.0), r.strength))
        return out

    @property
    def confidence(self) -> float:
        return combine(self.family_strengths())

    def top_reasons(self, n: int = 6) -> list[Reason]:
        """The strongest reason of each family first, then the rest, strongest first."""
        best: dict[str, Reason] = {}
        for r in self.reasons:
            if r.family not in best or r.strength > best[r.family].strength:
                best[r.family] = r
        lead = sorted(best.values(), key=lambda r: -r.strength)
        rest = sorted((r for r in self.reasons if r not in lead), key=lambda r: -r.strength)
        return (lead + rest)[:n]


def combine(strengths: dict[str, float]) -> float:
    """Noisy-OR of capped family strengths (see the module docstring), rounded to 3 places."""
    p = 1.0
    for fam, s in strengths.items():
        p *= 1.0 - min(CAPS.get(fam, 0.0), max(0.0, s))
    return round(1.0 - p, 3)
