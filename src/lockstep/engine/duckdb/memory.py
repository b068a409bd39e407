"""DuckDB's memory limit lowered for a while, then set back to the workspace's.

Why: DuckDB keeps buffers (stored tables, cached and freed blocks) up to its memory limit, and
the numpy work beside it (the integer scoring's arrays, the roles stage after detection) comes
on top. A lower limit makes DuckDB write out or drop what it holds beyond it; afterwards the
workspace's own limit (:func:`~lockstep.store.workspace.memory_limit_sql`) is set again, not a
formatted ``current_setting``, which would round it down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import duckdb

from lockstep.store.workspace import memory_limit_sql

if TYPE_CHECKING:
    from lockstep.engine.duckdb.state import DuckState

_UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "KiB": 2**10, "MiB": 2**20,
          "GiB": 2**30, "TiB": 2**40}
FLOOR = 64 * 10**6  # the lowest limit set (64MB: DuckDB needs some memory to run at all)


def memory_limit_bytes(con: duckdb.DuckDBPyConnection) -> int | None:
    """DuckDB's memory limit on ``con``, in bytes (None when it cannot be read)."""
    got = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    m = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]+)\s*", str(got))
    if m is None or m.group(2) not in _UNITS:
        return None
    return int(float(m.group(1)) * _UNITS[m.group(2)])


@contextmanager
def lowered(con: duckdb.DuckDBPyConnection, limit: int) -> Iterator[None]:
    """DuckDB held to ``limit`` bytes while the block runs (as it was, when its buffers are
    pinned), the workspace's limit set back after, also when the block fails."""
    try:
        con.execute(f"SET memory_limit = '{max(int(limit), FLOOR)}B'")
    except duckdb.Error:
        pass  # buffers pinned: it stays as it was, nothing lost
    try:
        yield
    finally:
        con.execute(memory_limit_sql())


@contextmanager
def numpy_room(st: DuckState, share: float = 0.5) -> Iterator[None]:
    """DuckDB held to ``share`` of its memory limit while numpy works on large arrays: the
    integer scoring's arrays (about 1.2 GB at 10M actions) came on top of DuckDB's buffers
    and the 10M-action world peaked at 4.6 GB under a 3 GB limit."""
    limit = memory_limit_bytes(st.con)
    if limit is None:
        yield  # no limit to lower
        return
    with lowered(st.con, int(limit * share)):
        yield


#: numpy bytes a counting pass holds per item row by its end, outside DuckDB (the chance
#: curves' per-item arrays, rare items' row ids): about 6 measured at 100M co-retweets
PASS_ROW_BYTES = 8


@contextmanager
def pass_room(st: DuckState, rows: int) -> Iterator[None]:
    """DuckDB held below its limit by what a counting pass over ``rows`` item rows gathers in
    numpy while DuckDB sorts them (at most a quarter of the limit): at 100M co-retweets
    DuckDB's sort took its whole 3 GB while the pass's arrays grew by 0.6 GB beside it, and
    the process peaked there at 4.05 GB (3.86 GB with this room). At 10M actions it is 40 MB,
    and the sort fits either way."""
    limit = memory_limit_bytes(st.con)
    if limit is None:
        yield
        return
    with lowered(st.con, limit - min(limit // 4, PASS_ROW_BYTES * int(rows))):
        yield


def release_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Hand the memory DuckDB kept after the run's tables were dropped back to the system:
    after detection the process stayed at ~3.5 GB while the roles stage added its own arrays
    on top (the 10M-action world peaked above 4 GB there). A moment at the lowest limit frees
    them (a 1.4 GB temporary table dropped: resident memory 1,387 -> 82 MB)."""
    with lowered(con, FLOOR):
        pass
