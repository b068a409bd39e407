"""``lockstep demo``: simulate a small world, ingest it, detect, and score against the labels."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from lockstep.cli.common import out


def score_against_labels(results: Path, labels: Path) -> str:
    """Precision and recall of the run's flagged accounts against the world's labels
    (positives: core operators, personas and amplifiers), in one line."""
    from lockstep.roles.evaluate import evaluate

    e = evaluate(results, labels)
    return (f"flagged {e['flagged']:,} accounts: precision {e['precision']:.3f}, recall {e['recall']:.3f}"
            f" (core + amplifiers); core recall {e['core_recall'] or 0:.3f}; authentic activists/loyalists"
            f" flagged {e['n_hard_negatives_flagged']}/{e['n_hard_negatives']}")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_cmd(
        out_dir: Annotated[Path, typer.Option("--out", help="Folder for the world, workspace and results.")] = Path("lockstep-demo"),
        scale: Annotated[float, typer.Option("--scale", help="World scale (default 0.1: ~100k actions).")] = 0.1,
        seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    ) -> None:
        """Simulate -> ingest -> detect -> score, end to end, in under two minutes."""
        from lockstep.cli.simulate_cmd import run_simulation
        from lockstep.ingest import ingest_paths
        from lockstep.store import open_workspace
        from lockstep.workflow import run_detection

        t0 = time.perf_counter()
        world = out_dir / "world"
        m = run_simulation(world, "hk2019", scale, seed)
        out.print(f"[1/3] simulated {m['counts']['actions']:,} actions, {m['counts']['accounts']:,} accounts -> {world}")
        ws_dir = out_dir / "workspace"
        results = out_dir / "results"
        with open_workspace(ws_dir) as ws:
            ingest_paths(ws, [world / "users.csv", world / "tweets.csv"], progress=True)
            ingest_paths(ws, [world / "access.csv"], fmt="access-log", progress=True)
            out.print(f"[2/3] ingested into {ws_dir}: {ws.count('actions'):,} actions, {ws.count('accounts'):,} accounts")
            outcome = run_detection(ws, results, progress=True)
        out.print(f"[3/3] {outcome.summary.line()}", markup=False, highlight=False)
        out.print(score_against_labels(results, world / "labels.csv"))
        out.print(f"done in {time.perf_counter() - t0:.0f} s; results in {results}")
