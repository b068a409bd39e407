"""The workspace stores canonical rows once, however often they are staged."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest

from lockstep.errors import UserError
from lockstep.model import ACTIONS
from lockstep.store import open_workspace


def _actions(n: int, offset: int = 0) -> pa.Table:
    rows = {name: [None] * n for name in ACTIONS.names}
    rows["platform"] = ["twitter"] * n
    rows["action_id"] = [str(i + offset) for i in range(n)]
    rows["account_id"] = [f"acc{(i + offset) % 7}" for i in range(n)]
    rows["kind"] = ["repost"] * n
    rows["target_id"] = ["t1"] * n
    rows["timestamp"] = [datetime(2019, 8, 1, 12, 0, (i + offset) % 60) for i in range(n)]
    return pa.Table.from_pydict(rows, schema=ACTIONS)


def test_merge_is_idempotent(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws") as ws:
        ws.stage("actions", _actions(50))
        assert ws.merge()["actions"] == 50
        ws.stage("actions", _actions(50))
        ws.stage("actions", _actions(10, offset=45))  # 5 new rows, 5 repeated
        assert ws.merge()["actions"] == 5
        assert ws.count("actions") == 55


def test_reading_a_missing_workspace_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no lockstep workspace"):
        open_workspace(tmp_path / "nope", create=False)


def test_runs_are_recorded_and_found(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws") as ws:
        assert ws.latest_run("detect") is None
        run_id = ws.record_run("detect", tmp_path / "out", {"window": 60})
        run = ws.latest_run("detect")
        assert run is not None and run["run_id"] == run_id and run["params"] == {"window": 60}
