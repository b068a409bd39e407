"""The CLI maps every user mistake to a one-line message and an exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from lockstep.cli.main import run


def test_unknown_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["detect", "--no-such-flag"]) == 2
    err = capsys.readouterr().err
    assert "No such option" in err and "Traceback" not in err


def test_missing_workspace_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["stats", "--workspace", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert "no lockstep workspace" in err and "Traceback" not in err


def test_version() -> None:
    assert run(["--version"]) == 0


def test_cli_default_workspace_matches_the_store() -> None:
    from lockstep.cli.common import DEFAULT_WS
    from lockstep.store import DEFAULT_WORKSPACE

    assert DEFAULT_WS == DEFAULT_WORKSPACE
