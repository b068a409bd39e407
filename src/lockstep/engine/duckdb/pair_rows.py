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
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa

from lockstep.engine.duckdb.pair_counts import BUDGET_BYTES, PairCounter, chunk_pairs, group_chunks, pair_keys, runs
from lockstep.engine.duckdb.threads import pipelined

UID_BITS = 48  # a row number below 2**48; the signal number sits above it
UID_MASK = (1 << UID_BITS) - 1
# Packed rows (two columns): signal (3 bits), uid_a (30), uid_b (30) in one non-negative int64.
PACKED_SIGNALS = 8
PACKED_UID_BITS = 30
PACKED_UID_MASK = (1 << PACKED_UID_BITS) - 1

#: receives, per partition counted, the kept pair rows: signal numbers, uid_a, uid_b
Sink = Callable[[np.ndarray, np.ndarray, np.ndarray], None]
Kept = tuple[np.ndarray, np.ndarray, np.ndarray]


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
        """Count each key once; with ``uid_a``/``uid_b`` (signal number ``sig`` >= 0) keep the rows.
        Once spilling, the rows are packed on the writer thread: the arrays must not change after."""
        if not len(keys):
            return
        if uid_a is None or uid_b is None or sig < 0:
            sig = -1
        elif self.packed and (sig >= PACKED_SIGNALS or max(int(uid_a.max()), int(uid_b.max())) > PACKED_UID_MASK):
            raise ValueError("a packed pair-row counter holds uids below 2**30 of at most 8 signals")
        self._add_made(len(keys), partial(self._rows, keys, sig, uid_a, uid_b))

    def _rows(self, keys: np.ndarray, sig: int, uid_a: np.ndarray | None, uid_b: np.ndarray | None) -> np.ndarray:
        rows = np.empty((len(keys), self.WIDTH), dtype=np.int64)
        rows[:, 0] = keys
        if sig < 0 or uid_a is None or uid_b is None:
            rows[:, 1:] = -1
        elif self.packed:
            packed = uid_a.astype(np.int64)
            packed <<= PACKED_UID_BITS
            packed |= np.int64(sig) << (2 * PACKED_UID_BITS)
            packed |= uid_b
            rows[:, 1] = packed
        else:
            rows[:, 1] = (np.int64(sig) << UID_BITS) | uid_a.astype(np.int64, copy=False)
            rows[:, 2] = uid_b
        return rows

    def at_least(self, n: int, sink: Sink | None = None) -> np.ndarray:
        """Sorted keys counted ``n`` times or more; their kept rows go to ``sink`` (partition
        by partition, from this thread)."""
        out = []
        try:
            for good, kept in self._counted(lambda rows: self._keep(rows, n, sink is not None)):
                out.append(good)
                if sink is not None and kept is not None:
                    sink(*kept)
        finally:
            self.close()
        return np.sort(np.concatenate(out)) if out else np.empty(0, np.int64)

    def _keep(self, rows: np.ndarray, n: int, want_rows: bool) -> tuple[np.ndarray, Kept | None]:
        """One partition's keys counted ``n`` times or more, and their rows (signal, uid_a, uid_b)
        in the order they were added."""
        # An argsort of the keys, then the kept runs' row numbers put back in order: 10 ms a
        # partition of 283k rows, where a sort and a binary search of every row among the
        # kept keys took 33 (24 of them the search).
        keys = np.ascontiguousarray(rows[:, 0])
        order = np.argsort(keys)
        starts, counts = runs(np.take(keys, order))
        ok = counts >= n
        good = np.take(keys, np.take(order, starts[ok]))
        if not want_rows or not len(good):
            return good, None
        picked = order[np.repeat(ok, counts)]
        picked.sort()
        a = np.take(rows[:, 1], picked)
        has = a >= 0  # rows added with no uids only count
        a = a[has]
        if not len(a):
            return good, None
        if self.packed:
            return good, (a >> (2 * PACKED_UID_BITS), (a >> PACKED_UID_BITS) & PACKED_UID_MASK, a & PACKED_UID_MASK)
        return good, (a >> UID_BITS, a & UID_MASK, np.take(rows[:, 2], picked)[has])


def window_pair_rows(batches: Iterable[pa.RecordBatch], window_us: int, max_neighbours: int,
                     chunk_rows: int = 1_000_000,
                     on_chunk: Callable[[dict[str, np.ndarray]], None] | None = None,
                     after_us: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`~lockstep.engine.duckdb.pair_counts.window_pair_keys` with each pair's two row
    numbers: ``(keys, uid_a, uid_b)``, ``a`` the earlier row in the sort order (the batches
    need a ``uid`` column)."""
    def rows(c: dict[str, np.ndarray]) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        aid, uid = c["aid"], c["uid"]
        for _, i, j in chunk_pairs(dict(c), window_us, max_neighbours, after_us):  # a copy: on_chunk reads c
            p, q = aid[i], aid[j]  # each gathered once (window_pair_index would gather twice)
            keep = p != q  # an account with itself is no pair, as in SQL
            if not keep.all():
                i, j, p, q = i[keep], j[keep], p[keep], q[keep]
            yield pair_keys(p, q), uid[i], uid[j]

    # on a second thread: a chunk's pairs are made while this one runs on_chunk (the chance
    # curve, rare-item riders) and reads the next chunk, and while the caller counts them
    yield from pipelined(group_chunks(batches, chunk_rows), rows, on_chunk)
