"""``lockstep export graph``: the coordination graph of one campaign or case, or of every
campaign of a run above a size, for Gephi (GEXF, with time ranges), GraphML tools, and
analysts (Parquet node and edge tables).

Edges are account pairs with their summed weight, the signals that link them (each with its
weight), shared items, mean seconds apart and the time range of their evidence actions;
nodes carry campaign, role, score and the time range of their activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pyarrow as pa
import pyarrow.parquet as pq

from lockstep.errors import UserError
from lockstep.report.subject import Subject
from lockstep.store.queries.report import account_time_ranges, edge_time_ranges
from lockstep.store.workspace import Workspace

FORMATS = ("gexf", "graphml", "parquet")


@dataclass(frozen=True)
class Graph:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


def _iso(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S") if t is not None else ""


def build_graph(ws: Workspace, subjects: list[Subject], min_weight: float = 0.0) -> Graph:
    """Nodes and pair edges of ``subjects``; edges lighter than ``min_weight`` are left out."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for s in subjects:
        for r in s.edges:
            a, b = sorted((str(r["account_a"]), str(r["account_b"])))
            e = pairs.setdefault((a, b), {"source": a, "target": b, "campaign_id": s.id, "weight": 0.0,
                                          "n_shared": 0, "dt_sum": 0.0, "signals": {}, "actions": []})
            w, n = float(r.get("weight") or 0.0), int(r.get("n_shared") or 0)
            e["weight"] += w
            e["n_shared"] += n
            e["dt_sum"] += float(r.get("mean_dt_seconds") or 0.0) * n
            e["signals"][str(r["signal"])] = round(e["signals"].get(str(r["signal"]), 0.0) + w, 6)
            ev = r.get("evidence_actions") or "[]"
            e["actions"] += [x for pair in (ev if isinstance(ev, list) else _json_list(ev)) for x in str(pair).split("~")]
    kept = [e for e in pairs.values() if e["weight"] >= min_weight]
    times = edge_time_ranges(ws, [x for e in kept for x in e["actions"]])
    edges = []
    for e in sorted(kept, key=lambda e: (-e["weight"], e["source"], e["target"])):
        ts = [times[x] for x in e["actions"] if x in times]
        edges.append({"source": e["source"], "target": e["target"], "campaign_id": e["campaign_id"],
                      "weight": round(e["weight"], 6), "n_shared": e["n_shared"],
                      "mean_dt_seconds": round(e["dt_sum"] / e["n_shared"], 3) if e["n_shared"] else None,
                      "signals": ";".join(f"{k}={v}" for k, v in sorted(e["signals"].items())),
                      "start": _iso(min(ts)) if ts else "", "end": _iso(max(ts)) if ts else ""})
    members = {m: s for s in subjects for m in s.members}
    spans = account_time_ranges(ws, list(members))
    nodes = []
    for m, s in members.items():
        row = next((r for r in s.accounts if str(r.get("account_id")) == m), {})
        first, last = spans.get(m, (None, None))
        nodes.append({"id": m, "campaign_id": s.id, "role": str(row.get("role") or "unjudged"),
                      "score": float(row.get("score") or 0.0), "start": _iso(first), "end": _iso(last)})
    return Graph(nodes=nodes, edges=edges)


def _json_list(text: str) -> list[str]:
    import json
    try:
        v = json.loads(text)
    except json.JSONDecodeError:
        return []
    return [str(x) for x in v] if isinstance(v, list) else []


_NODE_ATTRS = (("campaign_id", "string"), ("role", "string"), ("score", "double"))
_EDGE_ATTRS = (("campaign_id", "string"), ("signals", "string"), ("n_shared", "integer"), ("mean_dt_seconds", "double"))


def _span(d: dict[str, Any]) -> str:
    return "".join(f" {k}={quoteattr(d[k])}" for k in ("start", "end") if d.get(k))


def write_gexf(g: Graph, path: Path) -> None:
    """GEXF 1.3, dynamic (node and edge start/end in UTC), with weights and signals."""
    def vals(d: dict[str, Any], attrs: tuple[tuple[str, str], ...]) -> str:
        return "".join(f"<attvalue for=\"{a}\" value={quoteattr(str(d[a]) if d[a] is not None else '')}/>"
                       for a, _ in attrs)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
             '<meta><creator>lockstep</creator></meta>',
             '<graph defaultedgetype="undirected" mode="dynamic" timeformat="datetime">',
             '<attributes class="node">', *[f'<attribute id="{a}" title="{a}" type="{t}"/>' for a, t in _NODE_ATTRS],
             '</attributes>', '<attributes class="edge">',
             *[f'<attribute id="{a}" title="{a}" type="{t}"/>' for a, t in _EDGE_ATTRS], '</attributes>', '<nodes>']
    lines += [f'<node id={quoteattr(n["id"])} label={quoteattr(n["id"])}{_span(n)}><attvalues>'
              f'{vals(n, _NODE_ATTRS)}</attvalues></node>' for n in g.nodes]
    lines.append('</nodes><edges>')
    lines += [f'<edge id="{i}" source={quoteattr(e["source"])} target={quoteattr(e["target"])} weight="{e["weight"]!r}"'
              f'{_span(e)}><attvalues>{vals(e, _EDGE_ATTRS)}</attvalues></edge>' for i, e in enumerate(g.edges)]
    lines += ['</edges>', '</graph>', '</gexf>']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_graphml(g: Graph, path: Path) -> None:
    """GraphML with typed keys: node campaign/role/score/start/end, edge weight/signals/...."""
    nk = [*_NODE_ATTRS, ("start", "string"), ("end", "string")]
    ek = [("weight", "double"), *_EDGE_ATTRS, ("start", "string"), ("end", "string")]
    types = {"string": "string", "double": "double", "integer": "long"}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    lines += [f'<key id="n_{a}" for="node" attr.name="{a}" attr.type="{types[t]}"/>' for a, t in nk]
    lines += [f'<key id="e_{a}" for="edge" attr.name="{a}" attr.type="{types[t]}"/>' for a, t in ek]
    lines.append('<graph id="lockstep" edgedefault="undirected">')

    def data(prefix: str, d: dict[str, Any], keys: list[tuple[str, str]]) -> str:
        return "".join(f'<data key="{prefix}_{a}">{_esc(d[a])}</data>' for a, _ in keys if d.get(a) not in (None, ""))
    lines += [f'<node id={quoteattr(n["id"])}>{data("n", n, nk)}</node>' for n in g.nodes]
    lines += [f'<edge source={quoteattr(e["source"])} target={quoteattr(e["target"])}>{data("e", e, ek)}</edge>'
              for e in g.edges]
    lines += ['</graph>', '</graphml>']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _esc(v: Any) -> str:
    return str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_parquet(g: Graph, out_dir: Path) -> None:
    """nodes.parquet and edges.parquet (times as UTC timestamps, empty as null)."""
    def table(rows: list[dict[str, Any]], cols: list[str]) -> pa.Table:
        data = {c: [r.get(c) for r in rows] for c in cols}
        for c in ("start", "end"):
            data[c] = [datetime.fromisoformat(v) if v else None for v in data[c]]
        return pa.table(data)
    pq.write_table(table(g.nodes, ["id", "campaign_id", "role", "score", "start", "end"]), out_dir / "nodes.parquet")
    pq.write_table(table(g.edges, ["source", "target", "campaign_id", "weight", "n_shared", "mean_dt_seconds",
                                   "signals", "start", "end"]), out_dir / "edges.parquet")


def export_graph(ws: Workspace, subjects: list[Subject], out_dir: Path, fmt: str, min_weight: float = 0.0) -> Graph:
    """Write the graph of ``subjects`` into ``out_dir`` in ``fmt``."""
    if fmt not in FORMATS:
        raise UserError(f"--format {fmt!r}: choose from {', '.join(FORMATS)}")
    if not subjects:
        raise UserError("no campaign passes the size filter: nothing to export (lower --min-size)")
    g = build_graph(ws, subjects, min_weight)
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "gexf":
        write_gexf(g, out_dir / "graph.gexf")
    elif fmt == "graphml":
        write_graphml(g, out_dir / "graph.graphml")
    else:
        write_parquet(g, out_dir)
    return g
