"""Whole-table passes that every query of one roles run shares: done once, kept on integer ids.

Why: the roles stage asks the same whole-table questions again and again (who engaged whom,
how many actions each account made), once per expansion round and per entry, each time with
a different group of accounts. On a 10M-action workspace each question joined all actions
against all original posts; asked a dozen times per run, that was most of the run. Here the
answer that does not depend on the group (the engagement edges, each account's action counts)
is computed once, as numpy arrays on dense integer account ids, and each group's question is
then one vectorised pass over those arrays.

Inside :func:`shared_passes` (``roles.refine`` wraps a run in it) the passes are computed on
first use and kept until the block ends; outside it every query computes them afresh, so a
query gives the same answer either way (and the workspace may change between calls). The
ids are the accounts in sorted order, so an id order is the account order ``ORDER BY``
gives (byte order of UTF-8 is code point order). The engagement passes on these ids are in
``queries.engagement_passes``, the access log's in ``queries.access_passes``.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lockstep.store.queries.base import own_arrow
from lockstep.store.workspace import Workspace

ENGAGE_KINDS = ("repost", "reply", "quote", "like")
ORIGINAL_KINDS = ("post", "quote", "link")

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]

# every account that acts, is the target account of an action or logs in: the id space
_IDS_SQL = """SELECT account_id FROM actions WHERE account_id IS NOT NULL
              UNION SELECT target_account_id FROM actions WHERE target_account_id IS NOT NULL
              UNION SELECT account_id FROM access WHERE account_id IS NOT NULL"""


@dataclass
class Passes:
    """One workspace's whole-table passes, each computed on first use."""

    ws: Workspace
    _ids: list[str] | None = None
    _index: dict[str, int] | None = None
    _arrow: Any = None
    cache: dict[Any, Any] = field(default_factory=dict)
    # queries may run side by side (``queries.parallel``): each pass is built by one of them,
    # the others wait for it
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _building: dict[Any, threading.Event] = field(default_factory=dict, repr=False)

    @property
    def ids(self) -> list[str]:
        """Account ids, sorted: position = integer id."""
        if self._ids is None:
            ids = [str(a) for a in self.ids_arrow.to_pylist()]
            with self._lock:
                if self._ids is None:
                    self._ids = ids
        return self._ids

    @property
    def ids_arrow(self) -> Any:
        """:attr:`ids` as an Arrow string array (sorted by Arrow in byte order, which for UTF-8
        is the code point order Python sorts by: no Python string sort of 400,000 ids)."""
        with self._lock:  # once, however many queries ask at the same time
            if self._arrow is None:
                import pyarrow as pa
                import pyarrow.compute as pc

                col = own_arrow(self.ws, _IDS_SQL).column(0).combine_chunks().cast(pa.string())
                self._arrow = col.take(pc.sort_indices(col))
        return self._arrow

    def positions(self, accounts: Sequence[str]) -> I64:
        """Each account's integer id (-1: not an id), straight into an array (a list of
        (id, campaign) tuples made into an array took seconds a run)."""
        index = self.index
        return np.fromiter((index.get(a, -1) for a in accounts), dtype=np.int64, count=len(accounts))

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            index = {a: i for i, a in enumerate(self.ids)}
            with self._lock:
                if self._index is None:
                    self._index = index
        return self._index

    def id_column(self, sql: str, columns: Sequence[str]) -> dict[str, I32]:
        """Run ``sql`` with the ids as a table ``_ls_ids(account_id, aid)`` and return its
        columns as int32 arrays (NULL -> -1). The ids are copied into a temporary table of the
        query's own cursor first: joined as a registered Arrow table, a join of millions of
        rows on them took a third longer (10M-action workspace, the engagement passes)."""
        import pyarrow as pa

        ids = pa.table({"account_id": self.ids_arrow, "aid": pa.array(np.arange(len(self.ids), dtype=np.int32))})
        con = self.ws.con.cursor()
        try:
            con.register("_ls_ids_arrow", ids)
            con.execute("CREATE TEMP TABLE _ls_ids AS SELECT * FROM _ls_ids_arrow").fetchall()
            con.unregister("_ls_ids_arrow")
            tbl = con.sql(sql).to_arrow_table()
        finally:
            con.close()
        return {c: np.asarray(tbl.column(c).fill_null(-1).to_numpy(), dtype=np.int32) for c in columns}


_ACTIVE: weakref.WeakKeyDictionary[Workspace, Passes] = weakref.WeakKeyDictionary()


@contextmanager
def shared_passes(ws: Workspace) -> Iterator[None]:
    """Share the whole-table passes among every query on ``ws`` in the block (one run: the
    tables must not change inside it); they are dropped at the end."""
    outer = _ACTIVE.get(ws)
    if outer is None:
        _ACTIVE[ws] = Passes(ws)
    try:
        yield
    finally:
        if outer is None:
            _ACTIVE.pop(ws, None)


def in_run(ws: Workspace) -> bool:
    """Whether ``ws`` is inside :func:`shared_passes` (a pass built now is kept for the run)."""
    return ws in _ACTIVE


def passes(ws: Workspace) -> Passes:
    """The run's passes inside :func:`shared_passes`, else fresh ones (computed on use)."""
    return _ACTIVE.get(ws) or Passes(ws)


def share_passes(ws: Workspace, view: Workspace) -> None:
    """Let ``view`` (the same database on another cursor) use ``ws``'s run passes, if any."""
    p = _ACTIVE.get(ws)
    if p is not None:
        _ACTIVE[view] = p


def unshare_passes(view: Workspace) -> None:
    _ACTIVE.pop(view, None)


def cached(p: Passes, key: Any, build: Any) -> Any:
    """``build(p)`` once per run (every time outside :func:`shared_passes`). When another
    query is building the same pass, wait for it rather than build it twice."""
    with p._lock:
        if key in p.cache:
            return p.cache[key]
        running = p._building.get(key)
        mine = running is None
        if running is None:
            running = p._building[key] = threading.Event()
    if not mine:
        running.wait()
        with p._lock:
            if key in p.cache:
                return p.cache[key]
        return cached(p, key, build)  # the other build failed: try again here
    try:
        value = build(p)
        with p._lock:
            p.cache[key] = value
        return value
    finally:
        with p._lock:
            p._building.pop(key, None)
        running.set()


def campaign_ids(p: Passes, members: Mapping[str, str]) -> tuple[I64, list[str]]:
    """(campaign index per account id, -1 outside ``members``; the campaigns in sorted order,
    so that index order is ``ORDER BY campaign_id``). Members that never act nor are engaged
    have no id: they can be on no edge."""
    camps = sorted(set(members.values()))
    cix = {c: i for i, c in enumerate(camps)}
    camp_of = np.full(len(p.ids), -1, dtype=np.int64)
    if members:
        at = p.positions(list(members))
        c = np.array([cix[v] for v in members.values()], dtype=np.int64)
        ok = at >= 0
        camp_of[at[ok]] = c[ok]
    return camp_of, camps


def sorted_codes(column: Any) -> tuple[Any, I64]:
    """(distinct strings of an Arrow string column in sorted order, as an Arrow array: byte
    order, which for UTF-8 is code point order, as Python and ``ORDER BY`` sort; each row's
    position in that order). No Python string per value: a 10M-action workspace has millions
    of IPs."""
    import pyarrow.compute as pc

    enc = column.combine_chunks().dictionary_encode()
    order = np.asarray(pc.sort_indices(enc.dictionary).to_numpy(), dtype=np.int64)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)]
    return enc.dictionary.take(order), codes


def id_codes(p: Passes, column: Any) -> tuple[list[str], I64] | None:
    """:func:`sorted_codes` of an Arrow column of account ids on the run's ids: (the accounts
    present, in sorted order; each row's position among them), or ``None`` when a value is not
    an id. Why: a hash lookup of each row in the ids (sorted once per run) costs a third of
    dictionary-encoding millions of strings and sorting the dictionary."""
    import pyarrow.compute as pc

    found = pc.index_in(column, value_set=p.ids_arrow)
    if found.null_count:
        return None
    aid = np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)
    present = np.zeros(len(p.ids), dtype=bool)
    present[aid] = True
    ids = p.ids
    return [ids[i] for i in np.flatnonzero(present).tolist()], (np.cumsum(present) - 1)[aid]


def mask_of(p: Passes, accounts: Iterable[str]) -> NDArray[np.bool_]:
    """Per account id: whether it is one of ``accounts``."""
    m = np.zeros(len(p.ids), dtype=bool)
    at = p.positions(list(accounts))
    m[at[at >= 0]] = True
    return m
