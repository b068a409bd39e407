"""Every registered signal, on every registered engine: its own example, empty input, and the
same output twice; and both table sources (a workspace, Arrow tables) give the same edges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from engine_runs import by_edge, detect_edges, differences, source_of
from engine_fixtures import EngineFactory

from lockstep.detect.settings import build_settings
from lockstep.engine import ENGINES, open_engine
from lockstep.model import ACTIONS
from lockstep.signals import REGISTRY
from lockstep.store import open_workspace
from lockstep.store.source import arrow_source, workspace_source

SIGNALS = sorted(REGISTRY.names())


def _settings(name: str) -> object:
    ex = REGISTRY.resolve(name).example
    return build_settings(params={"min_participation": 1, "signals": [name], **ex.params})


@pytest.mark.parametrize("name", SIGNALS)
def test_signal_links_exactly_its_example(engine: EngineFactory, name: str) -> None:
    ex = REGISTRY.resolve(name).example
    eng = engine(source_of(list(ex.actions)))
    try:
        edges = detect_edges(eng, _settings(name), prune=False)  # type: ignore[arg-type]
    finally:
        eng.close()
    pairs = {tuple(sorted(k[:2])) for k in by_edge(edges)}
    assert pairs == set(ex.linked)
    assert set(edges.column("signal").to_pylist()) == {name}
    assert all(edges.column("evidence_items").to_pylist()), "every edge carries its evidence"


@pytest.mark.parametrize("name", SIGNALS)
def test_signal_on_empty_input_gives_no_edges(engine: EngineFactory, name: str) -> None:
    eng = engine(arrow_source({}))
    try:
        edges = detect_edges(eng, _settings(name), prune=False)  # type: ignore[arg-type]
        assert eng.data_window()["n_actions"] == 0
    finally:
        eng.close()
    assert edges.num_rows == 0
    assert {"account_a", "account_b", "signal", "weight", "n_shared", "mean_dt_seconds",
            "evidence_items", "evidence_actions"} <= set(edges.column_names)


@pytest.mark.parametrize("name", SIGNALS)
def test_signal_gives_the_same_edges_twice(engine: EngineFactory, name: str) -> None:
    ex = REGISTRY.resolve(name).example
    src = source_of(list(ex.actions))
    runs = []
    for _ in range(2):
        eng = engine(src)
        try:
            runs.append(detect_edges(eng, _settings(name), prune=False))  # type: ignore[arg-type]
        finally:
            eng.close()
    assert runs[0].num_rows > 0 and differences(runs[0], runs[1]) == []


def test_every_engine_is_registered_with_a_name() -> None:
    assert {"duckdb", "reference"} <= set(ENGINES.names())
    with pytest.raises(Exception, match="unknown engine 'spark'"):
        open_engine("spark", arrow_source({}))


def test_workspace_and_arrow_sources_give_the_same_edges(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = []  # every example in one world, ids kept apart per signal
    for name in SIGNALS:
        for r in REGISTRY.resolve(name).example.actions:
            rows.append({**r, "action_id": f"{name}:{r['action_id']}", "source_line": len(rows) + 2,
                         "target_id": f"{name}:{r['target_id']}" if r["target_id"] else r["target_id"]})
    st = build_settings(params={"min_participation": 1, "min_synchrony": 0.0, "fast_window": 10.0})
    ws = open_workspace(tmp_path / "ws")
    try:
        ws.stage("actions", pa.Table.from_pylist(rows, schema=ACTIONS))
        ws.merge()
        results = []
        for name in ENGINES.names():
            for src in (workspace_source(ws), source_of(rows)):
                eng = open_engine(name, src)
                try:
                    results.append(detect_edges(eng, st, prune=False))
                finally:
                    eng.close()
    finally:
        ws.close()
    assert len({k[2] for k in by_edge(results[0])}) == len(SIGNALS)  # every signal linked some pair
    for other in results[1:]:
        assert differences(other, results[0]) == []
