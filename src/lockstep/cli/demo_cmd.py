"""``lockstep demo``: simulate a small world, ingest it, detect, and score against the labels.

Each later stage is imported lazily, so the demo still runs (and says what it skipped)
while the ingest or detection modules are missing.
"""

from __future__ import annotations

import csv
import importlib.util
import time
from pathlib import Path
from typing import Annotated

import typer

from lockstep.cli.common import out


def _score(results: Path, labels: Path) -> str:
    acc = results / "accounts.csv"
    if not acc.exists():
        return f"no {acc} to score"
    with labels.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    pos = {r["userid"] for r in rows if r["role"] in ("core", "amplifier")}
    core = {r["userid"] for r in rows if r["role"] == "core"}
    authentic = {r["userid"] for r in rows if r["group"] in ("protest", "protest_leader", "loyalist")}
    with acc.open(encoding="utf-8") as f:
        flagged = {r["account_id"] for r in csv.DictReader(f)
                   if (r.get("campaign_id") or "").strip() and (r.get("role") or "core") not in ("", "organic", "none")}
    tp = len(flagged & pos)
    p = tp / len(flagged) if flagged else 0.0
    r = tp / len(pos) if pos else 0.0
    return (f"flagged {len(flagged):,} accounts: precision {p:.3f}, recall {r:.3f} (core + amplifiers); "
            f"core recall {len(flagged & core) / max(1, len(core)):.3f}; "
            f"authentic activists/loyalists flagged {len(flagged & authentic)}/{len(authentic)}")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_cmd(
        out_dir: Annotated[Path, typer.Option("--out", help="Folder for the world, workspace and results.")] = Path("lockstep-demo"),
        scale: Annotated[float, typer.Option("--scale", help="World scale (default 0.1: ~100k actions).")] = 0.1,
        seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    ) -> None:
        """Simulate -> ingest -> detect -> score, end to end, in under two minutes."""
        from lockstep.cli.simulate_cmd import run_simulation

        t0 = time.perf_counter()
        world = out_dir / "world"
        m = run_simulation(world, "hk2019", scale, seed)
        out.print(f"[1/3] simulated {m['counts']['actions']:,} actions, {m['counts']['accounts']:,} accounts -> {world}")
        if importlib.util.find_spec("lockstep.ingest") is None or not hasattr(importlib.import_module("lockstep.ingest"), "ingest_paths"):
            out.print("[2/3] skipped ingest: lockstep.ingest.ingest_paths is not available yet")
            return
        from lockstep.ingest import ingest_paths
        from lockstep.store import open_workspace

        ws_dir = out_dir / "workspace"
        with open_workspace(ws_dir) as ws:
            ingest_paths(ws, [world / "users.csv", world / "tweets.csv"], progress=True)
            ingest_paths(ws, [world / "access.csv"], fmt="access-log", progress=True)
            out.print(f"[2/3] ingested into {ws_dir}: {ws.count('actions'):,} actions, {ws.count('accounts'):,} accounts")
            if importlib.util.find_spec("lockstep.detect") is None:
                out.print("[3/3] skipped detection: lockstep.detect is not available yet")
                return
            detect = importlib.import_module("lockstep.detect")
            if not hasattr(detect, "detect_workspace"):
                out.print("[3/3] skipped detection: lockstep.detect.detect_workspace is not available yet")
                return
            results = out_dir / "results"
            summary = detect.detect_workspace(ws, results, progress=True)
        out.print(f"[3/3] detected {summary.get('n_campaigns', '?')} campaigns -> {results}")
        out.print(_score(results, world / "labels.csv"))
        out.print(f"done in {time.perf_counter() - t0:.0f} s; results in {results}")
