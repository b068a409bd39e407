"""The numpy core of integer surprise scoring: kept pair rows to per-pair sums, no DuckDB.

Why a module of its own: :mod:`~lockstep.engine.duckdb.surprise_np` reads the rows from
DuckDB and stores the results; everything between is array work whose cost is memory
traffic, not arithmetic. On the 10M-action simulator world (co_repost: 7.5M kept rows over
5.4M item rows) every fresh 60 MB temporary costs page faults and every gather over the item
rows a cache miss per row, so the steps here are arranged to touch the rows as few times as
they can: each item row's time and (account, item) sit side by side in one 16-byte record,
so a kept row's two actions are two gathers (were five, over three arrays); dropped rows
(an account with itself, min_participation) are keyed -1 and cut off after the sort instead
of filtered out of every array; the action pair of a row travels as one packed integer; the
rows are keyed and sorted in parts on the detection's threads and the parts merged; and
after the sort by (pair, item) the accounts and item are read back off the sorted keys
instead of gathered by the order. The results are those of the earlier steps exactly (same
sort key, same summation order; tests/engine/test_surprise_np.py runs them against the SQL).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lockstep.distinct import distinct
from lockstep.engine.duckdb.threads import ordered_map, workers

PART_ROWS = 4_000_000  # kept rows keyed and sorted per part at most (about 200 MB of temporaries)

#: ties of the earliest co-action (equal gaps): ``(group, row, uid_a, uid_b)`` of the tied rows
#: in, ``(group, row)`` with each group's row of the smallest action ids (as strings) out
Ties = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class PairSums:
    """Per account pair (``a`` < ``b``, account numbers; in (a, b) order) of the kept rows:
    shared items, summed weight and gaps; and the co-action rows (one per pair and item, in
    (a, b, item) order) as ``row_a``/``row_b`` (item row numbers of a's and b's action), ``dt``
    (seconds) and ``w`` (the item's weight)."""

    a: np.ndarray
    b: np.ndarray
    n_shared: np.ndarray
    weight: np.ndarray
    mean_dt: np.ndarray
    row_a: np.ndarray
    row_b: np.ndarray
    dt: np.ndarray
    w: np.ndarray


def pair_sums(uid: np.ndarray, aid: np.ndarray, iid: np.ndarray, t_us: np.ndarray, ua: np.ndarray, ub: np.ndarray,
              ok: np.ndarray | None, pop: np.ndarray, n_all: float, ties: Ties) -> PairSums:
    """The per-pair sums of the kept rows (``ua``, ``ub``: item row numbers ``uid``) over the
    item rows (``uid``, account ``aid``, item ``iid``, time ``t_us``): rows of one account
    dropped, and of an account not ``ok`` (min_participation); each row oriented (lower
    account first, its action with it); one row per (pair, item), the earliest (``_earliest``);
    ``w`` = max(ln(n_all / pop[item]), 0).

    The rows are keyed (pair, item) and sorted in parts on the detection's threads (numpy
    releases the GIL), the sorted parts merged by one stable argsort of their keys (runs:
    linear); the order of equal keys is settled by ``_earliest`` whatever it was."""
    n = len(ua)
    bits_i = max(int(iid.max()).bit_length(), 1) if len(iid) else 1
    bits_a = max(int(aid.max()).bit_length(), 1) if len(aid) else 1
    wide = 2 * bits_a + bits_i > 63  # too many accounts and items for one packed key: pairs ranked
    top = int(uid.max()) + 1 if len(uid) else 1
    rec = np.zeros((top, 2), np.int64)  # per item row: its time, then (account, item) packed
    rec[uid, 0] = t_us
    rec[uid, 1] = (aid << bits_i) | iid
    narrow_u = n == 0 or int(max(ua.max(), ub.max())).bit_length() <= 31  # the action pair as one integer
    key = np.empty(n, np.int64)  # (pair, item) packed; when wide, the pair alone (``item`` beside)
    item_w = np.empty(n, np.int64) if wide else None
    dt = np.empty(n, np.float64)
    uu = np.empty(n, np.int64) if narrow_u else np.empty((n, 2), np.int64)
    mask_i = (1 << bits_i) - 1

    def part(span: tuple[int, int]) -> tuple[int, np.ndarray, np.ndarray]:
        lo, hi = span
        xa, xb = ua[lo:hi], ub[lo:hi]
        ga = np.take(rec, xa, axis=0)
        gb = np.take(rec, xb, axis=0)
        p, q = ga[:, 1] >> bits_i, gb[:, 1] >> bits_i
        drop = p == q  # rows dropped sort first under key -1 and are cut off there, not filtered out
        if ok is not None:  # both accounts need min_participation rows among the signal's items
            drop |= ~(ok[p] & ok[q])
        swap = p > q  # orient each row as (lower account, higher account), its actions with it
        item = np.where(swap, gb[:, 1], ga[:, 1]) & mask_i
        np.divide(np.abs(gb[:, 0] - ga[:, 0]), 1e6, out=dt[lo:hi])
        del ga, gb
        if narrow_u:
            uu[lo:hi] = np.where(swap, (xb << 32) | xa, (xa << 32) | xb)
        else:
            uu[lo:hi, 0], uu[lo:hi, 1] = np.where(swap, xb, xa), np.where(swap, xa, xb)
        k = key[lo:hi]
        np.left_shift(np.minimum(p, q), bits_a, out=k)
        k |= np.maximum(p, q)
        if wide:
            k[drop] = -1
            item_w[lo:hi] = item  # type: ignore[index]
            return int(np.count_nonzero(drop)), np.zeros(0, np.int64), np.zeros(0, np.int64)
        k <<= bits_i
        k |= item
        k[drop] = -1  # the packed keys are never negative
        order = np.argsort(k)
        return int(np.count_nonzero(drop)), order + lo, k[order]

    threads = workers()
    step = max(-(-n // max(threads, -(-n // PART_ROWS))), 1)
    parts = list(ordered_map(part, [(lo, min(lo + step, n)) for lo in range(0, n, step)], threads, threads))
    del rec
    n_drop = sum(d for d, _, _ in parts)
    pairs = None  # the pairs' keys when a pair's number is its rank among them
    if wide:
        drop = key == -1
        pairs = distinct(key)
        key = np.searchsorted(pairs, key)
        if int(len(pairs)).bit_length() + bits_i > 63:
            raise OverflowError("too many account pairs and items for one packed key")
        key <<= bits_i
        key |= item_w  # type: ignore[arg-type]
        key[drop] = -1
        del item_w, drop
        order = np.argsort(key)
        ks = key[order]
    elif len(parts) <= 1:
        order, ks = (parts[0][1], parts[0][2]) if parts else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    else:  # the sorted parts merged: a stable argsort of sorted runs is a merge
        ks = np.concatenate([k for _, _, k in parts])
        by = np.argsort(ks, kind="stable")
        ks = ks[by]
        order = np.concatenate([o for _, o, _ in parts])[by]
        del by
    del parts, key
    sel, ks = _earliest(order, ks, n_drop, dt, uu, ties)
    del order
    dt, uu = dt[sel], uu[sel] if uu.ndim == 1 else np.take(uu, sel, axis=0)
    del sel
    item = ks & mask_i
    pk = ks >> bits_i  # the pair: a << bits_a | b (or its rank among ``pairs``)
    del ks
    w = np.log(n_all / pop[item]) if len(item) else np.zeros(0)
    np.maximum(w, 0.0, out=w)
    m = len(pk)
    starts = np.flatnonzero(np.r_[True, pk[1:] != pk[:-1]]) if m else np.zeros(0, np.int64)
    n_shared = np.diff(np.r_[starts, m]).astype(np.int64)
    weight = np.add.reduceat(w, starts) if m else np.zeros(0)
    mean_dt = np.add.reduceat(dt, starts) / n_shared if m else np.zeros(0)
    head = pk[starts] if pairs is None else pairs[pk[starts]]
    row_a, row_b = (uu >> 32, uu & 0xFFFFFFFF) if uu.ndim == 1 else (uu[:, 0], uu[:, 1])
    return PairSums(head >> bits_a, head & ((1 << bits_a) - 1), n_shared, weight, mean_dt, row_a, row_b, dt, w)


def _earliest(order: np.ndarray, ks: np.ndarray, n_drop: int, dt: np.ndarray, uu: np.ndarray,
              ties: Ties) -> tuple[np.ndarray, np.ndarray]:
    """One row per key ((pair, item) packed), in key order, less the ``n_drop`` rows keyed -1
    (first): the earliest co-action (smallest ``dt``, then smallest action id of a, then of
    b: the SQL's ``min`` of a struct). ``order``: the rows by key, ``ks`` their keys. Returns
    the rows' positions and their keys."""
    order, ks = order[n_drop:], ks[n_drop:]
    n = len(order)
    if not n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    first = np.empty(n, bool)
    first[0] = True
    np.not_equal(ks[1:], ks[:-1], out=first[1:])
    if first.all():
        return order, ks
    gid = np.cumsum(first) - 1
    size = np.bincount(gid)
    multi = size[gid] > 1  # rows of keys seen more than once: the earliest of each
    rows_m, g_m = order[multi], gid[multi]
    by = np.lexsort((dt[rows_m], g_m))
    rows_m, g_m = rows_m[by], g_m[by]
    head = np.r_[True, g_m[1:] != g_m[:-1]]
    best_dt = dt[rows_m[head]][np.cumsum(head) - 1]
    tied = dt[rows_m] == best_dt
    n_tied = np.bincount(g_m[tied], minlength=int(gid[-1]) + 1)
    out = order[first]
    out[g_m[head]] = rows_m[head]
    hard = tied & (n_tied[g_m] > 1)
    if hard.any():  # equal gaps: the smaller action ids win, as strings
        r = rows_m[hard]
        u1, u2 = (uu[r] >> 32, uu[r] & 0xFFFFFFFF) if uu.ndim == 1 else (uu[r, 0], uu[r, 1])
        g, row = ties(g_m[hard], r, u1, u2)
        out[g] = row
    return out, ks[first]
