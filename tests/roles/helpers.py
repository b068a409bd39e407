"""Build tiny workspaces from plain rows, so each test shows the data it is about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from lockstep.model import TABLES
from lockstep.store import open_workspace
from lockstep.store.workspace import Workspace


def table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = TABLES[name]
    cols: dict[str, list[Any]] = {f: [] for f in schema.names}
    for r in rows:
        unknown = set(r) - set(schema.names)
        assert not unknown, unknown
        for f in schema.names:
            default: Any = "twitter" if f == "platform" else None
            cols[f].append(r.get(f, default))
    return pa.Table.from_pydict(cols, schema=schema)


def make_ws(path: Path, **tables: list[dict[str, Any]]) -> Workspace:
    ws = open_workspace(path)
    for name, rows in tables.items():
        if rows:
            ws.stage(name, table(name, rows))
    ws.merge()
    return ws
