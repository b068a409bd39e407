"""Search one workspace for a tip's actor: every collector, then connections, then scores.

Why this order: names, links, texts and behaviour each look at the tip and our data on
their own (their reasons are independent evidence); connections come last because they
pass on the confidence the others built. The store is asked for distinct values with
counts first and for actions only on the values that matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lockstep.errors import UserError
from lockstep.share.match import by_link, by_name, by_text, connect
from lockstep.share.match.book import Book
from lockstep.share.match.score import DEFAULT_MIN_CONFIDENCE, Match
from lockstep.share.tip import Tip
from lockstep.store.queries import share_match as Q
from lockstep.store.workspace import Workspace

LIST_FLOOR = 0.3  # candidates below this confidence are left out of the report entirely


@dataclass
class MatchResult:
    """Every candidate at or above ``LIST_FLOOR``, best first, and what was searched."""

    tip: Tip
    min_confidence: float
    candidates: list[Match]
    searched: dict[str, int] = field(default_factory=dict)  # what the collectors looked at
    notes: list[str] = field(default_factory=list)

    @property
    def matches(self) -> list[Match]:
        """Candidates at or above the threshold: what a case is seeded with."""
        return [m for m in self.candidates if m.confidence >= self.min_confidence]

    def by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for m in self.matches:
            out[m.kind] = out.get(m.kind, 0) + 1
        return out


def match_tip(ws: Workspace, tip: Tip, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> MatchResult:
    """Every account, page, group or channel of ``ws`` that the tip's indicators point at."""
    if not 0.0 < min_confidence <= 1.0:
        raise UserError(f"--min-confidence {min_confidence}: must be above 0 and at most 1")
    n = Q.counts(ws)
    if not n["actions"] and not n["accounts"] and not n["entities"]:
        raise UserError(f"workspace {ws.path} holds no accounts, pages or actions: nothing to match the tip"
                        " against (ingest this platform's data first)")
    if not (tip.assets or tip.indicators or tip.activity):
        raise UserError(f"{tip.source_file or 'the tip'}: no assets, indicators or activity to match")
    profiles = Q.profiles(ws)
    kinds = {(p.platform, p.id): p.kind for p in profiles}
    kinds.update(Q.entity_kinds(ws))
    names = {(p.platform, p.id): p.name or p.handle for p in profiles}
    book = Book(kinds, names)
    n_accounts = max(1, n["accounts"])
    # names and ids
    by_name.collect(book, tip, profiles)
    # links
    links = by_link.tip_links(tip)
    urls = Q.distinct_urls(ws) if (links.urls or links.domains) else []
    matched = by_link.matching_urls(links, urls)
    url_acts = Q.actions_with_urls(ws, list(matched))
    busy = by_link.popular(matched, url_acts, n_accounts)
    by_link.collect(book, links, matched, url_acts, busy, profiles)
    # texts
    tt = by_text.tip_texts(tip)
    texts = Q.distinct_texts(ws, min_chars=8) if tt else []
    near = by_text.near_duplicates(tt, texts)
    text_acts = Q.actions_with_texts(ws, list(near))
    by_text.collect_texts(book, near, text_acts)
    # behaviour
    tags = sorted({a.value.lstrip("#").lower() for a in tip.activity if a.kind == "hashtag"}
                  | {i.value for i in tip.indicators if i.kind == "hashtag"})
    tag_users = dict(Q.distinct_hashtags(ws)) if tags else {}
    tag_acts = Q.actions_with_hashtags(ws, tags)
    by_text.collect_behaviour(book, tip, url_acts, near, text_acts, tag_acts, tag_users, n_accounts)
    # connections
    rounds = connect.collect(book, Q.admins(ws), Q.entity_posters(ws), min_confidence)
    cands = sorted((m for m in book if m.confidence >= LIST_FLOOR),
                   key=lambda m: (-m.confidence, m.kind, m.platform, m.id))
    notes = []
    if any(i.kind == "media_hash" for i in tip.indicators):
        notes.append("the tip has media hashes, but this workspace's tables hold no media: not compared")
    if busy:
        notes.append(f"popular here, weak evidence: {', '.join(sorted(busy)[:5])}")
    searched = {"profiles": len(profiles), "tip_assets": len(tip.assets), "tip_indicators": len(tip.indicators),
                "tip_activity": len(tip.activity), "urls_matched": len(matched), "texts_matched": len(near),
                "link_actions": len(url_acts), "text_actions": len(text_acts), "hashtag_actions": len(tag_acts),
                "connection_rounds": rounds}
    return MatchResult(tip, min_confidence, cands, searched, notes)
