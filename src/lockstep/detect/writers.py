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
import pyarrow.compute as pc

EDGE_COLUMNS = ("account_a", "account_b", "signal", "weight", "n_shared", "mean_dt_seconds",
                "evidence_items", "evidence_actions")
ACCOUNT_COLUMNS = ("account_id", "campaign_id", "role", "score", "evidence")


def write_edges(edges: pa.Table, path: Path) -> int:
    """Per-signal edge rows, heaviest first; evidence lists as JSON arrays."""
    extra = [c for c in edges.column_names if c not in EDGE_COLUMNS]
    if edges.num_rows:
        edges = edges.sort_by([("weight", "descending"), ("account_a", "ascending"),
                               ("account_b", "ascending"), ("signal", "ascending")])
    cols = [*EDGE_COLUMNS, *extra]
    with path.open("w", newline="", encoding="utf8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        data = {c: edges.column(c).to_pylist() for c in cols}
        for i in range(edges.num_rows):
            row: list[Any] = []
            for c in cols:
                v = data[c][i]
                if c in ("evidence_items", "evidence_actions"):
                    v = json.dumps(v or [], ensure_ascii=False)
                elif c == "weight":
                    v = _num(v)
                elif c == "mean_dt_seconds":
                    v = "" if v is None else round(float(v), 3)
                row.append(v)
            w.writerow(row)
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


def top_items(edges: pa.Table, members: set[str], k: int = 10) -> list[str]:
    """The evidence items most often cited on a campaign's internal edges."""
    if edges.num_rows == 0:
        return []
    mask = pc.and_(pc.is_in(edges.column("account_a"), pa.array(sorted(members))),
                   pc.is_in(edges.column("account_b"), pa.array(sorted(members))))
    counts: dict[str, int] = {}
    for items in edges.filter(mask).column("evidence_items").to_pylist():
        for it in items or []:
            counts[it] = counts.get(it, 0) + 1
    return [it for it, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]
