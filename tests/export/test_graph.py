"""`lockstep export graph`: GEXF, GraphML and Parquet hold the campaign's accounts and pair
edges with the run's weights, signals and time ranges; the size filter selects campaigns."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from lockstep.cli.main import run
from lockstep.graph.igraph_import import igraph
from lockstep.outputs import read_run

from report.world import World

GEXF = "{http://gexf.net/1.3}"


def _run_pairs(world: World, members: set[str]) -> dict[tuple[str, str], float]:
    pairs: dict[tuple[str, str], float] = {}
    for r in read_run(world.run).edges.to_pylist():
        if r["account_a"] in members and r["account_b"] in members:
            a, b = sorted((str(r["account_a"]), str(r["account_b"])))
            pairs[(a, b)] = pairs.get((a, b), 0.0) + float(r["weight"])
    return pairs


def _export(world: World, out: Path, fmt: str, *extra: str) -> int:
    return run(["export", "graph", *extra, "--workspace", str(world.ws), "--out", str(out), "--format", fmt])


def test_gexf_graphml_parquet_carry_weights_signals_and_times(world: World, tmp_path: Path) -> None:
    members = set(world.members())
    pairs = _run_pairs(world, members)
    assert pairs
    for fmt in ("gexf", "graphml", "parquet"):
        assert _export(world, tmp_path / fmt, fmt, world.campaign) == 0
    root = ET.parse(tmp_path / "gexf" / "graph.gexf").getroot()
    nodes = root.findall(f".//{GEXF}node")
    edges = root.findall(f".//{GEXF}edge")
    assert {n.get("id") for n in nodes} == members
    got = {tuple(sorted((str(e.get("source")), str(e.get("target"))))): float(str(e.get("weight"))) for e in edges}
    assert got.keys() == pairs.keys()
    assert all(got[k] == pytest.approx(pairs[k], rel=1e-6) for k in pairs)
    assert all(e.get("start") and e.get("end") and str(e.get("start")) <= str(e.get("end")) for e in edges)
    signals = [a.get("value") for e in edges for a in e.iter(f"{GEXF}attvalue") if a.get("for") == "signals"]
    assert len(signals) == len(edges) and all(re.fullmatch(r"(\w+=[0-9.]+;?)+", str(s)) for s in signals)
    g = igraph().Graph.Read_GraphML(str(tmp_path / "graphml" / "graph.graphml"))
    assert g.vcount() == len(members) and g.ecount() == len(pairs)
    assert sum(g.es["weight"]) == pytest.approx(sum(pairs.values()), rel=1e-6)
    assert set(g.vs["role"]) <= {"core", "persona", "amplifier", "candidate", "unjudged"}
    nodes_t, edges_t = (pq.read_table(tmp_path / "parquet" / f) for f in ("nodes.parquet", "edges.parquet"))
    assert nodes_t.num_rows == len(members) and edges_t.num_rows == len(pairs)
    assert str(edges_t.schema.field("start").type).startswith("timestamp")


def test_size_filter_selects_campaigns(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    camps = json.loads((world.run / "campaigns.json").read_text())
    biggest = max(c["n_members"] for c in camps)
    assert _export(world, tmp_path / "all", "parquet", "--min-size", str(biggest)) == 0
    ids = set(pq.read_table(tmp_path / "all" / "nodes.parquet")["campaign_id"].to_pylist())
    assert ids == {c["id"] for c in camps if c["n_members"] >= biggest}
    capsys.readouterr()
    assert _export(world, tmp_path / "none", "gexf", "--min-size", str(biggest + 1)) == 2
    assert "size filter" in capsys.readouterr().err and not (tmp_path / "none").exists()
    assert _export(world, tmp_path / "bad", "dot") == 2
