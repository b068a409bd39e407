"""Scoring only the account pairs that can reach ``min_shared`` changes no kept edge.

The engine defers surprise scoring until every signal has paired, then scores only pairs
whose distinct shared items (all signals together) reach ``min_shared``. These tests run
the same detection with the deferral switched off and compare the pruned edges."""

from __future__ import annotations

import math

from pathlib import Path

import pyarrow as pa
import pytest
from detect_fixtures import make_ws
from detect_fixtures import planted_world as _world

from lockstep.detect.pipeline import _run_signals
from lockstep.detect.settings import build_settings
from lockstep.engine.duckdb import DuckDBEngine


def _edges(ws, params: dict) -> pa.Table:
    st = build_settings(params=params)
    edges, _, counts, _ = _run_signals(ws, st, progress=False)
    return edges.sort_by([("account_a", "ascending"), ("account_b", "ascending"),
                          ("signal", "ascending")]), counts


def _same_rows(a: pa.Table, b: pa.Table) -> bool:
    """Equal rows, floats equal to 1e-9 relative (rounding to N digits is not enough: a
    last-bit difference can straddle a rounding boundary)."""
    ra, rb = a.to_pylist(), b.to_pylist()
    return len(ra) == len(rb) and all(
        x.keys() == y.keys() and all(math.isclose(x[k], y[k], rel_tol=1e-9) if isinstance(x[k], float)
                                     and isinstance(y[k], float) else x[k] == y[k] for k in x)
        for x, y in zip(ra, rb))


@pytest.mark.parametrize("params", [{}, {"min_shared": 2, "min_weight": 0.0},
                                    # hot items capped: the integer-keyed rerank must match
                                    {"hot_item_actions": 4, "max_neighbours": 2},
                                    {"min_shared": 5, "min_weight": 4.0, "min_synchrony": 0.0}])
def test_deferred_scoring_keeps_the_same_edges(tmp_path: Path, monkeypatch, params: dict) -> None:
    ws = make_ws(tmp_path / "ws", _world(5)[0])
    try:
        fast, counts_fast = _edges(ws, params)
        with monkeypatch.context() as m:
            m.setattr(DuckDBEngine, "plan_prune", lambda self, n: None)  # score every pair
            full, counts_full = _edges(ws, params)
    finally:
        ws.close()
    assert fast.num_rows > 0
    # identical rows; floats are sums whose order DuckDB does not fix (last ulp differs)
    assert _same_rows(fast, full)
    # fewer (or as many) per-signal edges were scored, never more
    for sig, c in counts_fast.items():
        if not sig.startswith("_"):
            assert c["edges"] <= counts_full[sig]["edges"]
    assert sum(c["edges"] for s, c in counts_fast.items() if not s.startswith("_")) < \
        sum(c["edges"] for s, c in counts_full.items() if not s.startswith("_"))
