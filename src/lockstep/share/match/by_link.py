"""Domains and URLs of the tip against the links our accounts and pages share, and against
the websites our pages and accounts name in their profiles.

Why three strengths: the exact URL (after normalising) or a host under the tip domain's
registrable domain is the operation's own infrastructure; a mirror (same name, other
suffix) is probably; a tip domain that a sizeable share of our accounts links to (a news
site an operation also quoted) says little about who shares it, so it is kept as a weak
reason (see ``score``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from lockstep.share.match.book import Book, short
from lockstep.share.match.links import PLATFORM_DOMAINS, mirror_key, norm_domain, norm_url, registrable
from lockstep.share.tip import Tip
from lockstep.store.queries.share_match import ItemAct, Profile

POPULAR_SHARE = 0.02  # a domain linked by over 2% of our accounts (and over POPULAR_MIN) is popular
POPULAR_MIN = 20
_IN_TEXT = re.compile(r"(?:https?://|hxxps?://)?(?:[\w-]+(?:\.|\[\.\]))+[a-z]{2,}(?:/[^\s\"'<>]*)?", re.IGNORECASE)


@dataclass
class TipLinks:
    """The tip's links in comparable forms: exact URLs, registrable domains, mirror keys."""

    urls: dict[str, str] = field(default_factory=dict)  # normalised URL -> as the tip gave it
    domains: dict[str, str] = field(default_factory=dict)  # registrable domain -> tip value
    mirrors: dict[str, str] = field(default_factory=dict)  # mirror key -> tip value

    def classify(self, raw: str) -> tuple[str, str, str] | None:
        """(how, tip value, our host) for one of our links, or None: how is url, domain, subdomain, mirror."""
        nu, host = norm_url(raw)
        if not host:
            return None
        if nu in self.urls:
            return "url", self.urls[nu], host
        reg = registrable(host)
        if reg in self.domains:
            return ("domain" if host == reg else "subdomain"), self.domains[reg], host
        mk = mirror_key(host) if reg not in PLATFORM_DOMAINS else ""
        if mk and mk in self.mirrors:
            return "mirror", self.mirrors[mk], host
        return None


def tip_links(tip: Tip) -> TipLinks:
    out = TipLinks()
    for ind in tip.indicators:
        if ind.kind == "url":
            nu, host = norm_url(ind.value)
            if nu:
                out.urls[nu] = ind.value
                reg = registrable(host)
                if reg not in PLATFORM_DOMAINS:  # a profile on a big platform is not the actor's site
                    out.domains.setdefault(reg, ind.value)
        elif ind.kind == "domain":
            host = norm_domain(ind.value)
            reg = registrable(host) if host else ""
            if reg and reg not in PLATFORM_DOMAINS:
                out.domains.setdefault(reg, ind.value)
    for reg, val in list(out.domains.items()):
        mk = mirror_key(reg)
        if mk:
            out.mirrors.setdefault(mk, val)
    return out


def matching_urls(links: TipLinks, distinct: Sequence[tuple[str, int]]) -> dict[str, tuple[str, str, str]]:
    """Our stored URL strings that match the tip, with how (see :meth:`TipLinks.classify`)."""
    out: dict[str, tuple[str, str, str]] = {}
    for u, _n in distinct:
        got = links.classify(u)
        if got:
            out[u] = got
    return out


def popular(matched: dict[str, tuple[str, str, str]], acts: Sequence[ItemAct], n_accounts: int) -> set[str]:
    """Tip values whose matching links were shared by many distinct accounts of ours."""
    who: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a in acts:
        who[matched[a.item][1]].add((a.platform, a.account_id))
    limit = max(POPULAR_MIN, POPULAR_SHARE * n_accounts)
    return {v for v, ids in who.items() if len(ids) > limit}


def collect(book: Book, links: TipLinks, matched: dict[str, tuple[str, str, str]], acts: Sequence[ItemAct],
            busy: set[str], profiles: Sequence[Profile]) -> None:
    """Domain reasons (posts linking to tip domains/URLs) and website reasons (the profile
    names a tip domain as its own site: who it says it is, a fact apart from what it posts)."""
    per: dict[tuple[str, str], list[tuple[str, str, str, str]]] = defaultdict(list)
    for a in acts:
        how, tip_value, host = matched[a.item]
        per[(a.platform, a.account_id)].append((how, tip_value, host, a.item))
    for key, hits in per.items():
        n = len(hits)
        how, tip_value, host, url = min(hits, key=lambda h: ("url", "domain", "subdomain", "mirror").index(h[0]))
        s = min(0.6, 0.45 + 0.05 * (n - 1)) * (0.8 if how == "mirror" else 1.0)
        if tip_value in busy:
            s = 0.1
        what = {"url": "the tip URL", "domain": "tip domain", "subdomain": "a subdomain of tip domain",
                "mirror": "a mirror of tip domain"}[how]
        extra = " (popular here: weak)" if tip_value in busy else ""
        book.get(*key).add("domain", s, f"{n} post(s) link to {what} {short(tip_value, 60)}"
                                        f" (e.g. {short(url, 60)}){extra}")
    for p in profiles:
        for raw in _IN_TEXT.findall(" ".join((p.url, p.description))):
            got = links.classify(raw)
            if got and got[1] not in busy:
                s = 0.55 * (0.8 if got[0] == "mirror" else 1.0)
                book.get(p.platform, p.id).add("website", s, f"its website {short(raw, 50)} is {got[0]} of"
                                                            f" tip indicator {short(got[1], 50)}")
                break
