"""Roles benchmark (outside CI): simulate -> ingest -> detect (which applies roles) -> evaluate,
for several seeds and evasion-knob settings; prints a markdown table and writes it to
bench/results/roles.md.

    LOCKSTEP_MEMORY_LIMIT=4GB LOCKSTEP_THREADS=2 .venv/bin/python bench/bench_roles.py \
        [--work /tmp/bench-roles] [--scale 1.0] [--config NAME ...] [--keep]

Configs: seedN (default knobs), evasion-seedN (all knobs up), and one knob up at a time on
seed 0 (jitter, paraphrase, client-mix, infra-spread, camouflage), to show where it breaks.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

from lockstep.workflow import run_detection
from lockstep.ingest import ingest_paths
from lockstep.roles.evaluate import evaluate
from lockstep.simulate import simulate
from lockstep.store import open_workspace

UP = {"jitter": 120.0, "paraphrase_rate": 0.7, "client_mix": 0.6, "infra_spread": 0.7, "camouflage": 0.6}
CONFIGS: dict[str, tuple[int, dict[str, float]]] = {
    **{f"seed{s}": (s, {}) for s in range(3)},
    **{f"evasion-seed{s}": (s, dict(UP)) for s in range(3)},
    **{f"{k.replace('_rate', '').replace('_', '-')}-up": (0, {k: v}) for k, v in UP.items()},
}
DEFAULT = ["seed0", "seed1", "evasion-seed0", "evasion-seed1", "camouflage-up", "jitter-up"]
OUT_MD = Path(__file__).resolve().parent / "results" / "roles.md"


def run(name: str, work: Path, scale: float, keep: bool) -> dict[str, Any]:
    seed, knobs = CONFIGS[name]
    base = work / name
    shutil.rmtree(base, ignore_errors=True)
    t0 = time.time()
    simulate(base / "sim", scale=scale, seed=seed, **knobs)
    ws = open_workspace(base / "ws")
    ingest_paths(ws, [base / "sim" / f for f in ("users.csv", "tweets.csv", "access.csv")], progress=False)
    t1 = time.time()
    run_detection(ws, base / "out", progress=False)
    ws.close()
    res = evaluate(base / "out", base / "sim" / "labels.csv")
    res.update(name=name, seed=seed, knobs=knobs, ingest_s=round(t1 - t0), detect_s=round(time.time() - t1))
    if not keep:
        (base / "sim" / "tweets.csv").unlink(missing_ok=True)
        shutil.rmtree(base / "ws", ignore_errors=True)
    return res


def table(results: list[dict[str, Any]]) -> str:
    head = ("| world | knobs | flagged | precision | recall | F1 | amplifier recall | core+persona recall"
            " | hard negatives flagged | roles right | detect+roles s |\n" + "|---" * 11 + "|\n")
    lines = []
    for r in results:
        knobs = ", ".join(f"{k} {v:g}" for k, v in r["knobs"].items()) or "default"
        ok = (r["f1"] >= 0.95 and (r["amplifier_recall"] or 0) >= 0.9
              and (r["hard_negatives_flagged"] or 0) < 0.005 and (r["role_accuracy"] or 0) >= 0.95)
        lines.append(f"| {r['name']} | {knobs} | {r['flagged']:,} | {r['precision']:.3f} | {r['recall']:.3f}"
                     f" | **{r['f1']:.3f}**{'' if ok else ' (misses a target)'} | {r['amplifier_recall']:.3f}"
                     f" | {r['core_recall']:.3f} | {100 * r['hard_negatives_flagged']:.2f}%"
                     f" | {100 * r['role_accuracy']:.1f}% | {r['detect_s']} |")
    return head + "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-roles"))
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--config", nargs="*", default=DEFAULT, choices=sorted(CONFIGS))
    ap.add_argument("--keep", action="store_true", help="keep workspaces and tweets.csv")
    a = ap.parse_args()
    results = []
    for name in a.config:
        results.append(run(name, a.work, a.scale, a.keep))
        print(json.dumps(results[-1]), flush=True)
        with (a.work / "results.jsonl").open("a") as fh:
            fh.write(json.dumps(results[-1]) + "\n")
    md = (f"# Roles benchmark (simulator hk2019, scale {a.scale:g})\n\nTargets: F1 >= 0.95, amplifier recall"
          " >= 0.9, < 0.5% of hard negatives (protest, protest leaders, loyalists) flagged, roles right"
          " >= 95% of found accounts.\n\n" + table(results))
    print(md)
    OUT_MD.parent.mkdir(parents=True, exist_ok=True)
    OUT_MD.write_text(md)


if __name__ == "__main__":
    main()
