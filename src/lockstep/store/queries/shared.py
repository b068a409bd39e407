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
gives (byte order of UTF-8 is code point order).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lockstep.store.queries.base import in_list
from lockstep.store.workspace import Workspace

ENGAGE_KINDS = ("repost", "reply", "quote", "like")
ORIGINAL_KINDS = ("post", "quote", "link")

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]

# every account that acts, is the target account of an action or logs in: the id space
_IDS_SQL = """SELECT account_id FROM actions WHERE account_id IS NOT NULL
              UNION SELECT target_account_id FROM actions WHERE target_account_id IS NOT NULL
              UNION SELECT account_id FROM access WHERE account_id IS NOT NULL"""
_ACCESS_KINDS = ("ip", "network", "device")


@dataclass
class Passes:
    """One workspace's whole-table passes, each computed on first use."""

    ws: Workspace
    _ids: list[str] | None = None
    _index: dict[str, int] | None = None
    _arrow: Any = None
    cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        """Account ids, sorted: position = integer id."""
        if self._ids is None:
            self._ids = [str(a) for a in self.ids_arrow.to_pylist()]
        return self._ids

    @property
    def ids_arrow(self) -> Any:
        """:attr:`ids` as an Arrow string array (sorted by Arrow in byte order, which for UTF-8
        is the code point order Python sorts by: no Python string sort of 400,000 ids)."""
        if self._arrow is None:
            import pyarrow as pa
            import pyarrow.compute as pc

            tbl = self.ws.con.sql(_IDS_SQL).to_arrow_table()
            assert tbl is not None
            col = tbl.column(0).combine_chunks().cast(pa.string())
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
            self._index = {a: i for i, a in enumerate(self.ids)}
        return self._index

    def id_column(self, sql: str, columns: Sequence[str]) -> dict[str, I32]:
        """Run ``sql`` with the ids registered as ``_ls_ids(account_id, aid)`` and return its
        columns as int32 arrays (NULL -> -1)."""
        import pyarrow as pa

        ids = pa.table({"account_id": pa.array(self.ids, pa.string()),
                        "aid": pa.array(np.arange(len(self.ids), dtype=np.int32))})
        con = self.ws.con.cursor()  # a cursor of its own: the caller's connection may hold a result
        try:
            con.register("_ls_ids", ids)
            tbl = con.sql(sql).to_arrow_table()
        finally:
            con.close()
        assert tbl is not None
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


def passes(ws: Workspace) -> Passes:
    """The run's passes inside :func:`shared_passes`, else fresh ones (computed on use)."""
    return _ACTIVE.get(ws) or Passes(ws)


def cached(p: Passes, key: Any, build: Any) -> Any:
    """``build(p)`` once per run (every time outside :func:`shared_passes`)."""
    if key not in p.cache:
        p.cache[key] = build(p)
    return p.cache[key]


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


def received_edges(p: Passes) -> tuple[I32, I32]:
    """(src, dst) ids of every engagement edge between two different accounts: dst is the
    engagement's target account, else the author of the original post (``ORIGINAL_KINDS``)
    it targets (one edge per such author)."""
    def build(p: Passes) -> tuple[I32, I32]:
        cols = p.id_column(f"""
            WITH eng AS (SELECT e.account_id AS src, coalesce(e.target_account_id, p.account_id) AS dst
                         FROM actions e LEFT JOIN (SELECT DISTINCT action_id, account_id FROM actions
                                                   WHERE kind IN ({in_list(ORIGINAL_KINDS)})) p
                           ON e.target_id = p.action_id
                         WHERE e.kind IN ({in_list(ENGAGE_KINDS)}))
            SELECT s.aid AS src, d.aid AS dst FROM eng JOIN _ls_ids s ON eng.src = s.account_id
            JOIN _ls_ids d ON eng.dst = d.account_id WHERE eng.src <> eng.dst""", ("src", "dst"))
        return cols["src"], cols["dst"]
    out: tuple[I32, I32] = cached(p, "received_edges", build)
    return out


def received_totals(p: Passes) -> I64:
    """Per account id: engagement edges it receives from other accounts."""
    def build(p: Passes) -> I64:
        return np.bincount(received_edges(p)[1], minlength=len(p.ids)).astype(np.int64)
    out: I64 = cached(p, "received_totals", build)
    return out


def engagement_targets(p: Passes) -> tuple[I32, I32, I32, I32]:
    """(engagement number, src, target account, target action's author) ids of every
    engagement that has a target account or a target action (any kind) in the store: one row
    per author of the target action id (-1: none)."""
    def build(p: Passes) -> tuple[I32, I32, I32, I32]:
        cols = p.id_column(f"""
            WITH eng AS (SELECT row_number() OVER () AS n, account_id, target_id, target_account_id FROM actions
                         WHERE kind IN ({in_list(ENGAGE_KINDS)}) AND account_id IS NOT NULL)
            -- a target action id with two rows gives two rows here; the counts take distinct
            -- (engagement, campaign) pairs, as the SQL definition does
            SELECT eng.n AS n, s.aid AS src, t.aid AS ta, a.aid AS author
            FROM eng JOIN _ls_ids s ON eng.account_id = s.account_id
            LEFT JOIN _ls_ids t ON eng.target_account_id = t.account_id
            LEFT JOIN actions au ON eng.target_id = au.action_id
            LEFT JOIN _ls_ids a ON au.account_id = a.account_id
            WHERE t.aid IS NOT NULL OR a.aid IS NOT NULL""", ("n", "src", "ta", "author"))
        return cols["n"], cols["src"], cols["ta"], cols["author"]
    out: tuple[I32, I32, I32, I32] = cached(p, "engagement_targets", build)
    return out


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


def access_pairs(p: Passes, kind: str) -> tuple[I32, I32, Any]:
    """(account id, value number) of every distinct account and non-empty value of access
    ``kind`` (ip, network, device), and the values in sorted order (an Arrow string array:
    position = number)."""
    if kind not in _ACCESS_KINDS:
        raise ValueError(f"access kind must be one of {_ACCESS_KINDS}, not {kind!r}")

    def build(p: Passes) -> tuple[I32, I32, Any]:
        import pyarrow as pa

        ids = pa.table({"account_id": pa.array(p.ids, pa.string()),
                        "aid": pa.array(np.arange(len(p.ids), dtype=np.int32))})
        con = p.ws.con.cursor()
        try:
            con.register("_ls_ids", ids)
            tbl = con.sql(f"""SELECT DISTINCT s.aid, x.{kind} AS val FROM access x
                              JOIN _ls_ids s ON x.account_id = s.account_id
                              WHERE x.{kind} IS NOT NULL AND x.{kind} <> ''""").to_arrow_table()
        finally:
            con.close()
        assert tbl is not None
        values, codes = sorted_codes(tbl.column("val"))
        return (np.asarray(tbl.column("aid").to_numpy(), dtype=np.int32), codes.astype(np.int32), values)
    out: tuple[I32, I32, Any] = cached(p, ("access_pairs", kind), build)
    return out


def access_users_quantile(p: Passes, kind: str) -> float | None:
    """The 99th percentile (``quantile_cont``) of accounts per value of access ``kind``, the
    empty value included, as the infrastructure queries define it.

    Read off the run's (account, value) pairs (:func:`access_pairs`, which the roles stage
    makes anyway) and the empty value's accounts (:func:`access_blanks`), with DuckDB's own
    ``quantile_cont`` over those counts: a count of distinct accounts per value over the
    whole access log, per kind, took seconds on a 10M-action workspace. When an access row
    has no account, a value may have none: then the log itself is counted, as before."""
    if kind not in _ACCESS_KINDS:
        raise ValueError(f"access kind must be one of {_ACCESS_KINDS}, not {kind!r}")

    def build(p: Passes) -> float | None:
        import pyarrow as pa

        blanks = access_blanks(p)
        con = p.ws.con.cursor()
        try:
            if blanks is None:
                row = con.execute(f"""SELECT quantile_cont(n_acc, 0.99) FROM (
                    SELECT {kind}, count(DISTINCT account_id) AS n_acc FROM access WHERE {kind} IS NOT NULL
                    GROUP BY 1)""").fetchall()
            else:
                _, val, values = access_pairs(p, kind)
                n_acc = np.bincount(val, minlength=len(values)).astype(np.int64)  # each value has an account
                if kind in blanks:
                    n_acc = np.append(n_acc, np.int64(blanks[kind]))
                con.register("_ls_n_acc", pa.table({"n_acc": n_acc}))
                row = con.execute("SELECT quantile_cont(n_acc, 0.99) FROM _ls_n_acc").fetchall()
        finally:
            con.close()
        return None if not row or row[0][0] is None else float(row[0][0])
    out: float | None = cached(p, ("access_quantile", kind), build)
    return out


def access_blanks(p: Passes) -> dict[str, int] | None:
    """Per access kind with an empty value ('') in the log: the accounts using it; ``None``
    when some access row has no account (one scan of the log, once per run)."""
    def build(p: Passes) -> dict[str, int] | None:
        cols = ", ".join(f"bool_or({k} = ''), count(DISTINCT account_id) FILTER (WHERE {k} = '')"
                         for k in _ACCESS_KINDS)
        con = p.ws.con.cursor()
        try:
            row = con.execute(f"SELECT bool_or(account_id IS NULL), {cols} FROM access").fetchall()[0]
        finally:
            con.close()
        if row[0]:
            return None
        return {k: int(row[2 + 2 * i]) for i, k in enumerate(_ACCESS_KINDS) if row[1 + 2 * i]}
    out: dict[str, int] | None = cached(p, "access_blanks", build)
    return out


def mask_of(p: Passes, accounts: Iterable[str]) -> NDArray[np.bool_]:
    """Per account id: whether it is one of ``accounts``."""
    m = np.zeros(len(p.ids), dtype=bool)
    at = p.positions(list(accounts))
    m[at[at >= 0]] = True
    return m
