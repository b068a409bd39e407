"""The chance curve from the item-sorted integer rows that pair counting already streams.

Why: ``G(theta)`` (:mod:`lockstep.engine.chance`) needs, for every item of a signal, its
accounts ``u`` and the share ``p`` of its pairs of rows within the window. In SQL that is a
grouping plus a RANGE window over every row of the signal (about a second per signal at 1M
reshares on 2 cores). Deferred scoring (:mod:`lockstep.engine.duckdb.deferred`) already reads
those rows once, sorted by item and time, in chunks that end on item boundaries, to count
window pairs; the same chunks give ``u``, ``n`` and the pairs within ``w`` with a few numpy
operations, so the chance costs almost nothing there. Same numbers as the SQL and the
reference (tested in tests/engine/), the within-window pairs counted without the hot-item
cap, as the definition says.
"""

from __future__ import annotations

import numpy as np

from lockstep.engine.chance import THETAS


def accounts_per_item(gid: np.ndarray, aid: np.ndarray, n_items: int,
                      per_account: np.ndarray | None = None) -> np.ndarray:
    """Distinct accounts per item (``gid``: item index per row, 0..n_items-1): one sort of a
    single int64 key (item, account), about twice as fast as a lexsort of the two columns.
    ``per_account`` (indexed by account, long enough): each distinct (item, account) adds one
    to its account's entry, so an account's distinct items add up over chunks."""
    if len(gid) == 0:
        return np.zeros(n_items, dtype=np.int64)
    span = int(aid.max()) + 1
    if n_items * float(span) >= 2.0**62:  # would overflow: sort the two columns instead
        order = np.lexsort((aid, gid))
        g2, a2 = gid[order], aid[order]
        first = np.concatenate(([True], (g2[1:] != g2[:-1]) | (a2[1:] != a2[:-1])))
        if per_account is not None:
            per_account += np.bincount(a2[first], minlength=len(per_account))
        return np.bincount(g2[first], minlength=n_items)
    key = gid.astype(np.int64) * span + aid.astype(np.int64)
    key.sort()
    first = np.concatenate(([True], key[1:] != key[:-1]))
    key = key[first]
    if per_account is not None:
        per_account += np.bincount(key % span, minlength=len(per_account))
    return np.bincount(key // span, minlength=n_items)


class TimingCurve:
    """Accumulates ``N``, ``U`` and ``G(theta)`` over item-complete chunks of rows sorted by
    item then time (columns ``item``, ``t_us``, ``aid``); ``degrees``: also each account's
    distinct items (:attr:`degrees`, by account number: ``add_chance``'s ``d``)."""

    def __init__(self, window_us: int, after_us: int | None = None, degrees: bool = False) -> None:
        self.window_us = int(window_us)
        self.after_us = after_us  # a band's lower end: pairs this close are not counted
        self.total = 0  # U: distinct (account, item) rows
        self._seen = np.zeros(0, dtype=bool)  # by account number: N without a list of ids
        self.degrees: np.ndarray | None = np.zeros(0, dtype=np.int64) if degrees else None
        self._u: list[np.ndarray] = []
        self._p: list[np.ndarray] = []

    def add(self, c: dict[str, np.ndarray]) -> None:
        """One chunk: every item in it is complete (``group_chunks`` cuts on item boundaries)."""
        item, t, aid = c["item"], c["t_us"].astype(np.int64, copy=False), c["aid"].astype(np.int64)
        m = len(item)
        if m == 0:
            return
        start = np.flatnonzero(np.concatenate(([True], item[1:] != item[:-1])))
        n = np.diff(np.append(start, m))
        # rows within w after each row of the same item: one time axis, items stretched apart
        t0 = t[start]
        span = np.maximum.reduceat(t, start) - t0
        step = span + (self.window_us + 1)
        if len(start) > 1 and float(step.astype(np.float64).sum()) >= 2.0**62:  # would overflow: halve
            cut = int(start[len(start) // 2])
            self.add({k: v[:cut] for k, v in (("item", item), ("t_us", t), ("aid", aid))})
            self.add({k: v[cut:] for k, v in (("item", item), ("t_us", t), ("aid", aid))})
            return
        gid = np.repeat(np.arange(len(start)), n)
        if int(aid.max()) >= len(self._seen):
            grow = int(aid.max()) + 1 - len(self._seen)
            self._seen = np.concatenate((self._seen, np.zeros(grow, dtype=bool)))
            if self.degrees is not None:
                self.degrees = np.concatenate((self.degrees, np.zeros(grow, dtype=np.int64)))
        u = accounts_per_item(gid, aid, len(start), self.degrees)
        self.total += int(u.sum())
        self._seen[aid] = True
        off = np.concatenate(([0], np.cumsum(step)[:-1]))
        axis = t - t0[gid] + off[gid]
        ahead = np.searchsorted(axis, axis + self.window_us, side="right") - np.arange(m) - 1
        if self.after_us is not None:  # the band: less the pairs at most after_us apart
            ahead -= np.searchsorted(axis, axis + self.after_us, side="right") - np.arange(m) - 1
        within = 2.0 * np.bincount(gid, weights=ahead, minlength=len(start))
        keep = (u >= 2) & (n >= 2) & (within > 0)
        self._u.append(u[keep].astype(np.float64))
        self._p.append(within[keep] / (n[keep] * (n[keep] - 1)).astype(np.float64))

    def add_singles(self, aid: np.ndarray, n: np.ndarray) -> None:
        """Items of one row each, ``n[i]`` of them acted on by account ``aid[i]`` (distinct
        accounts): they add to ``N``, ``U`` and the degrees, never to ``G`` (an item needs
        two accounts for a pair)."""
        if len(aid) == 0:
            return
        aid = aid.astype(np.int64, copy=False)
        top = int(aid.max()) + 1
        if top > len(self._seen):
            grow = top - len(self._seen)
            self._seen = np.concatenate((self._seen, np.zeros(grow, dtype=bool)))
            if self.degrees is not None:
                self.degrees = np.concatenate((self.degrees, np.zeros(grow, dtype=np.int64)))
        self._seen[aid] = True
        self.total += int(n.sum())
        if self.degrees is not None:
            self.degrees[aid] += n.astype(np.int64, copy=False)

    def result(self) -> tuple[int, int, list[float]]:
        """``(N, U, G(theta) for every theta of THETAS)``, as ``chance_sql.curve`` returns."""
        n_acc = int(self._seen.sum())
        u = np.concatenate(self._u) if self._u else np.zeros(0)
        p = np.concatenate(self._p) if self._p else np.zeros(0)
        g = [float(np.sum(u * u * p * (np.power(float(n_acc) / u, th) - 1.0))) if len(u) else 0.0
             for th in THETAS]
        return n_acc, self.total, g
