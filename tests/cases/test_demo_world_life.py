"""A case's whole life on the demo world (simulated, ingested and detected the way `lockstep
demo` does it), through the CLI, on SQLite and PostgreSQL: open on the operation's campaign,
grow with a second detection run, decide, appeal, uphold and overturn, restore; the history,
the status derived from the events, and the chain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lockstep.cli.main import run

from .helpers import Cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    """(workspace, run 1, run 2, the operation's campaign id in run 1)."""
    root = tmp_path_factory.mktemp("demo-case")
    assert run(["simulate", "--out", str(root / "world"), "--scale", "0.03", "--seed", "5"]) == 0
    ws = root / "ws"
    world = root / "world"
    assert run(["ingest", str(world / "users.csv"), str(world / "tweets.csv"), "--workspace", str(ws)]) == 0
    assert run(["ingest", str(world / "access.csv"), "--format", "access-log", "--workspace", str(ws)]) == 0
    run1, run2 = root / "run1", root / "run2"
    assert run(["detect", "--workspace", str(ws), "--out", str(run1)]) == 0
    assert run(["detect", "--workspace", str(ws), "--out", str(run2), "--resolution", "0.8"]) == 0
    camps = json.loads((run1 / "campaigns.json").read_text())
    operation = max((c for c in camps if c.get("flagged")), key=lambda c: len(c["members"]))
    return ws, run1, run2, str(operation["id"])


def _write(path: Path, ids: list[str]) -> Path:
    path.write_text("".join(f"{i}\n" for i in ids))
    return path


def test_case_life_on_the_demo_world(demo: tuple[Path, Path, Path, str], ledger_args: list[str],
                                     capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ws, run1, run2, campaign = demo
    cli = Cli(ws, ledger_args, capsys)
    members = next(c for c in json.loads((run1 / "campaigns.json").read_text()) if c["id"] == campaign)["members"]
    opened = cli.json("case", "open", "--campaign", campaign, "--run", str(run1), "--by", "ann")
    cid = opened["id"]
    assert cli.json("case", "list")[0]["n_subjects"] >= len(members) >= 3
    grown = cli.json("case", "add", cid, "--run", str(run2), "--by", "ann")
    assert grown["version"] == 2

    sus = cli.json("case", "decide", cid, "--action", "suspend", "--reason", "coordinated-activity", "--by", "ann",
                   "--request-id", "demo-1")
    assert sus["n_subjects"] >= len(members)
    a, b, c = members[0], members[1], members[2]
    up = cli.json("case", "appeal", cid, "--decision", sus["decision_id"], "--accounts", str(_write(tmp_path / "a", [a])),
                  "--by", "desk")
    ov = cli.json("case", "appeal", cid, "--decision", sus["decision_id"], "--accounts", str(_write(tmp_path / "b", [b])),
                  "--by", "desk")
    cli.json("case", "appeal", cid, "--resolve", up["appeal_id"], "--outcome", "uphold", "--by", "cy")
    cli.json("case", "appeal", cid, "--resolve", ov["appeal_id"], "--outcome", "overturn", "--by", "cy")
    cli.json("case", "decide", cid, "--action", "restore", "--by", "cy", "--accounts", str(_write(tmp_path / "c", [c])))

    status = {s["id"]: s for s in cli.json("case", "status", cid) if s["kind"] == "account"}
    assert status[a]["state"] == "suspended" and status[a]["appeal"] == "upheld"
    assert status[b]["state"] == "restored" and status[b]["appeal"] == "overturned"
    assert status[c]["state"] == "restored"
    assert sum(s["state"] == "suspended" for s in status.values()) == len(status) - 2
    hist = cli.json("case", "history", cid)
    kinds = [h["kind"] for h in hist]
    assert kinds.count("appeal.filed") == 2 and kinds.count("appeal.resolved") == 2
    dec = next(h for h in hist if h["kind"] == "decision" and h["subject_id"] == a)
    assert dec["payload"]["evidence"] == grown["evidence"] and dec["payload"]["automated_detection"] is True
    v = cli.json("ledger", "verify")
    assert v["ok"] and v["n_events"] == len(hist)
