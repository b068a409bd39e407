"""`lockstep explain` prints an account's evidence in words and numbers, from the latest run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lockstep.cli.main import app, run

def test_explain_an_amplifier(ws_dir: Path) -> None:
    res = CliRunner().invoke(app, ["explain", "a3", "--workspace", str(ws_dir)])
    assert res.exit_code == 0, res.output
    text = res.output
    assert "FLAGGED as amplifier of campaign c1" in text
    assert "@Lily48213373" in text and "0 followers" in text
    assert "handle @Lily48213373 is a name plus 8 digits" in text
    assert "1 of its 1 actions engage the accounts or posts of campaign c1" in text
    assert "campaign c1: score" in text and "UTC+" in text


def test_explain_authentic_and_json(ws_dir: Path) -> None:
    res = CliRunner().invoke(app, ["explain", "h3", "--workspace", str(ws_dir), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["flagged"] is False and rep["campaign_id"] == "c2" and rep["campaign"]["flagged"] is False
    res = CliRunner().invoke(app, ["explain", "u7", "--workspace", str(ws_dir)])
    assert res.exit_code == 0 and "not flagged" in res.output


def test_explain_unknown_account_is_a_user_error(ws_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["explain", "nobody", "--workspace", str(ws_dir)]) == 2
    assert "unknown account 'nobody'" in capsys.readouterr().err
    assert run(["explain", "a3", "--workspace", str(ws_dir), "--run", "detect-nope"]) == 2
