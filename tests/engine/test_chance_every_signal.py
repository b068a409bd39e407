"""Every edge of every default signal carries its chance probability (issue 11), the peer
presets carry none, and the chance curve measured on the pair-counting pass (the DuckDB
engine's deferred scoring, ``chance_np``) is the definition's (``lockstep.engine.chance``)."""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from engine_runs import detect_edges, source_of

from lockstep.detect.settings import build_settings
from lockstep.engine import open_engine
from lockstep.engine.chance import THETAS, chance_curve, item_timing
from lockstep.engine.duckdb.chance_np import TimingCurve
from lockstep.engine.duckdb.pair_counts import group_chunks
from lockstep.signals import DEFAULT_SIGNALS
from lockstep.signals.base import act

TEMPLATE = "Rioters destroy public order in {} again, support the police now"


def _world(seed: int = 1) -> list[dict[str, Any]]:
    """Six operators co-acting on every default signal's items within seconds, and twenty
    ordinary accounts doing the same things at random times."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    n = 0

    def add(acc: str, kind: str, t: float, **kw: Any) -> None:
        nonlocal n
        n += 1
        rows.append(act(f"a{n}", acc, kind, t, source_line=n, **kw))

    ops = [f"op{i}" for i in range(6)]
    for p in range(12):
        t = p * 3600.0
        add("persona", "post", t, text=f"Persona headline number {p} about the city")
        pid = rows[-1]["action_id"]
        for o in ops:
            add(o, "repost", t + rng.uniform(1, 8), target_id=pid)
            add(o, "repost", t + rng.uniform(1, 8), target_account_id=f"boss{p}")
            add(o, "reply", t + rng.uniform(20, 40), target_id=pid)
            add(o, "post", t + rng.uniform(50, 70), text=TEMPLATE.format(f"district {p} {p * 7}"),
                urls=[f"https://rare{p}.example/story/{p}"], hashtags=["HK", f"tag{p}", "police"])
    for k in range(20):
        for _ in range(rng.randrange(4, 12)):
            t = rng.uniform(0, 12 * 3600)
            add(f"org{k}", "repost", t, target_id=f"a{rng.randrange(1, n)}")
            add(f"org{k}", "post", t + 5, text=f"my own words {rng.randrange(10 ** 6)} today in town",
                urls=[f"https://news{rng.randrange(3)}.example/"], hashtags=["HK", f"x{rng.randrange(3)}"])
    return rows


@pytest.mark.parametrize("name", ["duckdb", "reference"])
def test_every_edge_of_every_default_signal_has_p_chance(name: str) -> None:
    st = build_settings(params={"signals": list(DEFAULT_SIGNALS), "min_weight": 0.0, "min_shared": 2,
                                "slow_max_accounts": 8})
    eng = open_engine(name, source_of(_world()))
    try:
        edges = detect_edges(eng, st)
    finally:
        eng.close()
    signals = set(edges.column("signal").to_pylist())
    assert {"co_repost", "co_reply", "co_link", "co_text", "co_hashtag_sequence", "fast_repost",
            "co_repost_author", "co_repost_slow"} <= signals, signals
    p = edges.column("p_chance").to_pylist()
    assert all(x is not None and 0.0 <= x <= 1.0 for x in p)
    ops = [r for r in edges.to_pylist() if r["account_a"].startswith("op") and r["account_b"].startswith("op")]
    # twelve rare items shared within seconds by the same six accounts is far from chance
    assert ops and max(r["p_chance"] for r in ops if r["signal"] == "co_repost") < 1e-6


def test_the_peer_presets_carry_no_chance() -> None:
    for preset in ("coortweet", "cnt"):
        st = build_settings(preset=preset)
        eng = open_engine("duckdb", source_of(_world()))
        try:
            edges = detect_edges(eng, st)
        finally:
            eng.close()
        assert edges.num_rows and ("p_chance" not in edges.column_names
                                   or edges.column("p_chance").null_count == edges.num_rows), preset


@pytest.mark.parametrize("seed,after", [(0, None), (1, None), (2, None), (0, 10), (1, 0)])
def test_the_curve_from_the_counting_pass_is_the_definition(seed: int, after: int | None) -> None:
    """Item-sorted integer rows in small chunks (items never split), hot-item order included:
    N, U and G(theta) equal chance.item_timing + chance.chance_curve (in a band too:
    co_repost_slow's null counts only pairs more than ``after`` apart)."""
    rng = np.random.default_rng(seed)
    n_rows, w = 3000, 50
    item = np.sort(rng.integers(0, 400, n_rows))
    aid = rng.integers(0, 90, n_rows)
    t = rng.integers(0, 2000, n_rows)
    order = np.lexsort((t, item))
    item, aid, t = item[order], aid[order], t[order]
    batches = pa.table({"item": item, "t_us": t, "aid": aid, "hot": np.zeros(n_rows, dtype=bool)}).to_batches(
        max_chunksize=256)
    acc = TimingCurve(w, after)
    for c in group_chunks(batches, 500):
        acc.add(c)
    n_acc, total, g = acc.result()
    rows = [(f"u{a}", f"i{i}", int(x)) for a, i, x in zip(aid.tolist(), item.tolist(), t.tolist())]
    want = chance_curve(item_timing(rows, w, after), len({r[0] for r in rows}))
    assert n_acc == len(set(aid.tolist()))
    assert total == len({(r[0], r[1]) for r in rows})
    assert len(g) == len(THETAS)
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) for a, b in zip(g, want))
