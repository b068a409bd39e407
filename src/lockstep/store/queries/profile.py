"""What accounts look like and when they were made: profile fields, creation times and
creation bins (all accounts, or only some, for ``watch``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from lockstep.store.queries import shared as sh
from lockstep.store.queries.base import fetch, group_table, ids_table, own_arrow, scalar, temp_arrow
from lockstep.store.workspace import Workspace


def _rows(ws: Workspace, sql: str, account_ids: Sequence[str] | None) -> list[tuple[Any, ...]]:
    """``sql`` has a ``{only}`` slot: empty for all accounts, else a filter on ``_ids``."""
    if account_ids is None:
        return fetch(ws, sql.format(only="TRUE"))
    with temp_arrow(ws, "_ids", ids_table(account_ids)):
        return fetch(ws, sql.format(only="account_id IN (SELECT account_id FROM _ids)"))


def creation_unit(ws: Workspace) -> str | None:
    """``day`` when account creation times are dates only (over 90% at midnight, as in the IO
    archive users files), ``hour`` otherwise; ``None`` when no account has one."""
    midnight = scalar(ws, "SELECT avg(CASE WHEN created_at = date_trunc('day', created_at) THEN 1 ELSE 0 END)"
                          " FROM accounts WHERE created_at IS NOT NULL")
    if midnight is None:
        return None
    return "day" if midnight > 0.9 else "hour"


class CreationBin(NamedTuple):
    account_id: str
    bin: datetime  # start of the hour or day the account was created in
    n: int  # accounts created in that bin
    around: int  # accounts created within ``context_days`` either side, not counting the bin


def crowded_creation_bins(ws: Workspace, unit: str, context_days: int, min_size: int) -> list[CreationBin]:
    """Every account created in a bin (``unit``: hour or day) holding at least ``min_size``
    accounts, with the count created around it for the usual rate."""
    if unit not in ("hour", "day"):
        raise ValueError(f"unit must be hour or day, not {unit!r}")
    rows = fetch(ws, f"""
        WITH b AS (SELECT date_trunc('{unit}', created_at) AS bin, count(*) AS n
                   FROM accounts WHERE created_at IS NOT NULL GROUP BY 1),
        ctx AS (SELECT bin, n, sum(n) OVER (ORDER BY bin RANGE BETWEEN
                       INTERVAL {int(context_days)} DAY PRECEDING AND
                       INTERVAL {int(context_days)} DAY FOLLOWING) - n AS around
                FROM b)
        SELECT a.account_id, ctx.bin, ctx.n, ctx.around
        FROM accounts a JOIN ctx ON date_trunc('{unit}', a.created_at) = ctx.bin
        WHERE ctx.n >= {int(min_size)}
    """)
    return [CreationBin(str(a), b, int(n), int(r)) for a, b, n, r in rows]


def handles(ws: Workspace, account_ids: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """(account id, handle) for accounts with a handle."""
    rows = _rows(ws, "SELECT account_id, handle FROM accounts WHERE handle IS NOT NULL AND {only}", account_ids)
    return [(str(a), str(h)) for a, h in rows]


class ProfileGaps(NamedTuple):
    account_id: str
    no_desc: bool
    no_url: bool
    default_image: bool
    default_theme: bool
    name_is_handle: bool
    no_flags: bool  # the source has neither default-profile flag


def profile_gaps(ws: Workspace, account_ids: Sequence[str] | None = None, min_missing: int = 0) -> list[ProfileGaps]:
    """Which profile fields each account left empty or at the platform default; only accounts
    with at least ``min_missing`` of the five (NULL counts as not missing, as in Python),
    chosen in SQL: most profiles are filled in, and a row each in Python took seconds."""
    rows = _rows(ws, f"""
        SELECT * FROM (SELECT account_id,
               coalesce(trim(description), '') = '' AS no_desc,
               coalesce(trim(url), '') = '' AS no_url,
               coalesce(default_profile_image, false) AS def_img,
               coalesce(default_profile, false) AS def_theme,
               display_name IS NULL OR lower(display_name) = lower(handle) AS name_is_handle,
               default_profile IS NULL AND default_profile_image IS NULL AS no_flags
        FROM accounts WHERE {{only}})
        WHERE no_desc::INT + no_url::INT + def_img::INT + def_theme::INT
              + coalesce(name_is_handle, false)::INT >= {int(min_missing)}""", account_ids)
    return [ProfileGaps(*r) for r in rows]


def follow_counts(ws: Workspace, account_ids: Sequence[str] | None = None, max_followers: int | None = None,
                  min_following: int | None = None) -> list[tuple[str, int, int | None]]:
    """(account id, followers, following) for accounts whose follower count is known; with
    ``max_followers`` and ``min_following``, only those with at most that many followers or
    at least that many followed (NULL as 0): a filter in SQL before a row each in Python."""
    some = ("" if max_followers is None or min_following is None else
            f" AND (followers <= {int(max_followers)} OR coalesce(following, 0) >= {int(min_following)})")
    rows = _rows(ws, "SELECT account_id, followers, following FROM accounts"
                     " WHERE followers IS NOT NULL" + some + " AND {only}", account_ids)
    return [(str(a), int(f), None if g is None else int(g)) for a, f, g in rows]


class NewsProfile(NamedTuple):
    account_id: str
    handle: str | None
    display_name: str | None
    description: str | None
    verified: bool
    followers: int | None
    created_at: datetime | None
    first_action: datetime | None  # None when the workspace holds no actions


def news_profiles(ws: Workspace, with_first_action: bool, unverified_matching: str | None = None) -> list[NewsProfile]:
    """Every account's identity fields, with its first action when ``with_first_action``, in
    the table's order. With ``unverified_matching`` (a regular expression, RE2 syntax), only
    the unverified profiles whose handle, name and description, joined by newlines, match it:
    chosen in SQL, since a Python row and search for each of 400,000 profiles took seconds."""
    first = ("LEFT JOIN (SELECT account_id, min(timestamp) AS first_action FROM actions"
             " GROUP BY 1) f USING (account_id)" if with_first_action else "")
    where = ("" if unverified_matching is None else
             "WHERE NOT coalesce(verified, false)"
             " AND regexp_matches(concat_ws(chr(10), handle, display_name, description), ?)")
    rows = fetch(ws, f"""
        SELECT account_id, handle, display_name, description, coalesce(verified, false),
               followers, created_at, {'f.first_action' if with_first_action else 'NULL'}
        FROM accounts a {first} {where}""", None if unverified_matching is None else [unverified_matching])
    return [NewsProfile(*r) for r in rows]


def first_actions(ws: Workspace, account_ids: Sequence[str]) -> dict[str, datetime]:
    """Account id -> its first action, for those of ``account_ids`` that act (the accounts
    chosen before the group-by: a whole-table group-by for a few hundred accounts took
    seconds on a 10M-action workspace)."""
    if not account_ids:
        return {}
    with temp_arrow(ws, "_fa", ids_table(account_ids)):
        rows = fetch(ws, "SELECT account_id, min(timestamp) FROM actions"
                         " WHERE account_id IN (SELECT account_id FROM _fa) GROUP BY 1")
    return {str(a): t for a, t in rows}


def creation_dates(ws: Workspace, account_ids: Sequence[str]) -> dict[str, date | None]:
    """Account id -> creation date, for the given accounts that have a profile."""
    rows = fetch(ws, "SELECT account_id, CAST(created_at AS DATE) FROM accounts"
                     " WHERE account_id IN (SELECT unnest(?))", [list(account_ids)])
    return {str(a): d for a, d in rows}


class AccountProfile(NamedTuple):
    handle: str | None
    display_name: str | None
    description: str | None
    followers: int | None
    following: int | None
    created_at: datetime | None
    platform: str | None


def account_profile(ws: Workspace, account_id: str) -> AccountProfile | None:
    """One account's profile, or ``None`` when the workspace has none."""
    rows = fetch(ws, "SELECT handle, display_name, description, followers, following, created_at, platform"
                     " FROM accounts WHERE account_id = ?", [account_id])
    return AccountProfile(*rows[0]) if rows else None


def count_actions(ws: Workspace, account_id: str) -> int:
    """How many actions of one account the workspace holds."""
    return int(scalar(ws, "SELECT count(*) FROM actions WHERE account_id = ?", [account_id]))


def campaign_same_day(ws: Workspace, group: Mapping[str, str], min_same: int) -> list[tuple[str, int]]:
    """(account of ``group``, other accounts of its campaign created on the same day), for
    days on which at least ``min_same`` of the campaign's accounts were created."""
    with temp_arrow(ws, "_group", group_table(group)):
        rows = fetch(ws, f"""
            WITH v AS (SELECT g.account_id, g.campaign_id, date_trunc('day', a.created_at) AS d
                       FROM _group g JOIN accounts a USING (account_id) WHERE a.created_at IS NOT NULL),
            c AS (SELECT campaign_id, d, count(*) AS n FROM v GROUP BY 1, 2 HAVING count(*) >= {int(min_same)})
            SELECT v.account_id, c.n - 1 FROM v JOIN c USING (campaign_id, d)""")
    return [(str(a), int(n)) for a, n in rows]


def campaign_burst_days(ws: Workspace, owner: Mapping[str, str], min_n: int = 3) -> list[tuple[str, date, int]]:
    """(campaign, day, accounts of the campaign created that day) for days with at least
    ``min_n`` of them (``owner``: account -> campaign)."""
    with temp_arrow(ws, "_owner", group_table(owner)):
        rows = fetch(ws, "SELECT o.campaign_id, CAST(ac.created_at AS DATE), count(*) FROM accounts ac"
                         " JOIN _owner o USING (account_id) WHERE ac.created_at IS NOT NULL GROUP BY 1, 2"
                         f" HAVING count(*) >= {int(min_n)}")
    return [(str(c), d, int(n)) for c, d, n in rows]


class EngagerBin(NamedTuple):
    account_id: str
    bin: datetime  # its creation hour or day
    n: int  # acting accounts created in that bin
    n_engaging: int  # of which engagers
    dense: bool  # at least min_engaging engagers, and at least min_share of the bin


def engager_creation_bins(ws: Workspace, engagers: Collection[str], unit: str, min_engaging: int,
                          min_share: float, min_ratio: float = 0.0, context_days: int = 30) -> list[EngagerBin]:
    """Every acting account with a creation time, its creation bin (``unit``: hour or day),
    how many acting accounts and how many ``engagers`` were created in that bin, and whether
    the bin is dense with engagers. With ``min_ratio`` a dense bin must also be a burst: at
    least ``min_ratio`` times (the usual count per bin within ``context_days`` either side,
    plus one) accounts, as ``creation_burst`` judges (accounts registered a few a day for
    months are a steady stream, not a cohort)."""
    rows = _engager_bins(ws, engagers, unit, min_engaging, min_share, min_ratio, context_days,
                         "SELECT b.account_id, s.bin, s.n, s.n_eng, s.bin IN (SELECT bin FROM dense)"
                         " FROM b JOIN s USING (bin)")
    return [EngagerBin(str(a), b, int(n), int(e), bool(d)) for a, b, n, e, d in rows]


def engager_dense_bins(ws: Workspace, engagers: Collection[str], unit: str, min_engaging: int,
                       min_share: float, min_ratio: float = 0.0,
                       context_days: int = 30) -> tuple[list[EngagerBin], int, int]:
    """:func:`engager_creation_bins` as the roles stage reads it: the rows of dense bins, and
    (accounts outside dense bins, of which ``engagers``) for the base rate. Counted in SQL:
    a row per acting account (400,000 on a 10M-action workspace) in Python took seconds a
    round, for two numbers."""
    rows = _engager_bins(ws, engagers, unit, min_engaging, min_share, min_ratio, context_days, """
        SELECT b.account_id, s.bin, s.n, s.n_eng, TRUE, NULL, NULL FROM b JOIN s USING (bin)
        WHERE s.bin IN (SELECT bin FROM dense)
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, FALSE, count(*), count(*) FILTER (WHERE b.eng) FROM b
        WHERE b.bin NOT IN (SELECT bin FROM dense)""")
    dense = [EngagerBin(str(a), b, int(n), int(e), True) for a, b, n, e, d, _, _ in rows if d]
    n_ord, n_ord_eng = next((int(o), int(oe)) for _, _, _, _, d, o, oe in rows if not d)
    return dense, n_ord, n_ord_eng


def _engager_bins(ws: Workspace, engagers: Collection[str], unit: str, min_engaging: int, min_share: float,
                  min_ratio: float, context_days: int, select: str) -> list[tuple[Any, ...]]:
    """``select`` over the CTEs ``b`` (account_id, bin, eng), ``s`` (bin, n, n_eng) and
    ``dense`` (bin) of :func:`engager_creation_bins`."""
    if unit not in ("hour", "day"):
        raise ValueError(f"unit must be hour or day, not {unit!r}")
    bins = 2 * int(context_days) * (1 if unit == "day" else 24)
    # the population: accounts that act at all (only they could have engaged), once per run
    # (``queries.shared``: every expansion round asks, with other engagers)
    population = sh.cached(sh.passes(ws), "acting_created", _acting_created)
    with temp_arrow(ws, "_eng", ids_table(sorted(engagers))), temp_arrow(ws, "_acting_created", population):
        ws.con.execute("""CREATE OR REPLACE TEMP TABLE _created AS
            SELECT account_id, created_at, account_id IN (SELECT account_id FROM _eng) AS eng
            FROM _acting_created""")
        try:
            return fetch(ws, f"""
                WITH b AS (SELECT account_id, date_trunc('{unit}', created_at) AS bin, eng FROM _created),
                s AS (SELECT bin, count(*) AS n, count(*) FILTER (WHERE eng) AS n_eng FROM b GROUP BY 1),
                w AS (SELECT bin, n, n_eng, sum(n) OVER (ORDER BY bin RANGE BETWEEN INTERVAL {int(context_days)} DAY
                                                          PRECEDING AND INTERVAL {int(context_days)} DAY FOLLOWING) AS around
                      FROM s),
                dense AS (SELECT bin FROM w WHERE n_eng >= {int(min_engaging)} AND n_eng >= {float(min_share)} * n
                          AND n >= {float(min_ratio)} * ((around - n) / {bins} + 1.0))
                {select}""")
        finally:
            ws.con.execute("DROP TABLE IF EXISTS _created")


def _acting_created(p: sh.Passes) -> Any:
    """(account_id, created_at) of every account row with a creation time whose account acts,
    as an Arrow table."""
    return own_arrow(p.ws, """SELECT account_id, created_at FROM accounts WHERE created_at IS NOT NULL
                              AND account_id IN (SELECT DISTINCT account_id FROM actions)""")
