"""Every engine's pairing is exact (|t_a - t_b| <= window, never buckets) and bounded on hot items."""

from __future__ import annotations

import random
from pathlib import Path

from detect_fixtures import action, make_ws

from lockstep.engine import ItemSource, PairSpec


def _brute(rows: list[dict], window: float) -> set[tuple[str, str]]:
    out = set()
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if a["target_id"] == b["target_id"] and \
                    abs((a["timestamp"] - b["timestamp"]).total_seconds()) <= window:
                out.add(tuple(sorted((a["action_id"], b["action_id"]))))
    return out


def test_window_pairs_equal_brute_force(tmp_path: Path, engine) -> None:
    rng = random.Random(7)
    rows = [action(f"m{i}", f"u{rng.randrange(30)}", "repost", rng.choice([0, 10, 20, 30]) +
                   rng.randrange(0, 200) + rng.choice([0, 0.5]), target=f"t{rng.randrange(8)}")
            for i in range(400)]
    ws = make_ws(tmp_path / "ws", rows)
    eng = engine(ws)
    items = eng.items(ItemSource(key="target_id", kinds=("repost",)))
    for window in (0, 1, 7, 10, 60):
        pairs = eng.fetch(eng.window_pairs(items, PairSpec(window)))
        got = {tuple(sorted(p)) for p in zip(pairs.column("action_a").to_pylist(),
                                             pairs.column("action_b").to_pylist())}
        assert got == _brute(rows, window), window
        assert len(got) == pairs.num_rows  # each pair once
        dts = [(b - a) / 1e6 for a, b in zip(pairs.column("t_a").to_pylist(), pairs.column("t_b").to_pylist())]
        assert all(0 <= d <= window for d in dts)
    eng.close()
    ws.close()


def test_hot_item_pairs_are_capped(tmp_path: Path, engine) -> None:
    n = 3000  # one post reshared by 3,000 accounts inside 100 seconds
    rows = [action(f"m{i}", f"u{i}", "repost", i / 30, target="hot") for i in range(n)]
    rows += [action("x1", "a", "repost", 0, target="cold"), action("x2", "b", "repost", 5, target="cold")]
    ws = make_ws(tmp_path / "ws", rows)
    eng = engine(ws)
    items = eng.items(ItemSource(key="target_id", kinds=("repost",)))
    capped = eng.count(eng.window_pairs(items, PairSpec(60, max_neighbours=20, hot_item_actions=1000)))
    assert capped == sum(min(20, n - 1 - i) for i in range(n)) + 1  # + the cold pair
    full = eng.count(eng.window_pairs(items, PairSpec(60)))
    assert full > 10 * capped
    eng.close()
    ws.close()


def test_lazy_window_pairs_build_when_read(tmp_path: Path, engine) -> None:
    """With pruning planned, window pairs are built lazily (deferred scoring pairs on
    integer keys); reading them must still give every pair, as the eager form does."""
    rng = random.Random(3)
    rows = [action(f"m{i}", f"u{rng.randrange(20)}", "repost", rng.randrange(0, 300),
                   target=f"t{rng.randrange(5)}") for i in range(300)]
    ws = make_ws(tmp_path / "ws", rows)
    eng = engine(ws)
    items = eng.items(ItemSource(key="target_id", kinds=("repost",)))
    eager = eng.fetch(eng.window_pairs(items, PairSpec(30, max_neighbours=3, hot_item_actions=10)))
    eng.plan_prune(3)
    lazy = eng.fetch(eng.window_pairs(items, PairSpec(30, max_neighbours=3, hot_item_actions=10)))
    key = [("uid_a", "ascending"), ("uid_b", "ascending")]
    assert lazy.num_rows > 0 and lazy.sort_by(key).equals(eager.sort_by(key))
    eng.close()
    ws.close()
