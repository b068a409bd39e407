"""Helpers for the engine tests: run signals on an engine as detection does, and compare
two engines' edges field by field."""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa

from lockstep.detect.settings import DetectSettings
from lockstep.engine import Engine
from lockstep.model import ACTIONS
from lockstep.signals import resolve
from lockstep.store.source import TableSource, arrow_source


def source_of(rows: list[dict[str, Any]]) -> TableSource:
    return arrow_source({"actions": pa.Table.from_pylist(rows, schema=ACTIONS)})


def detect_edges(eng: Engine, st: DetectSettings, prune: bool = True) -> pa.Table:
    """The pruned edges of ``st.signals`` (as lockstep.detect.pipeline runs them); with
    ``prune`` False nothing is dropped (min_weight 0, min_shared 1), evidence still attached."""
    if prune:
        eng.plan_prune(st.min_shared)
    rels = [r for r in (resolve(n)(st).run(eng) for n in st.signals) if r is not None]
    union = eng.union_edges(rels)
    if prune:
        return eng.fetch(eng.prune(union, st.min_weight, st.min_shared, {}, st.evidence_limit))
    return eng.fetch(eng.prune(union, 0.0, 1, {}, st.evidence_limit))


def by_edge(tbl: pa.Table) -> dict[tuple[str, str, str], dict[str, Any]]:
    rows = tbl.to_pylist()
    out = {(r["account_a"], r["account_b"], r["signal"]): r for r in rows}
    assert len(out) == len(rows), "an edge appears twice"
    return out


def same_value(x: Any, y: Any) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
    return bool(x == y)


def differences(got: pa.Table, want: pa.Table) -> list[str]:
    """What differs between two engines' edges: missing or extra edges, then field values
    (weights and gaps to 1e-9 relative, everything else exactly). Columns one engine has
    and the other lacks count only when they hold a value."""
    g, w = by_edge(got), by_edge(want)
    out = [f"missing {k}" for k in sorted(set(w) - set(g))] + [f"extra {k}" for k in sorted(set(g) - set(w))]
    for k in sorted(set(g) & set(w)):
        for col in sorted(set(g[k]) | set(w[k])):
            if not same_value(g[k].get(col), w[k].get(col)):
                out.append(f"{k} {col}: {g[k].get(col)!r} != {w[k].get(col)!r}")
    return out
