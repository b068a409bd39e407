"""The chance of an edge: :mod:`lockstep.engine.chance`'s formulas over a signal's item rows,
attached to its surprise edges as ``p_chance`` and ``chance_tests``.

Why in steps: ``G(theta)`` (one number per Chernoff exponent) is a sum over every item,
computed once per signal; the per-edge bound is then a plain SQL expression with those
numbers inlined, so it costs one join per edge, never a cross join of edges and exponents.
The curve itself is measured in numpy (:class:`~lockstep.engine.duckdb.chance_np.TimingCurve`,
the same code deferred scoring feeds from its counting pass) on the rows as integers sorted
by item and time: at 10M actions the SQL form (accounts per item as a grouped
count(DISTINCT), then a RANGE window per item) took 20-40 s for one signal.
"""

from __future__ import annotations

from lockstep.engine.base import Rel
from lockstep.engine.chance import THETAS, n_tests
from lockstep.engine.duckdb.chance_np import TimingCurve
from lockstep.engine.duckdb.pair_counts import group_chunks
from lockstep.engine.duckdb.state import DuckState, accounts, new, reader, step


def curve(st: DuckState, items: str, window_s: float,
          after_s: float | None = None) -> tuple[int, int, list[float]]:
    """``N`` (accounts), ``U`` (distinct account-item rows, the sum of every item's ``u``) and
    ``G(theta)`` for every theta of THETAS, from ``items``' rows numbered (items here by their
    hash-grouped distinct values, accounts by the run's shared numbering) and streamed in
    item order, in chunks that never split an item. ``after_s``: a band (pairs at most that
    far apart do not count)."""
    after = None if after_s is None else int(round(after_s * 1_000_000))
    timing = TimingCurve(int(round(window_s * 1_000_000)), after)
    sql = (f"WITH itm AS (SELECT item, row_number() OVER () AS iid FROM (SELECT DISTINCT item FROM {items}))"
           f" SELECT itm.iid AS item, s.t_us, acc.aid FROM {items} s JOIN itm USING (item)"
           f" JOIN {accounts(st)} acc USING (account_id) ORDER BY 1, 2")
    for chunk in group_chunks(reader(st, sql), 1_000_000):
        timing.add(chunk)
    return timing.result()


def add_chance(st: DuckState, edges: str, items: str, window_s: float,
               measured: tuple[int, int, list[float]] | None = None, after_s: float | None = None) -> Rel:
    """``edges`` with ``p_chance`` and ``chance_tests`` (see :mod:`lockstep.engine.chance`);
    ``measured``: ``(N, U, G)`` already taken from these items (``chance_np``), else :func:`curve`."""
    if st.con.execute(f"SELECT count(*) FROM {edges}").fetchall() == [(0,)]:  # nothing to test: no curve
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
