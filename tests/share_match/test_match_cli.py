"""`lockstep share match` on the command line: the files, the summary and the case agree; bad
tips and empty workspaces get one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from lockstep.cli.main import run
from lockstep.share.stix_out import write_stix
from lockstep.store.workspace import open_workspace

from match_world import build, tip


@pytest.fixture()
def world(tmp_path: Path) -> tuple[Path, Path]:
    ws = build(tmp_path / "ws")
    bundle = tmp_path / "tip.json"
    write_stix(tip(), bundle, key="share-match-test")
    return ws, bundle


def test_report_summary_and_case_agree(world: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws, bundle = world
    out = tmp_path / "rep" / "matches.csv"
    assert run(["share", "match", str(bundle), "--workspace", str(ws), "--out", str(out), "--by", "ana", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["platform", "id", "kind", "confidence", "reasons"]
    conf = [float(r["confidence"]) for r in rows]
    assert conf == sorted(conf, reverse=True)
    matched = {r["id"] for r in rows if float(r["confidence"]) >= 0.7}
    assert matched == {"fb_op", "fb_admin", "fb_grp"}
    assert summary["matches"] == len(matched) and summary["candidates"] == len(rows)
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert all(i in html for i in matched) and summary["case_id"] in html
    assert run(["case", "show", summary["case_id"], "--workspace", str(ws), "--json"]) == 0
    case = json.loads(capsys.readouterr().out)
    assert {(s["kind"], s["id"]) for s in case["subjects"]} == \
        {(r["kind"], r["id"]) for r in rows if r["id"] in matched}
    assert case["states"] == {"open": 3} and case["n_decisions"] == 0  # advisory: nothing decided
    assert case["evidence_versions"][0]["source"] == "tip"
    assert run(["case", "history", summary["case_id"], "--workspace", str(ws)]) == 0
    assert "evidence v1 (share match report): 3 subjects" in capsys.readouterr().out
    assert run(["ledger", "verify", "--workspace", str(ws)]) == 0


def test_a_retried_request_opens_one_case(world: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    ws, bundle = world
    args = ["share", "match", str(bundle), "-w", str(ws), "--out", str(tmp_path / "m.csv"), "--by", "ana",
            "--request-id", "tip-1", "--json"]
    assert run(args) == 0
    first = json.loads(capsys.readouterr().out)["case_id"]
    assert run(args) == 0
    assert json.loads(capsys.readouterr().out)["case_id"] == first
    assert run(["case", "list", "-w", str(ws), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_no_case_and_threshold(world: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws, bundle = world
    out = tmp_path / "m.csv"
    assert run(["share", "match", str(bundle), "-w", str(ws), "--out", str(out), "--no-case",
                "--min-confidence", "0.95", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["case_id"] is None
    assert summary["matches"] == sum(float(r["confidence"]) >= 0.95 for r in csv.DictReader(out.open()))
    assert run(["case", "list", "-w", str(ws), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) in ([], {"cases": []})


@pytest.mark.parametrize("content,needle", [
    ("{not json", "not valid JSON"),
    ('{"type": "bundle", "objects": {"a": 1}}', "not a list"),
    ('{"type": "bundle", "objects": [{"type": "user-account", "account_login": ["x"]}]}', "not text"),
])
def test_hostile_tips_get_a_clear_error(world: tuple[Path, Path], tmp_path: Path, content: str, needle: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    ws, _ = world
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    rc = run(["share", "match", str(bad), "-w", str(ws), "--out", str(tmp_path / "m.csv")])
    err = capsys.readouterr().err
    assert rc != 0 and needle in err and "Traceback" not in err and str(bad) in err
    assert not (tmp_path / "m.csv").exists()


def test_missing_tip_empty_workspace_and_bad_threshold(world: tuple[Path, Path], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _, bundle = world
    empty = tmp_path / "empty"
    open_workspace(empty).close()
    assert run(["share", "match", str(bundle), "-w", str(empty), "--out", str(tmp_path / "m.csv")]) == 2
    assert "holds no accounts, pages or actions" in capsys.readouterr().err
    assert run(["share", "match", str(tmp_path / "nope.json"), "-w", str(empty), "--out", str(tmp_path / "m.csv")]) == 2
    assert "no such tip file" in capsys.readouterr().err
    assert run(["share", "match", str(bundle), "-w", str(tmp_path / "nowhere"), "--out", str(tmp_path / "m.csv")]) == 2
    assert "no lockstep workspace" in capsys.readouterr().err
    ws, _ = world
    assert run(["share", "match", str(bundle), "-w", str(ws), "--out", str(tmp_path / "m.csv"),
                "--min-confidence", "1.5"]) == 2
    assert "--min-confidence" in capsys.readouterr().err
