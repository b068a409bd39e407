"""Items: canonical ``actions`` rows turned into (action, item) rows for one signal, in SQL.

The normalisation rules (what makes two URLs or texts the same item) are not written here:
they come from :mod:`lockstep.engine.normalise`, the one definition every engine shares.
"""

from __future__ import annotations

import dataclasses

import pyarrow as pa

from lockstep.engine import normalise as nz
from lockstep.engine.base import ItemSource, Rel
from lockstep.engine.duckdb.state import DuckState, LazyItems, arrow_view, ensure_items, fresh_name, new


def url_norm_sql(u: str) -> str:
    """A URL's key as one expression (the item rows use :func:`url_key_rows`, the same steps)."""
    return f"({nz.to_sql(nz.URL_HOST, u)} || {nz.to_sql(nz.URL_TAIL, u)})"


def hashtag_seq_sql(h: str) -> str:
    return f"array_to_string(list_transform({h}, lambda x: {nz.to_sql(nz.HASHTAG, 'x')}), ' ')"


def items_select(src: ItemSource) -> str:
    """A SELECT of (platform, account_id, action_id, item, t_us) for ``src``.

    Normalised keys (texts, URLs) run their steps as a chain of projections
    (:func:`~lockstep.engine.normalise.layers_sql`): the same values as the nested form of
    ``to_sql``, whose one-element list and lambda per step cost a third of the URL key at
    10M actions (co_link items 2.6 -> 1.7 s)."""
    where = ["timestamp IS NOT NULL", "account_id IS NOT NULL"]
    if src.kinds is not None:
        where.append("kind IN (" + ", ".join(f"'{k}'" for k in src.kinds) + ")")
    if src.exclude_kinds:
        where.append("kind NOT IN (" + ", ".join(f"'{k}'" for k in src.exclude_kinds) + ")")
    base = "actions"
    if src.dedupe_action_ids:
        base = ("(SELECT * FROM actions QUALIFY row_number() OVER (PARTITION BY platform, action_id"
                " ORDER BY source_file, source_line) = 1)")
    raw = ""  # the item as stored, before the normalisation steps
    steps: tuple[nz.Step, ...] = ()
    if src.key == "target_id":
        raw = "target_id"
    elif src.key == "target_author":
        # Reshares that name only the reshared author (SNAP Higgs): the item is the author,
        # labelled so evidence reads 'author:<id>'. Rows with a post id are co_repost's.
        raw = "'author:' || target_account_id"
        where.append("(target_id IS NULL OR target_id = '') AND target_account_id IS NOT NULL"
                     " AND target_account_id <> ''")
        if src.drop_self_targets:
            where.append("target_account_id <> account_id")  # resharing oneself is no tie
    elif src.key in ("url", "url_raw", "domain"):
        base = f"(SELECT *, unnest(urls) AS _u FROM {base} WHERE len(urls) > 0)"
        raw = "_u"
    elif src.key in ("text", "text_cnt"):
        raw, steps = "text", (nz.TEXT if src.key == "text" else nz.TEXT_CNT)
        where.append("text IS NOT NULL")
        if src.min_text_chars:
            # No step lengthens a text (lower case maps a character to one, the rest replace
            # matches by one space or nothing), so a text already shorter is never kept: its
            # regexes are skipped (16% of the texts at 10M actions).
            where.append(f"length(text) >= {int(src.min_text_chars)}")
    elif src.key == "hashtag_sequence":
        raw = hashtag_seq_sql("hashtags")
        where.append(f"len(hashtags) >= {int(src.min_hashtags)}")
    else:  # pragma: no cover - ItemKey is closed
        raise ValueError(src.key)
    rows = (f"(SELECT platform, account_id, action_id, {raw} AS item, epoch_us(timestamp) AS t_us"
            f" FROM {base} WHERE {' AND '.join(where)})")
    if src.key == "url":
        inner = f"SELECT DISTINCT * FROM {url_key_rows(rows)}"
    elif src.key in ("url_raw", "domain"):
        # one row per (action, item), as a (message, url) key does
        host = nz.URL_HOST if src.key == "domain" else ()
        inner = f"SELECT DISTINCT * FROM {nz.layers_sql(host, 'item', rows)}"
    else:
        inner = f"SELECT * FROM {nz.layers_sql(steps, 'item', rows)}"
    outer = ["item IS NOT NULL", "item <> ''"]
    if src.min_text_chars and src.key in ("text", "text_cnt"):
        outer.append(f"length(item) >= {int(src.min_text_chars)}")
    if src.drop_self_targets:
        outer.append("item <> action_id")
    # MATERIALIZED: otherwise the optimiser pushes these filters into the scan and evaluates
    # the (regex) normalisation once per condition, which made co_text items 5x slower. Plain
    # keys (target_id) too: the uid's row_number() runs on one thread, and so does everything
    # in its pipeline; materialised first, the scan runs on every thread (10M actions,
    # co_repost: 1.28 s materialised, 1.58 s filtered in the scan).
    return f"WITH _i AS MATERIALIZED ({inner}) SELECT * FROM _i WHERE " + " AND ".join(outer)


def url_key_rows(rows: str) -> str:
    """``rows`` with ``item`` (a URL) replaced by its key, host + tail, the first steps that
    both share (trim, scheme) run once."""
    n = 0
    while n < min(len(nz.URL_HOST), len(nz.URL_TAIL)) and nz.URL_HOST[n] == nz.URL_TAIL[n]:
        n += 1
    split = f"(SELECT *, item AS _tail FROM {nz.layers_sql(nz.URL_HOST[:n], 'item', rows)})"
    keyed = nz.layers_sql(nz.URL_TAIL[n:], "_tail", nz.layers_sql(nz.URL_HOST[n:], "item", split))
    return f"(SELECT * EXCLUDE (_tail) REPLACE (item || _tail AS item) FROM {keyed})"


def items(st: DuckState, source: ItemSource) -> Rel:
    """Rows of (action, item), numbered by ``uid`` (built once per run for one source)."""
    if source.dedupe_action_ids and not repeated_action_ids(st):
        source = dataclasses.replace(source, dedupe_action_ids=False)  # nothing to drop
    if source not in st.item_cache:
        st.item_cache[source] = _items(st, source)
    return st.item_cache[source]


ORIGINALS_FROM = (" FROM actions WHERE timestamp IS NOT NULL AND account_id IS NOT NULL AND action_id IS NOT NULL"
                  " AND action_id <> '' AND kind IS NOT NULL AND kind NOT IN ('repost', 'like')")
ORIGINAL_COLS = "platform, account_id, action_id, action_id AS item, epoch_us(timestamp) AS t_us"
ORIGINALS_SQL = f"SELECT {ORIGINAL_COLS}{ORIGINALS_FROM}"


def _items(st: DuckState, source: ItemSource) -> Rel:
    if not (source.with_originals or source.max_item_accounts > 0):
        # Built when first read: a signal that finds no pairs never needs them (fast_repost on
        # data without originals: its 10M reshares were stored for nothing)
        return _lazy(st, f"SELECT row_number() OVER () AS uid, * FROM ({items_select(source)})", "", 0)
    # Derived from the plain rows (built once, shared with the signal that reads them as they
    # are): the originals added as rows on their own id, then the rarity filter as group-bys
    # and semi-joins on the stored tables (a materialised copy of all the rows was 1.5-3x
    # slower on 1M reshares; count(DISTINCT) and DISTINCT + count(*) now cost the same).
    base = items(st, dataclasses.replace(source, with_originals=False, max_item_accounts=0)).name
    # The base rows keep their uid and the originals are numbered after them: one
    # row_number() over the whole union was half of the statement's time (a single-threaded
    # window over 10.6M string rows at 10M actions); any unique uid serves (it only breaks ties).
    cols = "platform, account_id, action_id, item, t_us"
    rare = " SEMI JOIN _k USING (item)" if source.max_item_accounts > 0 else ""
    parts = [f"SELECT uid, {cols} FROM {base}{rare}"]
    ctes = []
    top = f"(SELECT coalesce(max(uid), 0) FROM {base})"
    if source.with_originals and not source.max_item_accounts:  # authoring a post is acting on it
        # Numbered by their row id after the base rows: a row_number() would run the scan of
        # every action on one thread (10M actions: fast_repost's chance rows 1.3 -> 1.0 s). These
        # uids leave gaps; the chance curve, these rows' only reader, reads no uid (arrays by
        # uid, as score_ints makes, would be as long as the actions).
        parts.append(f"SELECT {top} + 1 + rowid AS uid, {ORIGINAL_COLS}{ORIGINALS_FROM}")
    elif source.with_originals:  # read twice or more by the rarity filter: MATERIALIZED
        # only what the filter reads (item, account): the kept originals' rows are read from
        # the actions again (10M actions: 5M originals, 2 string columns held instead of 5)
        ctes.append(f"_o AS MATERIALIZED (SELECT action_id AS item, account_id{ORIGINALS_FROM})")
    if source.max_item_accounts > 0:  # shared, but rarely
        srcs = [f"SELECT item, account_id FROM {base}"]
        if source.with_originals:
            # Only originals on a reshared item, or sharing their id with another original,
            # can be on an item of two accounts: the others are left out of the distinct count
            # (most originals are never reshared: at 10M actions it grouped 10.5M instead of
            # 6.4M (item, account) string rows, 7.6 s of CPU instead of 5.9 s). Finding the
            # shared ids is one single-column group-by.
            ctes.append(f"_b AS (SELECT DISTINCT item FROM {base})")
            ctes.append("_od AS (SELECT item FROM (SELECT item FROM _o ANTI JOIN _b USING (item))"
                        " GROUP BY item HAVING count(*) > 1)")
            srcs += ["SELECT item, account_id FROM _o SEMI JOIN _b USING (item)",
                     "SELECT item, account_id FROM _o SEMI JOIN _od USING (item)"]
        # Two accounts or more: min < max (account_id is never NULL here); at most m: certain
        # for an item of at most m rows, counted exactly (count DISTINCT) on the items of more
        # rows only (10M actions: 6.8k of 877k items; the DISTINCT count of every item cost
        # 1.35 s, this 0.45 s plus the few). Their rows are the base's and the originals' on
        # them, as in the union (a many-row item is a base item or an _od one).
        m = int(source.max_item_accounts)
        ctes.append(f"_g AS MATERIALIZED (SELECT item, count(*) AS n FROM ({' UNION ALL '.join(srcs)}) GROUP BY item"
                    " HAVING min(account_id) < max(account_id))")
        ctes.append(f"_m AS (SELECT item FROM _g WHERE n > {m})")
        many = [f"SELECT item, account_id FROM {base} SEMI JOIN _m USING (item)"]
        if source.with_originals:
            many.append("SELECT item, account_id FROM _o SEMI JOIN _m USING (item)")
        ctes.append(f"_k AS (SELECT item FROM _g WHERE n <= {m} UNION ALL SELECT item FROM ({' UNION ALL '.join(many)})"
                    f" GROUP BY item HAVING count(DISTINCT account_id) <= {m})")
        if source.with_originals:  # numbered densely: scored on integer keys (arrays by uid)
            parts.append(f"SELECT {top} + row_number() OVER () AS uid, {cols} FROM ({ORIGINALS_SQL}){rare}")
    sql = (f"WITH {', '.join(ctes)} " if ctes else "") + " UNION ALL ".join(parts)
    # Left lazy: plain rows plus originals (fast_repost's chance rows, 10.6M at 10M actions),
    # read by one signal's scoring only, so built then and dropped after it (kept.done_with),
    # not held beside every other signal's rows while those are built and counted (at 10M
    # actions DuckDB then spilled 1.5 GB of them to disk before counting, 0.3 GB now); and rare
    # items when the data holds no originals: they are the base rows of rare items, which
    # deferred scoring picks out of the base's counting pass (rare.py).
    if not source.max_item_accounts or not has_originals(st):
        return _lazy(st, sql, base, int(source.max_item_accounts))
    ensure_items(st, base)
    return new(st, "items", sql)


def _lazy(st: DuckState, sql: str, base: str, max_accounts: int) -> Rel:
    """A handle on item rows built by ``sql`` when first read (see :class:`LazyItems`)."""
    name = fresh_name("items")
    st.lazy_items[name] = LazyItems(sql, base, max_accounts)
    return Rel(name, st.owner)


def has_originals(st: DuckState) -> bool:
    """Whether any action is an original (one scan of the kind column, stopped at the first)."""
    return bool(st.con.execute(f"SELECT count(*) FROM ({ORIGINALS_SQL} LIMIT 1)").fetchall()[0][0])


def repeated_action_ids(st: DuckState) -> bool:
    """Whether some (platform, action_id) has several rows: one hash aggregate, several
    times cheaper than the ordered window that keeps the first of each."""
    if st.repeats is None:
        st.repeats = bool(st.con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM actions GROUP BY platform, action_id"
            " HAVING count(*) > 1)").fetchall()[0][0])
    return st.repeats


def distinct_items(st: DuckState, items_name: str, limit: int | None = None) -> pa.Table:
    cap = "" if limit is None else f" LIMIT {int(limit)}"
    return st.con.sql(f"SELECT DISTINCT item FROM {items_name}{cap}").to_arrow_table()


def remap_items(st: DuckState, items_name: str, mapping: pa.Table) -> Rel:
    """``item`` replaced by ``mapping.group`` where ``mapping.item`` matches."""
    with arrow_view(st, mapping) as view:
        return new(st, "items", f"SELECT i.uid, i.platform, i.account_id, i.action_id,"
                   f" coalesce(m.group, i.item) AS item, i.t_us FROM {items_name} i"
                   f" LEFT JOIN {view} m ON m.item = i.item")
