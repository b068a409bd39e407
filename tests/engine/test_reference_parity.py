"""The DuckDB engine gives the reference engine's edges, edge for edge, on generated worlds:
the same edges, weights and mean gaps (to 1e-9), shared-item counts, synchrony, thresholds
and evidence, for every signal under each of the three scorings, with and without the
hot-item cap, pruning (the deferred path) and near-duplicate texts.

Timestamps are distinct in a world, so which action of a pair comes first is never a tie
(on a tie the engines may order a pair's two actions differently, which changes no edge
but the order of an evidence pair)."""

from __future__ import annotations

from typing import Any

from engine_runs import detect_edges, differences, source_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockstep.detect.settings import build_settings
from lockstep.engine import open_engine
from lockstep.signals import DEFAULT_SIGNALS
from lockstep.signals.base import act

TEXTS = ["Rioters destroy order in our city, support the police", "RT @op: rioters destroy order in our"
         " city!! support the police", "Rioters destroy order in our town, support the police",
         "@a Lovely weather in Kowloon today", "香港暴徒破坏社会秩序，我们坚决支持警察", None]
URLS = ["https://www.x.org/a?utm_source=1", "http://x.org/a", "https://y.com/b/", "y.com/b", "https://z.net/c"]
TAGS = [["HK", "Riots"], ["#hk", "riots"], ["Riots", "HK"], ["HK"], []]
KINDS = ["post", "repost", "repost", "reply", "quote"]
TARGETS = ["m0", "m1", "m2", "o1", None, None]

ROW = st.tuples(st.integers(0, 4), st.integers(0, len(KINDS) - 1), st.integers(0, len(TARGETS) - 1),
                st.integers(0, 240), st.integers(0, len(TEXTS) - 1),
                st.lists(st.integers(0, len(URLS) - 1), max_size=2), st.integers(0, len(TAGS) - 1),
                st.booleans())
WORLD = st.lists(ROW, min_size=6, max_size=50, unique_by=lambda r: r[3])  # distinct times


def _world(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    out = []
    for n, (acc, kind, target, sec, text, urls, tags, reuse) in enumerate(rows):
        k = KINDS[kind] if n >= 3 else "post"  # m0..m2 are originals others reshare
        # a repost may reuse an earlier id (the toolkit keeps the first); originals never do
        aid = f"m{n % 4 + 3}" if reuse and k == "repost" and n > 6 else f"m{n}"
        tid = TARGETS[target] if k != "post" else None
        out.append(act(aid, f"u{acc}", k, sec, target_id=tid, text=TEXTS[text],
                       target_account_id=f"u{tags}" if k == "repost" and tid is None else None,
                       urls=[URLS[u] for u in urls], hashtags=TAGS[tags], source_line=n + 2))
    return out


def _compare(rows: list[dict[str, Any]], **build: Any) -> None:
    st_ = build_settings(**build)
    src = source_of(rows)
    got, want = (open_engine("duckdb", src), open_engine("reference", src))
    try:
        diff = differences(detect_edges(got, st_), detect_edges(want, st_))
    finally:
        got.close()
        want.close()
    assert diff == [], diff[:5]


COMMON = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(rows=WORLD, window=st.sampled_from([5.0, 30.0, 120.0]), mp=st.sampled_from([1, 2]),
       sync=st.sampled_from([0.0, 0.3]), shared=st.sampled_from([1, 2, 3]),
       weight=st.sampled_from([0.0, 0.5]), k=st.sampled_from([0, 2]), near=st.booleans(),
       slow=st.sampled_from([20.0, 100.0, 3600.0]), rare=st.sampled_from([2, 3, 50]))
def test_surprise_scoring_matches_the_reference(rows: list[tuple[Any, ...]], window: float, mp: int,
                                                sync: float, shared: int, weight: float, k: int,
                                                near: bool, slow: float, rare: int) -> None:
    """Every default signal, every edge's p_chance and chance_tests included (co_repost_slow's long
    window and rarity cap drawn too)."""
    _compare(_world(rows), params={
        "signals": list(DEFAULT_SIGNALS), "window": window, "min_participation": mp, "min_synchrony": sync,
        "min_shared": shared, "min_weight": weight, "max_neighbours": k, "hot_item_actions": 3,
        "near_duplicates": near, "text_similarity": 0.6, "fast_window": window / 2, "min_text_chars": 8,
        "slow_window": slow, "slow_max_accounts": rare})


@COMMON
@given(rows=WORLD, window=st.sampled_from([0.0, 10.0, 60.0]), mp=st.sampled_from([0, 1, 2, 3]),
       ew=st.sampled_from([None, 0.5, 0.9]), loops=st.booleans(), k=st.sampled_from([0, 2]))
def test_coortweet_scoring_matches_the_reference(rows: list[tuple[Any, ...]], window: float, mp: int,
                                                 ew: float | None, loops: bool, k: int) -> None:
    _compare(_world(rows), preset="coortweet", flags={
        "signals": ["co_repost", "co_reply", "co_link", "co_text", "co_hashtag_sequence"], "window": window,
        "min_participation": mp, "edge_weight": ew, "remove_loops": loops, "max_neighbours": k,
        "hot_item_actions": 3})


@COMMON
@given(rows=WORLD, window=st.sampled_from([1.0, 30.0, 90.0]), mew=st.sampled_from([1.0, 2.0, 2.5]),
       loops=st.booleans(), k=st.sampled_from([0, 2]))
def test_cnt_scoring_matches_the_reference(rows: list[tuple[Any, ...]], window: float, mew: float,
                                           loops: bool, k: int) -> None:
    _compare(_world(rows), preset="cnt", flags={
        "signals": ["co_repost", "co_reply", "co_link", "co_text", "co_hashtag_sequence", "co_repost_author"],
        "window": window, "min_edge_weight": mew, "remove_loops": loops, "max_neighbours": k,
        "hot_item_actions": 3})
