"""Pair counting that keeps the pair rows: the candidates' rows come out of the counting pass.

Why: deferred scoring (:mod:`lockstep.engine.duckdb.deferred`) counts every window pair
of every signal to find the account pairs that can reach ``--min-shared``, then needs the
pair rows (which two actions) of exactly those pairs. Re-running the SQL window join over
the candidate accounts' rows to get them cost as much as the counting itself: on a
10M-action simulator world whose operation is one dense block of 15,700 accounts, 24 s for
co_repost and 24 s for co_repost_slow, since nearly every pair row there belongs to a
candidate. Here each counted pair row carries its signal and its two row numbers (``uid``),
partitioned on disk with its key; when a partition is counted, the rows of its kept keys
are handed to a sink. 16 bytes a row (24 past 2**30 rows a signal) instead of 8 on disk, no
second join.

Pairs counted without rows (signals scored at once, or paired in SQL) are added with no
uids and only count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from lockstep.engine.duckdb.pair_counts import BUDGET_BYTES, PairCounter, pair_keys, window_pair_index

UID_BITS = 48  # a row number below 2**48; the signal number sits above it
UID_MASK = (1 << UID_BITS) - 1
# Packed rows (two columns): signal (3 bits), uid_a (30), uid_b (30) in one non-negative int64.
PACKED_SIGNALS = 8
PACKED_UID_BITS = 30
PACKED_UID_MASK = (1 << PACKED_UID_BITS) - 1

#: receives, per partition counted, the kept pair rows: signal numbers, uid_a, uid_b
Sink = Callable[[np.ndarray, np.ndarray, np.ndarray], None]


class PairRowCounter(PairCounter):
    """Counts 64-bit pair keys with each row's (signal, uid_a, uid_b); in memory up to
    ``budget`` bytes, then hash-partitioned on disk (a key's rows all land in one partition),
    as :class:`~lockstep.engine.duckdb.pair_counts.PairCounter` does with bare keys.

    ``packed`` (the caller knows every uid is below 2**30 and signals are fewer than 8): a row
    is 16 bytes, the signal and both uids in one integer, instead of 24 (at 10M co-retweets,
    70M rows: the wider rows cost 6 s of counting and 3 s of picking)."""

    WIDTH = 3
    PREFIX = "pairrows-"

    def __init__(self, tmp_dir: Path | str | None = None, budget: int = BUDGET_BYTES, packed: bool = False) -> None:
        super().__init__(tmp_dir, budget)
        self.packed = packed
        self.WIDTH = 2 if packed else 3

    def add(self, keys: np.ndarray, sig: int = -1, uid_a: np.ndarray | None = None,
            uid_b: np.ndarray | None = None) -> None:
        """Count each key once; with ``uid_a``/``uid_b`` (signal number ``sig`` >= 0) keep the rows."""
        if not len(keys):
            return
        rows = np.empty((len(keys), self.WIDTH), dtype=np.int64)
        rows[:, 0] = keys
        if uid_a is None or uid_b is None or sig < 0:
            rows[:, 1:] = -1
        elif self.packed:
            if sig >= PACKED_SIGNALS or max(int(uid_a.max()), int(uid_b.max())) > PACKED_UID_MASK:
                raise ValueError("a packed pair-row counter holds uids below 2**30 of at most 8 signals")
            rows[:, 1] = ((np.int64(sig) << (2 * PACKED_UID_BITS)) | (uid_a.astype(np.int64, copy=False)
                          << PACKED_UID_BITS) | uid_b.astype(np.int64, copy=False))
        else:
            rows[:, 1] = (np.int64(sig) << UID_BITS) | uid_a.astype(np.int64, copy=False)
            rows[:, 2] = uid_b
        self._add_rows(rows)

    def at_least(self, n: int, sink: Sink | None = None) -> np.ndarray:
        """Sorted keys counted ``n`` times or more; their kept rows go to ``sink``."""
        out = []
        for rows in self._parts():
            # the keys alone are sorted and counted (a plain sort, 3x faster than ordering the
            # rows by key); the rows of the kept keys are then picked by a binary search
            keys = np.sort(rows[:, 0])
            starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
            counts = np.diff(np.append(starts, len(keys)))
            good = keys[starts[counts >= n]]
            out.append(good)
            del keys, starts, counts
            if sink is not None and len(good):
                pos = np.minimum(np.searchsorted(good, rows[:, 0]), len(good) - 1)
                kept = (good[pos] == rows[:, 0]) & (rows[:, 1] >= 0)
                if kept.any():
                    a = rows[kept, 1]
                    if self.packed:
                        sink(a >> (2 * PACKED_UID_BITS), (a >> PACKED_UID_BITS) & PACKED_UID_MASK,
                             a & PACKED_UID_MASK)
                    else:
                        sink(a >> UID_BITS, a & UID_MASK, rows[kept, 2])
            del rows
        self.close()
        return np.sort(np.concatenate(out)) if out else np.empty(0, np.int64)


def window_pair_rows(batches: Iterable[pa.RecordBatch], window_us: int, max_neighbours: int,
                     chunk_rows: int = 1_000_000,
                     on_chunk: Callable[[dict[str, np.ndarray]], None] | None = None,
                     after_us: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`~lockstep.engine.duckdb.pair_counts.window_pair_keys` with each pair's two row
    numbers: ``(keys, uid_a, uid_b)``, ``a`` the earlier row in the sort order (the batches
    need a ``uid`` column)."""
    for c, i, j in window_pair_index(batches, window_us, max_neighbours, chunk_rows, on_chunk, after_us):
        yield pair_keys(c["aid"][i], c["aid"][j]), c["uid"][i], c["uid"][j]
