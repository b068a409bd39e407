"""Counting co-acting account pairs without a hash table: sorted runs, out of core when large.

Why this exists: before any scoring, detection keeps only the account pairs whose pair rows
over all signals reach ``--min-shared`` (see :mod:`lockstep.engine.duckdb.deferred`). On heavy-tailed
data almost every co-acting pair shares a single item: 10M actions give ~67M pair rows over
~59M distinct pairs. As one SQL group-by that hash table does not fit a 3 GB memory limit and
spilled (26 s of a 44 s detect); at 100M actions it would need tens of GB.

Here the window pairs are enumerated straight from the item-sorted actions (for each action,
the following actions of the same item up to ``window`` seconds later; on hot items at most
``max_neighbours`` of them, in the same (time, account, action) rank order as the SQL join),
each pair is packed into one 64-bit key (``least << 32 | greatest`` account number, the same
``PAIR_KEY`` as the SQL), and keys are counted by sorting. Past a memory budget the keys go to
hash partitions on disk and each partition is sorted and counted alone, so memory stays
bounded whatever the input size. The pair rows are exactly those of ``window_join_sql``
(tested against it), so the candidate set, and every output, is unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa

from lockstep.engine.duckdb.partitions import GOLDEN, Partitions

T = TypeVar("T")
# Keys held in memory before spilling to partitions on disk. Partitioned counting is also the
# faster one (each partition's sort fits the CPU caches: 3 s against 8.6 s for one sort of 67M
# keys), so the budget is small; the operating system's page cache keeps small spills in memory.
BUDGET_BYTES = int(os.environ.get("LOCKSTEP_PAIR_BUFFER_MB", "64")) * 2**20
CHUNK_PAIRS = 524_288  # pair rows made at a time (each step's arrays a few MB: in cache, and little held on threads)


def pair_keys(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Order-free 64-bit keys of account-number pairs (the SQL ``PAIR_KEY``)."""
    keys: np.ndarray = np.minimum(p, q).astype(np.int64, copy=False)
    keys <<= 32  # in place: one array allocated, not four
    keys |= np.maximum(p, q)
    return keys


class PairCounter:
    """Counts 64-bit pair keys; in memory up to ``budget`` bytes, then hash-partitioned on disk
    (:class:`~lockstep.engine.duckdb.partitions.Partitions`: written and counted on a second
    thread)."""

    def __init__(self, tmp_dir: Path | str | None = None, budget: int = BUDGET_BYTES) -> None:
        self.budget = budget
        self._tmp_root = tmp_dir
        self._mem: list[np.ndarray] = []
        self._mem_bytes = 0
        self._parts: Partitions | None = None
        self.total = 0

    @property
    def spilled(self) -> bool:
        return self._parts is not None

    #: int64 columns a counted row holds (the key first); subclasses carry more per row
    WIDTH = 1
    PREFIX = "pairs-"

    def add(self, keys: np.ndarray) -> None:
        """Count each key once (repeat a key to count it more)."""
        if len(keys):
            self._add_rows(np.ascontiguousarray(keys, dtype=np.int64))

    def _add_rows(self, rows: np.ndarray) -> None:
        """Hold or spill ``rows`` (keys, or ``(n, WIDTH)`` rows with the key first)."""
        self.total += len(rows)
        if self._parts is None:
            self._mem.append(rows)
            self._mem_bytes += rows.nbytes
            if self._mem_bytes > self.budget:
                self._parts = Partitions(self._tmp_root, self.PREFIX, self.WIDTH)
                mem, self._mem, self._mem_bytes = self._mem, [], 0
                for held in mem:
                    self._parts.write(held)
            return
        self._parts.write(rows)

    def _add_made(self, n: int, make: Callable[[], np.ndarray]) -> None:
        """:meth:`_add_rows` of ``make()``'s ``n`` rows, made on the writer thread once spilling."""
        if self._parts is None:
            self._add_rows(make())
            return
        self.total += n
        self._parts.write(make)

    def _counted(self, fn: Callable[[np.ndarray], T]) -> Iterator[T]:
        """``fn`` of each partition's rows (of all rows when none spilled), in partition order."""
        if self._parts is None:
            if self._mem:
                rows = np.concatenate(self._mem)
                self._mem, self._mem_bytes = [], 0
                yield fn(rows)
            return
        yield from self._parts.map(fn)

    def at_least(self, n: int) -> np.ndarray:
        """Sorted keys counted ``n`` times or more."""
        try:
            out = list(self._counted(lambda keys: frequent(_sort(keys), n)))
        finally:
            self.close()
        return np.sort(np.concatenate(out)) if out else np.empty(0, np.int64)

    def close(self) -> None:
        self._mem, self._mem_bytes = [], 0
        if self._parts is not None:
            self._parts.close()
            self._parts = None


def _sort(keys: np.ndarray) -> np.ndarray:
    keys.sort()  # in place: the partition's own array
    return keys


def runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values of sorted ``keys`` starts, and its length."""
    new = np.empty(len(keys), np.bool_)
    new[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    return starts, np.diff(starts, append=len(keys))


def frequent(keys: np.ndarray, n: int) -> np.ndarray:
    """The keys that occur ``n`` times or more in sorted ``keys``, once each."""
    starts, counts = runs(keys)
    good: np.ndarray = keys[starts[counts >= n]]
    return good


class KeySet:
    """Membership of 64-bit keys in a sorted key array, for many lookups.

    Why not only ``np.searchsorted``: a binary search is ~20 random reads per key, and at
    10M actions the toolkit preset looks up 166M pair keys (15 s). A byte table indexed by
    the key's Fibonacci hash answers "certainly absent" for most keys with one read; only
    keys that hit an occupied slot (the members, plus ~1/16 of the others) are searched."""

    def __init__(self, keys: np.ndarray) -> None:
        self.keys = np.ascontiguousarray(keys, dtype=np.int64)
        bits = min(max(16, (16 * len(self.keys) - 1).bit_length()), 27)  # ~16 slots per key
        self._shift = np.uint64(64 - bits)
        self._table = np.zeros(1 << bits, np.bool_)
        self._table[self._slot(self.keys)] = True

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.view(np.uint64) * GOLDEN) >> self._shift).astype(np.intp)

    def contains(self, keys: np.ndarray) -> np.ndarray:
        """Boolean array: which of ``keys`` are members."""
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        out = self._table[self._slot(keys)]
        maybe = np.flatnonzero(out)
        if len(maybe) and len(self.keys):
            k = keys[maybe]
            pos = np.minimum(np.searchsorted(self.keys, k), len(self.keys) - 1)
            out[maybe] = self.keys[pos] == k
        found: np.ndarray = out
        return found


def group_chunks(batches: Iterable[pa.RecordBatch], rows: int) -> Iterator[dict[str, np.ndarray]]:
    """Re-cut item-sorted batches into chunks (column name -> numpy array) of about ``rows``
    rows, ending on item boundaries (:func:`key_chunks` on ``item``)."""
    for tbl in key_chunks(batches, rows, "item"):
        yield {c: tbl.column(c).to_numpy() for c in tbl.column_names}


def key_chunks(batches: Iterable[pa.RecordBatch], rows: int, key: str) -> Iterator[pa.Table]:
    """Re-cut batches sorted on ``key`` into tables of about ``rows`` rows that end where a key
    ends (a batch larger than ``rows`` is cut into several; a key with more rows is whole)."""
    held: list[pa.RecordBatch] = []
    n = 0
    for b in batches:
        if b.num_rows:
            held.append(b)
            n += b.num_rows
        if n <= rows:
            continue
        tbl = pa.Table.from_batches(held).combine_chunks()
        col = tbl.column(key).to_numpy()
        start = 0
        while len(col) - start > rows:
            cut = int(np.searchsorted(col, col[start + rows], side="left"))  # that key's first row
            if cut == start:  # one key holds more than ``rows`` rows: take it whole
                cut = int(np.searchsorted(col, col[start], side="right"))
                if cut == len(col):  # it may go on in the next batch
                    break
            yield tbl.slice(start, cut - start)
            start = cut
        rest = tbl.slice(start)
        held, n = rest.to_batches(), rest.num_rows
    if n:
        yield pa.Table.from_batches(held).combine_chunks()


def chunk_pairs(c: dict[str, np.ndarray], window_us: int, max_neighbours: int,
                after_us: int | None = None) -> Iterator[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]:
    """Every window pair of one chunk of :func:`group_chunks`, as ``(c, i, j)``: row indices
    into the chunk's columns (``i`` before ``j`` in the sort order, so ``t_us[j] >= t_us[i]``).

    The chunk has columns ``item`` (integer), ``t_us``, ``aid`` (account number), ``hot``
    (bool) and any others, sorted as :func:`~lockstep.engine.duckdb.pairs.sorted_rows_sql`
    gives them. Pairs of one account with itself are included (callers filter them).
    ``after_us``: only pairs more than that far apart (``PairSpec.after_s``, the band)."""
    c["t_us"] = c["t_us"].astype(np.int64, copy=False)
    for i, j in _chunk_pairs(c["item"], c["t_us"], c["hot"], window_us, max_neighbours, after_us):
        yield c, i, j


def window_pair_index(batches: Iterable[pa.RecordBatch], window_us: int, max_neighbours: int,
                      chunk_rows: int = 1_000_000,
                      on_chunk: Callable[[dict[str, np.ndarray]], None] | None = None,
                      after_us: int | None = None) -> Iterator[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]:
    """Every window pair of item-sorted actions (see :func:`chunk_pairs`) as ``(c, i, j)``,
    pairs of one account with itself left out, as the SQL does. ``on_chunk`` sees every
    item-complete chunk first (the chance curve is measured on the same pass)."""
    for c in group_chunks(batches, chunk_rows):
        if on_chunk is not None:
            on_chunk(c)
        for _, i, j in chunk_pairs(c, window_us, max_neighbours, after_us):
            keep = c["aid"][i] != c["aid"][j]
            yield c, i[keep], j[keep]


def window_pair_keys(batches: Iterable[pa.RecordBatch], window_us: int, max_neighbours: int,
                     chunk_rows: int = 1_000_000,
                     on_chunk: Callable[[dict[str, np.ndarray]], None] | None = None,
                     after_us: int | None = None) -> Iterator[np.ndarray]:
    """Pair keys of every window pair of :func:`window_pair_index`."""
    for c, i, j in window_pair_index(batches, window_us, max_neighbours, chunk_rows, on_chunk, after_us):
        yield pair_keys(c["aid"][i], c["aid"][j])


def _chunk_pairs(item: np.ndarray, t: np.ndarray, hot: np.ndarray, w: int,
                 k: int, after: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    m = len(item)
    if m < 2:
        return
    # Make time one increasing axis: each item gets its own stretch, separated by more than
    # the window, so a binary search for t + w never crosses into the next item.
    start = np.flatnonzero(np.concatenate(([True], item[1:] != item[:-1])))
    gid = np.repeat(np.arange(len(start)), np.diff(np.append(start, m)))
    t0 = t[start]
    span = np.maximum.reduceat(t, start) - t0
    step = span + (w + 1)
    if len(start) > 1 and float(step.astype(np.float64).sum()) >= 2.0**62:  # would overflow: halve
        cut = int(start[len(start) // 2])
        yield from _chunk_pairs(item[:cut], t[:cut], hot[:cut], w, k, after)
        for i, j in _chunk_pairs(item[cut:], t[cut:], hot[cut:], w, k, after):
            yield i + cut, j + cut
        return
    off = np.concatenate(([0], np.cumsum(step)[:-1]))
    axis = t - t0[gid] + off[gid]
    idx = np.arange(m)
    end = np.searchsorted(axis, axis + w, side="right")
    if k > 0 and hot.any():
        end = np.where(hot, np.minimum(end, idx + k + 1), end)
    begin = idx + 1  # first partner: the next row, or (a band) the first more than `after` later
    if after is not None:
        begin = np.maximum(begin, np.searchsorted(axis, axis + after, side="right"))
    n = np.maximum(end - begin, 0)
    # emit rows in runs of about CHUNK_PAIRS pairs
    cum = np.cumsum(n)
    lo = 0
    while lo < m:
        base = cum[lo - 1] if lo else 0
        hi = int(np.searchsorted(cum, base + CHUNK_PAIRS, side="right"))
        hi = max(hi, lo + 1)
        cnt = n[lo:hi]
        total = int(cnt.sum())
        if total:
            # the p-th partner of row r is begin[r] + p: j = arange + (begin[r] - r's first output)
            i = np.repeat(idx[lo:hi], cnt)
            j = np.repeat(begin[lo:hi] - (np.cumsum(cnt) - cnt), cnt)
            j += np.arange(total)
            yield i, j
        lo = hi
