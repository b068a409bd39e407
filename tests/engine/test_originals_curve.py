"""fast_repost's chance rows (its reshares plus every original) are measured without being
built (``chance_sql.originals_curve``): only the reshared items and originals that may share an
id are sorted, the single-row originals are counted per account. The curve (N, U, G) and each
account's distinct items must be exactly those of measuring all the rows, built: on a world
with originals never reshared, reshares of posts not in the data, two originals sharing an id
(another platform), an author resharing its own post, and quotes."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
from engine_runs import source_of

from lockstep.engine import open_engine
from lockstep.engine.base import ItemSource
from lockstep.engine.duckdb.chance_sql import measure, originals_curve
from lockstep.engine.duckdb.engine import DuckDBEngine
from lockstep.signals.base import act

SOURCE = ItemSource(key="target_id", kinds=("repost", "quote"), with_originals=True)


def _world(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    posts: list[str] = []
    for n in range(400):
        acc = f"u{rng.randrange(60)}"
        t = rng.uniform(0, 86400)
        if rng.random() < 0.5 or not posts:
            pid = f"p{n}"
            rows.append(act(pid, acc, rng.choice(["post", "reply"]), t))
            posts.append(pid)
        else:
            target = rng.choice(posts) if rng.random() < 0.9 else f"missing{n}"
            rows.append(act(f"r{n}", acc, rng.choice(["repost", "repost", "quote"]), t + rng.uniform(0, 600),
                            target_id=target))
    # two originals on one id (another platform), one of them reshared; one never reshared
    rows.append(act("p3", "m1", "post", 50.0, platform="mastodon"))
    rows.append(act("dup", "m2", "post", 10.0, platform="mastodon"))
    rows.append(act("dup", "m3", "post", 20.0, platform="bluesky"))
    rows.append(act("self", "u1", "post", 5.0))
    rows.append(act("rs", "u1", "repost", 9.0, target_id="self"))  # resharing one's own post
    return rows


def _curve(rows: list[dict[str, Any]], split: bool, after_s: float | None) -> tuple[Any, np.ndarray]:
    eng = open_engine("duckdb", source_of(rows))
    assert isinstance(eng, DuckDBEngine)
    try:
        st = eng.state
        name = eng.items(SOURCE).name
        assert name in st.lazy_items  # left lazy until read
        if split:
            timing = originals_curve(st, name, 30.0, after_s, degrees=True)
            assert timing is not None and name not in st.lazy_items and name not in st.made  # never built
        else:
            eng.fetch(eng.items(SOURCE))  # built, as before
            timing = measure(st, name, 30.0, after_s, degrees=True)
        assert timing.degrees is not None
        return timing.result(), timing.degrees
    finally:
        eng.close()


def test_same_curve_and_degrees_as_measuring_every_row() -> None:
    for seed in range(4):
        for after_s in (None, 5.0):
            rows = _world(seed)
            (n_a, u_a, g_a), d_a = _curve(rows, True, after_s)
            (n_b, u_b, g_b), d_b = _curve(rows, False, after_s)
            assert (n_a, u_a) == (n_b, u_b)
            assert g_a == g_b  # same items in the same order: the same sums, bit for bit
            top = max(len(d_a), len(d_b))
            assert np.array_equal(np.pad(d_a, (0, top - len(d_a))), np.pad(d_b, (0, top - len(d_b))))
            assert u_b > 0 and any(g > 0 for g in g_b)


def test_other_item_rows_are_not_taken() -> None:
    eng = open_engine("duckdb", source_of(_world(0)))
    assert isinstance(eng, DuckDBEngine)
    try:
        plain = eng.items(ItemSource(key="target_id", kinds=("repost",))).name
        assert originals_curve(eng.state, plain, 30.0) is None
    finally:
        eng.close()
