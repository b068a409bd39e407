"""Graph files for Gephi and friends: GEXF and GraphML, weighted, with campaign ids.

Why write GEXF by hand: igraph has no GEXF writer, and the format is a small, documented
XML; GraphML comes from igraph itself (C code). Both take an edge selection, so the
pipeline can write a large graph's campaign part only (see ``graph_max_edges``).
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

import numpy as np

from lockstep.distinct import distinct
from lockstep.graph.fuse import AccountGraph
from lockstep.graph.igraph_import import igraph

VertexAttrs = Mapping[str, Sequence[Any]]  # campaign_id, role, score: one value per vertex


def _select(ag: AccountGraph, edges: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Edge indices and the vertices they touch (every vertex when no selection)."""
    if edges is None:
        return np.arange(ag.n_edges), np.arange(ag.n_vertices)
    verts = distinct(np.concatenate([ag.src[edges], ag.dst[edges]]))
    return edges, verts


def write_graphml(ag: AccountGraph, vattrs: VertexAttrs, path: Path, edges: np.ndarray | None = None) -> None:
    ig = igraph()  # lazy: imported only when a graph is built

    e, verts = _select(ag, edges)
    new = np.full(ag.n_vertices, -1, dtype=np.int64)
    new[verts] = np.arange(len(verts))
    g = ig.Graph(n=len(verts), edges=np.column_stack([new[ag.src[e]], new[ag.dst[e]]]).tolist())
    names = np.asarray(ag.names, dtype=object)[verts].tolist()
    g.vs["name"] = names
    for k, vals in vattrs.items():
        g.vs[k] = np.asarray(vals, dtype=object)[verts].tolist()
    g.vs["id"] = names
    g.es["weight"] = ag.weight[e].tolist()
    g.es["n_shared"] = ag.n_shared[e].tolist()
    g.es["mean_dt_seconds"] = ag.mean_dt_seconds[e].tolist()
    g.es["clustered"] = ag.clustered[e].tolist()
    g.es["signals"] = np.asarray(ag.signals(), dtype=object)[e].tolist()
    g.write_graphml(str(path))


def write_gexf(ag: AccountGraph, vattrs: VertexAttrs, path: Path, edges: np.ndarray | None = None) -> None:
    """GEXF 1.3, undirected, with node attributes campaign_id/role/score and edge attributes."""
    e, verts = _select(ag, edges)
    types = {"score": "double", "n_shared": "integer", "mean_dt_seconds": "double"}
    names = [quoteattr(n) for n in ag.names]
    head = ['<?xml version="1.0" encoding="UTF-8"?>', '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
            '<meta><creator>lockstep</creator></meta>',
            '<graph defaultedgetype="undirected" mode="static">', '<attributes class="node">']
    head += [f'<attribute id="{a}" title="{a}" type="{types.get(a, "string")}"/>' for a in vattrs]
    head += ['</attributes>', '<attributes class="edge">']
    head += [f'<attribute id="{a}" title="{a}" type="{types.get(a, "string")}"/>'
             for a in ("signals", "n_shared", "mean_dt_seconds")]
    head += ['</attributes>', '<nodes>']
    cols = {a: [quoteattr(str(v if v is not None else "")) for v in vals] for a, vals in vattrs.items()}
    with path.open("w", encoding="utf8") as fh:
        fh.write("\n".join(head) + "\n")
        fh.writelines(f'<node id={names[v]} label={names[v]}><attvalues>'
                      + "".join(f'<attvalue for="{a}" value={c[v]}/>' for a, c in cols.items())
                      + '</attvalues></node>\n' for v in verts.tolist())
        fh.write('</nodes><edges>\n')
        sig = ag.signals()
        fh.writelines(
            f'<edge id="{i}" source={names[s]} target={names[t]} weight="{w!r}"><attvalues>'
            f'<attvalue for="signals" value={quoteattr(sig[i])}/><attvalue for="n_shared" value="{n}"/>'
            f'<attvalue for="mean_dt_seconds" value="{d!r}"/></attvalues></edge>\n'
            for i, s, t, w, n, d in zip(e.tolist(), ag.src[e].tolist(), ag.dst[e].tolist(),
                                        ag.weight[e].tolist(), ag.n_shared[e].tolist(),
                                        ag.mean_dt_seconds[e].tolist()))
        fh.write('</edges>\n</graph>\n</gexf>\n')
