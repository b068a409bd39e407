"""Helpers shared by the named queries: fetching rows, and temporary Arrow tables that are
always dropped again (a registered name left behind would leak into the next query)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pyarrow as pa

from lockstep.store.workspace import Workspace


def fetch(ws: Workspace, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
    """All rows of one statement, fetched to the end (DuckDB refuses new work on a
    connection that holds an unfinished result)."""
    return ws.con.execute(sql, list(params) if params else []).fetchall()


def own_arrow(ws: Workspace, sql: str, tables: Mapping[str, pa.Table] | None = None) -> pa.Table:
    """All rows of ``sql`` as an Arrow table, run on a cursor of its own (with ``tables``
    registered there): the caller's connection may hold an unfinished result, and queries of
    one run may go side by side (``queries.parallel``)."""
    con = ws.con.cursor()
    try:
        for name, table in (tables or {}).items():
            con.register(name, table)
        tbl = con.sql(sql).to_arrow_table()
    finally:
        con.close()
    assert tbl is not None
    return tbl


def scalar(ws: Workspace, sql: str, params: Sequence[Any] | None = None) -> Any:
    """The first column of the first row (``None`` when there is no row)."""
    rows = fetch(ws, sql, params)
    return rows[0][0] if rows else None


def has_rows(ws: Workspace, table: str) -> bool:
    """Whether a canonical table has any row."""
    return bool(scalar(ws, f'SELECT EXISTS (SELECT 1 FROM "{table}")'))


def ids_table(ids: Sequence[str]) -> pa.Table:
    """One string column ``account_id``."""
    return pa.table({"account_id": pa.array(list(ids), pa.string())})


def group_table(group: Mapping[str, str]) -> pa.Table:
    """Columns ``account_id``, ``campaign_id`` from an account -> campaign mapping."""
    return pa.table({"account_id": list(group), "campaign_id": list(group.values())})


@contextmanager
def temp_arrow(ws: Workspace, name: str, table: pa.Table) -> Iterator[None]:
    """Make ``table`` visible to SQL as ``name`` for the length of the block."""
    ws.con.register(name, table)
    try:
        yield
    finally:
        ws.con.unregister(name)


def in_list(values: Sequence[str]) -> str:
    """A SQL ``IN`` list of fixed string constants (action kinds, never user input)."""
    return ", ".join(f"'{v}'" for v in values)
