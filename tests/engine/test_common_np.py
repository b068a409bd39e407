"""The numpy synchrony base (common_np) against a plain set intersection."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from lockstep.engine.duckdb import common_np
from lockstep.engine.duckdb.common_np import common_counts


@settings(max_examples=150, deadline=None)
@given(rows=hs.sets(hs.tuples(hs.integers(0, 12), hs.integers(1, 40)), max_size=200),
       pairs=hs.lists(hs.tuples(hs.integers(0, 12), hs.integers(0, 12)), max_size=40),
       chunk=hs.integers(1, 50), heavy=hs.sampled_from([-1, 3, 10**9]), cells=hs.integers(1, 60),
       products=hs.integers(1, 80), popular=hs.sampled_from([0, 1, 2, 10**9]), words=hs.integers(1, 40))
def test_counts_equal_set_intersections(rows: set[tuple[int, int]], pairs: list[tuple[int, int]],
                                        chunk: int, heavy: int, cells: int, products: int, popular: int,
                                        words: int) -> None:
    """Every way of counting (probes; the blocked matrix product, ``heavy`` -1 sends every
    pair there; bitsets of the items on more than ``popular`` accounts, at most ``words``
    words of them, the rest by product) and any block size give the plain intersections."""
    old = (common_np.CHUNK_PROBES, common_np.HEAVY, common_np.BLOCK_CELLS, common_np.BLOCK_PRODUCTS,
           common_np.POPULAR, common_np.POPULAR_WORDS)
    # many small chunks and blocks exercise their boundaries
    (common_np.CHUNK_PROBES, common_np.HEAVY, common_np.BLOCK_CELLS, common_np.BLOCK_PRODUCTS,
     common_np.POPULAR, common_np.POPULAR_WORDS) = (chunk, heavy, cells, products, popular, words)
    try:
        aid = np.array([r[0] for r in rows], np.int64)
        iid = np.array([r[1] for r in rows], np.int64)
        pa_ = np.array([p[0] for p in pairs], np.int64)
        pb_ = np.array([p[1] for p in pairs], np.int64)
        got = common_counts(aid, iid, pa_, pb_)
    finally:
        (common_np.CHUNK_PROBES, common_np.HEAVY, common_np.BLOCK_CELLS, common_np.BLOCK_PRODUCTS,
         common_np.POPULAR, common_np.POPULAR_WORDS) = old
    items: dict[int, set[int]] = {}
    for a, i in rows:
        items.setdefault(a, set()).add(i)
    want = [len(items.get(a, set()) & items.get(b, set())) for a, b in pairs]
    assert got.tolist() == want


def test_popular_items_beyond_one_word() -> None:
    """More than 64 popular items (several words per bitset), with the cap keeping only the
    most popular of them: the plain intersections."""
    rng = np.random.default_rng(7)
    keys = np.unique(rng.integers(0, 60, 6000) * 1000 + rng.zipf(1.3, 6000) % 400)
    aid, iid = keys // 1000, keys % 1000
    pa_, pb_ = rng.integers(0, 60, 500), rng.integers(0, 60, 500)
    old = common_np.HEAVY, common_np.POPULAR, common_np.POPULAR_WORDS
    try:
        for words in (10**6, 3 * 60):  # every popular item; then only the 192 most popular
            common_np.HEAVY, common_np.POPULAR, common_np.POPULAR_WORDS = 1, 2, words
            got = common_counts(aid, iid, pa_, pb_)
            items: dict[int, set[int]] = {}
            for a, i in zip(aid.tolist(), iid.tolist()):
                items.setdefault(a, set()).add(i)
            want = [len(items.get(a, set()) & items.get(b, set())) for a, b in zip(pa_.tolist(), pb_.tolist())]
            assert got.tolist() == want
            assert common_np._popular(np.bincount(iid), 60) is not None
    finally:
        common_np.HEAVY, common_np.POPULAR, common_np.POPULAR_WORDS = old


def test_product_blocks_on_threads_as_on_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocked product's blocks run on the detection's threads (``LOCKSTEP_THREADS``):
    many small blocks on 1, 2 and 4 threads give the plain intersections, each pair's count
    in its own place."""
    rng = np.random.default_rng(11)
    keys = np.unique(rng.integers(0, 300, 20000) * 1000 + rng.zipf(1.2, 20000) % 900)
    aid, iid = keys // 1000, keys % 1000
    pa_, pb_ = rng.integers(0, 300, 4000), rng.integers(0, 300, 4000)
    items: dict[int, set[int]] = {}
    for a, i in zip(aid.tolist(), iid.tolist()):
        items.setdefault(a, set()).add(i)
    want = [len(items.get(a, set()) & items.get(b, set())) for a, b in zip(pa_.tolist(), pb_.tolist())]
    old = common_np.HEAVY, common_np.POPULAR, common_np.BLOCK_PRODUCTS, common_np.BLOCK_CELLS
    try:  # every pair to the product, no bitsets, blocks of a few rows
        common_np.HEAVY, common_np.POPULAR, common_np.BLOCK_PRODUCTS, common_np.BLOCK_CELLS = -1, 10**9, 2000, 3000
        for threads in ("1", "2", "4"):
            monkeypatch.setenv("LOCKSTEP_THREADS", threads)
            assert common_counts(aid, iid, pa_, pb_).tolist() == want
    finally:
        common_np.HEAVY, common_np.POPULAR, common_np.BLOCK_PRODUCTS, common_np.BLOCK_CELLS = old
