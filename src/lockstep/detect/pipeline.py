"""``detect``: signals -> pruned fused graph -> campaigns, as a :class:`DetectResult`.

Why this split of work: everything per action (pairing, weighting, pruning) runs in the
engine, out of core if need be; Python only sees the pruned edges, held as Arrow/numpy
arrays (no per-vertex or per-edge Python loops: a preset that keeps the full graph hands
over millions of edges), and clusters those.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyarrow as pa
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from lockstep.detect.campaigns import mean_incident_dt, summarise
from lockstep.detect.evidence import evidence_text, signal_breakdown
from lockstep.detect.result import Campaign, CoordinatedAccount, DetectResult
from lockstep.detect.settings import DetectSettings
from lockstep.detect.significance import FdrCut, campaign_chances, fdr_filter, reprune
from lockstep.engine import open_engine
from lockstep.errors import UserError
from lockstep.graph.cluster import cluster_graph
from lockstep.graph.fuse import AccountGraph, fuse
from lockstep.signals import resolve
from lockstep.store.source import workspace_source
from lockstep.store.workspace import Workspace


def _in_order(edges: pa.Table) -> pa.Table:
    """Edges in one fixed order, so that per-pair float sums (fusion, repruning) always add up
    the same way."""
    return edges.sort_by([("account_a", "ascending"), ("account_b", "ascending"), ("signal", "ascending")])


def _cut(edges: pa.Table, st: DetectSettings) -> tuple[pa.Table, list[FdrCut]]:
    """The significance cut: :func:`fdr_filter`, then :func:`reprune` when it dropped edges (a
    pair left with too little once its chance edges go)."""
    kept, cuts = fdr_filter(edges, st.fdr)
    if any(c.dropped for c in cuts):
        kept = reprune(kept, st.min_weight, st.min_shared)
    return kept, cuts


class _Significant:
    """The significance cut (:func:`_cut`), run by the engine's pruning before the evidence lists are made (``Engine.prune``'s
    ``keep``): only the edges that survive it need evidence. ``cuts`` and ``pruned`` (the
    edges before the cut) are kept for the report."""

    def __init__(self, st: DetectSettings) -> None:
        self.st = st
        self.cuts: list[FdrCut] | None = None
        self.pruned = 0

    def __call__(self, edges: pa.Table) -> pa.Table:
        self.pruned = edges.num_rows
        edges = _in_order(edges) if edges.num_rows else edges
        kept, self.cuts = _cut(edges, self.st)
        return kept


def _run_signals(ws: Workspace, st: DetectSettings, progress: bool) -> tuple[pa.Table, dict[str, Any],
                                                                             dict[str, Any], list[FdrCut] | None]:
    """The engine's part: every signal's edges, pruned, cut for significance (when edges are
    tested for chance and the cut can drop any: ``cuts`` is then returned, else None), with
    their evidence."""
    engine = open_engine(st.engine, workspace_source(ws))
    counts: dict[str, Any] = {}
    significant = _Significant(st) if st.scoring == "surprise" and st.fdr < 1.0 else None
    try:
        window = engine.data_window()
        rels = []
        engine.plan_prune(st.min_shared)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      disable=not progress, transient=True) as bar:
            task = bar.add_task("signals", total=len(st.signals))
            for name in st.signals:
                bar.update(task, description=f"signal {name}")
                engine.on_step = lambda what, n=name: bar.update(task, description=f"signal {n}: {what}")
                t0 = time.perf_counter()
                rel = resolve(name)(st).run(engine)
                if rel is not None:
                    rels.append((resolve(name).name, rel))
                    counts[resolve(name).name] = {"seconds": round(time.perf_counter() - t0, 3)}
                bar.advance(task)
            bar.update(task, description="pruning")
            engine.on_step = lambda what: bar.update(task, description=f"pruning: {what}")
            t0 = time.perf_counter()
            union = engine.union_edges([r for _, r in rels])  # scores deferred signals first
            for sig, rel in rels:  # edges of pairs that can reach min_shared (see plan_prune)
                counts[sig]["edges"] = engine.count(rel)
            pruned = engine.prune(union, st.min_weight, st.min_shared, {}, st.evidence_limit, keep=significant)
            edges = engine.fetch(pruned)
            counts["_prune"] = {"edges": edges.num_rows if significant is None else significant.pruned,
                                "seconds": round(time.perf_counter() - t0, 3), **getattr(engine, "stats", {})}
    finally:
        engine.close()
    if edges.num_rows and len(rels) > 1:  # fused float sums in one fixed order (after the engine
        # has handed its memory back: the sorted copy no longer adds to it)
        edges = _in_order(edges)
    return edges, window, counts, None if significant is None else significant.cuts


def _graph_selection(ag: AccountGraph, camp: np.ndarray, st: DetectSettings) -> np.ndarray | None | bool:
    """Which edges the graph files hold: None (all), an index array (campaigns only) or
    False (skip), following ``graph_files`` and ``graph_max_edges``."""
    if not st.graph_files:
        return False
    cap = st.graph_max_edges
    if not cap or ag.n_edges <= cap:
        return None
    inside = np.flatnonzero((camp[ag.src] == camp[ag.dst]) & (camp[ag.src] >= 0))
    if len(inside) > cap:
        st.notes.append(f"graph files skipped: {ag.n_edges} edges, {len(inside)} inside campaigns,"
                        f" both > graph_max_edges={cap} (edges.csv has every edge)")
        return False
    st.notes.append(f"graph files hold the flagged campaigns only ({len(inside)} of {ag.n_edges} edges:"
                    f" more than graph_max_edges={cap}; edges.csv has every edge)")
    return inside


def detect(ws: Workspace, st: DetectSettings, progress: bool = True) -> DetectResult:
    """Detect campaigns in ``ws`` with settings ``st``; writes nothing (see
    :func:`lockstep.workflow.run_detection` for the command's whole run)."""
    if ws.count("actions") == 0:
        raise UserError(f"workspace {ws.path} has no actions (run `lockstep ingest` first)")
    t0 = time.perf_counter()
    edges, window, counts, cuts = _run_signals(ws, st, progress)
    if window.get("n_coarse_time_actions") and st.window < 60:
        st.notes.append(f"{window['n_coarse_time_actions']} actions have minute or day precision:"
                        f" a {st.window:g} s window cannot be claimed for them")
    t1 = time.perf_counter()
    if cuts is None:  # not cut in the engine (nothing it could drop): reported here
        edges, cuts = _cut(edges, st)
    elif "chance_tests" in edges.column_names:  # as fdr_filter leaves them: reported in the cuts
        edges = edges.drop_columns(["chance_tests"])
    for cut in cuts:  # the significance cut, reported with the signal's counts
        counts.setdefault(cut.signal, {})["fdr"] = {
            "fdr": cut.fdr, "pairs_tested": cut.n_tests, "p_threshold": cut.threshold,
            "edges_kept": cut.kept, "edges_dropped": cut.dropped}
    ag = fuse(edges)
    clusters = cluster_graph(ag, st.clustering, st.resolution, st.seed)
    flagged = [c for c in clusters if len(c.members) >= st.min_campaign_size and c.density >= st.min_density]
    view = summarise(ag, flagged, edges)
    names = ag.names
    chances = campaign_chances(edges, names, view.camp, len(flagged), sum(c.n_tests for c in cuts))
    campaigns = [Campaign(id=f"C{i + 1:03d}", members=tuple(names[v] for v in view.members[i]),
                          signals=view.signals[i], n_edges=c.n_edges, total_weight=c.weight,
                          density=c.density, mean_dt_seconds=view.mean_dt[i],
                          n_shared_items=view.n_shared[i], top_items=tuple(view.top_items[i]),
                          p_chance=chances[i])
                 for i, c in enumerate(flagged)]
    cids = [f"C{i + 1:03d}" if i >= 0 else None for i in view.camp.tolist()]
    breakdown = signal_breakdown(edges)
    dts = mean_incident_dt(ag).tolist()
    order = sorted(range(ag.n_vertices), key=lambda v: (cids[v] is None, cids[v] or "", -view.score[v], names[v]))
    accounts = [CoordinatedAccount(names[v], cids[v], view.score[v],
                                   evidence_text(breakdown.get(names[v], {}), None if dts[v] != dts[v] else dts[v]))
                for v in order]
    selection = _graph_selection(ag, view.camp, st)
    counts["_graph"] = {"seconds": round(time.perf_counter() - t1, 3)}
    return DetectResult(record=st.as_record(), sources=dict(st.sources), data_window=window,
                        edges=edges, graph=ag, campaigns=campaigns, accounts=accounts,
                        graph_selection=selection,
                        signals={k: v for k, v in counts.items() if not k.startswith("_")},
                        steps={k[1:]: v for k, v in counts.items() if k.startswith("_")},
                        notes=st.notes, seconds=round(time.perf_counter() - t0, 3))
