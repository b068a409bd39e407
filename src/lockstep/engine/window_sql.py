"""SQL for the window self-join, on string rows or on an integer-keyed copy of them.

Why two forms: at 10M actions the co-repost join yields ~59M pair rows, almost all of which
belong to account pairs that share one item and can never pass ``--min-shared``. Counting
pair rows per account pair on integer keys (account number, item number) and re-running the
join only for the surviving pairs avoids storing or spilling 59M string-keyed rows. Both
forms use the same join conditions, so they produce exactly the same set of (uid_a, uid_b)
pairs.
"""

from __future__ import annotations


def window_join_sql(src: str, cols: str, w: int, k: int, hot: str | None,
                    rank_inline: bool = False) -> str:
    """UNION ALL of the bucketed self-joins of ``src`` (columns item, uid, t_us, ...).

    ``hot``: a relation of the hot items (capped at ``k`` neighbours in (time, account,
    action) order) or None for no cap. With ``hot``, ``src`` must carry ``rn`` (that order's
    rank within a hot item, as the integer form ``int_form`` does) unless ``rank_inline``
    asks for it to be computed here from the string rows."""
    width = max(w, 1)
    hot_filter = f"WHERE item NOT IN (SELECT item FROM {hot})" if hot else ""
    x = f"(SELECT *, floor(t_us / {width})::BIGINT AS bk FROM {src} {hot_filter})"
    same = (f"SELECT {cols} FROM {x} a JOIN {x} b ON a.item = b.item AND a.bk = b.bk"
            f" WHERE (b.t_us > a.t_us OR (b.t_us = a.t_us AND b.uid > a.uid))"
            f" AND b.t_us - a.t_us <= {w}")
    nxt = (f"SELECT {cols} FROM {x} a JOIN {x} b ON a.item = b.item AND b.bk = a.bk + 1"
           f" WHERE b.t_us - a.t_us <= {w}")
    sql = f"{same} UNION ALL {nxt}"
    if hot:
        rows = f"{src} WHERE item IN (SELECT item FROM {hot})"
        if rank_inline:
            rows = (f"(SELECT *, row_number() OVER (PARTITION BY item ORDER BY t_us, account_id,"
                    f" action_id, uid) AS rn FROM {rows})")
        r = f"(SELECT *, rn // {k} AS rb FROM {rows})"
        for off in (0, 1):
            sql += (f" UNION ALL SELECT {cols} FROM {r} a JOIN {r} b ON a.item = b.item"
                    f" AND b.rb = a.rb + {off} WHERE b.rn > a.rn AND b.rn <= a.rn + {k}"
                    f" AND b.t_us - a.t_us <= {w}")
    return sql


def ranked_sql(src: str, hot: str | None) -> str:
    """``src`` with ``rn``: rank of a hot item's row in (time, account, action) order.
    ``uid`` follows the scan order, which a parallel scan does not fix, so it only breaks
    exact duplicates."""
    if not hot:
        return f"(SELECT *, NULL::BIGINT AS rn FROM {src})"
    return (f"(SELECT s.*, h.rn FROM {src} s LEFT JOIN (SELECT uid, row_number() OVER"
            f" (PARTITION BY item ORDER BY t_us, account_id, action_id, uid) AS rn FROM {src}"
            f" WHERE item IN (SELECT item FROM {hot})) h USING (uid))")


def int_form_sql(src: str, accounts: str, hot: str | None, messages: bool = False) -> str:
    """(uid, aid, item as an integer, t_us, rn) for ``src``: the join keys as integers.

    ``accounts`` numbers every account id (``aid``); items are numbered here by dense rank
    over their hash-grouped distinct values (any injective numbering is fine). ``messages``
    adds ``mid``, a number per distinct action id (a message with several URLs has one)."""
    msg = (" JOIN (SELECT action_id, row_number() OVER () AS mid FROM (SELECT DISTINCT action_id"
           f" FROM {src})) msg USING (action_id)") if messages else ""
    return (f"WITH s AS {ranked_sql(src, hot)},"
            f" itm AS (SELECT item, row_number() OVER () AS iid FROM (SELECT DISTINCT item FROM {src}))"
            f" SELECT s.uid, acc.aid, itm.iid::BIGINT AS item, s.t_us, s.rn{', msg.mid' if messages else ''}"
            f" FROM s JOIN itm USING (item) JOIN {accounts} acc USING (account_id){msg}")


def sorted_rows_sql(int_src: str, extra: str = "") -> str:
    """The integer form's rows in the order the numpy pair enumeration needs
    (:mod:`lockstep.engine.pair_counts`): by item, then a hot item's rows by rank, others by
    time; columns item, t_us, aid, hot, plus ``extra`` (a column list)."""
    more = f", {extra}" if extra else ""
    return (f"SELECT item, t_us, aid, rn IS NOT NULL AS hot{more} FROM {int_src}"
            f" ORDER BY item, coalesce(rn, 0), t_us")


def hot_ints_sql(int_src: str) -> str:
    """Hot items of the integer form: those whose rows were ranked."""
    return f"SELECT DISTINCT item FROM {int_src} WHERE rn IS NOT NULL"


# Account pair (p, q) of account numbers as one BIGINT, order-free.
PAIR_KEY = "(least(p, q) << 32) + greatest(p, q)"


def accounts_sql() -> str:
    """Every account id numbered once (``aid``); pair keys pack two of them."""
    return ("SELECT account_id, row_number() OVER () AS aid FROM"
            " (SELECT DISTINCT account_id FROM actions WHERE account_id IS NOT NULL)")


def keyed_sql(rel: str, accounts: str, n: str) -> str:
    """(k, n) rows for a string-keyed relation with account_a/account_b (pairs or edges)."""
    return (f"SELECT {PAIR_KEY} AS k, {n} AS n FROM (SELECT xa.aid AS p, xb.aid AS q, {rel}.*"
            f" FROM {rel} JOIN {accounts} xa ON xa.account_id = {rel}.account_a"
            f" JOIN {accounts} xb ON xb.account_id = {rel}.account_b)")


def kept_pairs_sql(join: str, src: str, cand: str) -> str:
    """String pair rows (the window-pairs columns) of the integer join's candidate pairs."""
    return (f"SELECT ia.item, j.uid_a, ia.action_id AS action_a, ia.account_id AS account_a,"
            f" ia.t_us AS t_a, j.uid_b, ib.action_id AS action_b, ib.account_id AS account_b,"
            f" ib.t_us AS t_b FROM (SELECT uid_a, uid_b FROM ({join}) WHERE p <> q AND {PAIR_KEY} IN"
            f" (SELECT k FROM {cand})) j JOIN {src} ia ON ia.uid = j.uid_a JOIN {src} ib ON ib.uid = j.uid_b")
