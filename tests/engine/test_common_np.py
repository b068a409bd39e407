"""The numpy synchrony base (common_np) against a plain set intersection."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as hs

from lockstep.engine.duckdb import common_np
from lockstep.engine.duckdb.common_np import common_counts


@settings(max_examples=150, deadline=None)
@given(rows=hs.sets(hs.tuples(hs.integers(0, 12), hs.integers(1, 40)), max_size=200),
       pairs=hs.lists(hs.tuples(hs.integers(0, 12), hs.integers(0, 12)), max_size=40),
       chunk=hs.integers(1, 50), heavy=hs.sampled_from([-1, 3, 10**9]), cells=hs.integers(1, 60),
       products=hs.integers(1, 80))
def test_counts_equal_set_intersections(rows: set[tuple[int, int]], pairs: list[tuple[int, int]],
                                        chunk: int, heavy: int, cells: int, products: int) -> None:
    """Either way of counting (probes; the blocked matrix product, ``heavy`` -1 sends every
    pair there) and any block size give the plain intersections."""
    old = common_np.CHUNK_PROBES, common_np.HEAVY, common_np.BLOCK_CELLS, common_np.BLOCK_PRODUCTS
    # many small chunks and blocks exercise their boundaries
    common_np.CHUNK_PROBES, common_np.HEAVY, common_np.BLOCK_CELLS, common_np.BLOCK_PRODUCTS = (
        chunk, heavy, cells, products)
    try:
        aid = np.array([r[0] for r in rows], np.int64)
        iid = np.array([r[1] for r in rows], np.int64)
        pa_ = np.array([p[0] for p in pairs], np.int64)
        pb_ = np.array([p[1] for p in pairs], np.int64)
        got = common_counts(aid, iid, pa_, pb_)
    finally:
        common_np.CHUNK_PROBES, common_np.HEAVY, common_np.BLOCK_CELLS, common_np.BLOCK_PRODUCTS = old
    items: dict[int, set[int]] = {}
    for a, i in rows:
        items.setdefault(a, set()).add(i)
    want = [len(items.get(a, set()) & items.get(b, set())) for a, b in pairs]
    assert got.tolist() == want
