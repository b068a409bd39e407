"""numpy_room: DuckDB's memory limit is lowered while numpy works, then set back to the
workspace's (LOCKSTEP_MEMORY_LIMIT), also when the work fails."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from lockstep.engine.duckdb.memory import PASS_ROW_BYTES, numpy_room, pass_room
from lockstep.engine.duckdb.state import DuckState


def _limit(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])


def test_the_limit_is_lowered_then_set_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCKSTEP_MEMORY_LIMIT", "2GiB")
    con = duckdb.connect()
    con.execute("SET memory_limit = '2GiB'")
    st = DuckState(con=con, scratch=tmp_path, owner=1)
    with numpy_room(st):
        assert _limit(con) == "1.0 GiB"
    assert _limit(con) == "2.0 GiB"
    with pytest.raises(RuntimeError), numpy_room(st, 0.25):
        assert _limit(con) == "512.0 MiB"
        raise RuntimeError("numpy failed")
    assert _limit(con) == "2.0 GiB"


def test_a_counting_pass_leaves_room_for_its_arrays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pass_room: DuckDB gives up what the pass's arrays will take (PASS_ROW_BYTES a row),
    never more than a quarter of its limit, and gets it back after."""
    monkeypatch.setenv("LOCKSTEP_MEMORY_LIMIT", "2GiB")
    con = duckdb.connect()
    con.execute("SET memory_limit = '2GiB'")
    st = DuckState(con=con, scratch=tmp_path, owner=1)
    with pass_room(st, (256 * 2**20) // PASS_ROW_BYTES):
        assert _limit(con) == "1.7 GiB"  # 2 GiB less 256 MiB
    with pass_room(st, 10**12):
        assert _limit(con) == "1.5 GiB"
    assert _limit(con) == "2.0 GiB"
