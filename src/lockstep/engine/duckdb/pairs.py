"""Pairs: the window self-join (on string rows, or on an integer-keyed copy of them), and
pairs of an original post with its reshares.

Why two forms of the window join: at 10M actions the co-repost join yields ~59M pair rows,
almost all of which belong to account pairs that share one item and can never pass
``--min-shared``. Counting pair rows per account pair on integer keys (account number, item
number), keeping each counted row's row numbers for the surviving pairs
(:mod:`lockstep.engine.duckdb.pair_rows`), avoids storing or spilling 59M string-keyed rows.
Both forms use the same join conditions, so they produce exactly the same
set of (uid_a, uid_b) pairs.

Why the join is exact: written as an equi-join on (item, time bucket) with the bucket width
equal to the window, a row only meets rows of its own and the next bucket, and the exact
condition ``0 <= t_b - t_a <= window`` is then a filter: exact sliding-window semantics at
hash-join speed, spilling to disk when large.
"""

from __future__ import annotations

from lockstep.engine.base import PairSpec, Rel
from lockstep.engine.duckdb.state import (DuckState, LazyPairs, accounts, drop, ensure_items, fresh_name, hot_items, new,
                                          rename)
from lockstep.errors import EngineError

def window_join_sql(src: str, cols: str, w: int, k: int, hot: str | None,
                    rank_inline: bool = False, after: int | None = None) -> str:
    """UNION ALL of the bucketed self-joins of ``src`` (columns item, uid, t_us, ...).

    ``hot``: a relation of the hot items (capped at ``k`` neighbours in (time, account,
    action) order) or None for no cap. With ``hot``, ``src`` must carry ``rn`` (that order's
    rank within a hot item, as the integer form ``int_form`` does) unless ``rank_inline``
    asks for it to be computed here from the string rows. ``after`` (microseconds): keep
    only pairs more than that far apart (``PairSpec.after_s``)."""
    width = max(w, 1)
    band = "" if after is None else f" AND b.t_us - a.t_us > {int(after)}"
    hot_filter = f"WHERE item NOT IN (SELECT item FROM {hot})" if hot else ""
    x = f"(SELECT *, floor(t_us / {width})::BIGINT AS bk FROM {src} {hot_filter})"
    same = (f"SELECT {cols} FROM {x} a JOIN {x} b ON a.item = b.item AND a.bk = b.bk"
            f" WHERE (b.t_us > a.t_us OR (b.t_us = a.t_us AND b.uid > a.uid))"
            f" AND b.t_us - a.t_us <= {w}{band}")
    nxt = (f"SELECT {cols} FROM {x} a JOIN {x} b ON a.item = b.item AND b.bk = a.bk + 1"
           f" WHERE b.t_us - a.t_us <= {w}{band}")
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
                    f" AND b.t_us - a.t_us <= {w}{band}")
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


def item_numbers_sql(src: str) -> str:
    """Each distinct item of ``src`` once, with its rows (``n``) and a number (``iid``): the
    hot items are read off ``n``, so one string group-by serves both (a second one to find
    the hot items cost 1.0 s of the 10M-action world's integer tables)."""
    return f"SELECT item, count(*) AS n, row_number() OVER () AS iid FROM {src} GROUP BY item"


def numbered_form_sql(src: str, accounts: str, itm: str, hot_min: int | None) -> str:
    """:func:`int_form_sql`'s rows (no ``messages``) from a stored :func:`item_numbers_sql`
    ``itm``: items with more than ``hot_min`` rows are hot (None: none is). The hot rows are
    ranked on their own and put beside the others (UNION ALL), not joined back by ``uid``
    (world3m's co_repost, 18% of rows hot: 558 -> 432 CPU-ms with the numbering)."""
    cols = "s.uid, acc.aid, itm.iid::BIGINT AS item, s.t_us"
    part = f" FROM {src} s JOIN (SELECT item, iid FROM {itm}{{}}) itm USING (item) JOIN {accounts} acc USING (account_id)"
    if hot_min is None:
        return f"SELECT {cols}, NULL::BIGINT AS rn" + part.format("")
    return (f"SELECT {cols}, NULL::BIGINT AS rn" + part.format(f" WHERE n <= {int(hot_min)}")
            + f" UNION ALL SELECT {cols}, row_number() OVER (PARTITION BY itm.iid ORDER BY s.t_us, s.account_id,"
            f" s.action_id, s.uid) AS rn" + part.format(f" WHERE n > {int(hot_min)}"))


def int_rows(st: DuckState, items: str, hot_min: int | None) -> str:
    """The integer copy of ``items`` (a table) that deferred scoring counts and scores, stored
    and recorded in ``st.int_rows``; ``hot_min``: items with more rows are hot and ranked (None:
    no cap). One group-by numbers the items and finds the hot ones."""
    itm = new(st, "itm", item_numbers_sql(items)).name
    if hot_min is not None and not st.con.execute(f"SELECT count(*) FROM {itm} WHERE n > {int(hot_min)}").fetchall()[0][0]:
        hot_min = None  # no hot item: nothing to rank
    it = new(st, "ints", numbered_form_sql(items, accounts(st), itm, hot_min)).name
    drop(st, {itm})
    st.int_rows[items] = it
    return it


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


def keyed_sql(rel: str, accounts: str, n: str) -> str:
    """(k, n) rows for a string-keyed relation with account_a/account_b (pairs or edges)."""
    return (f"SELECT {PAIR_KEY} AS k, {n} AS n FROM (SELECT xa.aid AS p, xb.aid AS q, {rel}.*"
            f" FROM {rel} JOIN {accounts} xa ON xa.account_id = {rel}.account_a"
            f" JOIN {accounts} xb ON xb.account_id = {rel}.account_b)")


def own(st: DuckState, rel: Rel, lazy_ok: bool = False) -> str:
    """The table name behind ``rel``, built first when it is lazy (unless ``lazy_ok``)."""
    if rel.engine_id != st.owner:
        raise EngineError(f"relation {rel.name} belongs to another engine")
    if not lazy_ok:
        materialise(st, rel.name)
        ensure_items(st, rel.name)
    return rel.name


def window_pairs(st: DuckState, items_name: str, spec: PairSpec) -> Rel:
    """A handle on the window pairs, built only when read: deferred surprise scoring and
    toolkit scoring pair on integer keys instead and never store these rows."""
    name = fresh_name("pairs")
    st.lazy[name] = LazyPairs(items_name, spec)
    return Rel(name, st.owner)


def window_pairs_sql(st: DuckState, src: str, spec: PairSpec) -> str:
    w = int(round(spec.window_s * 1_000_000))
    cols = ("a.item, a.uid AS uid_a, a.action_id AS action_a, a.account_id AS account_a,"
            " a.t_us AS t_a, b.uid AS uid_b, b.action_id AS action_b,"
            " b.account_id AS account_b, b.t_us AS t_b")
    # Neighbours in (time, account, action) order: ``uid`` follows the scan order,
    # which a parallel scan does not fix, so it only breaks exact duplicates.
    after = None if spec.after_s is None else int(round(spec.after_s * 1_000_000))
    return window_join_sql(src, cols, w, int(spec.max_neighbours), hot_items(st, src, spec), rank_inline=True,
                           after=after)


def materialise(st: DuckState, name: str) -> None:
    """Build a lazy window-pairs relation in full (unscored or non-surprise use)."""
    lazy = st.lazy.pop(name, None)
    if lazy is not None:
        ensure_items(st, lazy.items)
        rename(st, new(st, "pairs", window_pairs_sql(st, lazy.items, lazy.spec)), name)


def origin_pairs(st: DuckState, window_s: float | None, kinds: tuple[str, ...]) -> Rel:
    """Pairs (original post, reshare) with the reshare within ``window_s`` of the original's
    own timestamp (None: at any time); items are the original post ids.

    Why one join for both: fast_repost asks for the pairs within its window and for every
    pair (its synchrony base); the first are a filter of the second, so the join of the
    reshares with their originals runs once per ``kinds`` (kept in ``item_cache``) and a
    window is a scan of its stored rows (at 10M actions 8 + 11 s of joins became 11 + 1 s).
    Originals are grouped only when some reshare names them (a semi-join first)."""
    key = ("origin_pairs", kinds)
    every = st.item_cache.get(key)
    if every is None:
        kind_list = ", ".join(f"'{k}'" for k in kinds)
        reshares = f"actions WHERE kind IN ({kind_list})"
        orig = ("(SELECT platform, action_id, any_value(account_id) AS account_id,"
                " min(epoch_us(timestamp)) AS t_us FROM actions WHERE kind NOT IN ('repost', 'like')"
                f" AND timestamp IS NOT NULL AND action_id IN (SELECT target_id FROM {reshares})"
                " GROUP BY platform, action_id)")
        every = new(st, "pairs", f"SELECT r.target_id AS item, 0::BIGINT AS uid_a, o.action_id AS action_a,"
                    f" o.account_id AS account_a, o.t_us AS t_a, 0::BIGINT AS uid_b,"
                    f" r.action_id AS action_b, r.account_id AS account_b, epoch_us(r.timestamp) AS t_b"
                    f" FROM (SELECT * FROM {reshares}) r JOIN {orig} o ON o.platform = r.platform"
                    f" AND o.action_id = r.target_id WHERE epoch_us(r.timestamp) - o.t_us >= 0")
        st.item_cache[key] = every
    if window_s is None:
        return every
    return new(st, "pairs", f"SELECT * FROM {every.name} WHERE t_b - t_a <= {int(round(window_s * 1_000_000))}")
