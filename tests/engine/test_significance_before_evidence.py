"""The significance cut runs inside the engine's pruning, before the evidence lists are made
(``Engine.prune(keep=...)``; detect's ``_Significant``): the edges, their evidence and the
reported cuts must be exactly those of cutting the fetched edges afterwards, as detect did
before, on both engines, on a world where the cut drops edges; and a pair left with too little
once its untested-for-chance edge's partner is cut goes too (the repruning)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from engine_runs import source_of
from test_chance_every_signal import _world

from lockstep.detect.pipeline import _in_order, _Significant
from lockstep.detect.settings import DetectSettings, build_settings
from lockstep.detect.significance import fdr_filter, reprune
from lockstep.engine import open_engine
from lockstep.signals import DEFAULT_SIGNALS, resolve


def _settings() -> DetectSettings:
    return build_settings(params={"signals": list(DEFAULT_SIGNALS), "min_weight": 0.0, "min_shared": 2,
                                  "slow_max_accounts": 8, "fdr": 0.01})


def _edges(name: str, keep: Any) -> pa.Table:
    st = _settings()
    eng = open_engine(name, source_of(_world()))
    try:
        eng.plan_prune(st.min_shared)
        rels = [r for r in (resolve(n)(st).run(eng) for n in st.signals) if r is not None]
        return _in_order(eng.fetch(eng.prune(eng.union_edges(rels), st.min_weight, st.min_shared, {},
                                             st.evidence_limit, keep=keep)))
    finally:
        eng.close()


@pytest.mark.parametrize("name", ["duckdb", "reference"])
def test_cut_in_the_engine_equals_cutting_after(name: str) -> None:
    st = _settings()
    after, cuts_after = fdr_filter(_edges(name, None), st.fdr)
    assert any(c.dropped for c in cuts_after)  # the cut matters on this world
    after = reprune(after, st.min_weight, st.min_shared)
    cut = _Significant(st)
    inside = _edges(name, cut).drop_columns(["chance_tests"])
    assert cut.cuts == cuts_after
    assert cut.pruned > inside.num_rows == after.num_rows > 0
    assert inside.to_pylist() == after.to_pylist()  # the same rows, values and evidence lists
    assert all(r["evidence_items"] for r in inside.to_pylist())


def test_a_pair_left_with_too_little_after_the_cut_goes() -> None:
    st = build_settings(params={"min_weight": 0.0, "min_shared": 2, "fdr": 0.01})
    edges = pa.table({"account_a": ["u", "x", "x"], "account_b": ["v", "y", "y"],
                      "signal": ["co_repost", "co_link", "co_repost"], "weight": [9.0, 1.0, 4.0],
                      "n_shared": [6, 1, 5], "p_chance": [1e-12, None, 0.9], "chance_tests": [10, None, 10]})
    cut = _Significant(st)
    kept = cut(edges)
    assert kept.column("account_a").to_pylist() == ["u"]  # x-y's co_link edge alone shares one item
    assert cut.pruned == 3 and cut.cuts is not None and cut.cuts[0].dropped == 1
