"""co_repost_author: reshares that carry only the reshared author (no post id) still pair."""

from __future__ import annotations

from pathlib import Path

from detect_fixtures import action, make_ws

from lockstep.detect.presets import PRESETS
from lockstep.detect.settings import build_settings
from lockstep.signals import DEFAULT_SIGNALS, resolve


def _edges(engine, ws, signal: str, **params) -> tuple[dict[tuple[str, str], dict], bool]:
    st = build_settings(params={"min_participation": 1, **params})
    eng = engine(ws)
    rel = resolve(signal)(st).run(eng)
    if rel is None:
        eng.close()
        return {}, False
    tbl = eng.fetch(eng.prune(eng.union_edges([rel]), 0.0, 1, {}, 10))
    eng.close()
    return {(r["account_a"], r["account_b"]): r for r in tbl.to_pylist()}, True


def _rt(aid: str, acc: str, t: float, author: str, post: str | None = None) -> dict:
    return action(aid, acc, "repost", t, target=post, target_account=author)


def test_pairs_accounts_resharing_the_same_author_within_the_exact_window(tmp_path: Path, engine) -> None:
    ws = make_ws(tmp_path / "ws", [
        _rt("1", "a", 0, "X"), _rt("2", "b", 60, "X"),      # gap exactly 60 s: paired
        _rt("3", "c", 60.5, "X"),                            # 60.5 s after a, 0.5 s after b
        _rt("4", "d", 200, "X"),                             # alone in time
        _rt("5", "a", 300, "Y"), _rt("6", "e", 330, "Y"),    # another author
        _rt("7", "f", 400, "f"),                             # resharing oneself: never an item
        _rt("8", "g", 401, "f"),
    ])
    edges, ran = _edges(engine, ws, "co_repost_author", window=60.0, min_synchrony=0.0)
    assert ran
    assert set(edges) == {("a", "b"), ("b", "c"), ("a", "e")}  # a-c is 60.5 s apart: not paired
    assert edges[("a", "b")]["evidence_items"] == ["author:X"]
    assert edges[("a", "b")]["mean_dt_seconds"] == 60.0
    assert edges[("a", "e")]["evidence_items"] == ["author:Y"]
    narrow, _ = _edges(engine, ws, "co_repost_author", window=59.9, min_synchrony=0.0)
    assert set(narrow) == {("b", "c"), ("a", "e")}
    ws.close()


def test_not_applied_when_the_repost_has_a_post_id(tmp_path: Path, engine) -> None:
    ws = make_ws(tmp_path / "ws", [
        _rt("1", "a", 0, "X", post="p1"), _rt("2", "b", 5, "X", post="p1"),
        _rt("3", "c", 10, "X", post=""), _rt("4", "d", 12, "X"),  # empty and missing post id
    ])
    by_author, _ = _edges(engine, ws, "co_repost_author", min_synchrony=0.0)
    assert set(by_author) == {("c", "d")}  # a and b are co_repost's, never counted twice
    by_post, _ = _edges(engine, ws, "co_repost", min_synchrony=0.0)
    assert set(by_post) == {("a", "b")}
    ws.close()


def test_silent_on_data_where_every_repost_has_a_post_id(tmp_path: Path, engine) -> None:
    ws = make_ws(tmp_path / "ws", [_rt("1", "a", 0, "X", post="p1"), _rt("2", "b", 5, "X", post="p1")])
    edges, ran = _edges(engine, ws, "co_repost_author")
    assert not ran and edges == {}  # returns no relation: params.json does not list it
    ws.close()


def test_surprise_weighting_and_synchrony_as_co_repost(tmp_path: Path, engine) -> None:
    rows = []
    # a and b reshare five niche authors together; everyone reshares the celebrity Z.
    for k in range(5):
        rows += [_rt(f"n{k}a", "a", 1000 * k, f"N{k}"), _rt(f"n{k}b", "b", 1000 * k + 2, f"N{k}")]
    for i, acc in enumerate("abcdefgh"):
        rows.append(_rt(f"z{acc}", acc, 9000 + i, "Z"))
    # c and d meet on two authors within the window, and on four more hours apart.
    for k in range(6):
        gap = 1 if k < 2 else 3600
        rows += [_rt(f"m{k}c", "c", 20000 + 10000 * k, f"M{k}"),
                 _rt(f"m{k}d", "d", 20000 + 10000 * k + gap, f"M{k}")]
    ws = make_ws(tmp_path / "ws", rows)
    edges, _ = _edges(engine, ws, "co_repost_author", min_synchrony=0.5)
    ab = edges[("a", "b")]
    assert ab["n_shared"] == 6 and "author:Z" in ab["evidence_items"]
    others = [e for k, e in edges.items() if k != ("a", "b")]
    assert others and all(ab["weight"] > e["weight"] for e in others)  # Z (everyone) adds little
    assert ("c", "d") not in edges  # 3 of 7 common authors in the window: no lockstep
    loose, _ = _edges(engine, ws, "co_repost_author", min_synchrony=0.0)
    assert loose[("c", "d")]["n_shared"] == 3  # M0, M1 and Z
    ws.close()


def test_default_on_but_never_in_presets() -> None:
    assert "co_repost_author" in DEFAULT_SIGNALS
    assert "co_repost_author" in build_settings().signals
    for name in PRESETS:
        assert "co_repost_author" not in build_settings(preset=name).signals
