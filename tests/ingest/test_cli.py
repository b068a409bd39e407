"""The commands, run in-process: exit codes, summaries, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lockstep.cli.main import run

from ingest_helpers import FIXTURES


def test_ingest_then_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    files = [str(FIXTURES / n) for n in ("io_tweets.csv", "io_users.csv", "access_log.csv")]
    assert run(["ingest", *files, "--workspace", ws, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "io-tweets" in out and "access-log" in out
    assert run(["stats", "--workspace", ws, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["actions"] == 4 and data["access"] == 3
    assert {r["kind"]: r["n"] for r in data["by_kind"]} == {"post": 1, "repost": 1, "quote": 1, "reply": 1}
    assert data["top"]["hashtags"][0] == {"item": "hk", "n": 2}
    assert data["top"]["active_accounts"][0] == {"item": "1003", "n": 2}
    assert run(["stats", "--workspace", ws]) == 0
    assert "by kind" in capsys.readouterr().out


def test_bad_file_is_one_line_and_exit_3_others_still_ingest(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("just some notes\nnothing tabular\n")
    ws = str(tmp_path / "ws")
    rc = run(["ingest", str(tmp_path / "missing.csv"), str(junk), str(FIXTURES / "coortweet.csv"),
              "--workspace", ws, "--no-progress"])
    cap = capsys.readouterr()
    assert rc == 3
    assert "Traceback" not in cap.err + cap.out
    assert "missing.csv: no such file" in cap.err
    assert "notes.txt: unknown format" in cap.err
    assert "coortweet" in cap.out  # the good file still ingested
    assert run(["stats", "--workspace", ws, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["actions"] == 5


def test_quarantine_reported_in_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "c.csv"
    f.write_text("object_id,account_id,content_id,timestamp_share\no,a,c,1\no,a,,2\n")
    assert run(["ingest", str(f), "--workspace", str(tmp_path / "ws"), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "1 bad row(s) quarantined in" in out and "c.csv.1.csv" in out.replace("\n", "")


def test_bad_map_and_unknown_format_are_user_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    assert run(["ingest", str(FIXTURES / "generic.csv"), "--map", "nonsense", "-w", ws]) == 2
    assert run(["ingest", str(FIXTURES / "generic.csv"), "--format", "bogus", "-w", ws]) == 2
    err = capsys.readouterr().err
    assert "expected column=field" in err and "unknown format 'bogus'" in err and "Traceback" not in err


def test_generic_with_map_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    rc = run(["ingest", str(FIXTURES / "generic.csv"), "--format", "generic", "--map", "user=account_id",
              "--map", "when=timestamp", "--map", "post=action_id", "-w", ws, "--no-progress"])
    assert rc == 0
    capsys.readouterr()
    assert run(["stats", "-w", ws, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["actions"] == 3


def test_stats_on_missing_workspace_is_user_error(tmp_path: Path) -> None:
    assert run(["stats", "--workspace", str(tmp_path / "none")]) == 2
