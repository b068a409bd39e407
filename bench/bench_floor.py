"""What a 10x-over-the-toolkit target leaves: the cost of only reading and storing the rows.

Issue 4 asks for lockstep to be 10x faster than the fastest peer on 1M actions, end to end.
This script measures, as subprocesses on the same file and thread count as
``bench_detect.py``, three floors that any tool built on a stored DuckDB workspace pays
before doing any detection:

- ``start``: a Python process that imports DuckDB, pyarrow and numpy and exits;
- ``store``: that process plus ``read_csv`` of the toolkit's 8-column CSV into a table of a
  DuckDB database file, closed (checkpointed) as a workspace is;
- ``pairs``: an in-memory DuckDB that reads the same file and counts the directed
  co-retweet pairs within the window that reach the edge weight (no storage, no strings
  out, no evidence, no clustering): the bare computation.

Run: ``python bench/bench_floor.py 1m [--toolkit-seconds S]``; prints a markdown table with
each floor against the budget (toolkit seconds / 10).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import run_measured  # noqa: E402

STORE = """
import sys, duckdb
con = duckdb.connect(sys.argv[2]); con.execute("SET threads = {threads}")
con.execute("CREATE TABLE actions AS SELECT * FROM read_csv(?, header = true)", [sys.argv[1]])
con.close()
"""

PAIRS = """
import sys, duckdb
con = duckdb.connect(); con.execute("SET threads = {threads}")
con.execute("CREATE TABLE a AS SELECT message_id AS m, user_id AS u, repost_id AS i,"
            " timestamp::BIGINT AS t, timestamp::BIGINT // {w} AS b"
            " FROM read_csv(?, header = true, all_varchar = true) WHERE repost_id <> ''", [sys.argv[1]])
n = con.execute(\"\"\"WITH p AS (
      SELECT x.u AS u1, y.u AS u2, x.m AS m1, y.m AS m2 FROM a x JOIN a y ON x.i = y.i AND x.b = y.b
      WHERE (y.t > x.t OR (y.t = x.t AND y.m > x.m)) AND y.t - x.t <= {w}
      UNION ALL
      SELECT x.u, y.u, x.m, y.m FROM a x JOIN a y ON x.i = y.i AND y.b = x.b + 1 WHERE y.t - x.t <= {w}),
    q AS (SELECT u1, u2, m1 FROM p WHERE u1 <> u2 UNION ALL SELECT u2, u1, m2 FROM p WHERE u1 <> u2)
    SELECT count(*) FROM (SELECT u1, u2 FROM (SELECT DISTINCT u1, u2, m1 FROM q) GROUP BY ALL
                          HAVING count(*) >= {mew})\"\"\").fetchall()
print(n[0][0])
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset", default="1m", nargs="?")
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/lockstep-bench"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--min-edge-weight", type=int, default=2)
    ap.add_argument("--toolkit-seconds", type=float, default=None,
                    help="the toolkit's measured wall time on this file (bench_detect.py), for the budget")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    src = a.data_dir / f"coretweet_{a.dataset}_seed42.cnt.csv"
    if not src.exists():
        sys.exit(f"{src} not found: run bench/bench_detect.py {a.dataset} --tools cnt first (it writes it)")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    fmt = {"threads": a.threads, "w": a.window, "mew": a.min_edge_weight}
    progs = {"start": "import duckdb, pyarrow, numpy", "store": STORE.format(**fmt), "pairs": PAIRS.format(**fmt)}
    best: dict[str, float] = {}
    for name, prog in progs.items():
        for _ in range(a.repeat):
            tmp = Path(tempfile.mkdtemp(prefix="floor-"))
            try:
                m = run_measured([sys.executable, "-c", prog, str(src), str(tmp / "w.duckdb")], env=env,
                                 timeout=600, log=tmp / "out.log")
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            if not m.ok:
                sys.exit(f"{name} failed: {m.output_tail}")
            best[name] = min(best.get(name, float("inf")), m.wall_s)
            if name == "pairs":  # the answer, to check against the toolkit's edge count
                edges = m.output_tail.strip().splitlines()[-1]
    budget = a.toolkit_seconds / 10 if a.toolkit_seconds else None
    note = {"pairs": f" ({int(edges):,} directed edges)"}
    print(f"### floors on {src.name} ({a.threads} threads, best of {a.repeat})\n")
    print("| floor | wall s | share of the 10x budget |\n|---|---:|---:|")
    for name, s in best.items():
        share = f"{s / budget:.0%}" if budget else "n/a"
        print(f"| {name}{note.get(name, '')} | {s:.2f} | {share} |")
    if budget:
        print(f"\nbudget: toolkit {a.toolkit_seconds:.2f} s / 10 = {budget:.2f} s end to end")


if __name__ == "__main__":
    main()
