"""Ways into an operation besides coordination edges: infrastructure whose users engage the
core, fast engagement of the core's posts, weekly working hours and declared automation.

Why here: these are the questions the roles stage asks of the tables when it looks for
amplifiers that no co-action edge and no creation burst reveals (``roles.entries``), and when
it judges a campaign's working time (``accounts.worktime``) or its self-declared bots.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from lockstep.store.queries import access_passes as ap
from lockstep.store.queries import shared as sh
from lockstep.store.queries.base import fetch, group_table, ids_table, in_list, temp_arrow
from lockstep.store.queries.engagement import ENGAGE_KINDS, ORIGINAL_KINDS
from lockstep.store.queries.infrastructure import ACCESS_KINDS
from lockstep.store.workspace import Workspace


class ValueUse(NamedTuple):
    kind: str  # ip, network or device
    value: str
    n_accounts: int  # accounts that used the value
    n_engaging: int  # of which engage the core


def engaging_values(ws: Workspace, engagers: Sequence[str], min_engaging: int) -> list[ValueUse]:
    """Access values (IP, /24 network, device) used by at least ``min_engaging`` of
    ``engagers`` (accounts that engage a core), with how many accounts use each in all; by
    kind and value, so runs agree. On the run's (account, value) pairs (``queries.shared``):
    each expansion round asks with other engagers."""
    if not engagers:
        return []
    p = sh.passes(ws)
    eng = sh.mask_of(p, engagers)
    out: list[ValueUse] = []
    for kind in sorted(ACCESS_KINDS):
        acc, val, values = ap.access_pairs(p, kind)
        n = np.bincount(val, minlength=len(values))
        ne = np.bincount(val[eng[acc]], minlength=len(values))
        out += [ValueUse(kind, str(values[v].as_py()), int(n[v]), int(ne[v]))
                for v in np.flatnonzero(ne >= min_engaging).tolist()]
    return out


def value_users(ws: Workspace, kind: str, values: Sequence[str]) -> list[tuple[str, str]]:
    """(account, value) for every account that used one of ``values`` of access ``kind``."""
    if kind not in ACCESS_KINDS:
        raise ValueError(f"access kind must be one of {ACCESS_KINDS}, not {kind!r}")
    if not values:
        return []
    with temp_arrow(ws, "_vals", ids_table(values)):
        rows = fetch(ws, f"SELECT DISTINCT account_id, {kind} FROM access"
                         f" WHERE {kind} IN (SELECT account_id FROM _vals) ORDER BY 1, 2")
    return [(str(a), str(v)) for a, v in rows]


def best_value_use(ws: Workspace, uses: Sequence[ValueUse], rank: Sequence[int]) -> list[tuple[str, int, int]]:
    """(account, how many of ``uses`` it used, the position in ``uses`` of the one it used with
    the highest ``rank``: distinct numbers, higher is better) for every account that used one
    of ``uses``; by kind in the order the kinds first appear in ``uses``, then by account (the
    order in which :func:`value_users` per kind answered). On the run's (account, value) pairs
    (``queries.shared``): a row per (account, value) in Python took seconds a round on a
    10M-action workspace."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not uses:
        return []
    p = sh.passes(ws)
    size = len(p.ids)
    count = np.zeros(size, dtype=np.int64)
    top = np.full(size, -1, dtype=np.int64)  # highest rank used
    first = np.full(size, len(uses), dtype=np.int64)  # first kind (in ``uses`` order) used
    ranks = np.asarray(rank, dtype=np.int64)
    kinds = list(dict.fromkeys(u.kind for u in uses))
    for k, kind in enumerate(kinds):
        acc, val, values = ap.access_pairs(p, kind)
        mine = [i for i, u in enumerate(uses) if u.kind == kind]
        codes = np.asarray(pc.index_in(pa.array([uses[i].value for i in mine], pa.string()), value_set=values)
                           .fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
        use_of = np.full(len(values) + 1, -1, dtype=np.int64)  # [-1]: a value no account used
        use_of[codes] = mine
        u = use_of[val]
        a = acc[u >= 0].astype(np.int64)
        r = ranks[u[u >= 0]]
        count += np.bincount(a, minlength=size)
        np.maximum.at(top, a, r)
        first[a] = np.minimum(first[a], k)
    who = np.flatnonzero(count > 0)
    who = who[np.lexsort((who, first[who]))]
    pos = np.empty(len(ranks), dtype=np.int64)
    pos[ranks] = np.arange(len(ranks))
    ids = p.ids
    return [(ids[i], int(n), int(b)) for i, n, b in zip(who.tolist(), count[who].tolist(), pos[top[who]].tolist())]


def access_accounts(ws: Workspace, accounts: Collection[str]) -> tuple[int, int]:
    """(accounts in the access log, how many of ``accounts`` are among them): as
    :func:`access_account_count` and :func:`value_users_any` count them, on a mask of the
    access log's accounts, read off a kind's pass over the log (``queries.access_passes``: every
    access row has an ip, NULL and '' included), made once per run."""
    p = sh.passes(ws)

    def build(p: sh.Passes) -> NDArray[np.bool_]:
        m = np.zeros(len(p.ids), dtype=bool)
        m[ap.access_pass(p, "ip").accounts] = True
        return m
    mask: NDArray[np.bool_] = sh.cached(p, "access_accounts", build)
    return int(np.count_nonzero(mask)), int(np.count_nonzero(mask & sh.mask_of(p, accounts)))


def access_account_count(ws: Workspace) -> int:
    """Accounts that appear in the access log at all."""
    return int(fetch(ws, "SELECT count(DISTINCT account_id) FROM access")[0][0])


class FastEngagement(NamedTuple):
    account_id: str
    n_core: int  # engagements of the core's original posts
    n_fast: int  # of which within the window of the post
    first_item: str  # the first fast-engaged core post
    first_author: str
    first_seconds: float


def fast_core_engagement(ws: Workspace, group: Mapping[str, str], window_s: int) -> list[FastEngagement]:
    """Per account outside ``group`` that engaged an original post of the group's accounts:
    how many such engagements, how many within ``window_s`` seconds of the post (an
    engagement wave lands minutes after the post; organic readers arrive over hours)."""
    if not group:
        return []
    with temp_arrow(ws, "_wg", group_table(group)):
        rows = fetch(ws, f"""
            WITH p AS (SELECT a.action_id, a.account_id AS author, epoch(a.timestamp) AS t FROM actions a
                       WHERE a.account_id IN (SELECT account_id FROM _wg) AND a.kind IN ({in_list(ORIGINAL_KINDS)})),
            e AS (SELECT e.account_id, p.action_id AS item, p.author, epoch(e.timestamp) - p.t AS d FROM actions e
                  JOIN p ON e.target_id = p.action_id
                  WHERE e.kind IN ({in_list(ENGAGE_KINDS)}) AND e.account_id NOT IN (SELECT account_id FROM _wg))
            SELECT account_id, count(*), count(*) FILTER (WHERE d >= 0 AND d <= {int(window_s)}),
                   -- the first fast one; on a tie in seconds the smallest item (arg_min alone picks
                   -- any of the tied rows, so runs disagreed)
                   arg_min(item, (d > {int(window_s)} OR d < 0, d, item)),
                   arg_min(author, (d > {int(window_s)} OR d < 0, d, item, author)),
                   min(d) FILTER (WHERE d >= 0)
            FROM e GROUP BY 1 ORDER BY 1""")
    return [FastEngagement(str(a), int(n), int(f), str(i), str(au), float(s or 0.0)) for a, n, f, i, au, s in rows]


def week_hour_counts(ws: Workspace, account_ids: Sequence[str]) -> list[tuple[str, int, int, int]]:
    """(account, week number since 1970, UTC hour of day, actions) for ``account_ids``: the
    shape of a working week that may move from week to week (rotating shifts)."""
    if not account_ids:
        return []
    with temp_arrow(ws, "_wk", ids_table(account_ids)):
        tbl = ws.con.sql("""SELECT account_id, CAST(floor((epoch(timestamp) - 345600) / 604800) AS BIGINT),
                                   hour(timestamp)::BIGINT, count(*) FROM actions
                            WHERE account_id IN (SELECT account_id FROM _wk) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                         """).to_arrow_table()
    # the rows through Arrow, column by column: fetched as tuples and each remade took twice as
    # long (world3m's 1,901 members, 320k rows: 0.76 -> 0.30 s on one thread)
    return list(zip(*(tbl.column(i).to_pylist() for i in range(4)), strict=True))


# "bot" as a word, not a denial ("not a bot", "no bot") nor a compound ("bot-maker")
DECLARED_BOT = re.compile(r"(?<!not a )(?<!not )(?<!no )\bbot\b(?!-)|\bautomated\b|\bautomatic(ally)?\b"
                          r"|\bnot monitored\b|\brss\b|\bauto-?post", re.IGNORECASE)


def declared_automation(ws: Workspace, account_ids: Sequence[str]) -> dict[str, str]:
    """Account -> the words of its display name or description that declare it automated
    ("Automated feed of headlines (bot)"): a bot that says so is not posing as a person."""
    if not account_ids:
        return {}
    with temp_arrow(ws, "_db", ids_table(account_ids)):
        rows = fetch(ws, "SELECT account_id, coalesce(display_name, ''), coalesce(description, '') FROM accounts"
                         " WHERE account_id IN (SELECT account_id FROM _db) ORDER BY 1")
    out: dict[str, str] = {}
    for acc, name, desc in rows:
        m = DECLARED_BOT.search(f"{name} | {desc}")
        if m:
            out[str(acc)] = m.group(0)
    return out


def value_users_any(ws: Workspace, account_ids: Sequence[str]) -> list[tuple[str, int]]:
    """(account, logins) for those of ``account_ids`` that appear in the access log."""
    if not account_ids:
        return []
    with temp_arrow(ws, "_va", ids_table(account_ids)):
        rows = fetch(ws, "SELECT account_id, count(*) FROM access WHERE account_id IN (SELECT account_id FROM _va)"
                         " GROUP BY 1 ORDER BY 1")
    return [(str(a), int(n)) for a, n in rows]


class Standing(NamedTuple):
    account_id: str
    followers: int | None
    verified: bool | None
    age_days: float | None  # from creation to its first action in the data


def standing(ws: Workspace, account_ids: Sequence[str]) -> list[Standing]:
    """Followers, verification and age at first action of ``account_ids``: whether an account
    is an established outlet (old, widely followed) or a young persona."""
    if not account_ids:
        return []
    with temp_arrow(ws, "_st", ids_table(account_ids)):
        rows = fetch(ws, """
            SELECT a.account_id, a.followers, a.verified,
                   (epoch(f.t0) - epoch(a.created_at)) / 86400.0
            FROM accounts a LEFT JOIN (SELECT account_id, min(timestamp) AS t0 FROM actions
                                       WHERE account_id IN (SELECT account_id FROM _st) GROUP BY 1) f USING (account_id)
            WHERE a.account_id IN (SELECT account_id FROM _st) ORDER BY 1""")
    return [Standing(str(a), None if f is None else int(f), None if v is None else bool(v),
                     None if d is None else float(d)) for a, f, v, d in rows]
