"""Graph files for Gephi and friends: GEXF and GraphML, weighted, with campaign ids.

Why write GEXF by hand: igraph has no GEXF writer, and the format is a small, documented
XML; GraphML comes from igraph itself.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import igraph as ig


def write_graphml(g: ig.Graph, path: Path) -> None:
    h = g.copy()
    if h.vcount():
        h.vs["id"] = h.vs["name"]
    h.write_graphml(str(path))


def write_gexf(g: ig.Graph, path: Path) -> None:
    """GEXF 1.3, undirected, with node attributes campaign_id/role and edge attributes."""
    vattrs = [a for a in ("campaign_id", "role", "score") if a in g.vs.attributes()]
    eattrs = [a for a in ("signals", "n_shared", "mean_dt_seconds") if a in g.es.attributes()]
    types = {"score": "double", "n_shared": "integer", "mean_dt_seconds": "double"}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
             '<meta><creator>lockstep</creator></meta>',
             '<graph defaultedgetype="undirected" mode="static">',
             '<attributes class="node">']
    lines += [f'<attribute id="{a}" title="{a}" type="{types.get(a, "string")}"/>' for a in vattrs]
    lines += ['</attributes>', '<attributes class="edge">']
    lines += [f'<attribute id="{a}" title="{a}" type="{types.get(a, "string")}"/>' for a in eattrs]
    lines += ['</attributes>', '<nodes>']
    for v in g.vs:
        vals = "".join(f'<attvalue for="{a}" value={quoteattr(str(v[a] if v[a] is not None else ""))}/>'
                       for a in vattrs)
        lines.append(f'<node id={quoteattr(v["name"])} label={quoteattr(v["name"])}>'
                     f'<attvalues>{vals}</attvalues></node>')
    lines.append('</nodes><edges>')
    for e in g.es:
        s, t = g.vs[e.source]["name"], g.vs[e.target]["name"]
        vals = "".join(f'<attvalue for="{a}" value={quoteattr(str(e[a]))}/>' for a in eattrs)
        lines.append(f'<edge id="{e.index}" source={quoteattr(s)} target={quoteattr(t)}'
                     f' weight="{float(e["weight"])!r}"><attvalues>{vals}</attvalues></edge>')
    lines += ['</edges>', '</graph>', '</gexf>']
    path.write_text("\n".join(lines) + "\n", encoding="utf8")
