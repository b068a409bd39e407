"""Deferred scoring builds a signal's single-use tables when that signal is scored and drops
them once it is (``kept.done_with``): fast_repost's chance rows (its reshares plus every
original) are not held while the other signals' rows are built and counted (and are measured
without being stored at all: ``chance_sql.originals_curve``), and after pruning only what the
evidence reads is left. Same edges as a run that keeps everything (the reference
engine, field by field)."""

from __future__ import annotations

from engine_runs import detect_edges, differences, source_of
from test_chance_every_signal import _world

from lockstep.detect.settings import DetectSettings, build_settings
from lockstep.engine import open_engine
from lockstep.engine.duckdb.engine import DuckDBEngine
from lockstep.signals import DEFAULT_SIGNALS, resolve


def _settings() -> DetectSettings:
    return build_settings(params={"signals": list(DEFAULT_SIGNALS), "min_weight": 0.0, "min_shared": 2,
                                  "slow_max_accounts": 8})


def test_chance_rows_built_at_scoring_and_single_use_tables_dropped() -> None:
    st = _settings()
    eng = open_engine("duckdb", source_of(_world()))
    assert isinstance(eng, DuckDBEngine)
    try:
        eng.plan_prune(st.min_shared)
        rels = [r for r in (resolve(n)(st).run(eng) for n in st.signals) if r is not None]
        s = eng.state
        chance = [d.spec.chance_items.name for d in s.deferred if d.spec.chance_items is not None]
        assert chance and all(c in s.lazy_items and c not in s.made for c in chance)  # not built yet
        eng.fetch(eng.prune(eng.union_edges(rels), st.min_weight, st.min_shared, {}, st.evidence_limit))
        assert not set(chance) & set(s.made) and not set(chance) & set(s.lazy_items)  # measured, never stored
        assert not s.int_rows and not any(n.startswith("_ls_keptuid_") for n in s.made)
        assert all(ic.items in s.made and ic.table in s.made for ic in s.int_coacts)  # evidence kept
    finally:
        eng.close()


def test_same_edges_as_the_reference() -> None:
    st = _settings()
    got, want = open_engine("duckdb", source_of(_world())), open_engine("reference", source_of(_world()))
    try:
        assert differences(detect_edges(got, st), detect_edges(want, st)) == []
    finally:
        got.close()
        want.close()
