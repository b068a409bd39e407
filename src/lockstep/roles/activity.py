"""Per-account activity relative to known campaigns: action counts and engagement of each
campaign's core, as a lazy mapping.

Why lazy: expansion asks for the activity of every acting account once per round, and reads
a few of them (the engagers of the core, the group, the accounts judged); on a 10M-action
workspace that is 400,000 accounts, and building an :class:`Activity` object for each, every
round, took seconds. :class:`Activities` holds the run's action counts (``queries.shared``)
and the round's engagement counts, and builds an account's :class:`Activity` when it is read;
the sums that expansion takes over every account are kept as sums.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lockstep.store.queries import activity as qa
from lockstep.store.queries import engagement as qe
from lockstep.store.workspace import Workspace

__all__ = ["Activities", "Activity", "activity", "candidates"]


@dataclass
class Activity:
    n_actions: int = 0
    n_engage: int = 0
    n_original: int = 0
    # campaign id -> engagements pointing at that campaign's accounts or posts
    to_campaign: dict[str, int] = field(default_factory=dict)
    # engagements this account *received* from other accounts of its campaign
    received_from_campaign: int = 0
    created_at: Any = None


class Activities(Mapping[str, Activity]):
    """Account -> :class:`Activity` for every acting account (by account id) and every account
    that engages a core, in that order, as a dict of them built at once would hold them. Each
    account's object is built on first read and kept, so reads agree."""

    def __init__(self, counts: qa.CountsIndex, to_campaign: dict[str, dict[str, int]],
                 received: dict[str, int]) -> None:
        self._counts = counts
        self._to = to_campaign
        self._received = received
        self._extra = [a for a in to_campaign if a not in counts]  # engagers that do not act
        self._built: dict[str, Activity] = {}
        self._engaged: list[tuple[str, dict[str, int], int]] | None = None

    def __getitem__(self, acc: str) -> Activity:
        got = self._built.get(acc)
        if got is not None:
            return got
        c = self._counts.get(acc)
        to = self._to.get(acc)
        if c is None and to is None:
            raise KeyError(acc)
        a = Activity() if c is None else Activity(c.n_actions, c.n_engage, c.n_original, created_at=c.created_at)
        if to is not None:
            a.to_campaign = to  # built for this mapping and never changed: shared, not copied
        a.received_from_campaign = self._received.get(acc, 0)
        self._built[acc] = a
        return a

    def __contains__(self, acc: object) -> bool:
        return acc in self._counts or acc in self._to

    def __iter__(self) -> Iterator[str]:
        yield from self._counts.accounts()  # type: ignore[misc]  # None: actions without an account
        yield from self._extra

    def __len__(self) -> int:
        return len(self._counts) + len(self._extra)

    def engaged(self) -> list[str]:
        """The accounts with engagement of a core (a non-empty ``to_campaign``), in mapping order."""
        counts = self._counts
        extra = {a: i for i, a in enumerate(self._extra)}

        def key(a: str) -> tuple[int, int]:
            at = counts.position(a)
            return (1, extra[a]) if at is None else (0, at)
        return sorted(self._to, key=key)

    def engaged_items(self) -> list[tuple[str, dict[str, int], int]]:
        """(account, its ``to_campaign``, its ``n_actions``) of the accounts :meth:`engaged`
        lists, without building their objects (a round's engagers of the core can be many)."""
        if self._engaged is None:
            self._engaged = [(a, self._to[a], self.n_actions(a)) for a in self.engaged()]
        return self._engaged

    def n_actions(self, acc: str) -> int:
        """``self[acc].n_actions`` (0 when absent) without building the account's object."""
        return self._counts.n_actions(acc)

    @property
    def total_actions(self) -> int:
        """Sum of ``n_actions`` over every account."""
        return self._counts.total


def activity(ws: Workspace, members: dict[str, str]) -> Activities:
    """Per account: action counts and engagements with each campaign's core (the one
    definition of engaging the core: ``lockstep.store.queries.engagement``)."""
    to: dict[str, dict[str, int]] = {}
    for acc, camp, n in qe.core_engagement_counts(ws, members):
        to.setdefault(acc, {})[camp] = n
    # how much each member is engaged with by its own campaign: originators are engaged with
    counts = qa.counts_index(ws)
    received = {acc: n for acc, n in qe.engagement_received_within(ws, members)
                if acc in counts or acc in to}
    return Activities(counts, to, received)


def candidates(acts: Mapping[str, Activity], members: dict[str, str], min_share: float,
               pool: set[str] | None = None) -> dict[str, str]:
    """Accounts outside every campaign whose activity is concentrated on the core of the
    campaigns in ``pool`` (the flagged ones: an operation the clustering split into several
    campaigns is still one operation): account -> the campaign it engages most. Needs only
    one action, when that action is engagement with the core."""
    out = {}
    rows = (acts.engaged_items() if isinstance(acts, Activities)
            else [(acc, a.to_campaign, a.n_actions) for acc, a in acts.items()])
    for acc, to_campaign, n_actions in rows:
        if acc in members or not to_campaign or n_actions == 0:
            continue
        counts = {c: n for c, n in to_campaign.items() if pool is None or c in pool}
        if not counts:
            continue
        camp = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        if sum(counts.values()) / n_actions >= min_share:
            out[acc] = camp
    return out
