"""Benchmark: `lockstep ingest` against a plain `pandas.read_csv` of the same file.

Why: ingest must keep up with the tool an analyst would otherwise reach for, while its
memory stays bounded however large the file is. Both readers run as child processes in
the same run, so their peak RSS (``ru_maxrss`` of the finished child) is measured the
same way and neither benefits from the other's warm caches more than the OS page cache.

Usage: python bench/bench_ingest.py [--rows 5000000] [--repeat 2] [--out bench/results/ingest.md]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from lockstep.ingest.formats.twitter_io import IO_TWEET_COLUMNS

IO_TWEETS_COLUMNS = list(IO_TWEET_COLUMNS)  # the archive layout lockstep reads

_WORDS = np.array("hong kong protest police riot freedom news today truth people city".split())


def _chunk(rng: np.random.Generator, start: int, n: int, n_users: int) -> pa.Table:
    """One block of synthetic io-tweets rows (vectorised, so generation is not the bottleneck)."""
    ids = np.arange(start, start + n, dtype=np.int64) + 1_100_000_000_000_000_000
    users = rng.integers(0, n_users, n)
    uid = (users + 900_000_000).astype(str)
    kind = rng.integers(0, 10, n)  # 0-4 retweet, 5 quote, 6 reply, else post
    rt = kind < 5
    target = (rng.integers(0, max(n // 20, 1), n) + 1_000_000_000_000_000_000).astype(str)
    empty = np.full(n, "", dtype=object)
    secs = 1_561_939_200 + (ids - ids[0] + start) * 3 // 2
    times = np.datetime_as_string(secs.astype("datetime64[s]"), unit="m")
    times = np.char.replace(times.astype(str), "T", " ")
    w = _WORDS[rng.integers(0, len(_WORDS), (n, 6))]
    text = np.char.add(np.char.add(w[:, 0], " "), np.char.add(w[:, 1], " "))
    text = np.char.add(np.char.add(text, w[:, 2]), np.char.add(" #", w[:, 3]))
    tags = np.char.add(np.char.add("['", w[:, 3]), "']")
    urls = np.where(kind == 9, "['https://example.com/a']", "[]")
    cols = {
        "tweetid": ids.astype(str), "userid": uid, "user_display_name": np.char.add("name", uid),
        "user_screen_name": np.char.add("u", uid), "user_reported_location": empty,
        "user_profile_description": empty, "user_profile_url": empty,
        "follower_count": rng.integers(0, 5000, n), "following_count": rng.integers(0, 5000, n),
        "account_creation_date": np.full(n, "2017-08-30"), "account_language": np.full(n, "zh-cn"),
        "tweet_language": np.full(n, "zh"), "tweet_text": text, "tweet_time": times,
        "tweet_client_name": np.full(n, "Twitter Web Client"),
        "in_reply_to_userid": np.where(kind == 6, "12345", ""),
        "in_reply_to_tweetid": np.where(kind == 6, target, ""),
        "quoted_tweet_tweetid": np.where(kind == 5, target, ""),
        "is_retweet": np.where(rt, "True", "False"),
        "retweet_userid": np.where(rt, "54321", ""), "retweet_tweetid": np.where(rt, target, ""),
        "latitude": np.full(n, "absent"), "longitude": np.full(n, "absent"),
        "quote_count": rng.integers(0, 3, n), "reply_count": rng.integers(0, 3, n),
        "like_count": rng.integers(0, 9, n), "retweet_count": rng.integers(0, 9, n),
        "hashtags": tags, "urls": urls, "user_mentions": np.full(n, "[]"),
    }
    return pa.table({k: pa.array(list(v) if v.dtype == object else v) for k, v in cols.items()})


def generate(path: Path, rows: int, seed: int = 0, block: int = 500_000) -> None:
    """Write ``rows`` synthetic io-tweets rows to ``path`` (CSV with header)."""
    rng = np.random.default_rng(seed)
    n_users = max(rows // 50, 10)
    with pacsv.CSVWriter(str(path), _chunk(rng, 0, 1, n_users).schema) as writer:
        for start in range(0, rows, block):
            writer.write_table(_chunk(rng, start, min(block, rows - start), n_users))


PANDAS_CHILD = ("import sys, pandas as pd; df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False);"
                " print(len(df))")

# A wrapper whose only child is the measured command: its RUSAGE_CHILDREN.ru_maxrss is
# exactly that child's peak RSS, whatever else this benchmark ran before.
WRAPPER = ("import json, resource, subprocess, sys, time; t = time.perf_counter();"
           " p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
           " print(json.dumps({'rc': p.returncode, 'secs': time.perf_counter() - t,"
           " 'rss_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
           " 'out': p.stdout[-1500:], 'err': p.stderr[-1500:]}))")


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run ``cmd`` under the wrapper; return seconds and peak RSS (MiB)."""
    import json

    proc = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, env=env)
    res = json.loads(proc.stdout)
    if res["rc"] != 0:
        raise SystemExit(f"failed ({res['rc']}): {' '.join(cmd)}\n{res['err']}")
    return {"secs": res["secs"], "rss_mib": res["rss_kib"] / 1024.0, "out": res["out"]}


def _each(runs: list[dict[str, float]]) -> str:
    return ", ".join(f"{r['secs']:.1f}" for r in runs)


def _ingest_once(csv_path: Path, env: dict[str, str]) -> tuple[dict[str, float], int]:
    """One `lockstep ingest` into a fresh workspace; returns its measurement and stored actions."""
    import duckdb

    ws = Path(f"/tmp/lockstep-bench-ws-{os.getpid()}")
    shutil.rmtree(ws, ignore_errors=True)
    lockstep = Path(sys.executable).with_name("lockstep")
    res = measure([str(lockstep), "ingest", str(csv_path), "--workspace", str(ws), "--no-progress"], env)
    con = duckdb.connect(str(ws / "lockstep.duckdb"), read_only=True)
    stored = int(con.execute("SELECT count(*) FROM actions").fetchone()[0])  # type: ignore[index]
    con.close()
    shutil.rmtree(ws, ignore_errors=True)
    return res, stored


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--csv", type=Path, default=None, help="reuse/generate this file (default /tmp)")
    ap.add_argument("--memory-limit", default="1GB", help="LOCKSTEP_MEMORY_LIMIT for the ingest")
    ap.add_argument("--repeat", type=int, default=2,
                    help="alternating ingest/pandas pairs (the median of each is reported)")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "ingest.md")
    ap.add_argument("--skip-pandas", action="store_true",
                    help="time only the ingest (to compare two lockstep versions: run each with its"
                         " PYTHONPATH, alternating, on the same file)")
    args = ap.parse_args()
    csv_path = args.csv or Path(f"/tmp/lockstep-bench-io-tweets-{args.rows}.csv")
    if not csv_path.exists():
        t0 = time.perf_counter()
        generate(csv_path, args.rows)
        print(f"generated {csv_path} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    size_mib = csv_path.stat().st_size / 2**20
    env = dict(os.environ, LOCKSTEP_MEMORY_LIMIT=args.memory_limit)
    ing_runs, pd_runs, loads = [], [], [os.getloadavg()[0]]
    stored = 0
    # Alternate the two readers (pandas first on odd pairs) so a burst of load from other
    # jobs on a shared machine hits both alike; report every pair, then the medians.
    for i in range(args.repeat):
        order = ["ingest", "pandas"] if i % 2 == 0 else ["pandas", "ingest"]
        for which in order:
            if which == "ingest":
                res, stored = _ingest_once(csv_path, env)
                ing_runs.append(res)
            elif not args.skip_pandas:
                pd_runs.append(measure([sys.executable, "-c", PANDAS_CHILD, str(csv_path)]))
            loads.append(os.getloadavg()[0])
        if args.skip_pandas:
            print(f"run {i + 1}: ingest {ing_runs[-1]['secs']:.2f}s, peak RSS {ing_runs[-1]['rss_mib']:.0f} MiB,"
                  f" stored {stored:,}, load {loads[-1]:.1f}", file=sys.stderr)
            continue
        print(f"pair {i + 1}: ingest {ing_runs[-1]['secs']:.1f}s, pandas {pd_runs[-1]['secs']:.1f}s",
              file=sys.stderr)
    if args.skip_pandas:
        return
    rows = args.rows
    med = lambda runs, k: statistics.median(r[k] for r in runs)  # noqa: E731
    ing_s, pd_s = med(ing_runs, "secs"), med(pd_runs, "secs")
    table = [
        "| reader | rows | seconds (median) | rows/s | peak RSS (MiB, max) | each run (s) |",
        "|---|---:|---:|---:|---:|---|",
        f"| `lockstep ingest` (io-tweets -> actions + accounts, memory_limit {args.memory_limit}) "
        f"| {rows:,} | {ing_s:.1f} | {rows / ing_s:,.0f} | {max(r['rss_mib'] for r in ing_runs):,.0f} "
        f"| {_each(ing_runs)} |",
        f"| `pandas.read_csv(dtype=str)` | {rows:,} | {pd_s:.1f} | {rows / pd_s:,.0f} "
        f"| {max(r['rss_mib'] for r in pd_runs):,.0f} | {_each(pd_runs)} |",
    ]
    ratios = [p["secs"] / i["secs"] for i, p in zip(ing_runs, pd_runs)]
    text = "\n".join([
        "# Ingest benchmark",
        "",
        f"Input: synthetic io-tweets CSV, {rows:,} rows x 30 columns, {size_mib:,.0f} MiB "
        f"(`bench/bench_ingest.py`). Machine: {os.cpu_count()} CPUs, load average "
        f"{min(loads):.1f}-{max(loads):.1f} during the run (other jobs share it).",
        f"{args.repeat} alternating pairs; both readers run as child processes; peak RSS is each",
        "child's own `ru_maxrss`.",
        f"lockstep stored {stored:,} actions (plus one accounts row per user); pandas only parses.",
        "",
        *table,
        "",
        f"Speed ratio pandas time / ingest time per pair: {', '.join(f'{r:.2f}' for r in ratios)}"
        f" (above 1: ingest is faster).",
        "",
    ])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
