"""The DuckDB engine: every per-action step of detection runs here, out of core if need be.

Why DuckDB: the heavy step is a self-join of actions on (item, time). Written as an equi-join
on (item, time bucket) with the bucket width equal to the window, a row only meets rows of
its own and the next bucket, and the exact condition ``0 <= t_b - t_a <= window`` is then a
filter: exact sliding-window semantics at hash-join speed, spilling to disk when large.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from lockstep.engine.base import Engine, ItemSource, PairSpec, Rel, ScoreSpec
from lockstep.engine.pair_counts import PairCounter, window_pair_keys
from lockstep.engine.scoring_sql import evidence_sql, score_sql, surprise_edges, surprise_steps
from lockstep.engine.sql_items import items_select
from lockstep.engine.window_sql import (accounts_sql, hot_ints_sql, int_form_sql,
                                       keyed_sql, kept_pairs_sql, window_join_sql)
from lockstep.errors import EngineError
from lockstep.store.workspace import Workspace

_ids = itertools.count()


class DuckDBEngine(Engine):
    """Runs on the workspace's own connection, with temporary tables as relations."""

    name = "duckdb"

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.con: duckdb.DuckDBPyConnection = ws.con
        self._made: list[str] = []
        self._coacts: list[str] = []  # per-signal co-actions, for evidence after pruning
        self._filtered = False  # some co-action groups did not become edges (semi-join needed)
        self._min_shared = 0  # prune's min_shared, announced by plan_prune()
        self._deferred: list[tuple[str, str, str, ScoreSpec]] = []  # (edges name, pairs, items, spec)
        self._eager: list[str] = []  # edges scored at once (their n_shared bounds the candidates)
        self._lazy: dict[str, tuple[str, PairSpec]] = {}  # window pairs not built yet: (items, spec)
        self._repeats: bool | None = None  # some action id has several rows (checked once)
        self.stats: dict[str, int] = {}

    # -- helpers ------------------------------------------------------------------
    def _new(self, prefix: str, select_sql: str, params: list[Any] | None = None) -> Rel:
        name = f"_ls_{prefix}_{next(_ids)}"
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select_sql}", params or []).fetchall()
        except duckdb.Error as exc:
            raise EngineError(f"DuckDB failed building {prefix}: {exc}") from None
        self._made.append(name)
        return Rel(name, id(self))

    def _own(self, rel: Rel, lazy_ok: bool = False) -> str:
        if rel.engine_id != id(self):
            raise EngineError(f"relation {rel.name} belongs to another engine")
        if not lazy_ok:
            self._materialise(rel.name)
        return rel.name

    # -- Engine -------------------------------------------------------------------
    def items(self, source: ItemSource) -> Rel:
        if source.dedupe_action_ids and not self._repeated_action_ids():
            source = dataclasses.replace(source, dedupe_action_ids=False)  # nothing to drop
        sql = f"SELECT row_number() OVER () AS uid, * FROM ({items_select(source)})"
        return self._new("items", sql)

    def _repeated_action_ids(self) -> bool:
        """Whether some (platform, action_id) has several rows: one hash aggregate, several
        times cheaper than the ordered window that keeps the first of each."""
        if self._repeats is None:
            self._repeats = bool(self.con.execute(
                "SELECT count(*) FROM (SELECT 1 FROM actions GROUP BY platform, action_id"
                " HAVING count(*) > 1)").fetchall()[0][0])
        return self._repeats

    def distinct_items(self, items: Rel) -> pa.Table:
        return self.con.sql(f"SELECT DISTINCT item FROM {self._own(items)}").to_arrow_table()

    def remap_items(self, items: Rel, mapping: pa.Table) -> Rel:
        self.con.register("_ls_map", mapping)
        try:
            return self._new("items", f"SELECT i.uid, i.platform, i.account_id, i.action_id,"
                             f" coalesce(m.group, i.item) AS item, i.t_us FROM {self._own(items)} i"
                             f" LEFT JOIN _ls_map m ON m.item = i.item")
        finally:
            self.con.unregister("_ls_map")

    def window_pairs(self, items: Rel, spec: PairSpec) -> Rel:
        src = self._own(items)
        if self._min_shared > 1:
            # Probably scored deferred (see _score_deferred): pair on integer keys there,
            # only for pairs that can pass pruning; built in full only if asked for.
            name = f"_ls_pairs_{next(_ids)}"
            self._lazy[name] = (src, spec)
            return Rel(name, id(self))
        return self._new("pairs", self._window_sql(src, spec))

    def _window_sql(self, src: str, spec: PairSpec) -> str:
        w = int(round(spec.window_s * 1_000_000))
        cols = ("a.item, a.uid AS uid_a, a.action_id AS action_a, a.account_id AS account_a,"
                " a.t_us AS t_a, b.uid AS uid_b, b.action_id AS action_b,"
                " b.account_id AS account_b, b.t_us AS t_b")
        hot = None
        if spec.max_neighbours > 0:
            # Neighbours in (time, account, action) order: ``uid`` follows the scan order,
            # which a parallel scan does not fix, so it only breaks exact duplicates.
            hot = self._new("hot", f"SELECT item FROM {src} GROUP BY item HAVING count(*) > ?",
                            [spec.hot_item_actions]).name
        return window_join_sql(src, cols, w, int(spec.max_neighbours), hot, rank_inline=True)

    def _materialise(self, name: str) -> None:
        """Build a lazy window-pairs relation in full (unscored or non-surprise use)."""
        if name in self._lazy:
            src, spec = self._lazy.pop(name)
            rel = self._new("pairs", self._window_sql(src, spec))
            self.con.execute(f"ALTER TABLE {rel.name} RENAME TO {name}").fetchall()
            self._made[self._made.index(rel.name)] = name

    def origin_pairs(self, window_s: float | None, kinds: tuple[str, ...]) -> Rel:
        w = int(round(window_s * 1_000_000)) if window_s is not None else 2**62
        kind_list = ", ".join(f"'{k}'" for k in kinds)
        orig = ("(SELECT platform, action_id, any_value(account_id) AS account_id,"
                " min(epoch_us(timestamp)) AS t_us FROM actions WHERE kind NOT IN ('repost', 'like')"
                " AND timestamp IS NOT NULL GROUP BY platform, action_id)")
        sql = (f"SELECT r.target_id AS item, 0::BIGINT AS uid_a, o.action_id AS action_a,"
               f" o.account_id AS account_a, o.t_us AS t_a, 0::BIGINT AS uid_b,"
               f" r.action_id AS action_b, r.account_id AS account_b, epoch_us(r.timestamp) AS t_b"
               f" FROM actions r JOIN {orig} o ON o.platform = r.platform AND o.action_id = r.target_id"
               f" WHERE r.kind IN ({kind_list}) AND epoch_us(r.timestamp) - o.t_us BETWEEN 0 AND {w}")
        return self._new("pairs", sql)

    def plan_prune(self, min_shared: int) -> None:
        self._min_shared = int(min_shared)

    def score(self, pairs: Rel, items: Rel, spec: ScoreSpec, window_s: float) -> Rel:
        if spec.scoring == "surprise" and self._min_shared > 1:
            # Deferred until every signal has paired (see _score_deferred): on heavy-tailed
            # data almost all co-acting pairs share one item and cannot reach min_shared.
            name = f"_ls_edges_{next(_ids)}"
            self._deferred.append((name, self._own(pairs, lazy_ok=True), self._own(items), spec))
            return Rel(name, id(self))
        rel = self._score_now(self._own(pairs), self._own(items), spec)
        self._eager.append(rel.name)
        return rel

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
        acc = self._new("acc", accounts_sql())
        ints: dict[str, tuple[str, str]] = {}  # lazy pairs -> (integer join SQL with uid, p, q)
        counter = PairCounter(self.ws.path / "tmp")
        try:
            for _, p, _, _ in self._deferred:
                if p in self._lazy:
                    src, spec = self._lazy[p]
                    hot = (self._new("hot", f"SELECT item FROM {src} GROUP BY item HAVING count(*) >"
                                            f" {int(spec.hot_item_actions)}").name
                           if spec.max_neighbours > 0 else None)
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
                    rows = self._reader(f"SELECT item, t_us, aid, rn IS NOT NULL AS hot FROM {it.name}"
                                        f" ORDER BY item, coalesce(rn, 0), t_us")
                    self._step(f"counting co-acting pairs of {self.count(it):,} actions")
                    for keys in window_pair_keys(rows, w, k if hot else 0):
                        counter.add(keys)
                        self._step(f"counting co-acting pairs: {counter.total:,} pair rows")
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

    def _score_now(self, pairs: str, items: str, spec: ScoreSpec) -> Rel:
        if spec.scoring == "surprise":
            names: dict[str, str] = {}
            for step, sql in surprise_steps(pairs, items, spec):
                names[step] = self._new(step, sql.format(**names)).name
            co = Rel(names["coacts"], id(self))
            self._coacts.append(co.name)
            self._filtered = True
            common = self._own(spec.common) if spec.common is not None else None
            return self._new("edges", surprise_edges(co.name, items, spec, common))
        coacts_sql, edges_sql = score_sql(pairs, items, spec)
        co = self._new("coacts", coacts_sql)
        self._coacts.append(co.name)
        if spec.scoring != "coortweet":  # its edges are every co-action group, unfiltered
            self._filtered = True
        return self._new("edges", edges_sql.replace("{coacts}", co.name))

    def union_edges(self, edges: list[Rel]) -> Rel:
        self._score_deferred()
        if not edges:
            return self._new("edges", "SELECT NULL::VARCHAR AS account_a, NULL::VARCHAR AS account_b,"
                             " NULL::VARCHAR AS signal, NULL::DOUBLE AS weight, NULL::BIGINT AS n_shared,"
                             " NULL::DOUBLE AS mean_dt_seconds WHERE false")
        return self._new("edges", " UNION ALL BY NAME ".join(f"SELECT * FROM {self._own(e)}" for e in edges))

    def prune(self, edges: Rel, min_weight: float, min_shared: int,
              signal_weights: dict[str, float], evidence_limit: int = 10) -> Rel:
        """Keep the per-signal rows of account pairs whose fused weight and shared-item count
        pass the thresholds (fusion = sum over signals of weight x signal multiplier), with
        their evidence lists."""
        src = self._own(edges)
        mult = " ".join(f"WHEN '{s}' THEN {float(v)}" for s, v in signal_weights.items())
        case = f"CASE signal {mult} ELSE 1.0 END" if mult else "1.0"
        sql = (f"WITH f AS (SELECT least(account_a, account_b) AS x, greatest(account_a, account_b) AS y"
               f" FROM {src} GROUP BY x, y HAVING sum(weight * {case}) >= {float(min_weight)}"
               f" AND sum(n_shared) >= {int(min_shared)})"
               f" SELECT e.* FROM {src} e SEMI JOIN f ON f.x = least(e.account_a, e.account_b)"
               f" AND f.y = greatest(e.account_a, e.account_b)")
        # Thresholds every edge passes (the presets): no fusion join, no evidence semi-join.
        trivial = min_weight <= 0 and min_shared <= 1
        kept = Rel(src, id(self)) if trivial else self._new("edges", sql)
        if not self._coacts:
            return self._new("edges", f"SELECT *, NULL::VARCHAR[] AS evidence_items,"
                             f" NULL::VARCHAR[] AS evidence_actions FROM {kept.name}")
        coacts = "(" + " UNION ALL BY NAME ".join(f"SELECT * FROM {c}" for c in self._coacts) + ")"
        return self._new("edges", evidence_sql(kept.name, coacts, evidence_limit,
                                              semi=self._filtered or not trivial))

    def fetch(self, rel: Rel) -> pa.Table:
        return self.con.sql(f"SELECT * FROM {self._own(rel)}").to_arrow_table()

    def count(self, rel: Rel) -> int:
        return int(self.con.execute(f"SELECT count(*) FROM {self._own(rel)}").fetchall()[0][0])

    def data_window(self) -> dict[str, object]:
        row = self.con.execute("SELECT min(timestamp), max(timestamp), count(*),"
                               " count(DISTINCT account_id), count(*) FILTER (WHERE time_precision"
                               " IN ('min', 'day')) FROM actions").fetchall()[0]
        return {"start": row[0].isoformat() if row[0] else None,
                "end": row[1].isoformat() if row[1] else None,
                "n_actions": int(row[2]), "n_accounts": int(row[3]),
                "n_coarse_time_actions": int(row[4])}

    def close(self) -> None:
        for name in reversed(self._made):
            self.con.execute(f"DROP TABLE IF EXISTS {name}").fetchall()
        self._made.clear()
        self._coacts.clear()
        self._filtered = False
        self._deferred.clear()
        self._eager.clear()
        self._lazy.clear()
