"""Detection speed: lockstep against CooRTweet and coordination-network-toolkit, side by side.

Every tool runs as a subprocess on the same rows with the same parameters; wall time and
peak memory (resident set of the whole process tree) are measured the same way for all,
and the edge sets are compared, because a speed ratio only counts when the answers agree:

- lockstep, preset coortweet: ``lockstep ingest FILE --format coortweet`` then
  ``lockstep detect --preset coortweet --window W --min-participation P --edge-weight E``,
  checked against CooRTweet (``bench/peers/coortweet_run.R``: prep_data -> detect_groups ->
  generate_coordinated_network) edge by edge, weight and mean seconds apart;
- lockstep, preset cnt: ``lockstep ingest`` of the toolkit's 8-column CSV then
  ``lockstep detect --preset cnt --window W --min-edge-weight M``, checked against the
  toolkit's ``compute_networks DB preprocess`` + ``compute co_retweet`` (directed edges).

Peers are installed outside the repository by ``bench/setup_peers.sh`` (docs/peers.md).
Inputs: the real ``russian_coord_tweets`` (``rct``) and synthetic co-retweet data made by
``bench/gen_coretweet.py`` (``1m``, ``10m``, ``100m``...). Results: a markdown snippet and a
JSON file per dataset under ``--results``. Run ``python bench/bench_detect.py --help``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import edgesets  # noqa: E402
from gen_coretweet import generate  # noqa: E402
from measure import Measured, run_measured  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO / ".." / "shared"  # ../shared beside the repository
PEERS = Path(os.environ.get("LOCKSTEP_PEERS", str(REPO / ".." / "peers")))  # bench/setup_peers.sh installs there
REAL_RCT = SHARED / "data/real/coortweet_russian_coord_tweets/russian_coord_tweets.csv"
REAL_RCT_FALLBACK = SHARED / "data/peers/coortweet/russian_coord_tweets.csv"
LOCKSTEP = REPO / ".venv" / "bin" / "lockstep"


def parse_size(label: str) -> int:
    label = label.lower().replace("_", "")
    mult = {"k": 10**3, "m": 10**6, "g": 10**9}.get(label[-1], 1)
    return int(float(label.rstrip("kmg")) * mult)


def dataset(label: str, data_dir: Path, seed: int) -> Path:
    """The 4-column CSV for ``label`` (``rct`` or a size such as ``1m``), generated once."""
    if label == "rct":
        return REAL_RCT if REAL_RCT.exists() else REAL_RCT_FALLBACK
    path = data_dir / f"coretweet_{label}_seed{seed}.csv"
    if not path.exists():
        t0 = time.perf_counter()
        info = generate(path, parse_size(label), seed=seed)
        print(f"generated {path} in {time.perf_counter() - t0:.1f} s: {info}", flush=True)
    return path


def cnt_input(src: Path, data_dir: Path) -> Path:
    dst = data_dir / (src.stem + ".cnt.csv")
    if not dst.exists() or dst.stat().st_mtime < src.stat().st_mtime:
        edgesets.coortweet_to_cnt_csv(src, dst)
    return dst


def run_coortweet(src: Path, out: Path, a: argparse.Namespace) -> tuple[list[Measured], edgesets.Edges | None]:
    env = {"R_LIBS": str(PEERS / "R-lib"), "TZ": "UTC", "BENCH_THREADS": str(a.threads)}
    cmd = ["Rscript", str(REPO / "bench/peers/coortweet_run.R"), str(src), str(out),
           str(a.window), str(a.min_participation), str(a.edge_weight)]
    m = run_measured(cmd, env=env, timeout=a.peer_timeout, log=out / "run.log", max_address_space=a.peer_mem)
    return [m], edgesets.load_coortweet(out / "edges.csv") if m.ok else None


def run_cnt(src8: Path, out: Path, a: argparse.Namespace) -> tuple[list[Measured], edgesets.Edges | None]:
    exe = str(PEERS / "cnt-venv/bin/compute_networks")
    db = out / "cnt.db"
    db.unlink(missing_ok=True)
    pre = run_measured([exe, str(db), "preprocess", "--format", "csv", str(src8)], timeout=a.peer_timeout,
                       log=out / "preprocess.log", max_address_space=a.peer_mem)
    steps = [pre]
    if pre.ok:
        left = a.peer_timeout - pre.wall_s if a.peer_timeout else None
        steps.append(run_measured([exe, str(db), "compute", "co_retweet", "--time_window", str(int(a.window)),
                                   "--min_edge_weight", str(a.min_edge_weight), "--n_cpus", str(a.threads)],
                                  timeout=left, log=out / "compute.log", max_address_space=a.peer_mem))
    ok = all(s.ok for s in steps) and len(steps) == 2
    return steps, edgesets.load_cnt(db) if ok else None


def run_lockstep(src: Path, fmt: str, preset: str, out: Path,
                 a: argparse.Namespace) -> tuple[list[Measured], edgesets.Edges | None]:
    ws = out / "workspace"
    shutil.rmtree(ws, ignore_errors=True)
    env = {"LOCKSTEP_THREADS": str(a.threads)}
    if a.memory_limit:
        env["LOCKSTEP_MEMORY_LIMIT"] = a.memory_limit
    ing = run_measured([str(LOCKSTEP), "ingest", str(src), "--workspace", str(ws), "--format", fmt],
                       env=env, timeout=a.lockstep_timeout, log=out / "ingest.log")
    steps = [ing]
    if ing.ok and preset == "default":  # lockstep's own settings; the window is its default 60 s
        steps.append(run_measured([str(LOCKSTEP), "detect", "--workspace", str(ws), "--out", str(out / "result"),
                                   "--no-roles"], env=env, timeout=a.lockstep_timeout, log=out / "detect.log"))
    elif ing.ok:
        flags = ["--window", str(a.window)]
        if preset == "coortweet":
            flags += ["--min-participation", str(a.min_participation), "--edge-weight", str(a.edge_weight)]
        else:
            flags += ["--min-edge-weight", str(a.min_edge_weight)]
        steps.append(run_measured([str(LOCKSTEP), "detect", "--workspace", str(ws), "--out", str(out / "result"),
                                   "--preset", preset, *flags], env=env, timeout=a.lockstep_timeout,
                                  log=out / "detect.log"))
    ok = all(s.ok for s in steps) and len(steps) == 2
    edges = edgesets.load_lockstep(out / "result/edges.csv", directed=preset == "cnt") if ok else None
    if ok and preset == "default":
        (out / "planted.json").write_text(json.dumps(planted_check(src, out / "result/accounts.csv")))
    if not a.keep:
        shutil.rmtree(ws, ignore_errors=True)
    return steps, edges


def planted_check(src: Path, accounts_csv: Path) -> dict:
    """Flagged accounts (in a campaign) against the generator's planted groups."""
    with open(str(src) + ".groups.csv", newline="") as g, open(accounts_csv, newline="") as a:
        planted = {r["account_id"] for r in csv.DictReader(g)}
        flagged = {r["account_id"] for r in csv.DictReader(a) if r.get("campaign_id")}
    hit = len(planted & flagged)
    return {"planted": len(planted), "flagged": len(flagged), "planted_flagged": hit,
            "recall": round(hit / len(planted), 4) if planted else None,
            "precision": round(hit / len(flagged), 4) if flagged else None}


def summarise(name: str, steps: list[Measured], timeout: float | None) -> dict:
    wall = sum(s.wall_s for s in steps)
    failed = next((s for s in steps if not s.ok), None)
    status = "ok"
    if failed is not None:
        status = f"> {timeout:.0f} s (killed)" if failed.timed_out else f"failed rc={failed.rc}"
    return {"tool": name, "status": status, "wall_s": wall, "peak_rss_mb": max(s.peak_rss_mb for s in steps),
            "steps": [{"cmd": " ".join(s.cmd), "wall_s": round(s.wall_s, 3), "peak_rss_mb": round(s.peak_rss_mb, 1),
                       "rc": s.rc, "timed_out": s.timed_out, "tail": s.output_tail[-600:] if not s.ok else ""}
                      for s in steps]}


def versions() -> dict:
    def out(cmd: list[str], env: dict | None = None) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                                  env={**os.environ, **(env or {})}).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "n/a"
    r_env = {"R_LIBS": str(PEERS / "R-lib"), "TZ": "UTC"}
    return {
        "lockstep": out([str(LOCKSTEP), "--version"]),
        "R": out(["Rscript", "-e", "cat(R.version.string)"]),
        "CooRTweet": out(["Rscript", "-e", "cat(as.character(packageVersion('CooRTweet')), "
                                           "as.character(packageVersion('data.table')))"], r_env),
        "coordination-network-toolkit": out([str(PEERS / "cnt-venv/bin/python"), "-c",
                                             "import importlib.metadata as m; print(m.version('coordination-network-toolkit'))"]),
        "python": platform.python_version(),
        "cpu": out(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]) + f", {os.cpu_count()} cores",
        "memory": out(["sh", "-c", "free -g | awk '/Mem:/{print $2\" GiB\"}'"]),
    }


def markdown(label: str, src: Path, results: list[dict], checks: dict, ratios: dict, meta: dict) -> str:
    lines = [f"### {label}: {meta['rows']:,} actions ({src.name})", "",
             f"window {meta['window']} s, min_participation {meta['min_participation']}, edge_weight "
             f"{meta['edge_weight']} (CooRTweet), min_edge_weight {meta['min_edge_weight']} (toolkit); "
             f"load average before/after: {meta['load_before']} / {meta['load_after']}", "",
             "| tool | wall s | peak RSS MiB | edges | status | steps (s) |", "|---|---:|---:|---:|---|---|"]
    for r in results:
        steps = " + ".join(f"{s['wall_s']:.1f}" for s in r["steps"])
        wall = f"{r['wall_s']:.2f}" if r["status"] == "ok" else r["status"]
        edges = f"{r['edges']:,}" if r.get("edges") is not None else "-"
        when = f" (measured {r['date']})" if r.get("reused") else ""
        lines.append(f"| {r['tool']}{when} | {wall} | {r['peak_rss_mb']:.0f} | {edges} | {r['status']} | {steps} |")
    lines.append("")
    for r in results:
        if r.get("planted"):
            p = r["planted"]
            lines.append(f"- {r['tool']}: {p['flagged']:,} accounts flagged, {p['planted_flagged']:,} of the"
                         f" {p['planted']:,} planted (recall {p['recall']}, precision {p['precision']})")
    for k, v in checks.items():
        lines.append(f"- edge check {k}: {v}")
    for k, v in ratios.items():
        lines.append(f"- {k}: {v}")
    return "\n".join(lines) + "\n"


def bench_one(label: str, a: argparse.Namespace) -> dict:
    src = dataset(label, a.data_dir, a.seed)
    rows = sum(1 for _ in open(src, "rb")) - 1
    work = a.data_dir / f"run_{label}"
    load_before = os.getloadavg()[0]
    src8 = cnt_input(src, a.data_dir) if {"cnt", "lockstep-cnt"} & set(a.tools) else None
    runners = {
        "lockstep-coortweet": lambda o: run_lockstep(src, "coortweet", "coortweet", o, a),
        "lockstep-cnt": lambda o: run_lockstep(src8, "cnt", "cnt", o, a),
        "lockstep-default": lambda o: run_lockstep(src, "coortweet", "default", o, a),
        "coortweet": lambda o: run_coortweet(src, o, a),
        "cnt": lambda o: run_cnt(src8, o, a),
    }
    names = {"lockstep-coortweet": "lockstep --preset coortweet", "lockstep-cnt": "lockstep --preset cnt",
             "lockstep-default": "lockstep, default settings (--no-roles)",
             "coortweet": "CooRTweet 2.1.3 (R)", "cnt": "coordination-network-toolkit 1.5.2"}
    peer_edges = {"coortweet": lambda o: edgesets.load_coortweet(o / "edges.csv"),
                  "cnt": lambda o: edgesets.load_cnt(o / "cnt.db")}
    results, edges = [], {}
    for tool in a.tools:
        if tool in ("coortweet", "cnt") and a.peer_max_rows and rows > a.peer_max_rows:
            results.append({"tool": names[tool], "status": "not run (over --peer-max-rows)", "wall_s": 0,
                            "peak_rss_mb": 0, "steps": []})
            continue
        out = work / tool
        saved = out / "summary.json"
        if tool in ("coortweet", "cnt") and a.reuse_peers and saved.exists() \
                and saved.stat().st_mtime > src.stat().st_mtime:
            r = json.loads(saved.read_text())
            e = peer_edges[tool](out) if r["status"] == "ok" else None
            r["reused"] = True
            print(f"[{label}] {tool}: reusing the measured run of {r.get('date', '?')} in {out}", flush=True)
        else:
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            print(f"[{label}] {tool} ...", flush=True)
            steps, e = runners[tool](out)
            timeout = a.lockstep_timeout if tool.startswith("lockstep") else a.peer_timeout
            r = summarise(names[tool], steps, timeout)
            r["key"], r["edges"] = tool, len(e) if e is not None else None
            if (out / "planted.json").exists():
                r["planted"] = json.loads((out / "planted.json").read_text())
            r["date"], r["load_after"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.getloadavg()[0]
            saved.write_text(json.dumps(r, indent=2))
        edges[tool] = e
        results.append(r)
        print(f"[{label}] {tool}: {r['status']} {r['wall_s']:.2f} s, peak {r['peak_rss_mb']:.0f} MiB, "
              f"edges {r['edges']}", flush=True)
    checks = {}
    for mine, peer in (("lockstep-coortweet", "coortweet"), ("lockstep-cnt", "cnt")):
        if edges.get(mine) is not None and edges.get(peer) is not None:
            cmp = edgesets.compare(edges[mine], edges[peer])
            checks[f"{mine} vs {peer}"] = edgesets.describe(cmp)
    by_key = {r.get("key"): r for r in results}
    peers_ok = [by_key[k] for k in ("coortweet", "cnt") if k in by_key and by_key[k]["status"] == "ok"]
    ratios = {}
    for mine, peer in (("lockstep-coortweet", "coortweet"), ("lockstep-cnt", "cnt")):
        m, p = by_key.get(mine), by_key.get(peer)
        if m and p and m["status"] == "ok" and p["wall_s"] > 0:
            bound = "" if p["status"] == "ok" else ">= "
            ratios[f"{p['tool']} / {m['tool']} (wall)"] = f"{bound}{p['wall_s'] / m['wall_s']:.1f}x"
    mine_ok = [by_key[k] for k in ("lockstep-coortweet", "lockstep-cnt") if k in by_key and by_key[k]["status"] == "ok"]
    if peers_ok and mine_ok:
        fastest = min(peers_ok, key=lambda r: r["wall_s"])
        slowest_mine = max(mine_ok, key=lambda r: r["wall_s"])
        ratios["fastest peer / slower lockstep preset"] = (
            f"{fastest['wall_s'] / slowest_mine['wall_s']:.1f}x ({fastest['tool']} {fastest['wall_s']:.2f} s vs "
            f"{slowest_mine['tool']} {slowest_mine['wall_s']:.2f} s)")
    meta = {"rows": rows, "window": a.window, "min_participation": a.min_participation, "edge_weight": a.edge_weight,
            "min_edge_weight": a.min_edge_weight, "load_before": f"{load_before:.2f}",
            "load_after": f"{os.getloadavg()[0]:.2f}", "memory_limit": a.memory_limit, "threads": a.threads,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    md = markdown(label, src, results, checks, ratios, meta)
    a.results.mkdir(parents=True, exist_ok=True)
    (a.results / f"detect_{label}.md").write_text(md)
    (a.results / f"detect_{label}.json").write_text(json.dumps(
        {"label": label, "input": str(src), "meta": meta, "results": results, "checks": checks, "ratios": ratios},
        indent=2))
    return {"markdown": md}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("datasets", nargs="*", default=["rct", "1m"], help="rct and/or sizes: 1m 10m 100m")
    ap.add_argument("--tools", default="lockstep-coortweet,lockstep-cnt,coortweet,cnt")
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--min-participation", type=int, default=2)
    ap.add_argument("--edge-weight", type=float, default=0.5)
    ap.add_argument("--min-edge-weight", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--peer-timeout", type=float, default=900.0, help="seconds before a peer run is killed")
    ap.add_argument("--peer-mem-gb", type=float, default=12.0,
                    help="address-space cap per peer process (GiB), so a blow-up fails instead of OOM-killing")
    ap.add_argument("--peer-max-rows", type=int, default=0, help="skip peers above this many rows (0: never)")
    ap.add_argument("--lockstep-timeout", type=float, default=3600.0)
    ap.add_argument("--memory-limit", default=os.environ.get("LOCKSTEP_MEMORY_LIMIT", ""),
                    help="DuckDB memory_limit for lockstep (env LOCKSTEP_MEMORY_LIMIT), e.g. 3GB")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/lockstep-bench"))
    ap.add_argument("--results", type=Path, default=Path("/tmp/lockstep-bench/results"))
    ap.add_argument("--reuse-peers", action="store_true",
                    help="reuse a peer's earlier measured run on the same input (peers do not change)")
    ap.add_argument("--keep", action="store_true", help="keep lockstep workspaces")
    a = ap.parse_args(argv)
    a.peer_mem = int(a.peer_mem_gb * 2**30) if a.peer_mem_gb else None
    a.tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    a.data_dir.mkdir(parents=True, exist_ok=True)
    meta = versions()
    (a.results).mkdir(parents=True, exist_ok=True)
    (a.results / "versions.json").write_text(json.dumps(meta, indent=2))
    print(json.dumps(meta), flush=True)
    for label in a.datasets:
        print(bench_one(label, a)["markdown"], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
