"""One check that a run's printed summary, accounts.csv, campaigns.json, params.json and the
graph files agree exactly (used on the planted world, the demo world and real data)."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any


def _gexf_nodes(path: Path) -> dict[str, dict[str, str]]:
    ns = {"g": "http://gexf.net/1.3"}
    root = ET.parse(path).getroot()
    out = {}
    for node in root.iterfind(".//g:node", ns):
        out[node.get("id", "")] = {a.get("for", ""): a.get("value", "") for a in node.iterfind(".//g:attvalue", ns)}
    return out


def _graphml_nodes(path: Path) -> dict[str, dict[str, str]]:
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(path).getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.iterfind("g:key", ns) if k.get("for") == "node"}
    out = {}
    for node in root.iterfind(".//g:node", ns):
        vals = {keys.get(d.get("key"), ""): (d.text or "") for d in node.iterfind("g:data", ns)}
        out[vals.get("name", "")] = vals
    return out


def check_run_agrees(out: Path, printed: str | None = None) -> dict[str, Any]:
    """Assert that every file of the run in ``out`` (and the printed line, when given) tells
    the same counts; returns params.json's summary."""
    with (out / "accounts.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    camps = json.loads((out / "campaigns.json").read_text())
    params = json.loads((out / "params.json").read_text())
    s = params["summary"]
    roles_ran = s["n_flagged"] is not None
    by_id = {r["account_id"]: r for r in rows}
    assert len(by_id) == len(rows) == s["n_accounts"]
    coordinated = {r["account_id"] for r in rows if r["coordinated"] == "true"}
    flagged = {r["account_id"] for r in rows if r["flagged"] == "true"}
    assert len(coordinated) == s["n_coordinated"]
    assert len(camps) == s["n_campaigns"]
    # coordinated = the campaigns' detected members, each with its campaign id and evidence
    detected = {m: c["id"] for c in camps for m in c["members"][:c.get("n_coordinated", c["n_members"])]}
    assert set(detected) == coordinated
    assert all(by_id[m]["campaign_id"] == cid and by_id[m]["coordination_evidence"] for m, cid in detected.items())
    for c in camps:
        assert c["n_members"] == len(c["members"]) and all(by_id[m]["campaign_id"] == c["id"] for m in c["members"])
    if roles_ran:
        assert len(flagged) == s["n_flagged"]
        roles: dict[str, int] = {}
        for a in flagged:
            roles[by_id[a]["role"]] = roles.get(by_id[a]["role"], 0) + 1
        assert roles == s["by_role"] and "" not in roles
        assert all(by_id[a]["role"] == "" for a in by_id if a not in flagged)
        for c in camps:  # members by role, as accounts.csv says
            counts: dict[str, int] = {}
            for m in c["members"]:
                key = by_id[m]["role"] or "unflagged"
                counts[key] = counts.get(key, 0) + 1
            assert c["roles"] == counts
            assert set(c["expanded_amplifiers"]) <= flagged and not set(c["expanded_amplifiers"]) & coordinated
    else:
        assert not flagged and all(r["flagged"] == "" for r in rows)
    for name, nodes in (("graph.gexf", _gexf_nodes), ("graph.graphml", _graphml_nodes)):
        if (out / name).exists():
            for acc, attrs in nodes(out / name).items():
                r = by_id[acc]
                assert (attrs.get("campaign_id", ""), attrs.get("role", ""), attrs.get("coordinated"),
                        attrs.get("flagged", "")) == (r["campaign_id"], r["role"], r["coordinated"], r["flagged"]), acc
                assert float(attrs["score"]) == float(r["score"])
    if printed is not None:
        line = " ".join(printed.split())
        m = re.search(r"(\d+) campaigns, (\d+) coordinated accounts, (?:(\d+) flagged as inauthentic|flagged: not judged)",
                      line)
        assert m, line
        assert int(m.group(1)) == len(camps) and int(m.group(2)) == len(coordinated)
        assert (int(m.group(3)) if m.group(3) else None) == (len(flagged) if roles_ran else None)
        for role, n in s["by_role"].items():
            assert f"{n} {role}" in line
        assert f"{s['n_edges']} edges" in line
    with (out / "edges.csv").open(newline="", encoding="utf-8") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == s["n_edges"]
    return dict(s)
