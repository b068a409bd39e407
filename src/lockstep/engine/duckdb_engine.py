"""The DuckDB engine: every per-action step of detection runs here, out of core if need be.

Why DuckDB: the heavy step is a self-join of actions on (item, time). Written as an equi-join
on (item, time bucket) with the bucket width equal to the window, a row only meets rows of
its own and the next bucket, and the exact condition ``0 <= t_b - t_a <= window`` is then a
filter: exact sliding-window semantics at hash-join speed, spilling to disk when large.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import duckdb
import pyarrow as pa

from lockstep.engine.base import Engine, ItemSource, PairSpec, Rel, ScoreSpec
from lockstep.engine.duckdb_cnt import CntScoring
from lockstep.engine.duckdb_deferred import DeferredScoring
from lockstep.engine.scoring_sql import evidence_sql, score_sql, surprise_edges, surprise_steps
from lockstep.engine.sql_items import items_select
from lockstep.engine.window_sql import accounts_sql, window_join_sql
from lockstep.errors import EngineError
from lockstep.store.workspace import Workspace

_ids = itertools.count()


class DuckDBEngine(CntScoring, DeferredScoring, Engine):
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
        self._acc: Rel | None = None  # every account numbered (see _accounts)
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

    def _accounts(self) -> Rel:
        """Every account id numbered once (``aid``), built on first use and shared by the
        integer-keyed steps of all signals (one hash aggregate over every action)."""
        if self._acc is None:
            self._acc = self._new("acc", accounts_sql())
        return self._acc

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
        # Built only when asked for: deferred surprise scoring (see _score_deferred) and cnt
        # scoring (see _score_cnt) pair on integer keys instead and never store these rows.
        name = f"_ls_pairs_{next(_ids)}"
        self._lazy[name] = (self._own(items), spec)
        return Rel(name, id(self))

    def _window_sql(self, src: str, spec: PairSpec) -> str:
        w = int(round(spec.window_s * 1_000_000))
        cols = ("a.item, a.uid AS uid_a, a.action_id AS action_a, a.account_id AS account_a,"
                " a.t_us AS t_a, b.uid AS uid_b, b.action_id AS action_b,"
                " b.account_id AS account_b, b.t_us AS t_b")
        # Neighbours in (time, account, action) order: ``uid`` follows the scan order,
        # which a parallel scan does not fix, so it only breaks exact duplicates.
        return window_join_sql(src, cols, w, int(spec.max_neighbours), self._hot_items(src, spec),
                               rank_inline=True)

    def _hot_items(self, src: str, spec: PairSpec) -> str | None:
        """The items of ``src`` with more than ``hot_item_actions`` rows, whose neighbours are
        capped at ``max_neighbours``; None when there is no cap."""
        if spec.max_neighbours <= 0:
            return None
        return self._new("hot", f"SELECT item FROM {src} GROUP BY item HAVING count(*) > ?",
                         [int(spec.hot_item_actions)]).name

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
        if spec.scoring == "cnt" and self._own(pairs, lazy_ok=True) in self._lazy:
            rel = self._score_cnt(*self._lazy.pop(pairs.name), spec)
            self._eager.append(rel.name)
            return rel
        rel = self._score_now(self._own(pairs), self._own(items), spec)
        self._eager.append(rel.name)
        return rel

    def _score_now(self, pairs: str, items: str, spec: ScoreSpec) -> Rel:
        if spec.scoring == "surprise":
            names: dict[str, str] = {}
            for step, sql in surprise_steps(pairs, items, spec):
                names[step] = self._new(step, sql.format(**names)).name
            self._coacts.append(names["coacts"])
            self._filtered = True
            common = self._own(spec.common) if spec.common is not None else None
            return self._new("edges", surprise_edges(names["coacts"], items, spec, common))
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
        self._acc = None
        self._coacts.clear()
        self._filtered = False
        self._deferred.clear()
        self._eager.clear()
        self._lazy.clear()
