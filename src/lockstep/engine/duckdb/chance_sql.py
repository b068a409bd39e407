"""The chance of an edge: :mod:`lockstep.engine.chance`'s formulas over a signal's item rows,
attached to its surprise edges as ``p_chance`` and ``chance_tests``.

Why in steps: ``G(theta)`` (one number per Chernoff exponent) is a sum over every item,
computed once per signal; the per-edge bound is then a plain SQL expression with those
numbers inlined, so it costs one join per edge, never a cross join of edges and exponents.
The curve itself is measured in numpy (:class:`~lockstep.engine.duckdb.chance_np.TimingCurve`,
the same code deferred scoring feeds from its counting pass) on the rows sorted by item and
time: at 10M actions the SQL form (accounts per item as a grouped count(DISTINCT), then a
RANGE window per item) took 20-40 s for one signal. Each account's distinct items (``d`` of
the bound) come with the edges of integer scoring or from the curve's own pass, not from a
string GROUP BY over the signal's rows (10M world: 2.1 s -> 0.5 s over the signals' chance
edges).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lockstep.engine.base import Rel
from lockstep.engine.chance import THETAS, n_tests
from lockstep.engine.duckdb.chance_np import TimingCurve
from lockstep.engine.duckdb.items import ORIGINALS_FROM
from lockstep.engine.duckdb.pair_counts import group_chunks
from lockstep.engine.duckdb.state import DuckState, accounts, arrow_view, drop, ensure_items, new, reader, step


def curve(st: DuckState, items: str, window_s: float,
          after_s: float | None = None) -> tuple[int, int, list[float]]:
    """``N`` (accounts), ``U`` (distinct account-item rows, the sum of every item's ``u``) and
    ``G(theta)`` for every theta of THETAS, from ``items``' rows (see :func:`measure`)."""
    return measure(st, items, window_s, after_s).result()


def measure(st: DuckState, items: str, window_s: float, after_s: float | None = None,
            degrees: bool = False) -> TimingCurve:
    """The chance curve of ``items``' rows streamed in item order (accounts numbered by the
    run's shared numbering), in chunks that never split an item; ``degrees``: each account's
    distinct items too. ``after_s``: a band (pairs at most that far apart do not count).

    The rows are sorted on the item strings themselves and numbered as they stream
    (:func:`_numbered`): at 10M actions (fast_repost's 10.6M rows with the originals) 4.1 ->
    3.1 s against numbering the distinct items first and joining the numbers back."""
    timing = _curve(window_s, after_s, degrees)
    _feed(st, f"SELECT s.item, s.t_us, acc.aid FROM {items} s JOIN {accounts(st)} acc USING (account_id)"
              f" ORDER BY s.item, s.t_us", timing)
    return timing


def _curve(window_s: float, after_s: float | None, degrees: bool) -> TimingCurve:
    after = None if after_s is None else int(round(after_s * 1_000_000))
    return TimingCurve(int(round(window_s * 1_000_000)), after, degrees)


def _feed(st: DuckState, sql: str, timing: TimingCurve) -> None:
    """``timing`` fed with ``sql``'s rows (item strings, t_us, aid, sorted by item and time), in
    chunks that never split an item."""
    for chunk in group_chunks(_numbered(reader(st, sql)), 1_000_000):
        timing.add(chunk)


def originals_curve(st: DuckState, items: str, window_s: float, after_s: float | None = None,
                    degrees: bool = False) -> TimingCurve | None:
    """The chance curve of lazy item rows that are a base's rows plus every original (a post
    is its author's action on it: ``fast_repost``'s chance rows), measured without building
    them; None when ``items`` is not such rows.

    Why: most originals are never reshared. An item of one row adds one to ``U``, to its
    account's distinct items and (its account) to ``N``, and nothing to ``G``, which needs two
    accounts on an item. So only the base's rows and the originals that may share an item
    (a 64-bit hash equal to a base item's or another original's: a collision only sends more
    rows to the exact, string-sorted pass) are sorted and streamed, in the same item order as
    all the rows would be (the same ``G``, summed in the same order); the rest are counted
    per account in one grouping. At 10M actions that sorts 5.6M rows instead of 10.6M, and the
    10.6M rows are never stored."""
    lz = st.lazy_items.get(items)
    if lz is None or lz.max_accounts != 0 or not lz.base:
        return None
    st.lazy_items.pop(items)  # measured here, never built: its only reader is this curve
    for key in [k for k, rel in st.item_cache.items() if rel.name == items]:
        del st.item_cache[key]
    ensure_items(st, lz.base)
    acc = accounts(st)
    origs = f"(SELECT account_id, action_id AS item, epoch_us(timestamp) AS t_us, hash(action_id) AS h{ORIGINALS_FROM})"
    shared = new(st, "hm", f"SELECT h FROM {origs} GROUP BY h HAVING count(*) > 1"
                           f" UNION SELECT hash(item) FROM {lz.base}").name
    timing = _curve(window_s, after_s, degrees)
    _feed(st, f"SELECT s.item, s.t_us, acc.aid FROM (SELECT account_id, item, t_us FROM {lz.base} UNION ALL"
              f" SELECT account_id, item, t_us FROM {origs} SEMI JOIN {shared} USING (h)) s"
              f" JOIN {acc} acc USING (account_id) ORDER BY s.item, s.t_us", timing)
    single = st.con.sql(f"SELECT acc.aid, count(*) AS n FROM {origs} o ANTI JOIN {shared} USING (h)"
                        f" JOIN {acc} acc USING (account_id) GROUP BY acc.aid").to_arrow_table()
    timing.add_singles(single.column("aid").to_numpy(), single.column("n").to_numpy())
    drop(st, {shared})
    return timing


def _numbered(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Batches sorted on their first column (item strings) with it replaced by a running
    number per distinct item (equal strings are adjacent, also across batches)."""
    last: object = None
    top = 0
    for b in batches:
        n = b.num_rows
        if not n:
            continue
        it = b.column(0)
        fresh = np.ones(n, bool)
        if n > 1:
            fresh[1:] = pc.not_equal(it.slice(1), it.slice(0, n - 1)).to_numpy(zero_copy_only=False)
        if top and it[0].as_py() == last:
            fresh[0] = False  # the previous batch's last item goes on
        ids = top + np.cumsum(fresh) - 1
        top, last = int(ids[-1]) + 1, it[n - 1].as_py()
        yield pa.record_batch([pa.array(ids), b.column(1), b.column(2)], names=["item", "t_us", "aid"])


def add_chance(st: DuckState, edges: str, items: str, window_s: float,
               measured: tuple[int, int, list[float]] | None = None, after_s: float | None = None) -> Rel:
    """``edges`` with ``p_chance`` and ``chance_tests`` (see :mod:`lockstep.engine.chance`);
    ``measured``: ``(N, U, G)`` already taken from these items (``chance_np``), else
    :func:`measure` takes it, with the accounts' distinct items (``d``) in the same pass.
    Edges with columns ``d_a`` and ``d_b`` carry those counts already (``surprise_np``, from
    the same item rows); else they are counted here in SQL."""
    carried = {"d_a", "d_b"} <= set(st.con.table(edges).columns)
    cols = "* EXCLUDE (d_a, d_b)" if carried else "*"
    if st.con.execute(f"SELECT count(*) FROM {edges}").fetchall() == [(0,)]:  # nothing to test: no curve
        return new(st, "edges", f"SELECT {cols}, NULL::DOUBLE AS p_chance, NULL::BIGINT AS chance_tests FROM {edges}")
    step(st, "chance of co-acting: per-item timing")
    deg = None
    if measured is None:
        timing = originals_curve(st, items, window_s, after_s, degrees=not carried)
        if timing is None:
            ensure_items(st, items)
            timing = measure(st, items, window_s, after_s, degrees=not carried)
        measured, deg = timing.result(), timing.degrees
    n_acc, total, g_theta = measured
    if total == 0:
        return new(st, "edges", f"SELECT {cols}, NULL::DOUBLE AS p_chance, NULL::BIGINT AS chance_tests FROM {edges}")
    c = f"((e.d_a * e.d_b)::DOUBLE / ({float(total)!r} * {float(total)!r}))"
    terms = ", ".join(f"{c} * {g!r} - {th!r} * e.weight" for th, g in zip(THETAS, g_theta))
    chance = f"exp(least(least({terms}), 0.0)) AS p_chance, {n_tests(n_acc)}::BIGINT AS chance_tests"
    if carried:
        return new(st, "edges", f"SELECT e.* EXCLUDE (d_a, d_b), {chance} FROM {edges} e")
    if deg is not None:  # measured here: the degrees by account number, joined on it
        aid = np.flatnonzero(deg)
        with arrow_view(st, pa.table({"aid": aid, "d": deg[aid]})) as view:
            acc = accounts(st)
            return new(st, "edges", f"""
            SELECT e.* EXCLUDE (d_a, d_b), {chance}
            FROM (SELECT e.*, coalesce(da.d, 0) AS d_a, coalesce(db.d, 0) AS d_b FROM {edges} e
                  LEFT JOIN {acc} xa ON xa.account_id = e.account_a LEFT JOIN {view} da ON da.aid = xa.aid
                  LEFT JOIN {acc} xb ON xb.account_id = e.account_b LEFT JOIN {view} db ON db.aid = xb.aid) e
            """)
    return new(st, "edges", f"""
    WITH deg AS (SELECT account_id, count(*) AS d FROM (SELECT account_id, item FROM {items}
                 SEMI JOIN (SELECT account_a AS account_id FROM {edges} UNION SELECT account_b FROM {edges})
                 USING (account_id) GROUP BY ALL) GROUP BY account_id)
    SELECT e.* EXCLUDE (d_a, d_b), {chance}
    FROM (SELECT e.*, coalesce(da.d, 0) AS d_a, coalesce(db.d, 0) AS d_b FROM {edges} e
          LEFT JOIN deg da ON da.account_id = e.account_a LEFT JOIN deg db ON db.account_id = e.account_b) e
    """)
