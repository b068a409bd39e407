"""``lockstep simulate``: write a labelled world with a planted operation (docs/simulator.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from lockstep.cli.common import console, out


def run_simulation(dest: Path, scenario: str, scale: float, seed: int, show: bool = True,
                   **knobs: Optional[float]) -> dict:
    from lockstep.simulate import simulate

    with Progress(TextColumn("simulating {task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} days"),
                  TimeElapsedColumn(), console=console, disable=not show, transient=True) as bar:
        task = bar.add_task(f"{scenario} x{scale:g}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return simulate(dest, scenario=scenario, scale=scale, seed=seed, progress=tick,
                        **{k: v for k, v in knobs.items() if v is not None})


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate_cmd(
        out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the world into.")],
        scenario: Annotated[str, typer.Option("--scenario", help="Scenario name.")] = "hk2019",
        scale: Annotated[float, typer.Option("--scale", help="Multiplies every population (1 = ~1M actions).")] = 1.0,
        seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same files.")] = 0,
        jitter: Annotated[Optional[float], typer.Option("--jitter", help="Mean seconds of delay added to the operation's synchronised actions (default 20).")] = None,
        paraphrase_rate: Annotated[Optional[float], typer.Option("--paraphrase-rate", help="Share 0-1 of templated operation posts reworded (default 0.3).")] = None,
        client_mix: Annotated[Optional[float], typer.Option("--client-mix", help="Share 0-1 of operation actions from organic clients/devices (default 0.15).")] = None,
        infra_spread: Annotated[Optional[float], typer.Option("--infra-spread", help="Share 0-1 of operation logins via shared VPN/ISP networks (default 0.25).")] = None,
        camouflage: Annotated[Optional[float], typer.Option("--camouflage", help="Share 0-1 of operator reposts spent on popular organic posts (default 0.3).")] = None,
    ) -> None:
        """Simulate a platform with a planted state-backed operation (IO archive layout + labels)."""
        m = run_simulation(out_dir, scenario, scale, seed, jitter=jitter, paraphrase_rate=paraphrase_rate,
                           client_mix=client_mix, infra_spread=infra_spread, camouflage=camouflage)
        c = m["counts"]
        out.print(f"wrote {out_dir}: {c['actions']:,} actions, {c['accounts']:,} accounts "
                  f"({c['by_role']['core']} core, {c['by_role']['amplifier']:,} amplifiers) in {m['seconds']:.1f} s")
        out.print(json.dumps(m["files"]))
