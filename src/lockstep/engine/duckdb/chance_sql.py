"""The chance of an edge in SQL: :mod:`lockstep.engine.chance`'s formulas over a signal's
item rows, attached to its surprise edges as ``p_chance`` and ``chance_tests``.

Why in steps: ``G(theta)`` (one number per Chernoff exponent) is a sum over every item,
computed once per signal (the per-item timing in SQL, the sum over items in numpy, where 28
powers per item are cheap); the per-edge bound is then a plain expression with those
numbers inlined, so it costs one join per edge, never a cross join of edges and exponents.
"""

from __future__ import annotations

import numpy as np

from lockstep.engine.chance import THETAS, n_tests
from lockstep.engine.duckdb.state import DuckState, new, step
from lockstep.engine.base import Rel


def timing_sql(items: str, per_item: str, window_us: int, after_us: int | None = None) -> str:
    """Per item that can count (two or more accounts, some pair within the window): ``u``
    and ``p`` = ordered pairs of distinct rows within ``w`` of each other (a RANGE frame of
    ``w`` either side, less the row itself) over ``n (n - 1)``. ``per_item`` holds each item's
    ``u`` (distinct accounts) and ``n`` (rows): the window runs only over items with u >= 2.
    ``after_us`` (a band): less the pairs at most that far apart."""
    less = "" if after_us is None else (f" - (count(*) OVER (PARTITION BY item ORDER BY t_us RANGE BETWEEN"
                                        f" {int(after_us)} PRECEDING AND {int(after_us)} FOLLOWING) - 1)")
    return f"""
    WITH r AS (SELECT item, count(*) OVER (PARTITION BY item ORDER BY t_us
                   RANGE BETWEEN {window_us} PRECEDING AND {window_us} FOLLOWING) - 1{less} AS c
               FROM {items} SEMI JOIN (SELECT item FROM {per_item} WHERE u >= 2) USING (item)),
    w AS (SELECT item, sum(c) AS within FROM r GROUP BY item HAVING sum(c) > 0)
    SELECT per.u::DOUBLE AS u, w.within / (per.n * (per.n - 1))::DOUBLE AS p
    FROM w JOIN {per_item} per USING (item)
    """


def curve(st: DuckState, items: str, window_s: float,
          after_s: float | None = None) -> tuple[int, int, list[float]]:
    """``N`` (accounts), ``U`` (distinct account-item rows, the sum of every item's ``u``) and
    ``G(theta)`` for every theta of THETAS (the sum over items is done in numpy on the
    per-item values). One grouping per item serves both ``U`` and the timing."""
    # Two plain group-bys (per item and account, then per item): DuckDB's grouped
    # count(DISTINCT) keeps a hash set per group and was several times slower at 10M rows.
    per = new(st, "peritem", "SELECT item, count(account_id) AS u, sum(c)::BIGINT AS n FROM"
                             f" (SELECT item, account_id, count(*) AS c FROM {items} GROUP BY item, account_id)"
                             " GROUP BY item").name
    n_acc = st.con.execute(f"SELECT count(DISTINCT account_id) FROM {items}").fetchall()[0][0]
    total = st.con.execute(f"SELECT sum(u) FROM {per}").fetchall()[0][0]
    after = None if after_s is None else int(round(after_s * 1_000_000))
    t = st.con.sql(timing_sql(items, per, int(round(window_s * 1_000_000)), after)).to_arrow_table()
    u = t.column("u").to_numpy()
    p = t.column("p").to_numpy()
    g = [float(np.sum(u * u * p * (np.power(float(n_acc) / u, th) - 1.0))) if len(u) else 0.0
         for th in THETAS]
    return int(n_acc or 0), int(total or 0), g


def add_chance(st: DuckState, edges: str, items: str, window_s: float,
               measured: tuple[int, int, list[float]] | None = None, after_s: float | None = None) -> Rel:
    """``edges`` with ``p_chance`` and ``chance_tests`` (see :mod:`lockstep.engine.chance`);
    ``measured``: ``(N, U, G)`` already taken from these items (``chance_np``), else :func:`curve`."""
    if st.con.execute(f"SELECT count(*) FROM {edges}").fetchone() == (0,):  # nothing to test: no curve
        return new(st, "edges", f"SELECT *, NULL::DOUBLE AS p_chance, NULL::BIGINT AS chance_tests FROM {edges}")
    step(st, "chance of co-acting: per-item timing")
    n_acc, total, g_theta = measured if measured is not None else curve(st, items, window_s, after_s)
    if total == 0:
        return new(st, "edges", f"SELECT *, NULL::DOUBLE AS p_chance, NULL::BIGINT AS chance_tests FROM {edges}")
    c = f"((e.d_a * e.d_b)::DOUBLE / ({float(total)!r} * {float(total)!r}))"
    terms = ", ".join(f"{c} * {g!r} - {th!r} * e.weight" for th, g in zip(THETAS, g_theta))
    return new(st, "edges", f"""
    WITH deg AS (SELECT account_id, count(*) AS d FROM (SELECT account_id, item FROM {items}
                 SEMI JOIN (SELECT account_a AS account_id FROM {edges} UNION SELECT account_b FROM {edges})
                 USING (account_id) GROUP BY ALL) GROUP BY account_id)
    SELECT e.* EXCLUDE (d_a, d_b), exp(least(least({terms}), 0.0)) AS p_chance,
           {n_tests(n_acc)}::BIGINT AS chance_tests
    FROM (SELECT e.*, coalesce(da.d, 0) AS d_a, coalesce(db.d, 0) AS d_b FROM {edges} e
          LEFT JOIN deg da ON da.account_id = e.account_a LEFT JOIN deg db ON db.account_id = e.account_b) e
    """)
