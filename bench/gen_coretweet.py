"""Generate a realistic, heavy-tailed co-retweet dataset for the detection benchmark.

Why a generator of its own: the benchmark must feed the very same rows to lockstep,
CooRTweet and coordination-network-toolkit at 1M, 10M and 100M actions, with a fixed
seed, so that anybody can regenerate the exact input. The shape is calibrated on the
real ``russian_coord_tweets`` rows (median account 1 share, p99 35; median delay
after the first share about 2 hours; most popular object about 3% of all rows):

- object popularity is Zipf-Mandelbrot, p(rank) ~ 1/(rank + k); k is solved so the
  most popular object holds ``--top-share`` of all organic rows (default 1%): a hot
  item with 10,000 retweets at 1M actions;
- account activity is log-normal (most accounts share once or twice, a few hundreds);
- each object is posted at a diurnally modulated time over 30 days and reshared after
  a log-normal delay (median 2 h), so shares burst right after posting;
- planted coordinated groups (10-40 accounts) reshare the same objects within
  ``--burst`` seconds of a trigger; their accounts are written to ``<out>.groups.csv``.

Output: CooRTweet's 4-column layout (object_id, account_id, content_id, timestamp_share,
UNIX seconds), written in chunks so 100M rows need little memory.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.csv as pacsv

START = 1_600_000_000
SPAN = 30 * 86_400
CHUNK = 2_000_000
DELAY_MEDIAN = 14400.0  # seconds from posting to a reshare, median
DELAY_SIGMA = 2.2
MAX_DELAY = 30 * 86_400  # a reshare comes at most 30 days after the post


def solve_zipf_offset(n_objects: int, top_share: float) -> float:
    """Offset k of p(rank) ~ 1/(rank+k) giving the top object ``top_share`` of the mass."""

    def share(k: float) -> float:
        total = math.log((n_objects + k + 0.5) / (k + 0.5))  # integral approximation of H
        return (1.0 / (1.0 + k)) / total

    lo, hi = 0.0, float(n_objects)
    if share(lo) <= top_share:
        return 0.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if share(mid) > top_share else (lo, mid)
    return (lo + hi) / 2


def _ids(prefix: str, values: np.ndarray) -> pa.Array:
    return pa.compute.binary_join_element_wise(prefix, pa.array(values).cast(pa.string()), "")


def _write(writer: pacsv.CSVWriter, obj: np.ndarray, acc: np.ndarray, cid: np.ndarray, ts: np.ndarray) -> None:
    table = pa.table(
        {
            "object_id": _ids("o", obj),
            "account_id": _ids("u", acc),
            "content_id": _ids("c", cid),
            "timestamp_share": pa.array(ts, pa.int64()),
        }
    )
    writer.write_table(table)


def generate(out: Path, n_actions: int, seed: int = 42, top_share: float = 0.01, burst: int = 30) -> dict:
    """Write ``n_actions`` rows to ``out``; return counts (rows, objects, accounts, planted)."""
    rng = np.random.default_rng(seed)
    n_objects = max(100, n_actions // 5)
    n_accounts = max(100, n_actions // 4)
    k = solve_zipf_offset(n_objects, top_share)
    obj_cdf = np.cumsum(1.0 / (np.arange(1, n_objects + 1) + k))
    obj_cdf /= obj_cdf[-1]
    acc_cdf = np.cumsum(rng.lognormal(0.0, 1.6, n_accounts))
    acc_cdf /= acc_cdf[-1]
    # posting time of each object: uniform day, diurnal hour-of-day (peaks in the evening)
    day = rng.integers(0, SPAN // 86_400, n_objects)
    hour = (rng.normal(19.0, 4.5, n_objects) % 24.0) * 3600.0
    obj_time = START + day * 86_400 + hour.astype(np.int64)

    # planted coordination: about 1.5% of rows
    n_groups = max(4, n_actions // 50_000)
    planted_rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    group_rows = []
    next_acc = n_accounts  # planted accounts get their own ids
    for g in range(n_groups):
        size = int(rng.integers(10, 41))
        members = np.arange(next_acc, next_acc + size)
        next_acc += size
        group_rows.extend((f"u{m}", f"g{g}") for m in members)
        n_targets = int(rng.integers(20, 61))
        targets = np.searchsorted(obj_cdf, rng.random(n_targets))
        for t in targets:
            take = members[rng.random(size) < 0.8]
            trigger = obj_time[t] + int(rng.lognormal(7.0, 1.5))
            planted_rows.append((np.full(take.size, t), take, trigger + rng.integers(0, burst + 1, take.size)))
    p_obj = np.concatenate([r[0] for r in planted_rows])
    p_acc = np.concatenate([r[1] for r in planted_rows])
    p_ts = np.concatenate([r[2] for r in planted_rows])
    n_organic = n_actions - p_obj.size

    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    schema = pa.schema([("object_id", pa.string()), ("account_id", pa.string()),
                        ("content_id", pa.string()), ("timestamp_share", pa.int64())])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(",".join(schema.names) + "\n")
    with open(out, "ab") as sink, pacsv.CSVWriter(sink, schema, write_options=options) as writer:
        done = 0
        while done < n_organic:
            m = min(CHUNK, n_organic - done)
            obj = np.searchsorted(obj_cdf, rng.random(m))
            acc = np.searchsorted(acc_cdf, rng.random(m))
            delay = np.minimum(rng.lognormal(math.log(DELAY_MEDIAN), DELAY_SIGMA, m), MAX_DELAY).astype(np.int64)
            _write(writer, obj, acc, np.arange(done, done + m), obj_time[obj] + delay)
            done += m
        _write(writer, p_obj, p_acc, np.arange(done, done + p_obj.size), p_ts)
    with open(str(out) + ".groups.csv", "w") as fh:
        fh.write("account_id,group\n")
        fh.writelines(f"{a},{g}\n" for a, g in group_rows)
    return {"rows": n_actions, "objects": n_objects, "accounts": next_acc, "planted_rows": int(p_obj.size),
            "planted_accounts": len(group_rows), "zipf_offset": round(k, 2), "seed": seed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--actions", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--top-share", type=float, default=0.01)
    ap.add_argument("--burst", type=int, default=30)
    args = ap.parse_args()
    print(generate(args.out, args.actions, args.seed, args.top_share, args.burst))


if __name__ == "__main__":
    main()
