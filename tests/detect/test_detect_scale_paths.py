"""The vectorised paths written for speed give the same answers as the plain ones."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa

from lockstep.graph.cluster import cluster_graph
from lockstep.graph.fuse import fuse
from lockstep.signals.near_duplicates import _signatures, near_duplicate_groups, shingles


def _corpus(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = "state media protest police city support order peace news report 香港 支持 警方 執法".split()
    bases = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(n // 6)]
    out = set()
    for _ in range(n):
        w = rng.choice(bases).split()
        if rng.random() < 0.5:  # a light edit: one word swapped
            w[rng.randrange(len(w))] = rng.choice(words)
        out.add(" ".join(w))
    return sorted(out)


def _reference_groups(texts: list[str], threshold: float) -> dict[str, str]:
    """The one-text-at-a-time datasketch LSH query the vectorised banding replaces."""
    from datasketch import MinHash, MinHashLSH

    hashes = MinHash.bulk([shingles(t, 3) for t in texts], num_perm=128, seed=1)
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, mh in enumerate(hashes):
        for j in lsh.query(mh):
            if mh.jaccard(hashes[j]) >= threshold:
                ri, rj = find(i), find(j)
                parent[max(ri, rj)] = min(ri, rj)
        lsh.insert(i, mh)
    roots = [find(i) for i in range(len(texts))]
    sizes = {r: roots.count(r) for r in set(roots)}
    return {t: "~" + texts[r] for t, r in zip(texts, roots) if sizes[r] > 1}


def test_vectorised_signatures_equal_datasketch() -> None:
    from datasketch import MinHash

    lists = [shingles(t, 3) for t in _corpus(200, 3)]
    ref = np.vstack([m.hashvalues for m in MinHash.bulk(lists, num_perm=128, seed=1)])
    assert np.array_equal(_signatures(lists, 128, 1), ref)


def test_vectorised_near_duplicates_equal_lsh_queries() -> None:
    texts = _corpus(600, 7)
    for threshold in (0.5, 0.8):
        g = near_duplicate_groups(texts, threshold, k=3, seed=1)
        got = dict(zip(g.column("item").to_pylist(), g.column("group").to_pylist()))
        assert got == _reference_groups(texts, threshold) and got


def test_fuse_and_components_on_arrays() -> None:
    edges = pa.table({"account_a": ["b", "a", "c", "x", "y"], "account_b": ["a", "b", "a", "y", "x"],
                      "signal": ["s1", "s2", "s1", "s1", "s1"], "weight": [1.0, 2.0, 3.0, 1.0, 1.0],
                      "n_shared": [1, 2, 1, 1, 1], "mean_dt_seconds": [1.0, 2.0, None, 4.0, 6.0]})
    ag = fuse(edges)
    pairs = {(ag.names[s], ag.names[d]): (w, n, dt, sig) for s, d, w, n, dt, sig in
             zip(ag.src, ag.dst, ag.weight, ag.n_shared, ag.mean_dt_seconds, ag.signals())}
    assert pairs == {("a", "b"): (3.0, 3, 1.667, "s1,s2"), ("a", "c"): (3.0, 1, 0.0, "s1"),
                     ("x", "y"): (2.0, 2, 5.0, "s1")}
    clusters = cluster_graph(ag, "components", 1.0, 0)
    assert [sorted(ag.names[v] for v in c.members) for c in clusters] == [["a", "b", "c"], ["x", "y"]]
    assert clusters[0].n_edges == 2 and clusters[0].weight == 6.0 and clusters[0].density == 2 / 3
