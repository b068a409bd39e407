"""Each signal pairs what it claims to pair, and weights surprise, not volume."""

from __future__ import annotations

from pathlib import Path

import pytest
from detect_fixtures import action, make_ws

from lockstep.detect.settings import build_settings
from lockstep.signals import resolve
from lockstep.signals.near_duplicates import near_duplicate_groups


def _edges(engine, ws, signal: str, **params) -> dict[tuple[str, str], dict]:
    st = build_settings(params={"min_participation": 1, **params})
    eng = engine(ws)
    rel = resolve(signal)(st).run(eng)
    tbl = eng.fetch(eng.prune(eng.union_edges([rel]), 0.0, 1, {}, 10))  # attaches the evidence
    eng.close()
    return {(r["account_a"], r["account_b"]): r for r in tbl.to_pylist()}


def test_co_link_normalises_urls_and_domains(tmp_path: Path, engine) -> None:
    ws = make_ws(tmp_path / "ws", [
        action("1", "a", "post", 0, urls=["https://www.Example.com/news/1/?utm_source=tw#top"]),
        action("2", "b", "post", 5, urls=["http://example.com/news/1"]),
        action("3", "c", "post", 9, urls=["https://example.com/news/2"]),
        action("4", "d", "repost", 9, target="1", urls=["http://example.com/news/1"]),
    ])
    by_url = _edges(engine, ws, "co_link")
    assert set(by_url) == {("a", "b")}
    assert by_url[("a", "b")]["evidence_items"] == ["example.com/news/1"]
    by_domain = _edges(engine, ws, "co_link", link_level="domain")
    assert set(by_domain) == {("a", "b"), ("a", "c"), ("b", "c")}
    ws.close()


def test_co_text_exact_and_near_duplicates_in_chinese_and_english(tmp_path: Path, engine) -> None:
    zh = "香港暴徒破坏社会秩序，我们坚决支持警察依法处置"
    en = "Rioters in Hong Kong are destroying public order, we support the police"
    ws = make_ws(tmp_path / "ws", [
        action("1", "a", "post", 0, text=zh + " https://t.co/x"),
        action("2", "b", "post", 10, text=zh.replace("坚决", "全力")),
        action("3", "c", "post", 20, text=en + "!!"),
        action("4", "d", "post", 25, text="@someone " + en.upper()),
        action("5", "e", "post", 30, text="Lovely weather in Kowloon today, off to the harbour"),
    ])
    exact_only = _edges(engine, ws, "co_text", near_duplicates=False)
    assert set(exact_only) == {("c", "d")}
    both = _edges(engine, ws, "co_text", text_similarity=0.6)
    assert set(both) == {("a", "b"), ("c", "d")}
    ws.close()


def test_near_duplicate_groups_leave_singletons_out() -> None:
    g = near_duplicate_groups(["the quick brown fox jumps", "the quick brown fox jumped",
                               "completely different words here"], threshold=0.6)
    assert g.num_rows == 2 and len(set(g.column("group").to_pylist())) == 1


def test_co_hashtag_sequence_and_co_reply(tmp_path: Path, engine) -> None:
    ws = make_ws(tmp_path / "ws", [
        action("1", "a", "post", 0, hashtags=["HK", "Riots", "Police"]),
        action("2", "b", "post", 3, hashtags=["hk", "riots", "police"]),
        action("3", "c", "post", 4, hashtags=["riots", "hk", "police"]),
        action("4", "d", "post", 4, hashtags=["hk"]),
        action("5", "a", "reply", 100, target="p9"),
        action("6", "c", "reply", 130, target="p9"),
    ])
    assert set(_edges(engine, ws, "co_hashtag_sequence")) == {("a", "b")}
    assert set(_edges(engine, ws, "co_reply")) == {("a", "c")}
    assert set(_edges(engine, ws, "co_reply", window=10)) == set()
    ws.close()


def test_fast_repost_uses_the_original_timestamp(tmp_path: Path, engine) -> None:
    ws = make_ws(tmp_path / "ws", [
        action("p1", "author", "post", 0, text="original"),
        action("r1", "fast", "repost", 4, target="p1"),
        action("r2", "slow", "repost", 400, target="p1"),
        action("r3", "unknown", "repost", 1, target="not-in-data"),
    ])
    edges = _edges(engine, ws, "fast_repost", fast_window=10)
    assert set(edges) == {("author", "fast")}
    assert edges[("author", "fast")]["mean_dt_seconds"] == pytest.approx(4)
    ws.close()


def test_surprise_weights_rare_items_above_viral_ones(tmp_path: Path, engine) -> None:
    rows = [action(f"v{i}", f"fan{i}", "repost", i, target="viral") for i in range(200)]
    rows += [action("r1", "fan0", "repost", 0, target="rare"), action("r2", "fan1", "repost", 2, target="rare")]
    ws = make_ws(tmp_path / "ws", rows)
    edges = _edges(engine, ws, "co_repost", window=5, min_synchrony=0.0)
    pair = edges[("fan0", "fan1")]
    assert pair["n_shared"] == 2 and pair["evidence_items"][0] == "rare"
    viral_only = edges[("fan10", "fan11")]
    assert viral_only["weight"] < 0.1 * pair["weight"]
    ws.close()
