"""``lockstep simulate``: write a labelled world with a planted operation (docs/simulator.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from lockstep.cli.common import console, out


def run_simulation(dest: Path, scenario: str, scale: float, seed: int, show: bool = True,
                   **knobs: Optional[float]) -> dict[str, Any]:
    from lockstep.simulate import simulate

    with Progress(TextColumn("simulating {task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} days"),
                  TimeElapsedColumn(), console=console, disable=not show, transient=True) as bar:
        task = bar.add_task(f"{scenario} x{scale:g}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return simulate(dest, scenario=scenario, scale=scale, seed=seed, progress=tick,
                        **{k: v for k, v in knobs.items() if v is not None})


def _opt(flag: str, help: str) -> Any:
    return typer.Option(flag, help=help)


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate_cmd(
        out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the world into.")],
        scenario: Annotated[str, typer.Option("--scenario", help="Scenario name.")] = "hk2019",
        scale: Annotated[float, typer.Option("--scale", help="Multiplies every population (1 = ~1M actions).")] = 1.0,
        seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same files.")] = 0,
        tactics: Annotated[Optional[str], _opt("--tactics", "Comma-separated evasion tactics and look-alikes with the"
                                               " bench's settings: slow, shifts, camouflage, proxies, steady, unique,"
                                               " fans, newsbots, or all; flags below override.")] = None,
        jitter: Annotated[Optional[float], _opt("--jitter", "Mean seconds of delay added to the operation's synchronised actions (default 20).")] = None,
        paraphrase_rate: Annotated[Optional[float], _opt("--paraphrase-rate", "Share 0-1 of templated operation posts reworded (default 0.3).")] = None,
        client_mix: Annotated[Optional[float], _opt("--client-mix", "Share 0-1 of operation actions from organic clients/devices (default 0.15).")] = None,
        infra_spread: Annotated[Optional[float], _opt("--infra-spread", "Share 0-1 of operation logins via shared VPN/ISP networks (default 0.25).")] = None,
        camouflage: Annotated[Optional[float], _opt("--camouflage", "Share 0-1 of operator reposts spent on popular organic posts (default 0.3).")] = None,
        slow_reshare: Annotated[Optional[float], _opt("--slow-reshare", "Share 0-1 of the operation's reshares of its core made 2-60 minutes after the post (default 0).")] = None,
        shifts: Annotated[Optional[int], _opt("--shifts", "0: Beijing office hours (default); 2-4: that many disjoint operator groups in rotating shifts, 24/7.")] = None,
        camouflage_offhours: Annotated[Optional[float], _opt("--camouflage-offhours", "0-1: operators also reshare popular posts off duty, every day (default 0).")] = None,
        residential_proxy: Annotated[Optional[float], _opt("--residential-proxy", "Share 0-1 of operation logins through ordinary users' home lines (default 0).")] = None,
        steady_amplifiers: Annotated[Optional[float], _opt("--steady-amplifiers", "Share 0-1 of amplifiers created steadily over months with aged profiles (default 0).")] = None,
        unique_text: Annotated[Optional[float], _opt("--unique-text", "Share 0-1 of operation posts freshly paraphrased; 1 = no exact duplicates (default 0).")] = None,
        fans: Annotated[Optional[float], _opt("--fans", "Authentic fan community running reshare storms (1 = 600 fans at scale 1; default 0).")] = None,
        newsbots: Annotated[Optional[float], _opt("--newsbots", "Authentic news aggregator bots (1 = 30 at scale 1; default 0).")] = None,
    ) -> None:
        """Simulate a platform with a planted state-backed operation (IO archive layout + labels)."""
        from lockstep.simulate.knobs import tactics_knobs

        flags: dict[str, Optional[float]] = dict(
            jitter=jitter, paraphrase_rate=paraphrase_rate, client_mix=client_mix, infra_spread=infra_spread,
            camouflage=camouflage, slow_reshare=slow_reshare, shifts=shifts, camouflage_offhours=camouflage_offhours,
            residential_proxy=residential_proxy, steady_amplifiers=steady_amplifiers, unique_text=unique_text,
            fans=fans, newsbots=newsbots)
        knobs: dict[str, Optional[float]] = {**(tactics_knobs(tactics) if tactics else {}),
                                             **{k: v for k, v in flags.items() if v is not None}}
        m = run_simulation(out_dir, scenario, scale, seed, True, **knobs)
        c = m["counts"]
        out.print(f"wrote {out_dir}: {c['actions']:,} actions, {c['accounts']:,} accounts "
                  f"({c['by_role']['core']} core, {c['by_role']['amplifier']:,} amplifiers) in {m['seconds']:.1f} s")
        out.print(json.dumps(m["files"]))
