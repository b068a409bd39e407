"""One large simulator world end to end (issue 11's speed target: a 10M-action world, every signal,
under 120 s on 2 cores in under 4 GB): simulate, then ingest + detect with default settings, each
step timed with the peak memory of its whole process tree, and the result scored against labels.

    .venv/bin/python bench/bench_world.py --scale 10.7 --seed 0 --work /tmp/world10m \\
        [--lockstep ".venv/bin/lockstep"] [--memory-limit 3GB] [--threads 2] [--timeout 1200] \\
        [--json bench/results/world.json] [--no-platform2]

Why a separate bench from bench_evasion: that one runs many small worlds for quality; this one
runs one big world for speed, where the simulator's own time must be kept apart (it is not part
of what a user waits for) and a step that cannot finish must still leave a record of how far it
got (``--timeout`` per step; the JSON is written after every step). Ingest reads the Twitter
files (users, tweets, access log) and, unless ``--no-platform2``, the second platform's folder,
so every signal has its data. Scoring is on the Twitter labels only (``labels.csv``): accounts
flagged that it does not label (the second platform's) are counted apart, not as errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_evasion import flagged_accounts, score  # noqa: E402
from measure import run_measured  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _step(name: str, cmd: list[str], env: dict[str, str], timeout: float, log: Path) -> dict[str, Any]:
    """Run one step measured; the load average beside it because the machine is shared."""
    load0 = os.getloadavg()[0]
    m = run_measured(cmd, env=env, timeout=timeout, cwd=str(ROOT), log=log)
    out = {"step": name, "cmd": shlex.join(cmd), "wall_s": round(m.wall_s, 2), "peak_rss_mib": round(m.peak_rss_mb),
           "rc": m.rc, "timed_out": m.timed_out, "load_before": round(load0, 2),
           "load_after": round(os.getloadavg()[0], 2)}
    if not m.ok:
        out["tail"] = m.output_tail[-1500:]
    print(f"{name}: {out['wall_s']} s, peak {out['peak_rss_mib']} MiB, rc {m.rc}"
          f"{' TIMED OUT' if m.timed_out else ''}, load {out['load_before']}-{out['load_after']}",
          file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--scale", type=float, default=10.7, help="world size (1: ~0.93M actions, 10.7: ~10M)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tactics", default="", help="simulate --tactics (default: none)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-world"))
    ap.add_argument("--lockstep", default=str(ROOT / ".venv" / "bin" / "lockstep"), help="the command to measure")
    ap.add_argument("--memory-limit", default="3GB", help="LOCKSTEP_MEMORY_LIMIT for ingest and detect")
    ap.add_argument("--threads", default="2", help="LOCKSTEP_THREADS for ingest and detect")
    ap.add_argument("--timeout", type=float, default=1200, help="seconds per step before it is stopped")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "world.json")
    ap.add_argument("--no-platform2", action="store_true", help="ingest the Twitter files only")
    ap.add_argument("--reuse-world", action="store_true", help="keep an already simulated WORK/sim")
    a = ap.parse_args(argv)
    lockstep = shlex.split(a.lockstep)
    sim, ws, out = a.work / "sim", a.work / "ws", a.work / "out"
    a.work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(ws, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    env = {"LOCKSTEP_MEMORY_LIMIT": a.memory_limit, "LOCKSTEP_THREADS": a.threads}
    res: dict[str, Any] = {"command": "python bench/bench_world.py " + shlex.join(argv or sys.argv[1:]),
                           "lockstep": a.lockstep, "scale": a.scale, "seed": a.seed, "tactics": a.tactics,
                           "env": env, "started_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
                           "steps": []}

    def save() -> None:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(res, indent=1), encoding="utf-8")

    if not (a.reuse_world and (sim / "world.json").exists()):
        shutil.rmtree(sim, ignore_errors=True)
        tactics = ["--tactics", a.tactics] if a.tactics else []
        res["steps"].append(_step("simulate", [*lockstep, "simulate", "--out", str(sim), "--scale", str(a.scale),
                                               "--seed", str(a.seed), *tactics], {}, a.timeout, a.work / "simulate.log"))
        save()
    world = json.loads((sim / "world.json").read_text(encoding="utf-8"))
    res["world_counts"] = world.get("counts")
    inputs = [str(sim / f) for f in ("users.csv", "tweets.csv", "access.csv")]
    if not a.no_platform2 and (sim / "platform2").is_dir():
        inputs.append(str(sim / "platform2"))
    for name, cmd in (("ingest", [*lockstep, "ingest", *inputs, "--workspace", str(ws)]),
                      ("detect", [*lockstep, "detect", "--workspace", str(ws), "--out", str(out)])):
        step = _step(name, cmd, env, a.timeout, a.work / f"{name}.log")
        res["steps"].append(step)
        save()
        if step["rc"] != 0:
            return 1
    by = {s["step"]: s for s in res["steps"]}
    res["ingest_detect_s"] = round(by["ingest"]["wall_s"] + by["detect"]["wall_s"], 2)
    res["ingest_detect_peak_mib"] = max(by["ingest"]["peak_rss_mib"], by["detect"]["peak_rss_mib"])
    params = out / "params.json"
    if params.exists():
        res["detect_params_steps"] = json.loads(params.read_text(encoding="utf-8")).get("steps")
    flagged = flagged_accounts(out / "accounts.csv")
    with (sim / "labels.csv").open(newline="", encoding="utf-8") as fh:
        labelled = {r["userid"] for r in csv.DictReader(fh)}
    res["score_twitter"] = score(sim / "labels.csv", flagged & labelled) | {"flagged_unlabelled": len(flagged - labelled)}
    save()
    print(json.dumps({k: res[k] for k in ("ingest_detect_s", "ingest_detect_peak_mib")}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
