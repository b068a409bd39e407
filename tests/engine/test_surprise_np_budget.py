"""Integer scoring only runs when its arrays fit in half the memory limit; larger signals are
scored by the SQL steps (which spill to disk). Both give the reference engine's edges."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import duckdb
import pytest
from engine_runs import detect_edges, differences, source_of
from test_reference_parity import _world

from lockstep.detect.settings import build_settings
from lockstep.engine import open_engine
from lockstep.engine.base import ScoreSpec
from lockstep.engine.duckdb import surprise_np
from lockstep.engine.duckdb.state import DuckState
from lockstep.signals import DEFAULT_SIGNALS


def _rows(seed: int) -> list[tuple[int, int, int, int, int, list[int], int, bool]]:
    rnd = random.Random(seed)
    secs = rnd.sample(range(241), 60)
    return [(rnd.randrange(5), rnd.randrange(5), rnd.randrange(6), s, rnd.randrange(6),
             [rnd.randrange(5)] * rnd.randrange(2), rnd.randrange(5), rnd.random() < 0.3) for s in secs]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("budget", ["fits", "too_big"])
def test_both_paths_give_the_reference_edges(seed: int, budget: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if budget == "too_big":  # every signal too large for memory: the SQL steps score it
        monkeypatch.setattr(surprise_np, "ITEM_ROW_BYTES", 10**15)
    calls: list[str] = []
    real = surprise_np.score_ints

    def counted(*a: Any, **k: Any) -> str:
        calls.append("ints")
        return real(*a, **k)
    monkeypatch.setattr("lockstep.engine.duckdb.deferred.score_ints", counted)
    settings = build_settings(params={"signals": list(DEFAULT_SIGNALS), "window": 30.0, "min_shared": 2, "min_weight": 0.0,
                                      "min_participation": 2, "slow_window": 100.0, "slow_max_accounts": 3})
    src = source_of(_world(_rows(seed)))
    got, want = open_engine("duckdb", src), open_engine("reference", src)
    try:
        expected = detect_edges(want, settings)
        diff = differences(detect_edges(got, settings), expected)
    finally:
        got.close()
        want.close()
    assert diff == [], diff[:5]
    assert expected.num_rows > 0  # a world with edges to score
    assert bool(calls) == (budget == "fits")


def test_the_budget_is_half_the_memory_limit(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    st = DuckState(con=con, scratch=tmp_path, owner=1)
    spec = ScoreSpec(scoring="surprise", signal="s")
    half = 10**9 // 2
    per = surprise_np.ITEM_ROW_BYTES + surprise_np.PAIR_ROW_BYTES
    assert surprise_np.can_score(st, spec, int(half * 0.9) // per, int(half * 0.9) // per)
    assert not surprise_np.can_score(st, spec, int(half * 1.1) // per, int(half * 1.1) // per)
    assert not surprise_np.can_score(st, ScoreSpec(scoring="cnt", signal="s"), 1, 1)
    con.close()
