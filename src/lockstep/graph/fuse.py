"""Fuse per-signal edges into one weighted, undirected account graph, held as arrays.

Why arrays and not an igraph graph with attributes: on a million-edge graph (CooRTweet's
preset keeps the full graph) per-edge attribute lists and per-vertex igraph calls cost
minutes in Python, while numpy/Arrow group-bys cost a second. igraph is only built for
the edges that are clustered (:mod:`lockstep.graph.cluster`) and for the graph files.
Why fuse after pruning in the engine: only pairs that pass the thresholds reach Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class AccountGraph:
    """Undirected fused graph: vertex ``names`` and, per edge (unordered pair, sorted by
    name pair), ``src``/``dst`` vertex indices, fused ``weight``, ``n_shared``,
    ``mean_dt_seconds``, ``clustered`` (may form campaigns) and ``signals`` (comma-joined)."""

    names: list[str]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    n_shared: np.ndarray
    mean_dt_seconds: np.ndarray
    clustered: np.ndarray
    signal_mask: np.ndarray  # bit i set: signal_names[i] contributed to the edge
    signal_names: list[str]

    @property
    def n_vertices(self) -> int:
        return len(self.names)

    @property
    def n_edges(self) -> int:
        return len(self.src)

    def signals(self) -> list[str]:
        """Per edge, the contributing signals joined by commas (sorted)."""
        table = [",".join(s for i, s in enumerate(self.signal_names) if m >> i & 1)
                 for m in range(1 << len(self.signal_names))]
        out: list[str] = np.asarray(table, dtype=object)[self.signal_mask].tolist()
        return out


def _empty() -> AccountGraph:
    z = np.zeros(0, dtype=np.int64)
    return AccountGraph([], z, z, z.astype(float), z, z.astype(float), z.astype(bool), z, [])


def fuse(edges: pa.Table) -> AccountGraph:
    """Sum weights and shared items over signals (and over both directions of a directed
    preset's rows) per unordered account pair.

    Account ids are dictionary-encoded once and replaced by their rank in name order, so
    "the smaller name first" and "sorted by name pair" become integer operations; the
    vertex order (first appearance in the sorted pair list) is what igraph and Leiden see."""
    if edges.num_rows == 0:
        return _empty()
    both = pa.chunked_array([*edges.column("account_a").chunks, *edges.column("account_b").chunks])
    enc = pc.dictionary_encode(both).combine_chunks()
    dictionary = enc.dictionary
    rank = np.empty(len(dictionary), dtype=np.int64)  # code -> rank in name (code point) order
    rank[pc.sort_indices(dictionary).to_numpy()] = np.arange(len(dictionary))
    codes = rank[enc.indices.to_numpy()]
    a, b = codes[:edges.num_rows], codes[edges.num_rows:]
    x, y = np.minimum(a, b), np.maximum(a, b)
    nd = len(dictionary)
    key = x * nd + y
    order = np.argsort(key, kind="stable")
    ks = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ks)) + 1]

    def total(col: np.ndarray) -> np.ndarray:
        return np.add.reduceat(col[order], starts) if len(order) else col[:0]

    weight = total(edges.column("weight").to_numpy().astype(float))
    n_shared = total(edges.column("n_shared").to_numpy().astype(np.int64))
    dt = np.nan_to_num(pc.cast(edges.column("mean_dt_seconds"), pa.float64()).to_numpy(zero_copy_only=False))
    dtw = total(dt * edges.column("n_shared").to_numpy().astype(float))
    thr = (pc.cast(edges.column("weight_threshold"), pa.float64()).to_numpy(zero_copy_only=False)
           if "weight_threshold" in edges.column_names else np.ones(edges.num_rows))
    thr_max = np.maximum.reduceat(np.nan_to_num(thr, nan=-np.inf)[order], starts)
    signal_names = sorted(pc.unique(edges.column("signal")).to_pylist())
    sig_idx = pc.index_in(edges.column("signal"), pa.array(signal_names)).to_numpy()
    mask = np.bitwise_or.reduceat(np.left_shift(1, sig_idx.astype(np.int64))[order], starts)
    px, py = x[order][starts], y[order][starts]
    seq = np.concatenate([px, py])  # vertices in order of first appearance
    uniq, first = np.unique(seq, return_index=True)
    verts = uniq[np.argsort(first, kind="stable")]
    index = np.empty(nd, dtype=np.int64)
    index[verts] = np.arange(len(verts))
    by_rank = np.empty(nd, dtype=np.int64)
    by_rank[rank] = np.arange(nd)  # rank -> dictionary code
    names = dictionary.take(pa.array(by_rank[verts])).to_pylist()
    mean_dt = (dtw / np.maximum(n_shared.astype(float), 1)).round(3)
    return AccountGraph(names=names, src=index[px], dst=index[py], weight=weight, n_shared=n_shared,
                        mean_dt_seconds=mean_dt, clustered=thr_max > 0, signal_mask=mask,
                        signal_names=signal_names)
