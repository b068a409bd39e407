"""Deferred surprise scoring: score only the account pairs that can pass pruning.

Why a module of its own: this is the step that decides whether a large run fits in memory
and on disk. Every signal pairs first; then the account pairs whose pair rows over all
signals reach ``--min-shared`` are found (window pairs enumerated and counted outside SQL,
see :mod:`lockstep.engine.duckdb.pair_counts`), and only their rows are scored and given
evidence: on integer keys when the signal scores its own items
(:mod:`lockstep.engine.duckdb.surprise_np`), else joined back to their strings and scored in SQL.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lockstep.engine.base import Rel
from lockstep.engine.duckdb.chance_np import TimingCurve
from lockstep.engine.duckdb.kept import KeptRows, done_with, key_table, rows_sql
from lockstep.engine.duckdb.memory import numpy_room, pass_room
from lockstep.engine.duckdb.pair_rows import PACKED_SIGNALS, PACKED_UID_MASK, PairRowCounter, window_pair_rows
from lockstep.engine.duckdb.pairs import int_rows, keyed_sql, sorted_rows_sql
from lockstep.engine.duckdb.rare import RareRider, can_ride
from lockstep.engine.duckdb.score import score_now, with_chance
from lockstep.engine.duckdb.state import (Deferred, DuckState, LazyItems, LazyPairs, accounts, count, drop,
                                          ensure_items, new, reader, rename, step)
from lockstep.engine.duckdb.surprise_np import can_score, score_ints
from lockstep.errors import EngineError


def score_deferred(st: DuckState) -> None:
    """Score the deferred signals only for the account pairs that can pass pruning.

    An account pair's ``n_shared`` in a signal is at most the number of its rows in that
    signal's pairs (scoring only filters co-actions and edges), so pairs whose total over
    every signal is below ``min_shared`` can never survive the fused pruning; they are
    dropped before the expensive per-item scoring, synchrony and evidence work. Scoring is
    per account pair, so the surviving pairs' edges are exactly what full scoring would give."""
    if not st.deferred:
        return
    # Pair rows per account pair bound its distinct items from above (a looser but much
    # cheaper bound than a DISTINCT over (pair, item): same kept edges). Counted on integer
    # account numbers packed into one key; lazy window pairs are enumerated from the
    # item-sorted integer rows and counted by sorting (pair_counts.py), never joined in SQL:
    # each counted row keeps its two row numbers, and the kept pairs' rows come back from
    # the count (pair_rows.py).
    acc = accounts(st)
    lazy_src: dict[str, tuple[int, str]] = {}  # lazy pairs -> (signal number, string items)
    curves: dict[str, tuple[int, int, list[float]]] = {}  # deferred edges -> chance curve, same pass
    ride = _riders(st)  # rare-items signals counted on their base's pass (rare.py)
    riding = {d.pairs for rs in ride.values() for d, _, _ in rs}
    counter = PairRowCounter(st.scratch, packed=_packable(st, riding))
    riders = {base: [RareRider(d, lazy, rare, counter) for d, lazy, rare in rs] for base, rs in ride.items()}
    try:
        for d in st.deferred:
            lazy = st.lazy.get(d.pairs)
            if lazy is None:
                _count_keyed(st, counter, keyed_sql(d.pairs, acc, "1") + " WHERE p <> q")
                continue
            if d.pairs in riding:
                continue
            ensure_items(st, lazy.items)
            mine = riders.get(d.pairs, [])
            it = int_rows(st, lazy.items, lazy.spec.hot_item_actions if lazy.spec.max_neighbours > 0 else None)
            w = int(round(lazy.spec.window_s * 1_000_000))
            after = None if lazy.spec.after_s is None else int(round(lazy.spec.after_s * 1_000_000))
            k = int(lazy.spec.max_neighbours)
            sig = len(lazy_src)
            lazy_src[d.pairs] = (sig, lazy.items)
            rows = reader(st, sorted_rows_sql(it, "uid"))  # counted, never joined
            n_rows = count(st, it)
            step(st, f"counting co-acting pairs of {n_rows:,} actions ({d.spec.signal})")
            timing = None  # the chance curve from these same rows, when they are the chance rows
            if d.spec.chance_window_s is not None and d.spec.chance_items is None and lazy.items == d.items:
                ca_s = d.spec.chance_after_s
                timing = TimingCurve(int(round(d.spec.chance_window_s * 1_000_000)),
                                     None if ca_s is None else int(round(ca_s * 1_000_000)))
            feeds: list[Callable[[dict[str, np.ndarray]], None]] = []
            for r in mine:
                r.sig = len(lazy_src)
                lazy_src[r.d.pairs] = (r.sig, r.d.items)
                feeds.append(r.add)
            if timing is not None:
                feeds.insert(0, timing.add)

            def on_chunk(c: dict[str, np.ndarray], feeds: list[Callable[[dict[str, np.ndarray]], None]] = feeds) -> None:
                for f in feeds:
                    f(c)
            with pass_room(st, n_rows):  # the pass's arrays beside DuckDB's sort
                try:
                    for keys, ua, ub in window_pair_rows(rows, w, k, on_chunk=on_chunk if feeds else None,
                                                         after_us=after):
                        counter.add(keys, sig, ua, ub)
                        step(st, f"counting co-acting pairs: {counter.total:,} pair rows")
                finally:
                    rows.close()  # release DuckDB's result even when counting fails
            if timing is not None:
                curves[d.name] = timing.result()
            for r in mine:  # the rare items' rows and chance curve
                r.store(st, lazy.items)
                if r.timing is not None:
                    curves[r.d.name] = r.timing.result()
        for e in st.eager:
            _count_keyed(st, counter, keyed_sql(e, acc, "n_shared"))
        spilled = counter.spilled
        step(st, f"keeping pairs with >= {st.min_shared} of {counter.total:,} pair rows")
        kept_rows = KeptRows(st, len(lazy_src))
        kept_keys = counter.at_least(int(st.min_shared), kept_rows.add)
        kept_rows.flush()
        st.stats.update(pair_rows_counted=int(counter.total), candidate_pairs=int(len(kept_keys)),
                        pair_keys_spilled=int(spilled))
    except OSError as exc:  # the partition files: disk full, temp directory not writable
        raise EngineError(f"counting co-acting pairs in {st.scratch} failed: {exc.strerror or exc}"
                          f" ({counter.total:,} pair rows so far, {16 if counter.packed else 24} bytes each on disk; free disk space"
                          " there, or raise --min-shared / lower --max-neighbours)") from None
    finally:
        counter.close()
    step(st, f"scoring {len(kept_keys):,} candidate pairs")
    cand = None
    for i, d in enumerate(st.deferred):
        if i:
            drop(st, done_with(st, st.deferred[i - 1], st.deferred[i:], lazy_src, kept_rows))
        step(st, f"scoring {d.spec.signal}")
        if d.pairs in lazy_src:
            sig, src = lazy_src[d.pairs]
            st.lazy.pop(d.pairs)
            n_kept = count(st, kept_rows.tables[sig])
            if src == d.items and n_kept and d.spec.scoring == "surprise":
                ensure_items(st, src)
                if can_score(st, d.spec, count(st, src), n_kept):  # on integer keys
                    with numpy_room(st):  # its arrays beside DuckDB's buffers
                        edges = Rel(score_ints(st, kept_rows.tables[sig], src, d.spec), st.owner)
                    rename(st, with_chance(st, edges, src, d.spec, curves.get(d.name)), d.name)
                    continue
            kept = new(st, "pairs", rows_sql(kept_rows.tables[sig], src))
        else:
            if cand is None:
                cand = key_table(st, kept_keys)
            kept = new(st, "pairs", f"SELECT p.* FROM {d.pairs} p JOIN {acc} xa"
                       f" ON xa.account_id = p.account_a JOIN {acc} xb ON xb.account_id = p.account_b"
                       f" WHERE ((least(xa.aid, xb.aid) << 32) + greatest(xa.aid, xb.aid)) IN"
                       f" (SELECT k FROM {cand})")
        items = d.items
        if items in st.lazy_items and count(st, kept.name) == 0:  # nothing to score: no rows read
            lz = st.lazy_items[items]
            if lz.base:
                ensure_items(st, lz.base)
            items = new(st, "items", f"SELECT * FROM ({lz.sql}) LIMIT 0").name
        ensure_items(st, items)
        rename(st, score_now(st, kept.name, items, d.spec, curves.get(d.name)), d.name)
        drop(st, {kept.name})
    if st.deferred:
        drop(st, done_with(st, st.deferred[-1], [], lazy_src, kept_rows))
    st.deferred.clear()


def _riders(st: DuckState) -> dict[str, list[tuple[Deferred, LazyPairs, LazyItems]]]:
    """Deferred signals on lazy rare items (``LazyItems``) whose base is another deferred
    signal's lazily paired items, by that signal's pairs: counted on its pass."""
    bases = {lz.items: d.pairs for d in st.deferred if (lz := st.lazy.get(d.pairs)) is not None}
    out: dict[str, list[tuple[Deferred, LazyPairs, LazyItems]]] = {}
    for d in st.deferred:
        lazy = st.lazy.get(d.pairs)
        rare = st.lazy_items.get(d.items)
        # (max_accounts 0: a base's rows plus the originals, not a pick of its rare items)
        if (lazy is None or rare is None or rare.max_accounts <= 0 or lazy.items != d.items
                or rare.base not in bases):
            continue
        base_pairs = bases[rare.base]
        if can_ride(st.lazy[base_pairs], lazy.spec):
            out.setdefault(base_pairs, []).append((d, lazy, rare))
    return out


def _count_keyed(st: DuckState, counter: PairRowCounter, sql: str) -> None:
    """Add the (k, n) rows of ``sql`` to ``counter`` (key k counted n times)."""
    for b in reader(st, f"SELECT k, n FROM ({sql})"):
        k, n = b.column(0).to_numpy(), b.column(1).to_numpy().astype(np.int64)
        counter.add(np.repeat(k, np.maximum(n, 0)))


def _packable(st: DuckState, riding: set[str]) -> bool:
    """Whether every counted row's uids fit a packed pair row (``PairRowCounter(packed=True)``):
    fewer than 8 lazily paired signals, each of fewer than 2**30 item rows. Builds the item rows
    of the signals counted on their own pass (the counting loop would next)."""
    lazy = [st.lazy[d.pairs] for d in st.deferred if d.pairs in st.lazy]
    if len(lazy) > PACKED_SIGNALS:
        return False
    for items in {lz.items for d in st.deferred if (lz := st.lazy.get(d.pairs)) is not None and d.pairs not in riding}:
        ensure_items(st, items)
        top = st.con.execute(f"SELECT coalesce(max(uid), 0) FROM {items}").fetchall()[0][0]
        if int(top) > PACKED_UID_MASK:
            return False
    return True
