"""The candidates found so far, one :class:`~lockstep.share.match.score.Match` per id.

Why a book: every kind of evidence is looked for separately (names, links, texts,
behaviour, connections) and each names our ids its own way (a page posting as an account
has its page id as ``account_id``); the book turns an id into one match with the right kind
(page, group, channel or account) and name, whichever collector met it first.
"""

from __future__ import annotations

from collections.abc import Iterator

from lockstep.share.match.score import Match

Key = tuple[str, str]  # (platform, id)


class Book:
    """Matches by (platform, id), with the kinds and names of every id of the workspace."""

    def __init__(self, kinds: dict[Key, str], names: dict[Key, str]) -> None:
        self.kinds = kinds
        self.names = names
        self.matches: dict[Key, Match] = {}

    def get(self, platform: str, id_: str) -> Match:
        key = (platform, id_)
        m = self.matches.get(key)
        if m is None:
            m = Match(platform, id_, self.kinds.get(key, "account"), self.names.get(key, ""))
            self.matches[key] = m
        return m

    def label(self, key: Key) -> str:
        """How a reason names one of our ids: ``page fb_e1 "Name"``."""
        kind = self.kinds.get(key, "account")
        name = self.names.get(key, "")
        return f'{kind} {key[1]}' + (f' "{_short(name)}"' if name else "")

    def __iter__(self) -> Iterator[Match]:
        return iter(self.matches.values())

    def __len__(self) -> int:
        return len(self.matches)


def _short(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def short(s: str, n: int = 40) -> str:
    """A value cut to ``n`` characters for a reason's text."""
    return _short(s, n)
