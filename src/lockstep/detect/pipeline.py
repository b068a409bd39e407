"""``detect_workspace``: signals -> pruned fused graph -> campaigns -> output files.

Why this split of work: everything per action (pairing, weighting, pruning) runs in the
engine, out of core if need be; Python only sees the pruned edges, held as Arrow/numpy
arrays (no per-vertex or per-edge Python loops: a preset that keeps the full graph hands
over millions of edges), and clusters those.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from lockstep.detect.campaigns import mean_incident_dt, summarise
from lockstep.detect.settings import DetectSettings, build_settings
from lockstep.detect.writers import evidence_text, signal_breakdown, write_accounts, write_edges, write_json
from lockstep.engine import get_engine
from lockstep.errors import UserError
from lockstep.graph.cluster import cluster_graph
from lockstep.graph.export import write_gexf, write_graphml
from lockstep.graph.fuse import AccountGraph, fuse
from lockstep.signals import resolve
from lockstep.store.workspace import Workspace


def _run_signals(ws: Workspace, st: DetectSettings, progress: bool) -> tuple[pa.Table, dict[str, Any],
                                                                             dict[str, Any]]:
    engine = get_engine(st.engine, ws)
    counts: dict[str, Any] = {}
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
            pruned = engine.prune(union, st.min_weight, st.min_shared, {}, st.evidence_limit)
            edges = engine.fetch(pruned)
            if edges.num_rows and len(rels) > 1:  # fused float sums in one fixed order
                edges = edges.sort_by([("account_a", "ascending"), ("account_b", "ascending"),
                                       ("signal", "ascending")])
            counts["_prune"] = {"edges": edges.num_rows, "seconds": round(time.perf_counter() - t0, 3),
                                **getattr(engine, "stats", {})}
    finally:
        engine.close()
    return edges, window, counts


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


def detect_workspace(ws: Workspace, out_dir: Path, params: dict[str, Any] | None = None,
                     preset: str | None = None, progress: bool = True, config: Path | None = None,
                     flags: dict[str, Any] | None = None) -> dict[str, Any]:
    """Detect campaigns in ``ws`` and write the output files into ``out_dir``.

    Settings are built as defaults -> ``preset`` -> TOML ``config`` -> ``params`` ->
    ``flags``. Returns a summary: n_accounts, n_edges, n_campaigns, out_dir, run_id.
    """
    st = build_settings(params=params, preset=preset, config=config, flags=flags)
    if ws.count("actions") == 0:
        raise UserError(f"workspace {ws.path} has no actions (run `lockstep ingest` first)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    edges, window, counts = _run_signals(ws, st, progress)
    if window.get("n_coarse_time_actions") and st.window < 60:
        st.notes.append(f"{window['n_coarse_time_actions']} actions have minute or day precision:"
                        f" a {st.window:g} s window cannot be claimed for them")
    t1 = time.perf_counter()
    ag = fuse(edges)
    clusters = cluster_graph(ag, st.clustering, st.resolution, st.seed)
    flagged = [c for c in clusters if len(c.members) >= st.min_campaign_size and c.density >= st.min_density]
    record = st.as_record()
    run_id = ws.record_run("detect", out_dir, record)
    view = summarise(ag, flagged, edges)
    names = ag.names
    campaigns = []
    for i, c in enumerate(flagged):
        campaigns.append({
            "id": f"C{i + 1:03d}", "run_id": run_id, "members": [names[v] for v in view.members[i]],
            "n_members": len(c.members), "signals": view.signals[i],
            "parameters": record, "data_window": window,
            "summary": {"n_edges": c.n_edges, "total_weight": round(c.weight, 4),
                        "density": round(c.density, 4), "mean_dt_seconds": view.mean_dt[i],
                        "n_shared_items": view.n_shared[i], "top_items": view.top_items[i]},
        })
    cids = [f"C{i + 1:03d}" if i >= 0 else "" for i in view.camp.tolist()]
    roles = ["core" if i >= 0 else "candidate" for i in view.camp.tolist()]
    breakdown = signal_breakdown(edges)
    dts = mean_incident_dt(ag).tolist()
    order = sorted(range(ag.n_vertices), key=lambda v: (cids[v] == "", cids[v], -view.score[v], names[v]))
    rows = [{"account_id": names[v], "campaign_id": cids[v], "role": roles[v], "score": view.score[v],
             "evidence": evidence_text(breakdown.get(names[v], {}), None if dts[v] != dts[v] else dts[v])}
            for v in order]
    counts["_graph"] = {"seconds": round(time.perf_counter() - t1, 3)}
    t1 = time.perf_counter()
    write_accounts(rows, out_dir / "accounts.csv")
    n_edges = write_edges(edges, out_dir / "edges.csv")
    write_json(campaigns, out_dir / "campaigns.json")
    sel = _graph_selection(ag, view.camp, st)
    if sel is not False:
        vattrs = {"campaign_id": cids, "role": roles, "score": view.score}
        write_graphml(ag, vattrs, out_dir / "graph.graphml", sel)  # type: ignore[arg-type]
        write_gexf(ag, vattrs, out_dir / "graph.gexf", sel)  # type: ignore[arg-type]
    counts["_write"] = {"seconds": round(time.perf_counter() - t1, 3)}
    write_json({"run_id": run_id, "parameters": record, "sources": st.sources, "data_window": window,
                "signals": {k: v for k, v in counts.items() if not k.startswith("_")},
                "steps": {k[1:]: v for k, v in counts.items() if k.startswith("_")}, "notes": st.notes,
                "seconds": round(time.perf_counter() - t0, 3)}, out_dir / "params.json")
    if st.roles:
        _roles_hook(ws, out_dir, record)
    return {"n_accounts": ag.n_vertices, "n_edges": n_edges, "n_campaigns": len(campaigns),
            "n_flagged_accounts": sum(len(c.members) for c in flagged),
            "out_dir": str(out_dir), "run_id": run_id}


def _roles_hook(ws: Workspace, out_dir: Path, params: dict[str, Any]) -> None:
    """Let ``lockstep.roles.apply`` refine roles when that module is installed."""
    if importlib.util.find_spec("lockstep.roles") is None:
        return
    mod = importlib.import_module("lockstep.roles")
    apply = getattr(mod, "apply", None)
    if callable(apply):
        apply(ws, out_dir, params)
