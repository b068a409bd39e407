"""``detect_workspace``: signals -> pruned fused graph -> campaigns -> output files.

Why this split of work: everything per action (pairing, weighting, pruning) runs in the
engine, out of core if need be; Python only sees the pruned edges, which are few even
for tens of millions of actions, and clusters those.
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

from lockstep.detect.settings import DetectSettings, build_settings
from lockstep.detect.writers import (evidence_text, signal_breakdown, top_items, write_accounts,
                                     write_edges, write_json)
from lockstep.engine import get_engine
from lockstep.errors import UserError
from lockstep.graph import cluster_graph, fuse, write_gexf, write_graphml
from lockstep.signals import resolve
from lockstep.store.workspace import Workspace


def _run_signals(ws: Workspace, st: DetectSettings, progress: bool) -> tuple[pa.Table, dict[str, Any],
                                                                             dict[str, Any]]:
    engine = get_engine(st.engine, ws)
    counts: dict[str, Any] = {}
    try:
        window = engine.data_window()
        rels = []
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      disable=not progress, transient=True) as bar:
            task = bar.add_task("signals", total=len(st.signals))
            for name in st.signals:
                bar.update(task, description=f"signal {name}")
                t0 = time.perf_counter()
                rel = resolve(name)(st).run(engine)
                if rel is not None:
                    rels.append(rel)
                    counts[resolve(name).name] = {"edges": engine.count(rel),
                                                  "seconds": round(time.perf_counter() - t0, 3)}
                bar.advance(task)
            bar.update(task, description="pruning")
            pruned = engine.prune(engine.union_edges(rels), st.min_weight, st.min_shared, {},
                                  st.evidence_limit)
            edges = engine.fetch(pruned)
            if edges.num_rows:
                edges = edges.sort_by([("account_a", "ascending"), ("account_b", "ascending"),
                                       ("signal", "ascending")])
    finally:
        engine.close()
    return edges, window, counts


def _scores(g: Any, members: list[int]) -> dict[int, float]:
    """Campaign-internal weighted degree, relative to the strongest member (0-1]."""
    inner = g.induced_subgraph(members)
    s = np.asarray(inner.strength(weights="weight"), dtype=float)
    top = s.max() if len(s) and s.max() > 0 else 1.0
    return {v: round(float(x / top), 4) for v, x in zip(members, s)}


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
    ag = fuse(edges)
    g = ag.graph
    clusters = cluster_graph(g, st.clustering, st.resolution, st.seed)
    flagged = [c for c in clusters if len(c.members) >= st.min_campaign_size and c.density >= st.min_density]
    record = st.as_record()
    run_id = ws.record_run("detect", out_dir, record)

    names = ag.names
    g.vs["campaign_id"] = [""] * g.vcount()
    g.vs["role"] = ["candidate"] * g.vcount()
    g.vs["score"] = [0.0] * g.vcount()
    breakdown = signal_breakdown(edges)
    campaigns = []
    for i, c in enumerate(flagged, start=1):
        cid = f"C{i:03d}"
        scores = _scores(g, c.members)
        for v in c.members:
            g.vs[v]["campaign_id"], g.vs[v]["role"], g.vs[v]["score"] = cid, "core", scores[v]
        member_names = {names[v] for v in c.members}
        inner = g.induced_subgraph(c.members)
        sig_edges: dict[str, int] = {}
        for s in inner.es["signals"] if inner.ecount() else []:
            for sig in s.split(","):
                sig_edges[sig] = sig_edges.get(sig, 0) + 1
        dts = np.asarray(inner.es["mean_dt_seconds"] if inner.ecount() else [], dtype=float)
        campaigns.append({
            "id": cid, "run_id": run_id,
            "members": [names[v] for v in sorted(c.members, key=lambda v: (-scores[v], names[v]))],
            "n_members": len(c.members), "signals": dict(sorted(sig_edges.items())),
            "parameters": record, "data_window": window,
            "summary": {"n_edges": c.n_edges, "total_weight": round(c.weight, 4),
                        "density": round(c.density, 4),
                        "mean_dt_seconds": round(float(dts.mean()), 3) if len(dts) else None,
                        "n_shared_items": int(np.sum(inner.es["n_shared"])) if inner.ecount() else 0,
                        "top_items": top_items(edges, member_names)},
        })
    rows = []
    order = sorted(range(g.vcount()), key=lambda v: (g.vs[v]["campaign_id"] == "", g.vs[v]["campaign_id"],
                                                     -g.vs[v]["score"], names[v]))
    for v in order:
        inc = g.incident(v)
        dt = float(np.mean(g.es[inc]["mean_dt_seconds"])) if inc else None
        rows.append({"account_id": names[v], "campaign_id": g.vs[v]["campaign_id"],
                     "role": g.vs[v]["role"], "score": g.vs[v]["score"],
                     "evidence": evidence_text(breakdown.get(names[v], {}), dt)})
    write_accounts(rows, out_dir / "accounts.csv")
    n_edges = write_edges(edges, out_dir / "edges.csv")
    write_json(campaigns, out_dir / "campaigns.json")
    write_graphml(g, out_dir / "graph.graphml")
    write_gexf(g, out_dir / "graph.gexf")
    write_json({"run_id": run_id, "parameters": record, "sources": st.sources, "data_window": window,
                "signals": counts, "notes": st.notes,
                "seconds": round(time.perf_counter() - t0, 3)}, out_dir / "params.json")
    if st.roles:
        _roles_hook(ws, out_dir, record)
    return {"n_accounts": g.vcount(), "n_edges": n_edges, "n_campaigns": len(campaigns),
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
