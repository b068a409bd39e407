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


@pytest.mark.parametrize("make", [lambda duckdb: duckdb.OutOfMemoryException("Out of Memory Error: failed to pin"),
                                  lambda duckdb: duckdb.IOException('IO Error: Could not write file "x.tmp":'
                                                                    " No space left on device")])
def test_engine_out_of_memory_or_disk_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str], make) -> None:
    """A query that runs out of memory or spill disk anywhere (not only inside the engine,
    which wraps its own) ends with one line and the engine's exit code."""
    import duckdb

    import lockstep.store

    def boom(*_a: object, **_k: object) -> None:
        raise make(duckdb)

    monkeypatch.setattr(lockstep.store, "open_workspace", boom)
    code = run(["stats", "--workspace", str(tmp_path / "ws")])
    err = capsys.readouterr().err
    assert code == 4 and "ran out of memory or disk" in err and "Traceback" not in err
