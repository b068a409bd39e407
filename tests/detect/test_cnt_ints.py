"""``--preset cnt`` on integer keys (engine/duckdb/cnt.py) gives exactly the edges, weights,
gaps and evidence of the SQL definition over string rows (scoring_sql._cnt), which the
parity tests tie to the toolkit's own outputs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from detect_fixtures import action, make_ws
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockstep.detect.pipeline import _run_signals
from lockstep.detect.settings import build_settings
from lockstep.engine.duckdb import DuckDBEngine
from lockstep.engine.duckdb.pairs import own

ROW = st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 90), st.integers(0, 2),
                st.integers(0, 3))  # account, item, second, message-id reuse, url count


def _world(rows: list[tuple[int, int, int, int, int]]) -> list[dict]:
    out = []
    for n, (acc, item, sec, reuse, n_urls) in enumerate(rows):
        mid = f"m{n % 3}" if reuse == 2 else f"m{n}"  # some ids repeat (the preset keeps the first)
        urls = [f"https://x.org/{(item + u) % 4}" for u in range(n_urls)]
        out.append(action(mid, f"u{acc}", "repost", sec, target=f"o{item}", urls=urls,
                          text=f"Text {item}" if n_urls != 1 else None))
    return out


def _edges(rows: list[dict], flags: dict, use_sql: bool, monkeypatch) -> list[tuple]:
    if use_sql:  # build the string pair rows first: score() then takes the SQL path
        orig = DuckDBEngine.score

        def score(self, pairs, items, spec, window_s):  # type: ignore[no-untyped-def]
            own(self.state, pairs)
            return orig(self, pairs, items, spec, window_s)

        monkeypatch.setattr(DuckDBEngine, "score", score)
    with tempfile.TemporaryDirectory() as d, make_ws(Path(d) / "ws", [dict(r) for r in rows]) as ws:
        edges, _, counts, _ = _run_signals(ws, build_settings(preset="cnt", flags=flags), progress=False)
    monkeypatch.undo()
    out = []
    for r in edges.to_pylist():
        out.append((r["account_a"], r["account_b"], r["signal"], r["weight"], r["n_shared"],
                    round(r["mean_dt_seconds"], 9), tuple(r["evidence_items"] or ()),
                    tuple(r["evidence_actions"] or ())))
    return sorted(out)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=2, max_size=40), window=st.sampled_from([0, 5, 30]),
       mew=st.sampled_from([1.0, 2.0, 2.5]), loops=st.booleans(), k=st.sampled_from([0, 2]))
def test_integer_path_equals_sql(rows, window, mew, loops, k, monkeypatch) -> None:
    flags = {"window": float(window), "min_edge_weight": mew, "remove_loops": loops,
             "signals": ["co_repost", "co_link", "co_text"], "max_neighbours": k, "hot_item_actions": 3}
    world = _world(rows)
    assert _edges(world, flags, False, monkeypatch) == _edges(world, flags, True, monkeypatch)


def test_weights_count_distinct_messages(tmp_path: Path) -> None:
    # u1's message m1 pairs with two of u2's (both within 10 s): weight(u1 -> u2) counts m1
    # once, weight(u2 -> u1) counts m2 and m3; m4/m5 add one message each way.
    rows = [action("m1", "u1", "repost", 0, target="o1"), action("m2", "u2", "repost", 5, target="o1"),
            action("m3", "u2", "repost", 8, target="o1"), action("m4", "u1", "repost", 100, target="o2"),
            action("m5", "u2", "repost", 101, target="o2")]
    with make_ws(tmp_path / "ws", rows) as ws:
        edges, _, _, _ = _run_signals(ws, build_settings(preset="cnt", flags={"window": 10.0}), progress=False)
    got = {(r["account_a"], r["account_b"]): (r["weight"], r["n_shared"], r["mean_dt_seconds"])
           for r in edges.to_pylist()}
    assert got == {("u1", "u2"): (2.0, 2, (5 + 8 + 1) / 3), ("u2", "u1"): (3.0, 2, (5 + 8 + 1) / 3)}


def test_small_buffers_spill_and_give_the_same_edges(tmp_path: Path, monkeypatch) -> None:
    import random

    from lockstep.engine.duckdb import spool as duckdb_spool

    rng = random.Random(7)
    rows = [(rng.randrange(12), rng.randrange(6), rng.randrange(200), rng.randrange(3), rng.randrange(3))
            for _ in range(300)]
    flags = {"window": 20.0, "signals": ["co_repost", "co_link"]}
    world = _world(rows)
    expect = _edges(world, flags, False, monkeypatch)
    assert expect
    monkeypatch.setattr(duckdb_spool, "BUDGET_BYTES", 64)  # spool to Parquet, re-read the rows
    spilled = []
    orig = duckdb_spool.Spool.parts

    def parts(self):  # type: ignore[no-untyped-def]
        got = list(orig(self))
        spilled.append(any(isinstance(p, str) for p in got))
        return iter(got)

    monkeypatch.setattr(duckdb_spool.Spool, "parts", parts)
    with make_ws(tmp_path / "ws", [dict(r) for r in world]) as ws:
        edges, _, _, _ = _run_signals(ws, build_settings(preset="cnt", flags=flags), progress=False)
    got = sorted((r["account_a"], r["account_b"], r["signal"], r["weight"], r["n_shared"],
                  round(r["mean_dt_seconds"], 9), tuple(r["evidence_items"] or ()),
                  tuple(r["evidence_actions"] or ())) for r in edges.to_pylist())
    assert any(spilled) and got == expect
    assert not list((tmp_path / "ws" / "tmp").glob("spool-*"))  # spool files removed
