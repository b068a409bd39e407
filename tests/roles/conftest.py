"""Shared fixtures for the roles tests: a small world with one recorded detect run."""

from __future__ import annotations

from pathlib import Path

import pytest


from .world import apply_folder as apply, build_world, write_detect_folder


@pytest.fixture()
def ws_dir(tmp_path: Path) -> Path:
    out = tmp_path / "run"
    write_detect_folder(out)
    with build_world(tmp_path / "ws") as ws:
        apply(ws, out, {})
        ws.record_run("detect", out, {})
    return tmp_path / "ws"
