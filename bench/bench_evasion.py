"""Evasion bench (issue 11): does detection survive each tactic, and does it leave authentic
look-alikes alone? simulate -> ingest -> detect through the public CLI, scored against labels.csv.

    nice .venv/bin/python bench/bench_evasion.py [--scale 0.1] [--seeds 0,1] [--worlds default,slow,...]
        [--work /tmp/bench-evasion] [--out bench/results/evasion.md] [--json bench/results/evasion.json]
        [--lockstep ".venv/bin/lockstep"] [--keep]

Why through the CLI (subprocesses of ``lockstep``): it measures the product as users run it,
with default settings, whatever the internals become. ``--lockstep`` names the command (split
like a shell line), e.g. to measure another checkout: ``--lockstep "env PYTHONPATH=/x/src
.venv/bin/python -m lockstep.cli.main"``; the simulator is the same command.

Scoring, per world: positives = the operation (labels role core or amplifier: operators,
personas, amplifiers); "flagged" = the ``flagged`` column of accounts.csv is true (the
``coordinated`` column where there is no ``flagged`` one; accounts absent from the file are
not flagged). Precision, recall and F1 over the operation; core recall over operators and
personas; the share of each authentic look-alike flagged: activists (protest leaders and
members), loyalists, fans (and their idol), news bots. Worlds: ``default`` (no tactic), each
tactic alone (``lockstep simulate --tactics NAME``, settings in lockstep/simulate/knobs.py),
and ``all`` of them together. The Markdown table goes to stdout and ``--out``; every run,
with its knobs, timings and counts, to ``--json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORLDS = ("default", "slow", "shifts", "camouflage", "proxies", "steady", "unique", "fans", "newsbots", "all")
NEGATIVES = {"activists": ("protest", "protest_leader"), "loyalists": ("loyalist",), "fans": ("fan", "idol"),
             "news bots": ("newsbot",)}
TARGETS = "F1 >= 0.95 per tactic (>= 0.9 with all), core recall >= 0.95, < 0.5% of each look-alike flagged"
F1_TARGET, F1_TARGET_ALL, CORE_TARGET, LOOKALIKE_MAX = 0.95, 0.90, 0.95, 0.005


def _run(cmd: list[str], log: Path) -> float:
    t0 = time.perf_counter()
    with log.open("a", encoding="utf-8") as fh:
        fh.write("$ " + shlex.join(cmd) + "\n")
        fh.flush()
        rc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT).returncode
    if rc != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
        raise RuntimeError(f"exit {rc}: {shlex.join(cmd[-6:])}: {tail[0] if tail else ''} (log: {log})")
    return time.perf_counter() - t0


def flagged_accounts(accounts_csv: Path) -> set[str]:
    """Accounts whose ``flagged`` (else ``coordinated``) column is true."""
    with accounts_csv.open(newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(fh)
        cols = rows.fieldnames or []
        col = "flagged" if "flagged" in cols else "coordinated" if "coordinated" in cols else None
        if col is None:
            raise RuntimeError(f"{accounts_csv}: neither a flagged nor a coordinated column (has {', '.join(cols)})")
        return {r["account_id"] for r in rows if r[col].strip().lower() in ("true", "1", "yes")}


def score(labels_csv: Path, flagged: set[str]) -> dict[str, Any]:
    with labels_csv.open(newline="", encoding="utf-8") as fh:
        labels = {r["userid"]: r for r in csv.DictReader(fh)}
    op = {a for a, r in labels.items() if r["role"] in ("core", "amplifier")}
    core = {a for a, r in labels.items() if r["role"] == "core"}
    tp = len(op & flagged)
    prec = tp / len(flagged) if flagged else 0.0
    rec = tp / len(op) if op else 0.0
    out: dict[str, Any] = {
        "flagged": len(flagged), "operation": len(op), "true_positives": tp, "precision": prec, "recall": rec,
        "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "core_recall": len(core & flagged) / len(core) if core else 0.0, "negatives": {},
        "false_positives_by_group": {},
    }
    for name, groups in NEGATIVES.items():
        members = {a for a, r in labels.items() if r["group"] in groups}
        out["negatives"][name] = [len(members & flagged), len(members)]
    for a in flagged - op:
        g = labels.get(a, {}).get("group", "unlabelled")
        out["false_positives_by_group"][g] = out["false_positives_by_group"].get(g, 0) + 1
    return out


def run_world(lockstep: list[str], world: str, seed: int, scale: float, work: Path, keep: bool) -> dict[str, Any]:
    base = work / f"{world}-seed{seed}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    log = base / "log.txt"
    sim, ws, out = base / "sim", base / "ws", base / "out"
    tactic = [] if world == "default" else ["--tactics", world]
    # the load average beside every timing: the machine is shared, so seconds mean little without it
    res: dict[str, Any] = {"world": world, "seed": seed, "scale": scale, "load_before": round(os.getloadavg()[0], 2)}
    try:
        res["simulate_s"] = _run([*lockstep, "simulate", "--out", str(sim), "--scale", str(scale), "--seed", str(seed),
                                  *tactic], log)
        res["knobs"] = json.loads((sim / "world.json").read_text(encoding="utf-8"))["config"]["knobs"]
        res["ingest_s"] = _run([*lockstep, "ingest", *(str(sim / f) for f in ("users.csv", "tweets.csv", "access.csv")),
                                "--workspace", str(ws)], log)
        res["detect_s"] = _run([*lockstep, "detect", "--workspace", str(ws), "--out", str(out)], log)
        res.update(score(sim / "labels.csv", flagged_accounts(out / "accounts.csv")))
    except (RuntimeError, OSError, ValueError, KeyError) as e:
        res["error"] = str(e)
    res["load_after"] = round(os.getloadavg()[0], 2)
    if not keep and "error" not in res:
        shutil.rmtree(base, ignore_errors=True)
    return res


def _pct(pairs: list[list[int]]) -> str:
    k, n = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    return f"{100 * k / n:.2f}% ({k:,}/{n:,})" if n else "-"


def table(runs: list[dict[str, Any]]) -> str:
    head = ("| world | seeds | flagged | precision | recall | F1 mean (min) | core recall | activists flagged"
            " | loyalists flagged | fans flagged | news bots flagged | s per run |\n" + "|---" * 12 + "|\n")
    lines = []
    for world in dict.fromkeys(r["world"] for r in runs):
        rs = [r for r in runs if r["world"] == world]
        ok = [r for r in rs if "error" not in r]
        bad = [r for r in rs if "error" in r]
        seeds = ",".join(str(r["seed"]) for r in rs)
        if not ok:
            lines.append(f"| {world} | {seeds} | failed: {bad[0]['error'][:120]} |" + " |" * 9)
            continue

        def mean(k: str) -> float:
            return sum(float(r[k]) for r in ok) / len(ok)

        neg = {n: _pct([r["negatives"][n] for r in ok]) for n in NEGATIVES}
        secs = sum(r["simulate_s"] + r["ingest_s"] + r["detect_s"] for r in ok) / len(ok)
        note = f" ({len(bad)} failed)" if bad else ""
        lines.append(f"| {world} | {seeds}{note} | {mean('flagged'):,.0f} | {mean('precision'):.3f} | {mean('recall'):.3f}"
                     f" | **{mean('f1'):.3f}** ({min(r['f1'] for r in ok):.3f}) | {mean('core_recall'):.3f}"
                     f" | {neg['activists']} | {neg['loyalists']} | {neg['fans']} | {neg['news bots']} | {secs:.0f} |")
    return head + "\n".join(lines) + "\n"


def misses(r: dict[str, Any]) -> list[str]:
    """The acceptance targets one run misses (issue 11), named, so a table can mark every such cell."""
    out = []
    if r["f1"] < (F1_TARGET_ALL if r["world"] == "all" else F1_TARGET):
        out.append("f1")
    if r["core_recall"] < CORE_TARGET:
        out.append("core_recall")
    out += [n for n, (k, total) in r["negatives"].items() if total and k / total >= LOOKALIKE_MAX]
    return out


def per_seed_table(runs: list[dict[str, Any]]) -> str:
    """One row per world and seed, every cell that misses its target marked "MISS" (the mean table can hide one)."""
    head = ("| world | seed | flagged | P | R | F1 | core recall | activists | loyalists | fans | news bots"
            " | s (sim+ingest+detect) | load |\n" + "|---" * 13 + "|\n")
    lines = []
    for r in runs:
        if "error" in r:
            lines.append(f"| {r['world']} | {r['seed']} | failed: {r['error'][:120]} |" + " |" * 10)
            continue
        miss = misses(r)

        def mark(key: str, text: str) -> str:
            return f"**{text} MISS**" if key in miss else text

        neg = {n: mark(n, f"{k}/{t}" if t else "-") for n, (k, t) in r["negatives"].items()}
        secs = r["simulate_s"] + r["ingest_s"] + r["detect_s"]
        load = f"{r['load_before']:.1f}-{r['load_after']:.1f}" if "load_before" in r else "-"
        f1, core = mark("f1", f"{r['f1']:.3f}"), mark("core_recall", f"{r['core_recall']:.3f}")
        lines.append(f"| {r['world']} | {r['seed']} | {r['flagged']:,} | {r['precision']:.3f} | {r['recall']:.3f}"
                     f" | {f1} | {core}"
                     f" | {neg['activists']} | {neg['loyalists']} | {neg['fans']} | {neg['news bots']}"
                     f" | {secs:.0f} | {load} |")
    return head + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.1, help="world size (0.1: ~100k actions per world)")
    ap.add_argument("--seeds", default="0,1", help="comma-separated seeds")
    ap.add_argument("--worlds", default=",".join(WORLDS), help=f"comma-separated, of: {', '.join(WORLDS)}")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-evasion"))
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "evasion.md")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "evasion.json")
    ap.add_argument("--lockstep", default=str(ROOT / ".venv" / "bin" / "lockstep"), help="the command to measure")
    ap.add_argument("--keep", action="store_true", help="keep every world, workspace and output")
    ap.add_argument("--render", type=Path, help="print the tables of an earlier --json file, run nothing")
    a = ap.parse_args(argv)
    if a.render is not None:
        done = json.loads(a.render.read_text(encoding="utf-8"))
        print(table(done["runs"]) + "\n" + per_seed_table(done["runs"]))
        return 0
    worlds = [w.strip() for w in a.worlds.split(",") if w.strip()]
    unknown = [w for w in worlds if w not in WORLDS]
    if unknown:
        ap.error(f"unknown world {unknown[0]!r} (known: {', '.join(WORLDS)})")
    seeds = [int(s) for s in a.seeds.split(",") if s.strip()]
    lockstep = shlex.split(a.lockstep)
    t0 = time.perf_counter()
    runs = []
    for world in worlds:
        for seed in seeds:
            r = run_world(lockstep, world, seed, a.scale, a.work, a.keep)
            runs.append(r)
            brief = r.get("error") or (f"F1 {r['f1']:.3f} P {r['precision']:.3f} R {r['recall']:.3f} "
                                       f"core {r['core_recall']:.3f} fp {r['false_positives_by_group']}")
            print(f"{world} seed {seed}: {brief}", file=sys.stderr, flush=True)
    command = "python bench/bench_evasion.py " + shlex.join((argv if argv is not None else sys.argv[1:]))
    md = (f"Evasion bench: scale {a.scale:g}, seeds {a.seeds}, default detect settings, "
          f"{time.perf_counter() - t0:.0f} s in all. Targets (issue 11): {TARGETS}.\n\n" + table(runs)
          + "\nPer seed (every cell that misses its target marked MISS):\n\n" + per_seed_table(runs)
          + f"\nCommand: `{command}`\n")
    print(md)
    for path in (a.out, a.json):
        path.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(md, encoding="utf-8")
    a.json.write_text(json.dumps({"command": command, "scale": a.scale, "seeds": seeds, "lockstep": a.lockstep,
                                  "seconds": round(time.perf_counter() - t0, 1), "runs": runs}, indent=1),
                      encoding="utf-8")
    return 1 if any("error" in r for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
