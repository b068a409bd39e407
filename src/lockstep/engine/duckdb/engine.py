"""The DuckDB engine: a thin class over the backend's plain functions and declared state.

On a workspace source it works on the workspace's own connection (the tables are read in
place, intermediate relations are temporary tables); on Arrow tables it opens an in-memory
database holding them.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import duckdb
import pyarrow as pa

from lockstep.engine.base import ENGINES, EdgeFilter, Engine, ItemSource, PairSpec, Rel, ScoreSpec
from lockstep.engine.duckdb import items as it
from lockstep.engine.duckdb import pairs as pr
from lockstep.engine.duckdb import prune, score, state
from lockstep.engine.duckdb.state import DuckState
from lockstep.model import TABLES
from lockstep.store.source import TableSource


def _connect(source: TableSource) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """The source's own connection, or a new in-memory one loaded with its Arrow tables."""
    if source.connection is not None:
        return source.connection, False
    con = duckdb.connect()
    threads = os.environ.get("LOCKSTEP_THREADS")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for name in TABLES:
        con.register("_ls_src", source.table(name))
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _ls_src')
        con.unregister("_ls_src")
    return con, True


@ENGINES.register
class DuckDBEngine(Engine):
    """Runs in DuckDB, out of core if need be (see the modules of this package)."""

    name = "duckdb"

    def __init__(self, source: TableSource) -> None:
        con, opened = _connect(source)
        self.state = DuckState(con=con, scratch=source.scratch, owner=id(self), close_con=opened)
        self.stats = self.state.stats

    @property
    def on_step(self) -> Callable[[str], None] | None:
        return self.state.on_step

    @on_step.setter
    def on_step(self, fn: Callable[[str], None] | None) -> None:
        self.state.on_step = fn

    def items(self, source: ItemSource) -> Rel:
        return it.items(self.state, source)

    def distinct_items(self, items: Rel, limit: int | None = None) -> pa.Table:
        return it.distinct_items(self.state, pr.own(self.state, items), limit)

    def remap_items(self, items: Rel, mapping: pa.Table) -> Rel:
        return it.remap_items(self.state, pr.own(self.state, items), mapping)

    def window_pairs(self, items: Rel, spec: PairSpec) -> Rel:
        return pr.window_pairs(self.state, pr.own(self.state, items, lazy_ok=True), spec)

    def origin_pairs(self, window_s: float | None, kinds: tuple[str, ...]) -> Rel:
        return pr.origin_pairs(self.state, window_s, kinds)

    def plan_prune(self, min_shared: int) -> None:
        self.state.min_shared = int(min_shared)

    def score(self, pairs: Rel, items: Rel, spec: ScoreSpec, window_s: float) -> Rel:
        return score.score(self.state, pairs, items, spec)

    def union_edges(self, edges: list[Rel]) -> Rel:
        return prune.union_edges(self.state, edges)

    def prune(self, edges: Rel, min_weight: float, min_shared: int,
              signal_weights: dict[str, float], evidence_limit: int = 10,
              keep: EdgeFilter | None = None) -> Rel:
        return prune.prune(self.state, edges, min_weight, min_shared, signal_weights, evidence_limit, keep)

    def fetch(self, rel: Rel) -> pa.Table:
        return self.state.con.sql(f"SELECT * FROM {pr.own(self.state, rel)}").to_arrow_table()

    def count(self, rel: Rel) -> int:
        return state.count(self.state, pr.own(self.state, rel))

    def data_window(self) -> dict[str, object]:
        row = self.state.con.execute(
            "SELECT min(timestamp), max(timestamp), count(*), count(DISTINCT account_id),"
            " count(*) FILTER (WHERE time_precision IN ('min', 'day')) FROM actions").fetchall()[0]
        return {"start": row[0].isoformat() if row[0] else None,
                "end": row[1].isoformat() if row[1] else None,
                "n_actions": int(row[2]), "n_accounts": int(row[3]),
                "n_coarse_time_actions": int(row[4])}

    def close(self) -> None:
        state.close(self.state)
