"""The chance probability of an edge (lockstep.engine.chance): its per-item timing, that it is
a valid p-value under its own null model (simulated), that it finds a planted pair, that the
DuckDB rendering equals the reference one on worlds where the probabilities are small, and
the Benjamini-Hochberg cut."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from engine_runs import detect_edges, differences, source_of

from lockstep.detect.settings import build_settings
from lockstep.engine import open_engine
from lockstep.engine.chance import bh_threshold, chance_curve, item_timing, n_tests, p_chance
from lockstep.signals.base import act


def test_item_timing_counts_pairs_within_the_window_either_way() -> None:
    rows = [("a", "x", 0), ("b", "x", 10), ("c", "x", 100), ("a", "y", 5), ("a", "z", 0), ("b", "z", 0)]
    t = item_timing(rows, 10)
    # x: ordered pairs within 10 us: (0,10) both ways = 2 of 3*2 = 6
    assert t["x"][0] == 3 and t["x"][1] == pytest.approx(2 / 6)
    assert t["y"] == (1, 0.0)
    assert t["z"] == (2, 1.0)  # ties count both ways


def test_item_timing_in_a_band_counts_only_pairs_inside_it() -> None:
    """co_repost_slow's null: pairs more than ``after`` and at most ``w`` apart, brute force."""
    rng = np.random.default_rng(3)
    rows = [(f"a{rng.integers(0, 9)}", f"i{rng.integers(0, 5)}", int(rng.integers(0, 300))) for _ in range(120)]
    t = item_timing(rows, 100, after_us=20)
    for item, (_, p) in t.items():
        ts = [r[2] for r in rows if r[1] == item]
        n = len(ts)
        inside = sum(1 for x in range(n) for y in range(n) if x != y and 20 < abs(ts[x] - ts[y]) <= 100)
        assert p == pytest.approx(inside / (n * (n - 1)) if n > 1 else 0.0)


def _null_world(rng: np.random.Generator, n_acc: int = 60, n_items: int = 150,
                ) -> tuple[list[tuple[str, str, int]], dict[str, set[str]]]:
    """Accounts picking items by popularity (Zipf) at random times: no coordination."""
    pop = 1.0 / np.arange(1, n_items + 1)
    pop /= pop.sum()
    rows: list[tuple[str, str, int]] = []
    per: dict[str, set[str]] = {}
    for a in range(n_acc):
        d = int(rng.integers(3, 25))
        items = rng.choice(n_items, size=d, replace=False, p=pop)
        for i in items:
            rows.append((f"a{a}", f"i{i}", int(rng.integers(0, 3600 * 1_000_000))))
            per.setdefault(f"a{a}", set()).add(f"i{i}")
    return rows, per


def _pair_values(rows: list[tuple[str, str, int]], per: dict[str, set[str]],
                 w_us: int) -> list[float]:
    """p_chance of every account pair of a world (co-acting or not), as scoring defines it."""
    timing = item_timing(rows, w_us)
    curve = chance_curve(timing, len(per))
    total = sum(len(v) for v in per.values())
    n_acc = len(per)
    times: dict[tuple[str, str], list[int]] = {}
    for a, i, t in rows:
        times.setdefault((a, i), []).append(t)
    accs = sorted(per)
    out = []
    for x in range(len(accs)):
        for y in range(x + 1, len(accs)):
            a, b = accs[x], accs[y]
            weight = 0.0
            for i in per[a] & per[b]:
                if min(abs(s - t) for s in times[(a, i)] for t in times[(b, i)]) <= w_us:
                    weight += math.log(n_acc / timing[i][0])
            out.append(p_chance(weight, len(per[a]), len(per[b]), total, curve))
    return out


def test_p_chance_is_a_valid_p_value_under_its_null_model() -> None:
    """On worlds without coordination, the share of pairs with p <= alpha stays at or below
    alpha (the Chernoff bound is conservative)."""
    rng = np.random.default_rng(11)
    values: list[float] = []
    for _ in range(4):
        rows, per = _null_world(rng)
        values += _pair_values(rows, per, 600 * 1_000_000)
    p = np.array(values)
    for alpha in (0.5, 0.1, 0.05, 0.01):
        assert (p <= alpha).mean() <= alpha, alpha
    assert (p < 1.0).mean() > 0.05  # the bound is not vacuous: many pairs get p below 1


def test_p_chance_finds_a_pair_on_rare_items_within_minutes() -> None:
    rng = np.random.default_rng(5)
    rows, per = _null_world(rng)
    for k in range(8):  # two accounts on 8 posts nobody else touches, minutes apart
        t = int(rng.integers(0, 3_000)) * 1_000_000
        rows += [("op1", f"rare{k}", t), ("op2", f"rare{k}", t + 400 * 1_000_000)]
        per.setdefault("op1", set()).add(f"rare{k}")
        per.setdefault("op2", set()).add(f"rare{k}")
    timing = item_timing(rows, 600 * 1_000_000)
    n_acc, total = len(per), sum(len(v) for v in per.values())
    weight = 8 * math.log(n_acc / 2)
    p = p_chance(weight, 8, 8, total, chance_curve(timing, n_acc))
    assert p * n_tests(n_acc) < 1e-6  # significant after every pair is counted as a test


def test_bh_threshold() -> None:
    ps = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]
    # Benjamini & Hochberg's rule at q = 0.05, m = 10: 0.008 <= 2 * 0.005 passes, 0.039 > 0.015
    assert bh_threshold(ps, 10, 0.05) == 0.008
    assert bh_threshold(ps, 40, 0.05) == 0.001  # more tests: stricter (0.001 <= 0.05 / 40)
    assert bh_threshold(ps, 10_000, 0.05) == -1.0
    assert bh_threshold([], 10, 0.05) == -1.0


def _rare_world(seed: int) -> list[dict[str, Any]]:
    """A few hundred reshares: an operation resharing its personas' posts 2-60 minutes late,
    and ordinary accounts resharing popular posts within the hour."""
    rng = np.random.default_rng(seed)
    rows = []
    n = 0
    for k in range(12):  # persona posts, reshared by 5 operators minutes later
        t0 = k * 7200.0
        rows.append(act(f"p{k}", f"persona{k % 2}", "post", t0))
        for o in range(5):
            n += 1
            rows.append(act(f"r{n}", f"op{o}", "repost", t0 + 120 + float(rng.integers(0, 3480)) + o / 10,
                            target_id=f"p{k}"))
    for k in range(10):  # popular posts, reshared by 15 of 40 ordinary accounts in the hour
        t0 = 100_000.0 + k * 5000
        rows.append(act(f"v{k}", "celebrity", "post", t0))
        for u in rng.choice(40, size=15, replace=False):
            n += 1
            rows.append(act(f"r{n}", f"user{u}", "repost", t0 + float(rng.integers(1, 3600)) + n / 1000,
                            target_id=f"v{k}"))
    return rows


@pytest.mark.parametrize("seed", [0, 1])
def test_duckdb_chance_equals_the_reference_where_it_is_small(seed: int) -> None:
    rows = _rare_world(seed)
    st = build_settings(params={"signals": ["co_repost_slow"], "slow_max_accounts": 20})
    src = source_of(rows)
    got, want = open_engine("duckdb", src), open_engine("reference", src)
    try:
        g, w = detect_edges(got, st), detect_edges(want, st)
    finally:
        got.close()
        want.close()
    assert differences(g, w) == []
    ps = {(r["account_a"], r["account_b"]): r["p_chance"] for r in w.to_pylist()}
    ops = [p for (a, b), p in ps.items() if a.startswith(("op", "persona")) and b.startswith(("op", "persona"))]
    users = [p for (a, b), p in ps.items() if a.startswith("user") and b.startswith("user")]
    assert ops and min(ops) < 0.01  # small world (48 accounts): the operation still stands out
    assert min(ops) < min(users, default=1.0) / 10
    assert all(p < 1.0 for p in ops)
