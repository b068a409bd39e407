"""co_repost_slow on data without originals: its rarely shared items are found, paired and
timed on co_repost's counting pass (engine/duckdb/rare.py) instead of a string group-by and a
second sort. The edges must be the reference engine's, edge for edge, p_chance included, with
and without the hot-item cap, and the path must actually be taken (the engine says so in its
stats). The general parity test's worlds always hold originals, so they take the other path."""

from __future__ import annotations

from typing import Any

from engine_runs import detect_edges, differences, source_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockstep.detect.settings import build_settings
from lockstep.engine import open_engine
from lockstep.signals.base import act

# (account, target post, seconds): reshares only, of posts that are not in the data
ROW = st.tuples(st.integers(0, 6), st.integers(0, 4), st.integers(0, 400))
WORLD = st.lists(ROW, min_size=4, max_size=60, unique_by=lambda r: r[2])  # distinct times


def _world(rows: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    return [act(f"r{n}", f"u{a}", "repost", s, target_id=f"p{t}") for n, (a, t, s) in enumerate(rows)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=WORLD, window=st.sampled_from([5.0, 30.0]), slow=st.sampled_from([60.0, 300.0]),
       rare=st.sampled_from([2, 3, 5]), shared=st.sampled_from([1, 2, 3]), k=st.sampled_from([0, 2]),
       mp=st.sampled_from([1, 2]))
def test_rare_items_on_the_base_pass_match_the_reference(rows: list[tuple[int, int, int]], window: float,
                                                         slow: float, rare: int, shared: int, k: int,
                                                         mp: int) -> None:
    st_ = build_settings(params={"signals": ["co_repost", "co_repost_slow"], "window": window,
                                 "slow_window": slow, "slow_max_accounts": rare, "min_shared": shared,
                                 "min_weight": 0.0, "min_synchrony": 0.0, "min_participation": mp,
                                 "max_neighbours": k, "hot_item_actions": 3})
    src = source_of(_world(rows))
    got, want = open_engine("duckdb", src), open_engine("reference", src)
    try:
        assert differences(detect_edges(got, st_), detect_edges(want, st_)) == []
        if shared > 1:  # deferred scoring: the slow signal rode co_repost's pass
            assert "rare_rows_on_base_pass" in got.stats
    finally:
        got.close()
        want.close()


def test_a_planted_slow_pair_is_found_on_the_base_pass() -> None:
    """Two accounts resharing five rare posts 5-10 minutes apart, beside a popular post and
    rare posts reshared hours apart."""
    rows = []
    for n in range(5):
        rows += [act(f"a{n}", "a", "repost", 10_000 * n, target_id=f"p{n}"),
                 act(f"b{n}", "b", "repost", 10_000 * n + 300 + 60 * n, target_id=f"p{n}")]
    rows += [act(f"f{n}", f"fan{n}", "repost", 50_000 + n, target_id="viral") for n in range(8)]
    for m in range(20):  # other rare posts, reshared by two accounts hours apart: never paired
        rows += [act(f"x{m}", f"x{m}", "repost", 100_000 + m, target_id=f"q{m}"),
                 act(f"y{m}", f"y{m}", "repost", 100_000 + m + 7200, target_id=f"q{m}")]
    st_ = build_settings(params={"signals": ["co_repost", "co_repost_slow"], "slow_max_accounts": 4,
                                 "fdr": 1.0})
    src = source_of(rows)
    for name in ("duckdb", "reference"):
        eng = open_engine(name, src)
        try:
            edges = detect_edges(eng, st_).to_pylist()
        finally:
            eng.close()
        slow = [(e["account_a"], e["account_b"], e["n_shared"]) for e in edges if e["signal"] == "co_repost_slow"]
        assert slow == [("a", "b", 5)], (name, edges)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=WORLD, scoring=st.sampled_from(["coortweet", "cnt"]), k=st.sampled_from([0, 2]))
def test_lazy_rare_items_under_the_peer_scorings_match_the_reference(rows: list[tuple[int, int, int]],
                                                                    scoring: str, k: int) -> None:
    """Scored at once (no deferred pass to ride), the lazy rare items are built by their SQL."""
    st_ = build_settings(params={"signals": ["co_repost", "co_repost_slow"], "scoring": scoring,
                                 "window": 5.0, "slow_window": 300.0, "slow_max_accounts": 3,
                                 "min_participation": 1, "max_neighbours": k, "hot_item_actions": 3})
    src = source_of(_world(rows))
    got, want = open_engine("duckdb", src), open_engine("reference", src)
    try:
        assert differences(detect_edges(got, st_), detect_edges(want, st_)) == []
        assert "rare_rows_on_base_pass" not in got.stats
    finally:
        got.close()
        want.close()
