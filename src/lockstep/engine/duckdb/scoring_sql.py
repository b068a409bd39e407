"""SQL that turns action pairs into account edges, one builder per scoring definition.

- ``surprise`` (lockstep's own): each distinct item two accounts co-acted on counts once,
  weighted by its inverse popularity ``ln(N / n_item)`` (N accounts active in the signal,
  n_item of them on this item; clamped at 0). A post reshared by 50,000 accounts adds almost
  nothing to any pair; a post reshared only by the same 30 accounts adds a lot. This is the
  IDF half of Pacheco et al. (2021)'s TF-IDF, applied per co-action.
- ``coortweet``: CooRTweet 2.x ``detect_groups`` + ``generate_coordinated_network``:
  accounts with fewer than ``min_participation`` rows are dropped; loops (same account,
  same content id, object = content) are removed; a pair of shares survives when at least
  one of its shares belongs to an account with ``min_participation`` shares that take part
  in some pair; weight = number of pairs of shares, ``mean_dt_seconds`` = their mean gap.
- ``cnt``: coordination-network-toolkit: *directed* weight(u1 -> u2) = number of distinct
  messages of u1 with a message of u2 on the same item within the window; edges below
  ``min_edge_weight`` dropped; self loops only when ``remove_loops`` is false.
"""

from __future__ import annotations

from lockstep.engine.base import ScoreSpec


def surprise_steps(pairs: str, items: str, s: ScoreSpec) -> list[tuple[str, str]]:
    """The surprise co-actions as a chain of statements, each stored before the next runs:
    ``(name, sql)`` where ``sql`` may name earlier steps as ``{name}``; the last is the
    co-action relation (one row per account pair and item, with ``dt`` and item weight ``w``).

    Why steps and not one query: at 100M actions the single query (several CTEs over 14M
    candidate pair rows and 100M item rows) ran out of memory under a 3 GB limit, while each
    step alone spills and completes. Popularity and participation are computed only for the
    items and accounts in ``pairs``, with plain group-bys rather than per-group
    count(DISTINCT) (which keeps a hash set per group); the values are the same."""
    mp = max(int(s.min_participation), 1)
    steps = [("o", f"""SELECT least(account_a, account_b) AS a, greatest(account_a, account_b) AS b, item,
                 CASE WHEN account_a <= account_b THEN action_a ELSE action_b END AS action_a,
                 CASE WHEN account_a <= account_b THEN action_b ELSE action_a END AS action_b,
                 abs(t_b - t_a) / 1e6 AS dt
          FROM {pairs} WHERE account_a <> account_b""")]
    if mp > 1:  # both accounts need min_participation rows among the signal's items
        steps.append(("ok", f"""SELECT account_id FROM {items} SEMI JOIN
            (SELECT a AS account_id FROM {{o}} UNION SELECT b FROM {{o}}) USING (account_id)
            GROUP BY account_id HAVING count(*) >= {mp}"""))
        steps.append(("o", "SELECT * FROM {o} WHERE a IN (SELECT account_id FROM {ok})"
                           " AND b IN (SELECT account_id FROM {ok})"))
    steps.append(("pop", f"""SELECT item, count(*) AS n_accounts FROM (SELECT item, account_id FROM {items}
            SEMI JOIN (SELECT DISTINCT item FROM {{o}}) USING (item) GROUP BY item, account_id) GROUP BY item"""))
    # The earliest co-action per (pair, item). Nearly every (pair, item) has one row, so only
    # the keys seen twice (found on a 64-bit hash: a collision only sends more rows to the
    # exact grouping) are grouped; the others pass as they are (30-40% less than grouping all).
    steps.append(("per_item", "WITH h AS (SELECT *, hash(a, b, item) AS hk FROM {o}),"
                              " d AS (SELECT hk FROM h GROUP BY hk HAVING count(*) > 1)"
                              " SELECT a, b, item, {{'dt': dt, 'a1': action_a, 'b1': action_b}} AS m"
                              " FROM h ANTI JOIN d USING (hk) UNION ALL"
                              " SELECT a, b, item, min({{'dt': dt, 'a1': action_a, 'b1': action_b}})"
                              " FROM h SEMI JOIN d USING (hk) GROUP BY a, b, item"))
    steps.append(("coacts", f"""SELECT a AS account_a, b AS account_b, '{s.signal}' AS signal, item,
           m.a1 AS action_a, m.b1 AS action_b, m.dt AS dt,
           greatest(ln((SELECT count(*)::DOUBLE FROM (SELECT account_id FROM {items} GROUP BY account_id))
                       / pop.n_accounts), 0) AS w
    FROM {{per_item}} AS per_item JOIN {{pop}} AS pop USING (item)"""))
    return steps


def agg_sql(coacts: str) -> str:
    """Per account pair and signal: weight (sum of item weights), shared items, mean gap."""
    return (f"SELECT account_a, account_b, signal, sum(w) AS weight, count(*) AS n_shared,"
            f" avg(dt) AS mean_dt_seconds FROM {coacts} GROUP BY account_a, account_b, signal")


def surprise_edges(agg: str, s: ScoreSpec, common: str) -> str:
    """The edges of ``agg`` (:func:`agg_sql`, stored) that pass the synchrony test, with
    ``common`` a relation (account_a, account_b, n_common) for the pairs with two or more
    shared items (:func:`common_sql`, or the numpy count of ``common_np``)."""
    sync = float(s.extras.get("min_synchrony") or 0.0)
    return f"""
    WITH syn AS (SELECT agg.*, agg.n_shared / c.n_common::DOUBLE AS synchrony, c.n_common::DOUBLE AS nc
            FROM {agg} agg LEFT JOIN ({common}) c USING (account_a, account_b))
    SELECT * EXCLUDE (nc) FROM syn
    WHERE nc IS NULL OR {_wilson_low('synchrony', 'nc')} >= {sync}
    """


def common_sql(agg: str, rel: str) -> str:
    """Items both accounts of a pair with two or more shared items acted on at any time (the
    synchrony base), from ``rel``: pairs of actions at any gap, e.g. every reshare of an
    author's posts. Without such a relation the count is over the signal's items
    (:mod:`lockstep.engine.duckdb.common_np`)."""
    return (f"WITH multi AS (SELECT account_a, account_b FROM {agg} WHERE n_shared >= 2)"
            f" SELECT least(account_a, account_b) AS account_a, greatest(account_a, account_b)"
            f" AS account_b, count(DISTINCT item) AS n_common FROM {rel}"
            f" SEMI JOIN multi m ON m.account_a = least({rel}.account_a, {rel}.account_b)"
            f" AND m.account_b = greatest({rel}.account_a, {rel}.account_b) GROUP BY 1, 2")


def _wilson_low(p: str, n: str, z: float = 1.96) -> str:
    """Lower end of the 95% Wilson interval of a proportion: 4 of 4 is weaker evidence
    of lockstep than 40 of 42, and the bound says so."""
    z2 = z * z
    return (f"(({p} + {z2}/(2*{n}) - {z}*sqrt({p}*(1-{p})/{n} + {z2}/(4*{n}*{n})))"
            f" / (1 + {z2}/{n}))")


def _coortweet(pairs: str, items: str, s: ScoreSpec) -> tuple[str, str]:
    mp = int(s.min_participation)
    loops = ("AND account_a <> account_b AND action_a <> action_b"
             " AND item <> action_a AND item <> action_b") if s.remove_loops else ""
    pct = s.extras.get("edge_weight")
    thr = (f", CASE WHEN weight > (SELECT quantile_cont(weight, {float(pct)}) FROM agg) THEN 1 ELSE 0"
           f" END AS weight_threshold") if pct is not None else ""
    coacts = f"""
    WITH ok AS (SELECT account_id FROM {items} GROUP BY account_id HAVING count(*) >= {mp}),
    x AS (SELECT * FROM {items} SEMI JOIN ok USING (account_id)),
    r AS (SELECT * FROM {pairs}
          WHERE account_a IN (SELECT account_id FROM ok) AND account_b IN (SELECT account_id FROM ok)
          {loops}),
    c AS (SELECT action_a AS cid FROM r UNION SELECT action_b FROM r),
    filt AS (SELECT action_id FROM x WHERE account_id IN (
                SELECT account_id FROM x SEMI JOIN c ON c.cid = x.action_id
                GROUP BY account_id HAVING count(*) >= {mp})
             AND action_id IN (SELECT cid FROM c))
    SELECT least(account_a, account_b) AS account_a, greatest(account_a, account_b) AS account_b,
           '{s.signal}' AS signal, item, action_a, action_b, abs(t_b - t_a) / 1e6 AS dt, 1.0 AS w
    FROM r WHERE {'true' if mp < 1 else
                  'action_a IN (SELECT action_id FROM filt) OR action_b IN (SELECT action_id FROM filt)'}
    """
    edges = f"""
    WITH agg AS (SELECT account_a, account_b, signal, count(*)::DOUBLE AS weight,
                        count(DISTINCT item) AS n_shared, avg(dt) AS mean_dt_seconds
                 FROM {{coacts}} GROUP BY account_a, account_b, signal)
    SELECT *{thr} FROM agg
    """
    return coacts, edges


def _cnt(pairs: str, items: str, s: ScoreSpec) -> tuple[str, str]:
    loops = "" if not s.remove_loops else "WHERE account_a <> account_b"
    coacts = f"""
    WITH p AS (SELECT * FROM {pairs} WHERE action_a <> action_b),
    o AS (SELECT account_a, account_b, action_a, action_b, item, abs(t_b - t_a) / 1e6 AS dt FROM p
          UNION ALL
          SELECT account_b, account_a, action_b, action_a, item, abs(t_b - t_a) / 1e6 FROM p)
    SELECT account_a, account_b, '{s.signal}' AS signal, item, action_a, action_b, dt, 1.0 AS w
    FROM o {loops}
    """
    # Distinct counts as two plain group-bys (per message, per item) joined back: DuckDB's
    # grouped count(DISTINCT) keeps a hash set per group and was 5x slower on 1M actions.
    edges = f"""
    WITH per_msg AS (SELECT account_a, account_b, signal, action_a, count(*) AS n, sum(dt) AS s
                     FROM {{coacts}} GROUP BY ALL),
    w AS (SELECT account_a, account_b, signal, count(*)::DOUBLE AS weight,
                 sum(s) / sum(n) AS mean_dt_seconds
          FROM per_msg GROUP BY ALL HAVING count(*) >= {float(s.min_edge_weight)}),
    per_item AS (SELECT DISTINCT account_a, account_b, signal, item FROM {{coacts}}
                 SEMI JOIN w USING (account_a, account_b, signal)),
    ni AS (SELECT account_a, account_b, signal, count(*) AS n_shared FROM per_item GROUP BY ALL)
    SELECT account_a, account_b, signal, weight, n_shared, mean_dt_seconds
    FROM w JOIN ni USING (account_a, account_b, signal)
    """
    return coacts, edges


def evidence_sql(edges: str, coacts: str | None, k: int, semi: bool = True, grouped: str | None = None) -> str:
    """Attach evidence lists (top ``k`` items by weight, then item, and the action pair behind
    each) to already pruned edges: lists are built only for the edges that are kept.

    An item's evidence is its largest weight and its closest action pair over the edge's
    co-action rows on that item: an aggregate per (edge, item), which at 10M actions grouped
    15M rows on four strings (most of 40 s). But an edge whose row count equals its
    ``n_shared`` (every scoring counts distinct shared items there) has one row per item, and
    its top ``k`` rows are its evidence as they are: all of surprise scoring's edges. So the
    rows of ``coacts`` are counted per edge, the edges with one row per item take their top
    ``k`` rows directly, and only the others' rows are grouped per item first. ``grouped``:
    co-actions whose rows mostly repeat items (the peer tools' pairs of messages), grouped per
    item at once (counting first would be wasted there). Either way the lists are the same
    (tests/engine/test_evidence_lists.py). The top ``k`` is the head of each edge's sorted list
    of structs (weight descending, then item: a total order within an edge). DuckDB's bounded
    ``min(x, k)`` gives the same lists faster in memory, but its per-edge heaps do not spill:
    at 1M edges it ran out of memory under 3 GB on the 10M-action simulator world, and filled
    56 GB of disk on a synthetic 15M-row test that the list form completes in 30 s."""
    def rows(rel: str) -> str:
        join = (f" SEMI JOIN {edges} e ON e.account_a = x.account_a AND e.account_b = x.account_b"
                f" AND e.signal = x.signal") if semi else ""
        return f"(SELECT x.* FROM {rel} x{join})"

    def per_item(rel: str) -> str:
        return (f"SELECT account_a, account_b, signal, list_sort(list({{'nw': -w, 'item': item, 'a1': m.a1,"
                f" 'b1': m.b1}}))[1:{int(k)}] AS t FROM (SELECT account_a, account_b, signal, item, max(w) AS w,"
                f" min({{'dt': dt, 'a1': action_a, 'b1': action_b}}) AS m FROM {rel} GROUP BY 1, 2, 3, 4)"
                " GROUP BY 1, 2, 3")

    ctes, tops = [], []
    if coacts is not None:
        on = "d.account_a = x.account_a AND d.account_b = x.account_b AND d.signal = x.signal"
        ctes.append(f"""n AS (SELECT account_a, account_b, signal, count(*) AS nrows FROM {rows(coacts)} x GROUP BY 1, 2, 3),
    dup AS (SELECT account_a, account_b, signal FROM n JOIN {edges} e USING (account_a, account_b, signal)
            WHERE n.nrows IS DISTINCT FROM e.n_shared)""")
        tops.append(f"SELECT x.account_a, x.account_b, x.signal, list_sort(list({{'nw': -x.w, 'item': x.item,"
                    f" 'a1': x.action_a, 'b1': x.action_b}}))[1:{int(k)}] AS t FROM {rows(coacts)} x ANTI JOIN dup d ON {on} GROUP BY 1, 2, 3")
        tops.append(per_item(f"(SELECT x.* FROM {coacts} x SEMI JOIN dup d ON {on})"))
    if grouped is not None:
        tops.append(per_item(rows(grouped)))
    if not tops:
        raise ValueError("evidence_sql needs coacts or grouped")
    ctes.append("top AS (" + " UNION ALL ".join(tops) + ")")
    return f"""
    WITH {", ".join(ctes)},
    ev AS (SELECT account_a, account_b, signal, list_transform(t, lambda x: x.item) AS evidence_items,
                  list_transform(t, lambda x: x.a1 || '~' || x.b1) AS evidence_actions FROM top)
    SELECT e.*, ev.evidence_items, ev.evidence_actions
    FROM {edges} e LEFT JOIN ev USING (account_a, account_b, signal)
    """


def score_sql(pairs: str, items: str, spec: ScoreSpec) -> tuple[str, str]:
    """Two statements for ``spec.scoring``: the co-actions (one row per account pair, item
    and pair of actions, with ``dt`` and item weight ``w``) and the edges built from them
    (with ``{coacts}`` standing for the co-action relation)."""
    if spec.scoring == "surprise":
        raise ValueError("surprise scoring runs in steps: use surprise_steps()")
    return {"coortweet": _coortweet, "cnt": _cnt}[spec.scoring](pairs, items, spec)
