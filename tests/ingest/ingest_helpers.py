"""Shared helpers for the ingest tests (a uniquely named module, importable by rootdir)."""

from __future__ import annotations

import os
from typing import Any
from pathlib import Path

import pytest

from lockstep.store import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# ../shared/data/real beside the repository (present in CI); tests fail, never skip, without it
_DEFAULT_REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
REAL = Path(os.environ.get("LOCKSTEP_REAL_DATA", _DEFAULT_REAL))


def real(rel: str) -> Path:
    p = REAL / rel
    assert p.exists(), f"real dataset missing: {p} (../shared/data/real must be present)"
    return p


def rows(ws: Workspace, sql: str) -> list[tuple[Any, ...]]:
    return ws.con.execute(sql).fetchall()
