"""Read each tool's edge list into one shape and compare two of them.

Why: a speed ratio means nothing unless the tools found the same thing. CooRTweet writes
undirected ``from,to,weight,avg_time_delta``; coordination-network-toolkit keeps a
directed ``co_retweet_network(user_1, user_2, weight)`` table in its SQLite file (its CSV
export fails with a TypeError in 1.5.2, so the table is read directly, as its own
``get_edge_rows`` does, self loops left out); lockstep writes ``edges.csv`` with
``account_a, account_b, signal, weight, n_shared, mean_dt_seconds``.
All are reduced to ``{(a, b): (weight, mean_dt or None)}``, with a < b for the undirected
tools and (user_1, user_2) as given for the toolkit's directed table.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

import duckdb

csv.field_size_limit(sys.maxsize)

Edges = dict[tuple[str, str], tuple[float, float | None]]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _num(value: str | None) -> float | None:
    return float(value) if value not in (None, "", "NA") else None


def load_coortweet(path: Path) -> Edges:
    with open(path, newline="") as fh:
        return {_pair(r["from"], r["to"]): (float(r["weight"]), _num(r.get("avg_time_delta")))
                for r in csv.DictReader(fh)}


def load_cnt(db_path: Path, table: str = "co_retweet_network") -> Edges:
    """The toolkit's directed edges, one key per direction (``(user_1, user_2)``), self loops out."""
    with sqlite3.connect(db_path) as db:
        return {(str(a), str(b)): (float(w), None)
                for a, b, w in db.execute(f"select user_1, user_2, weight from {table} where user_1 != user_2")}


def load_lockstep(path: Path, directed: bool = False) -> Edges:
    """lockstep's edges.csv. ``directed`` (preset cnt writes one row per direction, as the
    toolkit does) keeps (account_a, account_b) as given; otherwise pairs are unordered and
    the weights of a pair's several signal rows are summed."""
    out: Edges = {}
    with open(path, newline="") as fh:
        for r in csv.DictReader(fh):
            a, b = r["account_a"], r["account_b"]
            key = (a, b) if directed else _pair(a, b)
            w, dt = float(r["weight"]), _num(r.get("mean_dt_seconds"))
            if key in out:
                w += out[key][0]
            out[key] = (w, dt)
    return out


def compare(a: Edges, b: Edges, check_dt: bool = True, tol: float = 1e-6) -> dict:
    """Counts of pairs only in a, only in b, and shared pairs whose weight (or mean dt) differ."""
    only_a = sum(1 for k in a if k not in b)
    only_b = sum(1 for k in b if k not in a)
    w_diff = dt_diff = 0
    for k, (w, dt) in a.items():
        other = b.get(k)
        if other is None:
            continue
        if abs(w - other[0]) > tol:
            w_diff += 1
        if check_dt and dt is not None and other[1] is not None and abs(dt - other[1]) > 1e-3:
            dt_diff += 1
    same = only_a == only_b == w_diff == dt_diff == 0
    return {"n_a": len(a), "n_b": len(b), "only_a": only_a, "only_b": only_b,
            "weight_diff": w_diff, "dt_diff": dt_diff, "identical": same}


def describe(cmp: dict) -> str:
    if cmp["identical"]:
        return f"identical ({cmp['n_a']:,} edges)"
    return (f"DIFFER: {cmp['n_a']:,} vs {cmp['n_b']:,} edges, {cmp['only_a']:,} only in lockstep, "
            f"{cmp['only_b']:,} only in peer, {cmp['weight_diff']:,} weights differ, {cmp['dt_diff']:,} mean dt differ")


def coortweet_to_cnt_csv(src: Path, dst: Path) -> None:
    """The 4-column CooRTweet layout -> the toolkit's 8-column CSV (every row a retweet)."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(
        f"""copy (select content_id as message_id, account_id as user_id, account_id as username,
                   object_id as repost_id, '' as reply_id, '' as message,
                   timestamp_share as "timestamp", '' as urls
              from read_csv('{src}', header = true, all_varchar = true))
            to '{dst}' (header true)""")
    con.close()
