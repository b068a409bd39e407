"""Driving the CLI in-process, the way a user would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lockstep.cli.main import run


class Cli:
    def __init__(self, ws: Path, ledger_args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        self.ws, self.ledger_args, self.capsys = ws, ledger_args, capsys

    def __call__(self, *args: str, rc: int = 0) -> tuple[str, str]:
        self.capsys.readouterr()
        code = run([*args, "--workspace", str(self.ws), *self.ledger_args])
        out, err = self.capsys.readouterr()
        assert code == rc, f"lockstep {' '.join(args)} -> {code}\nstdout: {out}\nstderr: {err}"
        return out, err

    def json(self, *args: str, rc: int = 0) -> Any:
        out, _ = self(*args, "--json", rc=rc)
        return json.loads(out)
