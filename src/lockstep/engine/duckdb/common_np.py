"""The synchrony base in numpy: how many items two accounts both acted on, at any time.

Why not in SQL: surprise scoring keeps an edge only when enough of the items both accounts
acted on were acted on within the window (``min_synchrony``), so every account pair with two
or more shared items needs its count of common items. In SQL that was each pair expanded over
the items of its account with fewer items and probed against the other's, about a minute of
a 10M-action simulator world's detect (1.2M co_repost pairs inside one dense operation). Here
the same expansion runs on integer arrays: each probe is one read of a byte table
(:class:`~lockstep.engine.duckdb.pair_counts.KeySet`), in chunks that bound the memory; and
pairs of two accounts with many items, where probes add up to hundreds of millions, are read
off a blocked sparse matrix product instead (scipy; 28 -> 3 s on that world's co_repost). The
counts are the SQL's exactly (tests/engine/ compares every engine on the same data).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
from scipy import sparse

from lockstep.distinct import distinct
from lockstep.engine.duckdb.pair_counts import KeySet
from lockstep.engine.duckdb.state import DuckState, arrow_view, new
from lockstep.engine.duckdb.threads import ordered_map, workers

CHUNK_PROBES = 2_000_000  # probes held in memory at a time (about 50 MB of temporaries; 8M: 4x the
# memory, no faster: 10M world co_repost at 617 MB of numpy peak against 338 MB)
HEAVY = 64  # pairs whose lighter account has more items than this are counted by a matrix product
POPULAR = 128  # among those, items on more of their accounts than this are counted on bitsets
POPULAR_WORDS = 4_000_000  # words of those bitsets at most (32 MB; then only the most popular items)
BLOCK_PRODUCTS = 8_000_000  # multiplications of one block's product (estimated from above)
BLOCK_CELLS = 8_000_000  # cells of one block's dense product (32 MB)


def common_table(st: DuckState, items: str, agg: str) -> str:
    """A table (account_a, account_b, n_common) for the pairs of ``agg`` (account_a,
    account_b, n_shared) with ``n_shared >= 2``: distinct items of ``items`` both acted on."""
    acc = new(st, "cacc", f"SELECT account_id, (row_number() OVER () - 1)::BIGINT AS aid FROM"
                          f" (SELECT account_a AS account_id FROM {agg} WHERE n_shared >= 2"
                          f" UNION SELECT account_b FROM {agg} WHERE n_shared >= 2)").name
    rows = st.con.sql(f"WITH ai0 AS (SELECT DISTINCT account_id, item FROM {items} SEMI JOIN {acc} USING (account_id)),"
                      f" itm AS (SELECT item, row_number() OVER () AS iid FROM (SELECT DISTINCT item FROM ai0))"
                      f" SELECT acc.aid, itm.iid FROM ai0 JOIN {acc} acc USING (account_id) JOIN itm USING (item)"
                      ).fetchnumpy()
    pairs = st.con.sql(f"SELECT xa.aid AS pa, xb.aid AS pb FROM {agg} g JOIN {acc} xa ON xa.account_id = g.account_a"
                       f" JOIN {acc} xb ON xb.account_id = g.account_b WHERE g.n_shared >= 2").fetchnumpy()
    pa_, pb_ = np.asarray(pairs["pa"], np.int64), np.asarray(pairs["pb"], np.int64)
    n = common_counts(np.asarray(rows["aid"], np.int64), np.asarray(rows["iid"], np.int64), pa_, pb_)
    with arrow_view(st, pa.table({"pa": pa_, "pb": pb_, "n_common": n})) as view:
        return new(st, "common", f"SELECT xa.account_id AS account_a, xb.account_id AS account_b, c.n_common"
                                 f" FROM {view} c JOIN {acc} xa ON xa.aid = c.pa JOIN {acc} xb ON xb.aid = c.pb").name


def common_counts(aid: np.ndarray, iid: np.ndarray, pa_: np.ndarray, pb_: np.ndarray) -> np.ndarray:
    """For each pair (pa_[i], pb_[i]) of account numbers, how many items both have among the
    distinct (account ``aid``, item ``iid``) rows.

    Two ways, chosen per pair by its cost: a pair whose lighter account has at most ``HEAVY``
    items is expanded over that account's items, each probed against the other's (cheap and
    independent of the rest of the data); the pairs of two heavier accounts (a dense operation:
    1.2M pairs of accounts with ~200 items each, 660M probes, 30 s at 10M actions) are counted
    by :func:`_heavy`. The rows are sorted once, by account then item, for both."""
    out = np.zeros(len(pa_), dtype=np.int64)
    if not len(pa_) or not len(aid):
        return out
    n_acc = int(max(aid.max(), pa_.max(), pb_.max())) + 1
    key = np.sort((aid.astype(np.int64) << 32) | iid)  # by account, then item (one sort of one key)
    aid, iid = key >> 32, key & 0xFFFFFFFF
    deg = np.bincount(aid, minlength=n_acc)
    same = pa_ == pb_
    out[same] = deg[pa_[same]]  # an account shares all its items with itself
    light = (np.minimum(deg[pa_], deg[pb_]) <= HEAVY) & ~same
    heavy = np.flatnonzero(~light & ~same)
    probe = np.flatnonzero(light)
    if len(heavy):
        out[heavy] = _heavy(aid, iid, deg, pa_[heavy], pb_[heavy])
    if len(probe):
        out[probe] = _probe(aid, iid, deg, pa_[probe], pb_[probe], KeySet(key))
    return out


def _heavy(aid: np.ndarray, iid: np.ndarray, deg: np.ndarray, pa_: np.ndarray, pb_: np.ndarray) -> np.ndarray:
    """Common items of pairs of heavy accounts (rows sorted by account, then item). Their
    accounts are numbered densely first, and only items on two or more of them kept: blocks of
    the product then span only accounts that pair (at 10M actions, 12K of 410K), and each
    block's transposed operand only the items they share. Most multiplications come from a
    few items on very many of the accounts (at 10M actions, the 110 items on more than 128 of
    co_repost's 12K heavy accounts make 95% of them): those items are counted on a bitset per
    account (:func:`_bit_counts`), the others by the blocked product (:func:`_product`) and,
    where a block is too sparse for one, by probes."""
    acc = distinct(np.concatenate([pa_, pb_]))
    number = np.full(len(deg), -1, np.int64)
    number[acc] = np.arange(len(acc))
    aid = number[aid]
    keep = aid >= 0
    aid, iid = aid[keep], iid[keep]  # still sorted by account, then item
    pa_, pb_ = number[pa_], number[pb_]
    item_deg = np.bincount(iid)
    shared = item_deg[iid] >= 2  # an item of one account is common to no pair
    aid, iid = aid[shared], (np.cumsum(item_deg >= 2) - 1)[iid[shared]]  # items renumbered densely
    out = np.zeros(len(pa_), dtype=np.int64)
    if not len(aid):
        return out
    popular = _popular(item_deg[item_deg >= 2], len(acc))
    if popular is not None:
        out += _bit_counts(aid, iid, popular, len(acc), pa_, pb_)
        rest = ~popular[iid]
        aid, iid = aid[rest], iid[rest]
    deg = np.bincount(aid, minlength=len(acc))
    got, left = _product(aid, iid, deg, pa_, pb_)
    out += got
    if len(left):  # blocks too sparse for a product
        out[left] += _probe(aid, iid, deg, pa_[left], pb_[left], KeySet((aid << 32) | iid))
    return out


def _popular(item_deg: np.ndarray, n_acc: int) -> np.ndarray | None:
    """Items (a mask) on more than ``POPULAR`` of the ``n_acc`` accounts, at most as many as
    ``POPULAR_WORDS`` words of bitsets hold (then the most popular); None when there are none."""
    cand = np.flatnonzero(item_deg > POPULAR)
    most = (POPULAR_WORDS // max(n_acc, 1)) * 64
    if len(cand) > most:
        cand = cand[np.argsort(item_deg[cand], kind="stable")[len(cand) - most:]]
    if not len(cand):
        return None
    mask = np.zeros(len(item_deg), bool)
    mask[cand] = True
    return mask


def _bit_counts(aid: np.ndarray, iid: np.ndarray, popular: np.ndarray, n_acc: int, pa_: np.ndarray,
                pb_: np.ndarray) -> np.ndarray:
    """Per pair, its common items among the ``popular`` ones: a bitset of those items per
    account (numbered 0..n_acc-1), and per pair the bits set in both (AND, popcount)."""
    col = np.cumsum(popular) - 1  # popular items numbered densely
    on = popular[iid]
    r, c = aid[on], col[iid[on]]
    words = int(col[-1]) // 64 + 1
    flat = np.zeros(n_acc * words, np.uint64)
    np.bitwise_or.at(flat, r * words + (c >> 6), np.left_shift(np.uint64(1), (c & 63).astype(np.uint64)))
    bits = flat.reshape(n_acc, words)
    out = np.zeros(len(pa_), dtype=np.int64)
    step = max(CHUNK_PROBES // words, 1)
    for lo in range(0, len(pa_), step):
        both = bits[pa_[lo:lo + step]] & bits[pb_[lo:lo + step]]
        out[lo:lo + step] = np.bitwise_count(both).sum(axis=1, dtype=np.int64)
    return out


def _probe(aid: np.ndarray, iid: np.ndarray, deg: np.ndarray, pa_: np.ndarray, pb_: np.ndarray,
           present: KeySet) -> np.ndarray:
    """Each pair expanded over the items of its account with fewer of them, every probe a
    lookup of (other account, item) in ``present`` (the rows' keys; rows sorted by account,
    then item)."""
    out = np.zeros(len(pa_), dtype=np.int64)
    offs = np.concatenate(([0], np.cumsum(deg)[:-1]))
    small_a = deg[pa_] <= deg[pb_]
    s = np.where(small_a, pa_, pb_)
    big = np.where(small_a, pb_, pa_)
    cnt = deg[s]
    cum = np.cumsum(cnt)
    lo = 0
    while lo < len(s):
        base = int(cum[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(cum, base + CHUNK_PROBES, side="right")), lo + 1)
        c = cnt[lo:hi]
        total = int(c.sum())
        if total:
            which = np.repeat(np.arange(hi - lo), c)
            first = np.repeat(np.cumsum(c) - c, c)
            pos = np.repeat(offs[s[lo:hi]], c) + (np.arange(total) - first)
            hit = present.contains((big[lo:hi][which] << 32) | iid[pos])
            out[lo:hi] = np.bincount(which[hit], minlength=hi - lo)
        lo = hi
    return out


def _product(aid: np.ndarray, iid: np.ndarray, deg: np.ndarray, pa_: np.ndarray,
             pb_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Common items of account pairs (no self-pairs) as entries of ``A A^T``, where A is the
    0/1 accounts x items matrix (the rows sorted by account, then item: its CSR form as they
    are), and the positions of the pairs left to probing. Pairs are
    taken as (lower, higher) account number and cut into blocks of lower accounts; a block's
    product is against only the higher accounts its pairs name, bounded by ``BLOCK_PRODUCTS``
    multiplications (estimated from above) and ``BLOCK_CELLS`` dense cells, so memory stays
    bounded whatever the data. A block whose pairs are few for its cells and products (heavy
    accounts paired at random, not a dense group) is cheaper to probe and is left to it: about
    40 ns a probe against 1 ns a dense cell, 4 ns a multiplication and 7 ns an item a block
    (scipy's transposed operand has a row per item), measured."""
    out = np.zeros(len(pa_), dtype=np.int64)
    left: list[np.ndarray] = []
    n_acc = len(deg)
    item_deg = np.bincount(iid)
    shared = item_deg[iid] >= 2  # an item of one account is common to no pair
    aid, iid = aid[shared], (np.cumsum(item_deg >= 2) - 1)[iid[shared]]  # items renumbered densely
    if not len(aid):
        return out, np.zeros(0, np.int64)
    n_items = int(iid.max()) + 1
    indptr = np.concatenate(([0], np.cumsum(np.bincount(aid, minlength=n_acc))))  # rows are sorted: CSR as is
    a = sparse.csr_array((np.ones(len(aid), np.int32), iid, indptr), shape=(n_acc, n_items))
    lo_, hi_ = np.minimum(pa_, pb_), np.maximum(pa_, pb_)
    if n_acc < 2**31 and len(lo_) < 2**32:  # a stable argsort by one sort of (account, position)
        order = np.sort((lo_ << 32) | np.arange(len(lo_))) & 0xFFFFFFFF
    else:
        order = np.argsort(lo_, kind="stable")
    rows = lo_[order]
    weights = np.bincount(iid, minlength=n_items).astype(np.float64)[iid]
    cum = np.cumsum(np.bincount(aid, weights=weights, minlength=n_acc))  # products per row, at most

    def blocks() -> Iterator[tuple[np.ndarray, int, int, np.ndarray]]:
        """The blocks to multiply (pairs, first and end row, columns); the others go to ``left``."""
        pos = 0
        while pos < len(rows):
            r0 = int(rows[pos])
            base = float(cum[r0 - 1]) if r0 else 0.0
            r1 = min(max(int(np.searchsorted(cum, base + BLOCK_PRODUCTS, side="right")), r0 + 1), n_acc)
            r1 = _fit_cells(rows, pos, r0, r1, n_acc)
            end = int(np.searchsorted(rows, r1))
            sel = order[pos:end]
            cols = distinct(hi_[sel])
            probes = float(np.minimum(deg[lo_[sel]], deg[hi_[sel]]).sum())
            if (cum[r1 - 1] - base) / 10 + (r1 - r0) * len(cols) / 40 + n_items / 6 > probes:
                left.append(sel)
            else:
                yield sel, r0, r1, cols
            pos = end

    def product(block: tuple[np.ndarray, int, int, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        sel, r0, r1, cols = block
        # the block's few rows are the operand transposed (scipy converts it: its cost)
        dense = (a[cols] @ a[r0:r1].T).toarray()
        return sel, dense[np.searchsorted(cols, hi_[sel]), lo_[sel] - r0]

    # scipy's product releases the GIL: blocks on the detection's threads, taken in order
    threads = workers()
    for sel, got in ordered_map(product, blocks(), threads, ahead=2 * threads):
        out[sel] = got
    return out, (np.concatenate(left) if left else np.zeros(0, np.int64))


def _fit_cells(rows: np.ndarray, pos: int, r0: int, r1: int, n_acc: int) -> int:
    """The largest block end in (r0, r1] whose dense product stays within ``BLOCK_CELLS``,
    bounding its columns by its pair count (binary search, no set of columns built)."""
    def fits(r: int) -> bool:
        return (r - r0) * min(int(np.searchsorted(rows, r)) - pos, n_acc) <= BLOCK_CELLS
    if fits(r1):
        return r1
    good, bad = r0 + 1, r1
    while bad - good > 1:
        mid = (good + bad) // 2
        good, bad = (mid, bad) if fits(mid) else (good, mid)
    return good
