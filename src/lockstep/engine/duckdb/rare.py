"""Rarely shared items counted on their base's pass: ``co_repost_slow`` without a second sort.

Why: ``co_repost_slow`` pairs the reshares of posts that at most ``--slow-max-accounts``
accounts act on. Built on its own, that is a string group-by of every reshare to find the
rare posts, a stored copy of their rows, an integer copy, a second sort and a second counting
pass (about a fifth of detect at 10M co-retweets, where it finds nothing new). When the data
holds no originals (the ``with_originals`` rows), those rows are exactly ``co_repost``'s rows
on the rare posts, and ``co_repost``'s counting pass already streams them sorted by item with
integer keys. So the rare items are found there, per item-complete chunk (distinct account
numbers per item), and their window pairs counted, and their chance curve measured, on the
same chunks; the stored rows of the rare items are then picked from the base rows by ``uid``
(the same uids, which the counted pair rows carry: see ``pair_rows``). Every output is the
same as building them apart (tests/engine/test_reference_parity.py runs both paths).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lockstep.engine.base import PairSpec
from lockstep.engine.duckdb.chance_np import TimingCurve, accounts_per_item
from lockstep.engine.duckdb.pair_counts import chunk_pairs, pair_keys
from lockstep.engine.duckdb.pair_rows import PairRowCounter
from lockstep.engine.duckdb.state import Deferred, DuckState, LazyItems, LazyPairs, arrow_view, new, rename


def can_ride(base: LazyPairs, spec: PairSpec) -> bool:
    """Whether a rare-items signal pairing with ``spec`` can be counted on ``base``'s pass:
    the hot-item cap must mark the same items (the same rows, the same threshold)."""
    return spec.max_neighbours == 0 or (base.spec.max_neighbours > 0
                                        and spec.hot_item_actions == base.spec.hot_item_actions)


class RareRider:
    """One rare-items signal counted on its base's chunks (see the module doc)."""

    def __init__(self, d: Deferred, lazy: LazyPairs, items: LazyItems, counter: PairRowCounter) -> None:
        self.d, self.spec, self.max_accounts = d, lazy.spec, items.max_accounts
        self.counter = counter
        self.sig = -1  # its signal number among the counted rows (set by the caller)
        self.w = int(round(lazy.spec.window_s * 1_000_000))
        self.k = int(lazy.spec.max_neighbours)
        self.after = None if lazy.spec.after_s is None else int(round(lazy.spec.after_s * 1_000_000))
        self.uids: list[np.ndarray] = []
        self.timing: TimingCurve | None = None
        if d.spec.chance_window_s is not None and d.spec.chance_items is None:
            ca = d.spec.chance_after_s
            self.timing = TimingCurve(int(round(d.spec.chance_window_s * 1_000_000)),
                                      None if ca is None else int(round(ca * 1_000_000)))

    def add(self, c: dict[str, np.ndarray]) -> None:
        """One item-complete chunk of the base (columns item, t_us, aid, hot, uid)."""
        item, aid = c["item"], c["aid"]
        m = len(item)
        if m == 0:
            return
        start = np.flatnonzero(np.concatenate(([True], item[1:] != item[:-1])))
        gid = np.repeat(np.arange(len(start)), np.diff(np.append(start, m)))
        u = accounts_per_item(gid, aid, len(start))
        keep = ((u >= 2) & (u <= self.max_accounts))[gid]
        if not keep.any():
            return
        sub = {name: col[keep] for name, col in c.items()}
        uid = sub["uid"]
        # held until the pass ends: 4 bytes a row while they fit (27.8M rows at 100M actions)
        self.uids.append(uid.astype(np.int32) if int(uid.max()) < 2**31 else uid.astype(np.int64, copy=False))
        if self.timing is not None:
            self.timing.add(sub)
        for _, i, j in chunk_pairs(sub, self.w, self.k, self.after):
            p, q = sub["aid"][i], sub["aid"][j]
            ok = p != q
            self.counter.add(pair_keys(p[ok], q[ok]), self.sig, sub["uid"][i[ok]], sub["uid"][j[ok]])

    def store(self, st: DuckState, base_items: str) -> None:
        """Store the rare items' rows (the base's, by uid) under the handle handed out."""
        uids = np.concatenate(self.uids) if self.uids else np.empty(0, np.int64)
        self.uids = []  # not held beside the joined copy
        with arrow_view(st, pa.table({"uid": uids})) as view:
            rel = new(st, "items", f"SELECT b.* FROM {base_items} b SEMI JOIN {view} USING (uid)")
        st.lazy_items.pop(self.d.items, None)
        rename(st, rel, self.d.items)
        st.stats["rare_rows_on_base_pass"] = st.stats.get("rare_rows_on_base_pass", 0) + len(uids)
