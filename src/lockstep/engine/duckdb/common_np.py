"""The synchrony base in numpy: how many items two accounts both acted on, at any time.

Why not in SQL: surprise scoring keeps an edge only when enough of the items both accounts
acted on were acted on within the window (``min_synchrony``), so every account pair with two
or more shared items needs its count of common items. In SQL that was each pair expanded over
the items of its account with fewer items and probed against the other's, about a minute of
a 10M-action simulator world's detect (1.2M co_repost pairs inside one dense operation). Here
the same expansion runs on integer arrays: each probe is one read of a byte table
(:class:`~lockstep.engine.duckdb.pair_counts.KeySet`), in chunks that bound the memory. The
counts are the SQL's exactly (tests/engine/ compares every engine on the same data).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lockstep.engine.duckdb.pair_counts import KeySet
from lockstep.engine.duckdb.state import DuckState, fresh_name, new

CHUNK_PROBES = 8_000_000  # probes held in memory at a time (about 200 MB of temporaries)


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
    view = fresh_name("common")
    st.con.register(view, pa.table({"pa": pa_, "pb": pb_, "n_common": n}))
    try:
        return new(st, "common", f"SELECT xa.account_id AS account_a, xb.account_id AS account_b, c.n_common"
                                 f" FROM {view} c JOIN {acc} xa ON xa.aid = c.pa JOIN {acc} xb ON xb.aid = c.pb").name
    finally:
        st.con.unregister(view)


def common_counts(aid: np.ndarray, iid: np.ndarray, pa_: np.ndarray, pb_: np.ndarray) -> np.ndarray:
    """For each pair (pa_[i], pb_[i]) of account numbers, how many items both have among the
    distinct (account ``aid``, item ``iid``) rows. Each pair is expanded over the items of its
    account with fewer of them, every probe a lookup of (other account, item)."""
    out = np.zeros(len(pa_), dtype=np.int64)
    if not len(pa_) or not len(aid):
        return out
    order = np.lexsort((iid, aid))
    aid, iid = aid[order], iid[order]
    n_acc = int(max(aid.max(), pa_.max(), pb_.max())) + 1
    deg = np.bincount(aid, minlength=n_acc)
    offs = np.concatenate(([0], np.cumsum(deg)[:-1]))
    present = KeySet((aid << 32) | iid)  # sorted: rows are ordered by account, then item
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
