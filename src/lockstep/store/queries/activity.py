"""When and how accounts act: hour-of-week counts, posting clients, dormant spells.

Used by the activity account signals (``lockstep.accounts.activity``) and by campaign
scoring (pooled working hours of a campaign's members)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

import numpy as np
from numpy.typing import NDArray

from lockstep.store.queries import shared as sh
from lockstep.store.queries.base import fetch, ids_table, in_list, own_arrow, temp_arrow
from lockstep.store.queries.engagement import ENGAGE_KINDS, ORIGINAL_KINDS
from lockstep.store.workspace import Workspace


def hour_of_week_counts(ws: Workspace, account_ids: Sequence[str] | None = None) -> list[tuple[str, int, int]]:
    """(account, UTC hour of week with Monday 00:00 = 0, actions) for all accounts, or only
    ``account_ids``. Plain tuples as fetched: on a large workspace there are millions."""
    sql = ("SELECT account_id, (isodow(timestamp) - 1) * 24 + hour(timestamp) AS how, count(*)"
           " FROM actions {where} GROUP BY 1, 2")
    if account_ids is None:
        return cast(list[tuple[str, int, int]], fetch(ws, sql.format(where="")))
    with temp_arrow(ws, "_ids", ids_table(account_ids)):
        return cast(list[tuple[str, int, int]],
                    fetch(ws, sql.format(where="WHERE account_id IN (SELECT account_id FROM _ids)")))


class HourOfWeek(NamedTuple):
    """:func:`hour_of_week_counts` in columns: ``accounts`` in sorted order, and per (account,
    hour) row the account's position in it, the UTC hour of week and the actions."""
    accounts: list[str]
    row: NDArray[np.int64]
    how: NDArray[np.int64]
    n: NDArray[np.float64]

    def matrix(self) -> NDArray[np.float64]:
        """One row of 168 counts per account (168 floats an account: for groups, not everyone)."""
        hist = np.zeros((len(self.accounts), 168))
        hist[self.row, self.how] = self.n
        return hist


def hour_of_week_columns(ws: Workspace, account_ids: Sequence[str] | None = None) -> HourOfWeek:
    """:func:`hour_of_week_counts` fetched in columns (millions of tuples and a Python loop over
    them took seconds on a 10M-action workspace). Inside a run (``queries.shared``) every
    account's once, and a group's read off it: the working-hours signal asks of everyone, the
    roles stage of the campaigns' members (a query of their own cost two thirds of the pass)."""
    p = sh.passes(ws)
    if account_ids is None or sh.in_run(ws):
        every: HourOfWeek = sh.cached(p, "hour_of_week", lambda p: _hour_of_week_columns(ws, None))
        return every if account_ids is None else _some_of(every, account_ids)
    return _hour_of_week_columns(ws, account_ids)


def _some_of(every: HourOfWeek, account_ids: Sequence[str]) -> HourOfWeek:
    """The rows of ``account_ids`` in ``every`` (accounts renumbered in the same order)."""
    want = set(account_ids)
    keep = np.fromiter((a in want for a in every.accounts), dtype=bool, count=len(every.accounts))
    pos = np.cumsum(keep) - 1
    sel = keep[every.row]
    return HourOfWeek([a for a, k in zip(every.accounts, keep.tolist()) if k], pos[every.row[sel]],
                      every.how[sel], every.n[sel])


def _hour_of_week_columns(ws: Workspace, account_ids: Sequence[str] | None) -> HourOfWeek:
    sql = ("SELECT account_id, ((isodow(timestamp) - 1) * 24 + hour(timestamp))::BIGINT AS how,"
           " count(*)::DOUBLE AS n FROM actions {where} GROUP BY 1, 2")
    if account_ids is None:
        tbl = ws.con.sql(sql.format(where="WHERE account_id IS NOT NULL")).to_arrow_table()
    else:
        with temp_arrow(ws, "_ids", ids_table(account_ids)):
            tbl = ws.con.sql(sql.format(where="WHERE account_id IN (SELECT account_id FROM _ids)")).to_arrow_table()
    # on the run's account ids when there are some (every acting account has one)
    coded = sh.id_codes(sh.passes(ws), tbl.column("account_id")) if sh.in_run(ws) else None
    if coded is None:
        accounts, rows = sh.sorted_codes(tbl.column("account_id"))
        coded = [str(a) for a in accounts.to_pylist()], rows
    return HourOfWeek(coded[0], coded[1], np.asarray(tbl.column("how").to_numpy(), dtype=np.int64),
                      np.asarray(tbl.column("n").to_numpy(), dtype=np.float64))


class RareClientUse(NamedTuple):
    account_id: str
    client: str
    n: int  # the account's actions through this client
    total: int  # the account's actions with any client
    client_account_share: float  # share of accounts (with a client) that use this client


def rare_client_use(ws: Workspace, max_client_share: float, min_account_share: float,
                    min_actions: int, min_accounts: int) -> list[RareClientUse]:
    """Accounts that post at least ``min_account_share`` of their actions through a client
    used by at most ``max_client_share`` of accounts; nothing when fewer than
    ``min_accounts`` accounts name a client (too few to know what is rare)."""
    rows = fetch(ws, f"""
        WITH per AS (SELECT account_id, client, count(*) AS n FROM actions
                     WHERE client IS NOT NULL AND client <> '' GROUP BY 1, 2),
        tot AS (SELECT account_id, sum(n) AS total FROM per GROUP BY 1),
        pop AS (SELECT client, count(*)::DOUBLE / (SELECT count(*) FROM tot) AS acc_share
                FROM per GROUP BY 1)
        SELECT per.account_id, per.client, per.n, tot.total, pop.acc_share
        FROM per JOIN tot USING (account_id) JOIN pop USING (client)
        WHERE pop.acc_share <= {float(max_client_share)}
          AND per.n >= {float(min_account_share)} * tot.total
          AND tot.total >= {int(min_actions)}
          AND (SELECT count(*) FROM tot) >= {int(min_accounts)}""")
    return [RareClientUse(str(a), str(c), int(n), int(t), float(s)) for a, c, n, t, s in rows]


class DormantSpell(NamedTuple):
    account_id: str
    resume: datetime  # first action after the longest silence
    days: float  # length of that silence
    n_before: int
    n_after: int
    language_before: str | None  # most common language before / after
    language_after: str | None
    tags_before: list[str] | None  # distinct hashtags before / after
    tags_after: list[str] | None


def dormant_spells(ws: Workspace, min_dormancy_days: int) -> list[DormantSpell]:
    """Per account whose longest silence lasted at least ``min_dormancy_days``: that silence,
    and its language and hashtags before and after. Only accounts active over at least that
    span can have such a silence: they are chosen first (one group-by), so that the window
    sorts their actions only, not all of them."""
    rows = fetch(ws, f"""
        WITH long AS (SELECT account_id FROM actions GROUP BY 1
                      HAVING max(timestamp) - min(timestamp) >= INTERVAL {int(min_dormancy_days)} DAY),
        g AS (SELECT account_id, timestamp, timestamp - lag(timestamp) OVER
                     (PARTITION BY account_id ORDER BY timestamp) AS gap FROM actions
              WHERE account_id IN (SELECT account_id FROM long)),
        m AS (SELECT account_id, arg_max(timestamp, gap) AS resume, max(gap) AS gap
              FROM g GROUP BY 1 HAVING max(gap) >= INTERVAL {int(min_dormancy_days)} DAY)
        SELECT m.account_id, m.resume, epoch(m.gap) / 86400 AS days,
               count(*) FILTER (WHERE a.timestamp < m.resume) AS n_before,
               count(*) FILTER (WHERE a.timestamp >= m.resume) AS n_after,
               mode(a.language) FILTER (WHERE a.timestamp < m.resume) AS lang_before,
               mode(a.language) FILTER (WHERE a.timestamp >= m.resume) AS lang_after,
               list_distinct(flatten(list(a.hashtags) FILTER (WHERE a.timestamp < m.resume))) AS tags_before,
               list_distinct(flatten(list(a.hashtags) FILTER (WHERE a.timestamp >= m.resume))) AS tags_after
        FROM m JOIN actions a USING (account_id)
        GROUP BY m.account_id, m.resume, m.gap""")
    return [DormantSpell(*r) for r in rows]


class ActionCounts(NamedTuple):
    account_id: str
    n_actions: int
    n_engage: int  # repost, reply, quote, like
    n_original: int  # post, quote, link
    created_at: datetime | None  # from the account's profile, when there is one


def action_counts(ws: Workspace) -> list[ActionCounts]:
    """Per acting account (by id, so that runs agree): its actions in all, its engagements and
    its original posts. One pass per run (``queries.shared``): every expansion round asks."""
    rows: list[ActionCounts] = sh.cached(sh.passes(ws), "action_counts", _action_counts)
    return list(rows)


def _action_counts(p: sh.Passes) -> list[ActionCounts]:
    return [ActionCounts(*r) for r in fetch(p.ws, _COUNTS_SQL + " ORDER BY 1")]


_COUNTS_SQL = f"""
    SELECT a.account_id, count(*) AS n, count(*) FILTER (WHERE kind IN ({in_list(ENGAGE_KINDS)})) AS n_engage,
           count(*) FILTER (WHERE kind IN ({in_list(ORIGINAL_KINDS)})) AS n_original,
           any_value(ac.created_at) AS created_at
    FROM actions a LEFT JOIN accounts ac USING (account_id) GROUP BY 1"""


class CountsIndex:
    """:func:`action_counts` as columns on the run's account ids (``queries.shared``): an
    account's row is made when it is read. Why: a namedtuple and two dict entries for each of
    400,000 acting accounts took two seconds a run, and expansion reads a few thousand."""

    def __init__(self, p: sh.Passes, tbl: Any) -> None:
        import pyarrow.compute as pc

        self._ids, self._index = p.ids, p.index
        aid = pc.index_in(tbl.column("account_id"), value_set=p.ids_arrow)
        known = np.asarray(aid.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        at = np.asarray(aid.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)[known]
        self._row = np.full(len(p.ids), -1, dtype=np.int64)  # per account id: its row, -1 when it does not act
        self._row[at] = np.flatnonzero(known)
        self._n = [np.asarray(tbl.column(c).to_numpy(), dtype=np.int64) for c in ("n", "n_engage", "n_original")]
        self._created = tbl.column("created_at")
        self._null = np.flatnonzero(~known).tolist()  # the group of actions without an account, if any
        self.total = int(self._n[0].sum())  # sum of ``n_actions`` over every account
        self.acting = np.flatnonzero(self._row >= 0)  # account ids that act, in account order

    def _at(self, acc: str | None) -> int:
        if acc is None:
            return self._null[0] if self._null else -1
        i = self._index.get(acc)
        return -1 if i is None else int(self._row[i])

    def __contains__(self, acc: object) -> bool:
        return (acc is None or isinstance(acc, str)) and self._at(acc) >= 0

    def get(self, acc: str) -> ActionCounts | None:
        r = self._at(acc)
        if r < 0:
            return None
        n, e, o = (int(c[r]) for c in self._n)
        return ActionCounts(acc, n, e, o, self._created[r].as_py())

    def n_actions(self, acc: str) -> int:
        """The account's actions (0 when it does not act)."""
        r = self._at(acc)
        return 0 if r < 0 else int(self._n[0][r])

    def position(self, acc: str) -> int | None:
        """The account's place in account order (``ORDER BY account_id``), ``None`` when it does not act."""
        i = self._index.get(acc) if acc is not None else None
        if i is not None and self._row[i] >= 0:
            return i
        return len(self._ids) if acc is None and self._null else None  # NULL sorts last

    def accounts(self) -> list[str | None]:
        """The acting accounts in account order."""
        return [self._ids[i] for i in self.acting.tolist()] + ([None] if self._null else [])

    def __len__(self) -> int:
        return len(self.acting) + (1 if self._null else 0)


def counts_index(ws: Workspace) -> CountsIndex:
    """:func:`action_counts` indexed by account, once per run (``queries.shared``)."""
    def build(p: sh.Passes) -> CountsIndex:
        return CountsIndex(p, own_arrow(p.ws, _COUNTS_SQL))
    out: CountsIndex = sh.cached(sh.passes(ws), "counts_index", build)
    return out
