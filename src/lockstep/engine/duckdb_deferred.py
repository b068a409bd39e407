"""Deferred surprise scoring for the DuckDB engine: score only pairs that can pass pruning.

Why a module of its own: this is the step that decides whether a large run fits in memory
and on disk. Every signal pairs first; then the account pairs whose pair rows over all
signals reach ``--min-shared`` are found (window pairs enumerated and counted outside SQL,
see :mod:`lockstep.engine.pair_counts`), and only their rows are joined, scored and given
evidence. A mixin of :class:`~lockstep.engine.duckdb_engine.DuckDBEngine`, which holds the
state it uses (``_deferred``, ``_lazy``, ``_eager``, ``_min_shared``, ``stats``).
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import numpy as np
import pyarrow as pa

from lockstep.engine.pair_counts import PairCounter, window_pair_keys
from lockstep.engine.window_sql import (hot_ints_sql, int_form_sql, keyed_sql, kept_pairs_sql,
                                       sorted_rows_sql, window_join_sql)
from lockstep.errors import EngineError


class DeferredScoring:
    """``_score_deferred`` and its helpers (see the module doc)."""

    def _score_deferred(self) -> None:
        """Score the deferred signals only for the account pairs that can pass pruning.

        An account pair's ``n_shared`` in a signal is at most the number of its rows in
        that signal's pairs (scoring only filters co-actions and edges),
        so pairs whose total over every signal is below ``min_shared`` can never survive
        the fused pruning; they are dropped before the expensive per-item scoring,
        synchrony and evidence work. Scoring is per account pair, so the surviving pairs'
        edges are exactly what full scoring would give."""
        if not self._deferred:
            return
        # Pair rows per account pair bound its distinct items from above (a looser but
        # much cheaper bound than a DISTINCT over (pair, item): same kept edges). Counted on
        # integer account numbers packed into one key; lazy window pairs are enumerated from
        # the item-sorted integer rows and counted by sorting (engine/pair_counts.py), never
        # joined or stored.
        acc = self._accounts()
        ints: dict[str, tuple[str, str]] = {}  # lazy pairs -> (candidate re-join SQL, string items)
        counter = PairCounter(self.ws.path / "tmp")
        try:
            for _, p, _, _ in self._deferred:
                if p in self._lazy:
                    src, spec = self._lazy[p]
                    hot = self._hot_items(src, spec)
                    it = self._new("ints", int_form_sql(src, acc.name, hot))
                    hot_i = self._new("hoti", hot_ints_sql(it.name)).name if hot else None
                    w = int(round(spec.window_s * 1_000_000))
                    cols = "a.uid AS uid_a, b.uid AS uid_b, a.aid AS p, b.aid AS q"
                    k = int(spec.max_neighbours)
                    # Second pass only over the rows of candidate accounts: the join conditions
                    # (time, bucket, stored hot-item rank) do not depend on other rows, so the
                    # pairs among these rows are exactly the full join's pairs of these accounts.
                    few = f"(SELECT * FROM {it.name} WHERE aid IN (SELECT aid FROM {{ca}}))"
                    ints[p] = (window_join_sql(few, cols, w, k, hot_i), src)
                    # Counted from the item-sorted rows (hot items in rank order), never joined.
                    rows = self._reader(sorted_rows_sql(it.name))
                    self._step(f"counting co-acting pairs of {self.count(it):,} actions")
                    try:
                        for keys in window_pair_keys(rows, w, k if hot else 0):
                            counter.add(keys)
                            self._step(f"counting co-acting pairs: {counter.total:,} pair rows")
                    finally:
                        rows.close()  # release DuckDB's result even when counting fails
                else:
                    self._count_keyed(counter, keyed_sql(p, acc.name, "1") + " WHERE p <> q")
            for e in self._eager:
                self._count_keyed(counter, keyed_sql(e, acc.name, "n_shared"))
            spilled = counter.spilled
            self._step(f"keeping pairs with >= {self._min_shared} of {counter.total:,} pair rows")
            kept_keys = counter.at_least(int(self._min_shared))
            self.stats.update(pair_rows_counted=int(counter.total), candidate_pairs=int(len(kept_keys)),
                              pair_keys_spilled=int(spilled))
        except OSError as exc:  # the partition files: disk full, temp directory not writable
            raise EngineError(f"counting co-acting pairs in {self.ws.path / 'tmp'} failed: {exc.strerror or exc}"
                              f" ({counter.total:,} pair rows so far, 8 bytes each on disk; free disk space"
                              " there, or raise --min-shared / lower --max-neighbours)") from None
        finally:
            counter.close()
        self._step(f"scoring {len(kept_keys):,} candidate pairs")
        self.con.register("_ls_cand_keys", pa.table({"k": kept_keys}))
        try:
            cand = self._new("cand", "SELECT k FROM _ls_cand_keys")
        finally:
            self.con.unregister("_ls_cand_keys")
        ca = self._new("candacc", f"SELECT k >> 32 AS aid FROM {cand.name} UNION"
                                  f" SELECT k & 4294967295 FROM {cand.name}") if ints else None
        for name, pairs, items, spec in self._deferred:
            if pairs in ints:
                join, src = ints.pop(pairs)
                join = join.replace("{ca}", ca.name) if ca else join
                self._lazy.pop(pairs)
                kept = self._new("pairs", kept_pairs_sql(join, src, cand.name))
            else:
                kept = self._new("pairs", f"SELECT p.* FROM {pairs} p JOIN {acc.name} xa"
                                 f" ON xa.account_id = p.account_a JOIN {acc.name} xb"
                                 f" ON xb.account_id = p.account_b"
                                 f" WHERE ((least(xa.aid, xb.aid) << 32) + greatest(xa.aid, xb.aid)) IN"
                                 f" (SELECT k FROM {cand.name})")
            rel = self._score_now(kept.name, items, spec)
            self.con.execute(f"ALTER TABLE {rel.name} RENAME TO {name}").fetchall()
            self._made[self._made.index(rel.name)] = name
        self._deferred.clear()

    def _step(self, what: str) -> None:
        if self.on_step is not None:
            self.on_step(what)

    def _reader(self, sql: str) -> Iterator[pa.RecordBatch]:
        try:
            yield from self.con.sql(sql).to_arrow_reader(1_000_000)
        except duckdb.Error as exc:
            raise EngineError(f"DuckDB failed reading rows: {exc}") from None

    def _count_keyed(self, counter: PairCounter, sql: str) -> None:
        """Add the (k, n) rows of ``sql`` to ``counter`` (key k counted n times)."""
        for b in self._reader(f"SELECT k, n FROM ({sql})"):
            k, n = b.column(0).to_numpy(), b.column(1).to_numpy().astype(np.int64)
            counter.add(np.repeat(k, np.maximum(n, 0)))

