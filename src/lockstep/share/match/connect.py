"""Connections: the admins of matched pages and groups, the pages and groups matched accounts
administer, and the groups and pages matched accounts or pages post into.

Why connections count: an operation's pages are run by its fake accounts and post into its
groups (Facebook's 2019 takedown: 7 pages, 3 groups, 5 accounts); the admins and groups
rarely carry the tip's names or links themselves. Why only *administering* and *posting*,
never plain membership: thousands of real people join an operation's groups.

Administering (family ``connection``) and posting into (family ``posting``: the matched
posters' share of the page's or group's posts) are separate facts, so they count as
separate families. A reason passes the neighbours' confidence down (0.9 per hop; posting
also times the matched posters' share), and a neighbour's confidence is taken
*without* the connection it got from the very match it is vouching for, so two ids never
lift each other in a loop. Rounds repeat until nothing changes (at most ``MAX_ROUNDS``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from lockstep.share.match.book import Book, Key
from lockstep.share.match.score import Reason, combine
from lockstep.store.queries.share_match import Admin, Poster

HOP = 0.9
MIN_POSTS = 3  # posts into a group before posting into it counts
MAX_ROUNDS = 4
LINKED = ("connection", "posting")  # the families this module adds (recomputed every round)


def _admin_links(admins: Sequence[Admin]) -> list[tuple[Key, Key, str]]:
    """Every (source, target, text template) along which an admin relation passes evidence."""
    out: list[tuple[Key, Key, str]] = []
    for a in admins:
        ent, acc = (a.platform, a.entity_id), (a.platform, a.account_id)
        out.append((ent, acc, f"{a.role} of matched {{src}}"))
        out.append((acc, ent, f"{{src}}, matched, is its {a.role}"))
    return out


def _posting(posters: Sequence[Poster]) -> tuple[dict[Key, list[tuple[Key, int]]], dict[Key, int]]:
    """Per page or group: who posts into it and how often (itself excluded), and its total."""
    into: dict[Key, list[tuple[Key, int]]] = defaultdict(list)
    total: dict[Key, int] = defaultdict(int)
    for p in posters:
        ent, acc = (p.platform, p.entity_id), (p.platform, p.account_id)
        total[ent] += p.n
        if ent != acc:
            into[ent].append((acc, p.n))
    return into, total


_POSTERS: Key = ("", "matched posters")


def collect(book: Book, admins: Sequence[Admin], posters: Sequence[Poster], min_confidence: float) -> int:
    """Add connection reasons to ``book`` (from matches at or above ``min_confidence``);
    returns the number of rounds run."""
    direct = {k: [r for r in m.reasons if r.family not in LINKED] for k, m in book.matches.items()}
    edges = _admin_links(admins)
    into, total = _posting(posters)
    conn: dict[Key, dict[Key, Reason]] = {}
    rounds = 0
    for rounds in range(1, MAX_ROUNDS + 1):
        new: dict[Key, dict[Key, Reason]] = defaultdict(dict)
        for src, dst, text in edges:
            c = _confidence_without(src, dst, direct, conn)
            if c < min_confidence:
                continue
            old = new[dst].get(src)
            if old is None or HOP * c > old.strength:
                new[dst][src] = Reason("connection", HOP * c, text.format(src=f"{book.label(src)} ({c:.2f})"))
        for ent, who in into.items():
            good = [(src, n, c) for src, n in who
                    if (c := _confidence_without(src, ent, direct, conn)) >= min_confidence]
            n_good = sum(n for _, n, _ in good)
            if n_good < MIN_POSTS:
                continue
            c = sum(n * c for _, n, c in good) / n_good
            share = n_good / total[ent]
            names = ", ".join(book.label(src) for src, _, _ in sorted(good, key=lambda g: -g[1])[:3])
            more = f" and {len(good) - 3} more" if len(good) > 3 else ""
            new[ent][_POSTERS] = Reason("posting", HOP * c * share,
                                        f"{len(good)} matched account(s)/page(s) wrote {n_good} of its"
                                        f" {total[ent]} posts"
                                        f" ({share:.0%}; mean confidence {c:.2f}): {names}{more}")
        new = {k: v for k, v in new.items() if v}
        if _same(new, conn):
            break
        conn = new
    for key, by_src in conn.items():
        m = book.get(*key)
        m.reasons = [r for r in m.reasons if r.family not in LINKED]
        for r in sorted(by_src.values(), key=lambda r: -r.strength):
            m.add(r.family, r.strength, r.text)
    return rounds


def _confidence_without(src: Key, dst: Key, direct: dict[Key, list[Reason]],
                        conn: dict[Key, dict[Key, Reason]]) -> float:
    fam: dict[str, float] = {}
    for r in direct.get(src, ()):
        fam[r.family] = max(fam.get(r.family, 0.0), r.strength)
    for via, r in conn.get(src, {}).items():
        if via != dst:
            fam[r.family] = max(fam.get(r.family, 0.0), r.strength)
    return combine(fam) if fam else 0.0


def _same(a: dict[Key, dict[Key, Reason]], b: dict[Key, dict[Key, Reason]]) -> bool:
    return {k: {s: round(r.strength, 6) for s, r in v.items()} for k, v in a.items()} == \
        {k: {s: round(r.strength, 6) for s, r in v.items()} for k, v in b.items()}
