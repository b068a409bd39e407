"""The reference engine: the whole :class:`~lockstep.engine.base.Engine` interface on Arrow
tables and Python rows, written to be read, not to be fast.

Why a reference engine (and not ibis expressions or SQL generated per dialect): the meaning
of each scoring includes steps no single SQL dialect shares (numpy enumeration on integer
keys in DuckDB, RDD code in Spark), so the definition must sit above all of them; a few
hundred lines of plain Python are the shortest statement of it that a reviewer can check
against the papers and the peer tools, and every engine is tested against it edge for edge
on generated worlds (tests/engine/). Use it on small data only (thousands of actions).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lockstep.engine.base import ENGINES, EdgeFilter, Engine, ItemSource, PairSpec, Rel, ScoreSpec
from lockstep.engine.reference import rows as rw
from lockstep.engine.reference import scoring
from lockstep.errors import EngineError
from lockstep.store.source import TableSource

Row = dict[str, Any]
EDGES = pa.schema([("account_a", pa.string()), ("account_b", pa.string()), ("signal", pa.string()),
                   ("weight", pa.float64()), ("n_shared", pa.int64()), ("mean_dt_seconds", pa.float64())])
EXTRA = {"synchrony": pa.float64(), "weight_threshold": pa.int32(), "p_chance": pa.float64(),
         "chance_tests": pa.int64(),
         "evidence_items": pa.list_(pa.string()), "evidence_actions": pa.list_(pa.string())}
_ids = itertools.count()


@ENGINES.register
class ReferenceEngine(Engine):
    """Relations are Arrow tables in a dict; every step is a function of :mod:`.rows` or
    :mod:`.scoring`."""

    name = "reference"

    def __init__(self, source: TableSource) -> None:
        self.actions = rw.action_rows(source.table("actions"))
        self.rels: dict[str, pa.Table] = {}
        self.coacts: list[Row] = []  # every scored signal's co-actions, for evidence
        self.stats: dict[str, int] = {}
        self.on_step: Callable[[str], None] | None = None

    def _new(self, table: pa.Table) -> Rel:
        name = f"ref_{next(_ids)}"
        self.rels[name] = table
        return Rel(name, id(self))

    def _get(self, rel: Rel) -> pa.Table:
        if rel.engine_id != id(self) or rel.name not in self.rels:
            raise EngineError(f"relation {rel.name} belongs to another engine")
        return self.rels[rel.name]

    def items(self, source: ItemSource) -> Rel:
        return self._new(rw.item_rows(self.actions, source))

    def distinct_items(self, items: Rel, limit: int | None = None) -> pa.Table:
        out = pa.table({"item": pc.unique(self._get(items).column("item"))})
        return out if limit is None else out.slice(0, limit)

    def remap_items(self, items: Rel, mapping: pa.Table) -> Rel:
        group = dict(zip(mapping.column("item").to_pylist(), mapping.column("group").to_pylist()))
        tbl = self._get(items)
        new = [x if group.get(x) is None else group[x] for x in tbl.column("item").to_pylist()]
        return self._new(tbl.set_column(tbl.schema.get_field_index("item"), "item", pa.array(new, pa.string())))

    def window_pairs(self, items: Rel, spec: PairSpec) -> Rel:
        return self._new(rw.window_pairs(self._get(items), spec))

    def origin_pairs(self, window_s: float | None, kinds: tuple[str, ...]) -> Rel:
        return self._new(rw.origin_pairs(self.actions, window_s, kinds))

    def score(self, pairs: Rel, items: Rel, spec: ScoreSpec, window_s: float) -> Rel:
        p, it = self._get(pairs).to_pylist(), self._get(items).to_pylist()
        if spec.scoring == "surprise":
            common = self._get(spec.common).to_pylist() if spec.common is not None else None
            sync = float(spec.extras.get("min_synchrony") or 0.0)
            edges, co = scoring.surprise(p, it, spec.signal, spec.min_participation, sync, common)
            extra = ["synchrony"]
            if spec.chance_window_s is not None:
                base = self._get(spec.chance_items).to_pylist() if spec.chance_items is not None else it
                scoring.add_chance(edges, base, spec.chance_window_s, spec.chance_after_s)
                extra += ["p_chance", "chance_tests"]
        elif spec.scoring == "coortweet":
            pct = spec.extras.get("edge_weight")
            edges, co = scoring.coortweet(p, it, spec.signal, spec.min_participation, spec.remove_loops,
                                          None if pct is None else float(pct))
            extra = ["weight_threshold"] if pct is not None else []
        else:
            edges, co = scoring.cnt(p, spec.signal, spec.remove_loops, spec.min_edge_weight)
            extra = []
        self.coacts.extend(co)
        return self._new(_edge_table(edges, extra))

    def union_edges(self, edges: list[Rel]) -> Rel:
        tables = [self._get(e) for e in edges]
        names: list[str] = []
        for t in tables:
            names += [n for n in t.column_names if n not in names]
        rows = [r for t in tables for r in t.to_pylist()]
        return self._new(_edge_table(rows, [n for n in names if n in EXTRA]))

    def prune(self, edges: Rel, min_weight: float, min_shared: int,
              signal_weights: dict[str, float], evidence_limit: int = 10,
              keep: EdgeFilter | None = None) -> Rel:
        """Rows of account pairs (unordered) whose fused weight (sum of weight x signal
        multiplier) and total shared items pass the thresholds, each with the evidence of
        its top ``evidence_limit`` items: by item weight, then item, then action ids."""
        tbl = self._get(edges)
        rows = tbl.to_pylist()
        fused: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
        for r in rows:
            f = fused[(min(r["account_a"], r["account_b"]), max(r["account_a"], r["account_b"]))]
            f[0] += r["weight"] * signal_weights.get(r["signal"], 1.0)
            f[1] += r["n_shared"]
        kept = [r for r in rows if _passes(fused[(min(r["account_a"], r["account_b"]),
                                                   max(r["account_a"], r["account_b"]))], min_weight, min_shared)]
        extra = [n for n in tbl.column_names if n in EXTRA] + ["evidence_items", "evidence_actions"]
        if keep is not None:
            chosen = keep(_edge_table(kept, extra[:-2]))
            ids = set(zip(*(chosen.column(c).to_pylist() for c in ("account_a", "account_b", "signal"))))
            kept = [r for r in kept if (r["account_a"], r["account_b"], r["signal"]) in ids]
        evidence = _evidence(self.coacts, evidence_limit)
        for r in kept:
            ev = evidence.get((r["account_a"], r["account_b"], r["signal"]))
            r["evidence_items"] = [x[1] for x in ev] if ev else None
            r["evidence_actions"] = [f"{x[2]}~{x[3]}" for x in ev] if ev else None
        return self._new(_edge_table(kept, extra))

    def fetch(self, rel: Rel) -> pa.Table:
        return self._get(rel)

    def count(self, rel: Rel) -> int:
        return int(self._get(rel).num_rows)

    def data_window(self) -> dict[str, object]:
        ts = [r["timestamp"] for r in self.actions if r["timestamp"] is not None]
        return {"start": min(ts).isoformat() if ts else None, "end": max(ts).isoformat() if ts else None,
                "n_actions": len(self.actions),
                "n_accounts": len({r["account_id"] for r in self.actions if r["account_id"] is not None}),
                "n_coarse_time_actions": sum(r["time_precision"] in ("min", "day") for r in self.actions)}

    def close(self) -> None:
        self.rels.clear()
        self.coacts.clear()


def _passes(f: list[float], min_weight: float, min_shared: int) -> bool:
    return f[0] >= min_weight and f[1] >= min_shared


def _evidence(coacts: list[Row], k: int) -> dict[tuple[str, str, str], list[tuple[float, str, str, str]]]:
    """Per edge (account_a, account_b, signal): its items sorted by weight (descending), then
    item, each with the closest pair of actions on it (smallest gap, then smallest ids)."""
    per_item: dict[tuple[str, str, str, str], tuple[float, tuple[float, str, str]]] = {}
    for c in coacts:
        key = (c["account_a"], c["account_b"], c["signal"], c["item"])
        w, m = per_item.get(key, (c["w"], (c["dt"], c["action_a"], c["action_b"])))
        per_item[key] = (max(w, c["w"]), min(m, (c["dt"], c["action_a"], c["action_b"])))
    out: dict[tuple[str, str, str], list[tuple[float, str, str, str]]] = defaultdict(list)
    for (a, b, s, item), (w, m) in per_item.items():
        out[(a, b, s)].append((-w, item, m[1], m[2]))
    return {e: sorted(v)[:k] for e, v in out.items()}


def _edge_table(rows: list[Row], extra: list[str]) -> pa.Table:
    schema = pa.schema([*EDGES, *(pa.field(n, EXTRA[n]) for n in extra)])
    return pa.Table.from_pylist([{n: r.get(n) for n in schema.names} for r in rows], schema=schema)
