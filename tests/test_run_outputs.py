"""The default product path end to end (detect with roles, as `lockstep detect` runs it): the
printed summary, accounts.csv, campaigns.json, params.json and the graph files agree exactly,
on the planted test world, the demo world and the real IRA 2016 tweets."""

from __future__ import annotations

from pathlib import Path

import pytest
from detect_fixtures import SHARED, make_ws, planted_world
from outputs_check import check_run_agrees

from lockstep.cli.main import run
from lockstep.outputs import read_run

IRA = SHARED / "data" / "real" / "ira_538_by_author_2016_english" / "tweets_2016_english_categories.csv.gz"


def _detect(ws_path: Path, out: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> str:
    capsys.readouterr()
    assert run(["detect", "--workspace", str(ws_path), "--out", str(out), *flags]) == 0
    return capsys.readouterr().out


def test_planted_world_outputs_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows, ops, fans = planted_world()
    make_ws(tmp_path / "ws", rows).close()
    printed = _detect(tmp_path / "ws", tmp_path / "out", capsys)
    s = check_run_agrees(tmp_path / "out", printed)
    assert s["n_coordinated"] >= len(ops) - 1 and s["n_campaigns"] >= 1
    run_files = read_run(tmp_path / "out")
    # the fans co-reshare their leaders' posts within minutes: coordinated (co_repost_slow),
    # never judged inauthentic
    acc = run_files.accounts.to_pylist()
    assert not {r["account_id"] for r in acc if r["flagged"] == "true"} & fans
    # coordination without roles: nothing judged, and the files still agree
    printed = _detect(tmp_path / "ws", tmp_path / "bare", capsys, "--no-roles")
    s2 = check_run_agrees(tmp_path / "bare", printed)
    assert s2["n_flagged"] is None and s2["n_coordinated"] == s["n_coordinated"]
    assert "flagged: not judged" in " ".join(printed.split())


def test_demo_world_outputs_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(["demo", "--out", str(tmp_path / "demo")]) == 0
    printed = capsys.readouterr().out
    s = check_run_agrees(tmp_path / "demo" / "results", printed)
    assert s["n_flagged"] >= 500 and s["by_role"].get("amplifier", 0) >= 400
    line = " ".join(printed.split())
    assert f"flagged {s['n_flagged']:,} accounts" in line  # the score line counts the same rows


@pytest.mark.slow
def test_ira_2016_outputs_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert IRA.exists(), f"real data missing: {IRA} (../shared/data/real must be present)"
    assert run(["ingest", str(IRA), "--workspace", str(tmp_path / "ws"), "--format", "ira-538"]) == 0
    printed = _detect(tmp_path / "ws", tmp_path / "out", capsys)
    s = check_run_agrees(tmp_path / "out", printed)
    assert s["n_campaigns"] >= 1 and s["n_coordinated"] >= 10
