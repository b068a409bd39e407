"""Build tiny workspaces from plain rows, so each test shows the data it is about."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
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


def random_access_rows(rng: random.Random, n: int, p_no_account: float,
                       start: datetime = datetime(2019, 8, 5, 9)) -> list[dict[str, Any]]:
    """``n`` access-log rows a minute apart: 62 accounts (one id non-ASCII; a share
    ``p_no_account`` of rows without one), each of ip / network / device either one of two
    shared values, empty or missing (40%) or one of ~100 values of its own."""
    accounts = [f"a{i}" for i in range(60)] + ["B1", "é3"]

    def value(shared: list[str], i: int) -> str | None:
        return rng.choice(shared + ["", None]) if rng.random() < 0.4 else f"{shared[0]}-{i % 97}"
    return [{"account_id": None if rng.random() < p_no_account else rng.choice(accounts),
             "timestamp": start + timedelta(minutes=i), "ip": value(["10.0.0.1", "10.0.0.2"], i),
             "network": value(["n1", "N3"], i), "device": value(["d1", "é"], rng.randint(0, 9))}
            for i in range(n)]
