"""Fuse per-signal edges into one weighted, undirected account graph.

Why fuse after pruning in the engine: the per-signal edge relations can be huge (every
pair that ever co-acted once); only pairs that pass the thresholds are fetched into Python,
so clustering works on the pruned graph only.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class AccountGraph:
    """An undirected igraph with vertex attribute ``name`` (account id) and edge
    attributes ``weight`` (fused), ``n_shared``, ``signals`` (comma-joined),
    ``mean_dt_seconds``, and ``clustered`` (True where the edge may form campaigns)."""

    graph: ig.Graph

    @property
    def names(self) -> list[str]:
        return list(self.graph.vs["name"]) if self.graph.vcount() else []


def fuse(edges: pa.Table) -> AccountGraph:
    """Sum weights and shared items over signals (and over both directions of a directed
    preset's rows) per unordered account pair."""
    if edges.num_rows == 0:
        g = ig.Graph()
        g.vs["name"] = []
        return AccountGraph(g)
    a = edges.column("account_a").to_numpy(zero_copy_only=False).astype(object)
    b = edges.column("account_b").to_numpy(zero_copy_only=False).astype(object)
    lo = np.where(a <= b, a, b)
    hi = np.where(a <= b, b, a)
    thr = (edges.column("weight_threshold").to_numpy(zero_copy_only=False)
           if "weight_threshold" in edges.column_names else np.ones(edges.num_rows))
    tbl = pa.table({
        "x": pa.array(lo.tolist(), pa.string()), "y": pa.array(hi.tolist(), pa.string()),
        "signal": edges.column("signal"), "weight": edges.column("weight"),
        "n_shared": edges.column("n_shared"),
        "dtw": pc.multiply(pc.fill_null(edges.column("mean_dt_seconds"), 0.0),
                           pc.cast(edges.column("n_shared"), pa.float64())),
        "thr": pa.array(np.asarray(thr, dtype=float)),
    })
    agg = tbl.group_by(["x", "y"]).aggregate([
        ("weight", "sum"), ("weight", "max"), ("n_shared", "sum"), ("dtw", "sum"),
        ("thr", "max"), ("signal", "distinct"),
    ]).sort_by([("x", "ascending"), ("y", "ascending")])  # same input, same graph, same Leiden
    names = pc.unique(pa.chunked_array([agg.column("x"), agg.column("y")]).combine_chunks())
    index = {n: i for i, n in enumerate(names.to_pylist())}
    xs = [index[v] for v in agg.column("x").to_pylist()]
    ys = [index[v] for v in agg.column("y").to_pylist()]
    g = ig.Graph(n=len(index), edges=list(zip(xs, ys)), directed=False)
    g.vs["name"] = names.to_pylist()
    g.es["weight"] = agg.column("weight_sum").to_pylist()
    g.es["n_shared"] = agg.column("n_shared_sum").to_pylist()
    shared = np.maximum(np.asarray(agg.column("n_shared_sum").to_pylist(), dtype=float), 1)
    g.es["mean_dt_seconds"] = (np.asarray(agg.column("dtw_sum").to_pylist()) / shared).round(3).tolist()
    g.es["clustered"] = [t > 0 for t in agg.column("thr_max").to_pylist()]
    g.es["signals"] = [",".join(sorted(s)) for s in agg.column("signal_distinct").to_pylist()]
    return AccountGraph(g)
