"""Each stored column's compression is chosen in the DDL (lockstep.store.ddl), and workspaces
whose tables or file predate that still open, ingest and give the same rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from lockstep.model import ACTIONS, TABLES
from lockstep.store import open_workspace
from lockstep.store.ddl import table_ddl
from lockstep.store.workspace import DB_NAME


def _actions(n: int) -> pa.Table:
    rows: dict[str, list[object]] = {name: [None] * n for name in ACTIONS.names}
    rows["platform"] = ["twitter"] * n
    rows["action_id"] = [str(10**18 + i) for i in range(n)]
    rows["account_id"] = [f"acc{i % 97}" for i in range(n)]
    rows["kind"] = ["post"] * n
    rows["timestamp"] = [datetime(2019, 8, 1, 12, i % 60, (7 * i) % 60) for i in range(n)]
    rows["text"] = [f"tweet number {i} about topic {i % 13} with some words to compress" for i in range(n)]
    rows["hashtags"] = [[f"tag{i % 5}"] for i in range(n)]
    rows["source_line"] = list(range(2, n + 2))
    return pa.Table.from_pydict(rows, schema=ACTIONS)


def _methods(ws_path: Path) -> dict[str, set[str]]:
    con = duckdb.connect(str(ws_path / DB_NAME), read_only=True)
    try:
        rows = con.execute("SELECT column_name, compression FROM pragma_storage_info('actions')"
                           " WHERE segment_type NOT IN ('VALIDITY') AND column_path NOT LIKE '%,%'").fetchall()
    finally:
        con.close()
    out: dict[str, set[str]] = {}
    for col, method in rows:
        out.setdefault(col, set()).add(method)
    return out


def _content(ws_path: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(ws_path / DB_NAME), read_only=True)
    try:
        cols = ", ".join(f'"{c}"' for c in ["row_key", *ACTIONS.names])
        return con.execute(f"SELECT {cols} FROM actions ORDER BY action_id").fetchall()
    finally:
        con.close()


def _fill(ws_path: Path, n: int = 3000) -> None:
    with open_workspace(ws_path) as ws:
        ws.stage("actions", _actions(n))
        assert ws.merge()["actions"] == n
        ws.con.execute("CHECKPOINT")


def test_new_workspace_stores_text_as_zstd_and_other_strings_as_dict_fsst(tmp_path: Path) -> None:
    _fill(tmp_path / "ws")
    methods = _methods(tmp_path / "ws")
    assert methods["text"] == {"ZSTD"}
    for col in ("platform", "action_id", "account_id", "kind", "source_file"):
        assert methods[col] <= {"DICT_FSST", "CONSTANT"}, (col, methods[col])
    assert methods["row_key"] == {"Uncompressed"}


def test_tables_made_before_the_choice_keep_working_and_give_the_same_rows(tmp_path: Path) -> None:
    """A workspace whose tables were created without the compression clauses (an older
    lockstep) opens, takes rows and holds exactly what a new workspace holds."""
    old = tmp_path / "old"
    old.mkdir()
    con = duckdb.connect(str(old / DB_NAME))
    for name, schema in TABLES.items():
        con.execute(table_ddl(name, schema, compress=False))
    con.close()
    _fill(old)
    _fill(tmp_path / "new")
    assert "ZSTD" not in _methods(old)["text"]  # DuckDB's own choice, as before
    assert _content(old) == _content(tmp_path / "new")


def test_a_file_with_an_older_storage_version_falls_back_to_duckdbs_choice(tmp_path: Path) -> None:
    """Such a file cannot hold ZSTD or DICT_FSST columns: its tables are created without the
    clauses (no error, no aborted transaction), even when a staging table is made inside one."""
    ws_path = tmp_path / "v1"
    ws_path.mkdir()
    duckdb.connect(str(ws_path / DB_NAME), config={"storage_compatibility_version": "v1.0.0"}).close()
    with open_workspace(ws_path) as ws:
        assert ws.compress is False
        with ws.transaction():
            ws.stage("actions", _actions(100))
        assert ws.merge()["actions"] == 100
    assert len(_content(ws_path)) == 100
    with open_workspace(tmp_path / "v2") as ws:
        assert ws.compress is True
