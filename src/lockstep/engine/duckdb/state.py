"""The DuckDB backend's declared state, and the small helpers every step uses.

Why one dataclass: the steps of the DuckDB engine (items, pairs, scoring, deferred scoring,
the toolkit's integer path) share a connection, the temporary tables made so far, one account
numbering per run and the work deferred until pruning. Held here, in the open, every module
is a set of plain functions over it, and what a step reads or changes is in its signature.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from lockstep.engine.base import PairSpec, Rel, ScoreSpec
from lockstep.engine.duckdb.memory import release_memory
from lockstep.errors import EngineError

if TYPE_CHECKING:  # the integer scoring's evidence handles (that module imports this one)
    from lockstep.engine.duckdb.surprise_np import IntCoacts

_ids = itertools.count()


@dataclass(frozen=True)
class Deferred:
    """Surprise scoring held back until every signal has paired (see ``deferred.py``)."""

    name: str  # the edges relation handed out already
    pairs: str
    items: str
    spec: ScoreSpec


@dataclass(frozen=True)
class LazyPairs:
    """Window pairs not built yet: deferred and toolkit scoring pair on integer keys instead."""

    items: str
    spec: PairSpec


@dataclass(frozen=True)
class LazyItems:
    """Item rows not built yet: ``sql`` builds them when first read (a signal with no pairs to
    score never reads its items). Rarely shared items (``ItemSource.max_item_accounts``, with
    ``base`` and ``max_accounts`` set) stay lazy only when the data holds no originals: they
    are then exactly ``base``'s rows on items with 2..``max_accounts`` accounts, which
    deferred scoring picks out of ``base``'s counting pass (``rare.py``) instead of a string
    group-by and a second sort. With ``max_accounts`` 0 they are ``base``'s rows plus the
    originals (a chance curve's rows), built when the one signal that reads them is scored."""

    sql: str
    base: str
    max_accounts: int


@dataclass
class DuckState:
    """Everything one DuckDB engine run holds."""

    con: duckdb.DuckDBPyConnection
    scratch: Path  # spill files (pair keys, toolkit pair rows)
    owner: int  # stamped on every Rel this run hands out
    close_con: bool = False  # the connection was opened for this run (an Arrow source)
    made: list[str] = field(default_factory=list)  # temp tables, dropped on close
    coacts: list[str] = field(default_factory=list)  # per-signal co-actions, for evidence
    #: co-actions with one row per account pair, signal and item (surprise scoring's): their
    #: evidence lists are cut in Arrow (evidence_lists.py)
    unique_coacts: set[str] = field(default_factory=set)
    #: co-actions of the signals scored on integer keys (surprise_np.IntCoacts), for evidence
    int_coacts: list[IntCoacts] = field(default_factory=list)
    #: integer copies (uid, aid, item, t_us, rn) of item rows made for counting, by item relation
    int_rows: dict[str, str] = field(default_factory=dict)
    filtered: bool = False  # some co-action groups did not become edges (evidence semi-join)
    min_shared: int = 0  # prune's min_shared, announced by plan_prune
    deferred: list[Deferred] = field(default_factory=list)
    eager: list[str] = field(default_factory=list)  # edges scored at once (bound the candidates)
    lazy: dict[str, LazyPairs] = field(default_factory=dict)
    repeats: bool | None = None  # some action id has several rows (checked once)
    accounts: str | None = None  # every account numbered once (see accounts())
    stats: dict[str, int] = field(default_factory=dict)
    on_step: Callable[[str], None] | None = None
    #: item relations already built, by their (frozen) ItemSource: signals reading the same
    #: actions share one scan (co_repost_slow starts from co_repost's rows)
    item_cache: dict[Any, Rel] = field(default_factory=dict)
    lazy_items: dict[str, LazyItems] = field(default_factory=dict)


#: ``LOCKSTEP_TRACE=1``: every stored table's build time and rows on stderr (where a slow
#: run spends its time, for a bug report); off by default, it costs a count per table.
_TRACE = os.environ.get("LOCKSTEP_TRACE", "") not in ("", "0")


def _trace(st: DuckState, name: str, seconds: float) -> None:
    rows = st.con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    print(f"lockstep trace: {seconds:8.2f} s {rows:>12,} rows {name}{_memory(st)}", file=sys.stderr, flush=True)


def _memory(st: DuckState) -> str:
    """DuckDB's memory in use and spilled to disk (MB), for the trace: whether a step ran
    at the memory limit, writing tables out and reading them back."""
    used, spilled = st.con.execute("SELECT sum(memory_usage_bytes), sum(temporary_storage_bytes)"
                                   " FROM duckdb_memory()").fetchall()[0]
    return f" [duckdb {int(used or 0) >> 20:,} MB in memory, {int(spilled or 0) >> 20:,} MB spilled]"


def fresh_name(prefix: str) -> str:
    return f"_ls_{prefix}_{next(_ids)}"


def new(st: DuckState, prefix: str, select_sql: str, params: list[Any] | None = None) -> Rel:
    """Store ``select_sql`` as a new temp table; its handle."""
    name = fresh_name(prefix)
    t0 = time.perf_counter()
    try:
        st.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select_sql}", params or []).fetchall()
    except duckdb.Error as exc:
        raise EngineError(f"DuckDB failed building {prefix}: {exc}") from None
    st.made.append(name)
    if _TRACE:
        _trace(st, name, time.perf_counter() - t0)
    return Rel(name, st.owner)


def rename(st: DuckState, rel: Rel, name: str) -> None:
    """Give a stored relation the name of a handle handed out before it was built."""
    st.con.execute(f"ALTER TABLE {rel.name} RENAME TO {name}").fetchall()
    st.made[st.made.index(rel.name)] = name


def drop(st: DuckState, names: set[str]) -> None:
    """Drop tables of this run that no later step reads, before ``close`` would: their
    memory goes back to DuckDB's budget instead of being spilled to disk beside later steps."""
    gone = names & set(st.made)
    for name in sorted(gone):
        st.con.execute(f"DROP TABLE IF EXISTS {name}").fetchall()
        st.made.remove(name)
    for key in [k for k, rel in st.item_cache.items() if rel.name in gone]:  # built again if asked
        del st.item_cache[key]


def ensure_items(st: DuckState, name: str) -> None:
    """Build a lazy items relation (see :class:`LazyItems`) by its SQL, if it is one."""
    lazy = st.lazy_items.pop(name, None)
    if lazy is not None:
        if lazy.base:
            ensure_items(st, lazy.base)  # its SQL reads the base's rows
        step(st, "item rows")
        rename(st, new(st, "items", lazy.sql), name)


def step(st: DuckState, what: str) -> None:
    if _TRACE and not what.startswith("counting co-acting pairs:"):
        print(f"lockstep trace: {time.strftime('%H:%M:%S')} {what}{_memory(st)}", file=sys.stderr, flush=True)
    if st.on_step is not None:
        st.on_step(what)


def reader(st: DuckState, sql: str) -> Generator[pa.RecordBatch, None, None]:
    """Batches of ``sql``'s rows, streamed."""
    try:
        yield from st.con.sql(sql).to_arrow_reader(1_000_000)
    except duckdb.Error as exc:
        raise EngineError(f"DuckDB failed reading rows: {exc}") from None


def count(st: DuckState, name: str) -> int:
    return int(st.con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])


@contextmanager
def arrow_view(st: DuckState, rows: pa.Table) -> Iterator[str]:
    """``rows`` readable in SQL under a fresh name while the block runs (numpy results
    joined back to stored tables), unregistered after."""
    view = fresh_name("arrow")
    st.con.register(view, rows)
    try:
        yield view
    finally:
        st.con.unregister(view)


def append(st: DuckState, table: str, rows: pa.Table | str) -> None:
    """Insert Arrow rows, or a Parquet file's rows (a path), into ``table``."""
    try:
        if isinstance(rows, str):
            st.con.execute(f"INSERT INTO {table} SELECT * FROM read_parquet(?)", [rows]).fetchall()
        else:
            with arrow_view(st, rows) as view:
                st.con.execute(f"INSERT INTO {table} SELECT * FROM {view}").fetchall()
    except duckdb.Error as exc:
        raise EngineError(f"DuckDB failed storing pair rows: {exc}") from None


def accounts(st: DuckState) -> str:
    """Every account id numbered once (``aid``), built on first use and shared by the
    integer-keyed steps of all signals (one hash aggregate over every action). Numbers follow
    the ids' order, so the lower number of a pair is the lower id (``surprise_np`` orients
    pairs on numbers as the SQL does on strings)."""
    if st.accounts is None:
        st.accounts = new(st, "acc", "SELECT account_id, row_number() OVER (ORDER BY account_id) AS aid FROM"
                          " (SELECT DISTINCT account_id FROM actions WHERE account_id IS NOT NULL)").name
    return st.accounts


def hot_items(st: DuckState, src: str, spec: PairSpec) -> str | None:
    """The items of ``src`` with more than ``hot_item_actions`` rows, whose neighbours are
    capped at ``max_neighbours``; None when there is no cap."""
    if spec.max_neighbours <= 0:
        return None
    return new(st, "hot", f"SELECT item FROM {src} GROUP BY item HAVING count(*) > ?",
               [int(spec.hot_item_actions)]).name


def close(st: DuckState) -> None:
    """Drop every table of the run (and the connection, when the run opened it)."""
    for name in reversed(st.made):
        st.con.execute(f"DROP TABLE IF EXISTS {name}").fetchall()
    st.made.clear()
    st.accounts = None
    st.coacts.clear()
    st.unique_coacts.clear()
    st.int_coacts.clear()
    st.int_rows.clear()
    st.filtered = False
    st.deferred.clear()
    st.eager.clear()
    st.lazy.clear()
    st.lazy_items.clear()
    if st.close_con:
        st.con.close()
    else:
        release_memory(st.con)
