"""Output files of a detection run: accounts.csv, edges.csv, campaigns.json, params.json,
graph.gexf, graph.graphml.

Why these shapes: edges.csv carries the evidence of every link (which items, which
actions, how many seconds apart) so that no flag stands without its reasons, and
campaigns.json records the parameters and the data window that produced each campaign, so
a result can be replayed and audited.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow as pa

EDGE_COLUMNS = ("account_a", "account_b", "signal", "weight", "n_shared", "mean_dt_seconds",
                "evidence_items", "evidence_actions")
ACCOUNT_COLUMNS = ("account_id", "campaign_id", "role", "score", "evidence")


def write_edges(edges: pa.Table, path: Path) -> int:
    """Per-signal edge rows, heaviest first; evidence lists as JSON arrays.

    Written by DuckDB's CSV writer from the Arrow table (a million edges in about a second,
    where a Python csv loop took a minute): weights as integers when whole, else rounded to
    6 places; mean gaps rounded to 3 places. Rows are ordered by the weight as written, so
    sums that differ only in the last bit (DuckDB does not fix summation order) keep
    their (account_a, account_b, signal) order."""
    import duckdb

    extra = [c for c in edges.column_names if c not in EDGE_COLUMNS]
    exprs = {"weight": "CASE WHEN weight = trunc(weight) THEN CAST(CAST(weight AS BIGINT) AS VARCHAR)"
                       " ELSE CAST(round(weight, 6) AS VARCHAR) END",
             "mean_dt_seconds": "CAST(round(mean_dt_seconds, 3) AS VARCHAR)",
             "evidence_items": "coalesce(to_json(evidence_items), '[]')",
             "evidence_actions": "coalesce(to_json(evidence_actions), '[]')"}
    for c in ("evidence_items", "evidence_actions"):
        if c not in edges.column_names:
            edges = edges.append_column(c, pa.nulls(edges.num_rows, pa.list_(pa.string())))
    select = ", ".join(f"{exprs.get(c, c)} AS {c}" for c in (*EDGE_COLUMNS, *extra))
    target = str(path).replace("'", "''")
    con = duckdb.connect()
    try:
        con.register("_edges", edges)
        con.execute(f"COPY (SELECT {select} FROM _edges ORDER BY round(_edges.weight, 6) DESC,"
                    f" _edges.account_a, _edges.account_b, _edges.signal)"
                    f" TO '{target}' (FORMAT csv, HEADER true)").fetchall()
    finally:
        con.close()
    return edges.num_rows


def _num(v: Any) -> Any:
    if v is None:
        return ""
    f = float(v)
    return int(f) if f.is_integer() else round(f, 6)


def write_accounts(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ACCOUNT_COLUMNS))
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in ACCOUNT_COLUMNS})


def write_json(obj: Any, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf8")


def signal_breakdown(edges: pa.Table) -> dict[str, dict[str, dict[str, float]]]:
    """Per account, per signal: number of partner accounts and of shared items."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    if edges.num_rows == 0:
        return out
    for side in ("account_a", "account_b"):
        agg = edges.group_by([side, "signal"]).aggregate([("n_shared", "sum"), ("weight", "count")])
        for acc, sig, shared, partners in zip(agg.column(side).to_pylist(), agg.column("signal").to_pylist(),
                                              agg.column("n_shared_sum").to_pylist(),
                                              agg.column("weight_count").to_pylist()):
            d = out.setdefault(acc, {}).setdefault(sig, {"partners": 0, "items": 0})
            d["partners"] += partners
            d["items"] += shared
    return out


def evidence_text(per_signal: dict[str, dict[str, float]], mean_dt: float | None) -> str:
    """One readable line: what this account did with how many others."""
    parts = [f"{sig}: {int(v['items'])} shared items with {int(v['partners'])} accounts"
             for sig, v in sorted(per_signal.items(), key=lambda kv: -kv[1]["items"])]
    if mean_dt is not None:
        parts.append(f"mean {mean_dt:.1f} s apart")
    return "; ".join(parts)
