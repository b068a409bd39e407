"""``LOCKSTEP_TRACE=1`` (engine/duckdb/state.py): every stored table's build time and rows,
and at each table and step DuckDB's memory in use and spilled, on stderr, so a slow run shows
where it waited and whether it ran at the memory limit."""

from __future__ import annotations

import re

import pytest

from engine_runs import source_of
from lockstep.engine import open_engine
from lockstep.engine.base import ItemSource
from lockstep.engine.duckdb import state
from lockstep.signals.base import act


def test_trace_names_each_table_its_rows_and_duckdb_memory(monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(state, "_TRACE", True)
    rows = [act("p1", "a", "post", 0), act("r1", "b", "repost", 5, target_id="p1"),
            act("r2", "c", "repost", 9, target_id="p1")]
    eng = open_engine("duckdb", source_of(rows))
    try:
        assert eng.count(eng.items(ItemSource(key="target_id", kinds=("repost",)))) == 2
    finally:
        eng.close()
    lines = capsys.readouterr().err.splitlines()
    mem = r"\[duckdb [\d,]+ MB in memory, [\d,]+ MB spilled\]"
    assert any(re.fullmatch(rf"lockstep trace: +\d+\.\d\d s +2 rows _ls_items_\d+ {mem}", ln) for ln in lines), lines
    assert any(re.fullmatch(rf"lockstep trace: \d\d:\d\d:\d\d item rows {mem}", ln) for ln in lines), lines


def test_no_trace_when_off(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(state, "_TRACE", False)
    eng = open_engine("duckdb", source_of([act("p1", "a", "post", 0), act("r1", "b", "repost", 5, target_id="p1")]))
    try:
        eng.count(eng.items(ItemSource(key="target_id", kinds=("repost",))))
    finally:
        eng.close()
    assert "lockstep trace" not in capsys.readouterr().err
