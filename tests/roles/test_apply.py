"""The roles stage on a hand-made detect folder: roles, expansion, scores, evidence."""

from __future__ import annotations

import csv
import json
from pathlib import Path


from .world import apply_folder as apply, build_world, write_detect_folder


def _run(tmp_path: Path) -> tuple[dict[str, dict[str, str]], list[dict], dict]:
    out = tmp_path / "run"
    write_detect_folder(out)
    with build_world(tmp_path / "ws") as ws:
        apply(ws, out, {})
    with (out / "accounts.csv").open() as fh:
        rows = {r["account_id"]: r for r in csv.DictReader(fh)}
    return rows, json.loads((out / "campaigns.json").read_text()), json.loads(
        (out / "account_evidence.json").read_text())


def test_roles_expansion_and_scores(tmp_path: Path) -> None:
    rows, camps, ev = _run(tmp_path)
    assert [rows[f"p{i}"]["role"] for i in range(2)] == ["persona", "persona"]
    assert {rows[f"o{j}"]["role"] for j in range(5)} == {"core"}
    # amplifiers acted once each; found through engagement + account signals, not edges
    assert {rows[f"a{i}"]["role"] for i in range(12)} == {"amplifier"}
    assert all(rows[f"a{i}"]["campaign_id"] == "c1" for i in range(12))
    # authentic: the protest community and the ordinary users who reposted a persona once
    assert {rows[f"h{i}"]["role"] for i in range(8)} == {""}
    assert all(float(rows[f"h{i}"]["score"]) < 0.5 for i in range(8))
    assert rows.get("u0", {}).get("role", "") == "" and rows["u5"]["role"] == ""
    assert rows["solo"]["role"] == "" and float(rows["solo"]["score"]) < 0.5  # one repost, real profile
    assert all(float(rows[a]["score"]) >= 0.5 for a in ["p0", "o1", "a3"])
    c1, c2 = camps
    assert c1["flagged"] is True and c2["flagged"] is False
    assert set(c1["expanded_amplifiers"]) == {f"a{i}" for i in range(12)}
    assert c1["members"][:7] == ["p0", "p1", "o0", "o1", "o2", "o3", "o4"]  # existing order kept
    assert c1["signals"] == {"co_repost": 21} and c1["roles"]["amplifier"] == 12
    # evidence lists carry words and numbers; the expanded account explains itself
    a3 = ev["accounts"]["a3"]
    items = {e["item"] for e in a3["evidence"]}
    assert {"engagement", "infra_campaign", "burst_campaign", "handle_pattern"} <= items
    assert a3["expanded"] and a3["flagged"]
    assert ev["accounts"]["solo"]["note"].startswith("engages the campaign's core")
    office = next(e for e in ev["campaigns"]["c1"]["evidence"] if e["item"] == "office_hours")
    assert office["value"]["utc_offset"] in (8, 9)


def test_content_alone_never_flags(tmp_path: Path) -> None:
    from lockstep.roles.score import Evidence, combine
    s = combine(-1.0, [Evidence("shared_domains", 1.0, 3.0, "x", content=True)])
    assert s.score < 0.5 and not s.flagged
    s = combine(-1.0, [Evidence("shared_domains", 1.0, 3.0, "x", content=True),
                       Evidence("infra_campaign", 1.0, 2.0, "y")])
    assert s.flagged


def test_apply_reruns_cleanly(tmp_path: Path) -> None:
    rows1, camps1, _ = _run(tmp_path)
    out = tmp_path / "run2"
    write_detect_folder(out)
    with build_world(tmp_path / "ws") as ws:  # same workspace, same detect result, second pass
        apply(ws, out, {})
    with (out / "accounts.csv").open() as fh:
        rows2 = {r["account_id"]: r for r in csv.DictReader(fh)}
    assert rows1 == rows2
    camps2 = json.loads((out / "campaigns.json").read_text())
    assert len(camps2[0]["members"]) == len(camps1[0]["members"])


def test_persona_missed_by_clustering_is_found_by_its_audience(tmp_path: Path) -> None:
    out = tmp_path / "run"
    write_detect_folder(out)
    camps = json.loads((out / "campaigns.json").read_text())
    camps[0]["members"].remove("p1")  # the clustering missed one persona
    (out / "campaigns.json").write_text(json.dumps(camps))
    with build_world(tmp_path / "ws") as ws:
        apply(ws, out, {})
    with (out / "accounts.csv").open() as fh:
        rows = {r["account_id"]: r for r in csv.DictReader(fh)}
    ev = json.loads((out / "account_evidence.json").read_text())
    assert rows["p1"]["role"] == "persona" and rows["p1"]["campaign_id"] == "c1"
    audience = next(e for e in ev["accounts"]["p1"]["evidence"] if e["item"] == "audience")
    assert audience["value"]["from_campaign"] == 50
    # amplifiers that reposted only p1 are still expanded
    assert {rows[f"a{i}"]["role"] for i in range(1, 12, 2)} == {"amplifier"}
