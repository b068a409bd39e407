"""Shared helpers for the ingest tests (a uniquely named module, importable by rootdir)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lockstep.store import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_DEFAULT_REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
REAL = Path(os.environ.get("LOCKSTEP_REAL_DATA", _DEFAULT_REAL))
if not REAL.exists():
    REAL = Path("/work/shared/data/real")


def real(rel: str) -> Path:
    p = REAL / rel
    if not p.exists():
        pytest.skip(f"real dataset not present: {p}")
    return p


def rows(ws: Workspace, sql: str) -> list[tuple]:
    return ws.con.execute(sql).fetchall()
