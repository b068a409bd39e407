"""Match advertisers to registry entries: by domain first, then handles, then names.

Why this order: a domain is the strongest tie an advertiser can give (it controls the site),
a handle on a platform is next, and a name is only a resemblance. The first stage that finds
anything decides which hits count. Domains match exactly, as subdomains of an entry's site
(``news.cgtn.com``), by www-variant (``www3.nhk.or.jp`` = ``nhk.or.jp``), by registrable
domain (the public suffix list), and through redirects and mirrors (an outlet's other sites).
A link to a social platform is read as a handle, never as the platform's own domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lockstep.ads.domains import host_of, parents, parse_handle, platform_of, registrable, strip_www
from lockstep.ads.names import NameIndex, normalise, variants
from lockstep.ads.registry import Entry, MediaRegistry


@dataclass
class Advertiser:
    """What an advertiser told us about itself (one row of the advertisers file)."""

    advertiser: str
    name: str = ""
    domains: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)
    landing_urls: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)
    line: int = 0

    def has_links(self) -> bool:
        return bool(self.domains or self.handles or self.landing_urls or self.redirects)


@dataclass(frozen=True)
class Hit:
    """One reason to think the advertiser is a registry entry."""

    entry: str
    stage: str       # "domain", "handle" or "name"
    strong: bool
    evidence: str
    score: float = 100.0


class Matcher:
    """Indexes of one registry: hosts, registrable domains, handles and names."""

    def __init__(self, registry: MediaRegistry, name_weak: float = 80.0, name_strong: float = 97.0,
                 fuzzy_min_length: int = 5) -> None:
        self.registry = registry
        self.name_strong = name_strong
        self.hosts: dict[str, list[str]] = {}
        self.regs: dict[str, list[str]] = {}
        self.handles: dict[str, list[str]] = {}
        self.bare_handles: dict[str, list[str]] = {}
        for e in registry.entries.values():
            for d in e.domains:
                _add(self.hosts, d, e.id)
                _add(self.regs, registrable(d), e.id)
            for h in e.handles:
                _add(self.handles, h, e.id)
                _add(self.bare_handles, h.split(":", 1)[1], e.id)
        self.names = NameIndex(((e.id, variants(e.name, e.company)) for e in registry.entries.values()),
                               weak=name_weak, fuzzy_min_length=fuzzy_min_length,
                               common={normalise(e.country) for e in registry.entries.values()})

    def entry(self, eid: str) -> Entry:
        return self.registry.entries[eid]

    def _site(self, eid: str) -> str:
        n = len(self.entry(eid).domains)
        return f" (one of its {n} sites)" if n > 1 else ""

    def match_host(self, value: str, role: str) -> list[Hit]:
        """Hits for one domain or URL; ``role`` says where the advertiser gave it (domain, landing page...)."""
        host = host_of(value)
        if host is None:
            return []
        if platform_of(host) is not None:
            return self.match_handle(value, role)
        h = strip_www(host)
        said = f"{role} {value.strip()}"
        if h in self.hosts:
            return [Hit(e, "domain", True, f"{said}: site {h} of {self.entry(e).label()}{self._site(e)}")
                    for e in self.hosts[h]]
        for p in parents(h):
            if p in self.hosts:
                return [Hit(e, "domain", True, f"{said}: subdomain of {p}, site of {self.entry(e).label()}")
                        for e in self.hosts[p]]
        reg = registrable(h)
        if reg in self.regs:
            return [Hit(e, "domain", True, f"{said}: registrable domain {reg} is that of "
                        f"{', '.join(d for d in self.entry(e).domains if registrable(d) == reg)}, "
                        f"site of {self.entry(e).label()}") for e in self.regs[reg]]
        return []

    def match_handle(self, value: str, role: str = "handle") -> list[Hit]:
        p = parse_handle(value)
        if p is None:
            return []
        platform, handle = p
        ids = self.bare_handles.get(handle, []) if platform == "*" else self.handles.get(f"{platform}:{handle}", [])
        where = "any platform" if platform == "*" else platform
        return [Hit(e, "handle", True, f"{role} {value.strip()}: {where} handle {handle} of {self.entry(e).label()}")
                for e in ids]

    def match(self, advertisers: Sequence[Advertiser]) -> list[list[Hit]]:
        """The hits of the first stage that finds any, for each advertiser (same order)."""
        out: list[list[Hit]] = [[] for _ in advertisers]
        need_names: list[int] = []
        for i, a in enumerate(advertisers):
            hits: list[Hit] = []
            for role, values in (("domain", a.domains), ("landing page", a.landing_urls), ("redirect", a.redirects)):
                for v in values:
                    hits += self.match_host(v, role)
            if not hits:
                for v in a.handles:
                    hits += self.match_handle(v)
            out[i] = hits
            if not hits and a.name.strip():
                need_names.append(i)
        found = self.names.lookup_many([advertisers[i].name for i in need_names])
        for i, name_hits in zip(need_names, found):
            out[i] = [Hit(h.key, "name", (h.exact and not h.generic) or (not h.exact and h.score >= self.name_strong),
                          f"name {advertisers[i].name.strip()!r} "
                          + (f"= {h.variant!r}" if h.exact else f"~ {h.variant!r} (score {h.score:.0f})")
                          + (" (only without generic words, too common to decide)" if h.generic else "")
                          + f", a name of {self.entry(h.key).label()}", h.score) for h in name_hits]
        return out


def _add(index: dict[str, list[str]], key: str, eid: str) -> None:
    ids = index.setdefault(key, [])
    if eid not in ids:
        ids.append(eid)
