"""Action batches (columns as numpy arrays) and the rolling index of recent original posts.

A day of the world is built as a handful of batches (organic posts, protest reshares,
operator bursts, ...), concatenated, sorted by time and written; only the last two days of
original posts are kept in memory as repost targets, which keeps memory bounded however
long or large the world is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KIND_POST, KIND_REPOST, KIND_REPLY, KIND_QUOTE = 0, 1, 2, 3
STR_COLS = ("text", "hashtags", "urls", "mentions", "lang", "client")
INT_COLS = ("t", "acct", "kind", "tgt_tid", "tgt_acct", "tid")

Batch = dict[str, np.ndarray]


def batch(t: np.ndarray, acct: np.ndarray, kind: int | np.ndarray, **cols: np.ndarray) -> Batch:
    n = len(t)
    b: Batch = {"t": np.asarray(t, np.int64), "acct": np.asarray(acct, np.int64),
                "kind": np.broadcast_to(np.asarray(kind, np.int64), (n,)).copy(),
                "tgt_tid": np.full(n, -1, np.int64), "tgt_acct": np.full(n, -1, np.int64),
                "tid": np.full(n, -1, np.int64)}
    for c in STR_COLS:
        b[c] = np.full(n, "", dtype=object)
    for k, v in cols.items():
        b[k] = np.asarray(v) if k not in STR_COLS else np.asarray(v, dtype=object)
    return b


def concat(batches: list[Batch]) -> Batch:
    batches = [b for b in batches if len(b["t"])]
    if not batches:
        return batch(np.zeros(0, np.int64), np.zeros(0, np.int64), 0)
    return {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}


def take(b: Batch, idx: np.ndarray) -> Batch:
    return {k: v[idx] for k, v in b.items()}


@dataclass
class Recent:
    """Original posts of the last ``keep`` seconds, sorted by time, with popularity weights."""

    cols: Batch
    weight: np.ndarray
    keep: int = 2 * 86_400

    @classmethod
    def empty(cls) -> "Recent":
        return cls(batch(np.zeros(0, np.int64), np.zeros(0, np.int64), 0), np.zeros(0))

    def add(self, b: Batch, weight: np.ndarray, now: int) -> None:
        cols = concat([self.cols, b])
        w = np.concatenate([self.weight, weight])
        keep = cols["t"] >= now - self.keep
        order = np.argsort(cols["t"][keep], kind="stable")
        self.cols = take(take(cols, np.flatnonzero(keep)), order)
        self.weight = w[keep][order]

    def sample(self, rng: np.random.Generator, t: np.ndarray, window: np.ndarray,
               mask: np.ndarray | None = None) -> np.ndarray:
        """For each time ``t``, one recent post index drawn by weight among posts in
        ``[t - window, t)`` (restricted to ``mask``); -1 where there is none."""
        w = self.weight if mask is None else np.where(mask, self.weight, 0.0)
        cw = np.concatenate([[0.0], np.cumsum(w)])
        times = self.cols["t"]
        hi = np.searchsorted(times, t, side="left")
        lo = np.searchsorted(times, t - window, side="left")
        a, b = cw[lo], cw[hi]
        u = a + rng.random(len(t)) * (b - a)
        idx = np.searchsorted(cw, u, side="right") - 1
        idx = np.clip(idx, 0, max(len(times) - 1, 0))
        return np.where(b > a, idx, -1)
