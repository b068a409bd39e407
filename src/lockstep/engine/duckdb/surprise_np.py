"""Surprise scoring of the kept pair rows on integer keys: deferred pairs to edges in numpy.

Why: deferred scoring (:mod:`lockstep.engine.duckdb.deferred`) keeps, out of its counting
pass, the (uid_a, uid_b) rows of the account pairs that can reach ``--min-shared``. Scored in
SQL (:func:`~lockstep.engine.duckdb.scoring_sql.surprise_steps`), those rows were first joined
back to their strings (item, action and account ids) and then grouped on the strings step by
step: on the 10M-action simulator world, 7M rows for co_repost_slow and as many for
co_repost, about 40 s of detect in string joins and group-bys. Here the same definition runs
on the item rows' integers (account number, item number, time), read once per signal: the
earliest co-action per (account pair, item) by one sort of packed keys, item popularity and
participation by counts, the per-pair sums by segments of the sorted rows, and the synchrony
base by :func:`~lockstep.engine.duckdb.common_np.common_counts` on the same arrays. Strings
come back only where an output needs them: account ids for the edges, and (in
:mod:`~lockstep.engine.duckdb.evidence_lists`) item and action ids for the evidence rows of
the edges that survive pruning.

Account numbers (``accounts()``) follow the account ids' order, so ``least``/``greatest`` on
numbers orient a pair as the SQL does on strings; ties of the earliest co-action (same gap)
are broken on the action ids' strings, as the SQL's ``min`` of a struct does. The edges are
those of the SQL steps (tests/engine/test_surprise_np.py runs both on the same rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from lockstep.distinct import distinct
from lockstep.engine.base import ScoreSpec
from lockstep.engine.duckdb.common_np import common_counts
from lockstep.engine.duckdb.memory import memory_limit_bytes
from lockstep.engine.duckdb.state import DuckState, accounts, arrow_view, new
from lockstep.engine.duckdb.surprise_rows import pair_sums

Z = 1.96  # the Wilson bound's z, as scoring_sql._wilson_low


@dataclass(frozen=True)
class IntCoacts:
    """One signal's co-actions kept for evidence as integers: ``table`` holds (aid_a, aid_b,
    uid_a, uid_b, dt, w), one row per account pair and item, for the pairs that became edges;
    ``items`` is the item rows the uids number (their item and action ids)."""

    table: str
    items: str
    signal: str


#: numpy bytes per item row and per kept pair row at the integer scoring's peak (measured on the
#: 10M-action world, rounded up): the arrays must fit beside DuckDB's share of the memory limit
ITEM_ROW_BYTES = 72
PAIR_ROW_BYTES = 120


def can_score(st: DuckState, spec: ScoreSpec, item_rows: int, kept_rows: int) -> bool:
    """Whether ``spec`` scores on the signal's own items (no separate synchrony base) and its
    arrays fit in half the memory limit (``numpy_room`` holds DuckDB to the other half).
    Larger signals (100M actions) stay in the SQL steps, which spill to disk."""
    if spec.scoring != "surprise" or spec.common is not None:
        return False
    limit = memory_limit_bytes(st.con)
    return limit is None or ITEM_ROW_BYTES * item_rows + PAIR_ROW_BYTES * kept_rows <= limit // 2


def score_ints(st: DuckState, kept: str, items: str, spec: ScoreSpec) -> str:
    """The surprise edges (account_a, account_b, signal, weight, n_shared, mean_dt_seconds,
    synchrony) of the kept pair rows ``kept`` (uid_a, uid_b) over the item rows ``items``;
    their co-actions are added to ``st.int_coacts`` for evidence. Returns the edges' table."""
    ints = st.int_rows.get(items)  # the counting pass's integer copy of these rows, when it made one
    sql = (f"SELECT uid, aid, item AS iid, t_us FROM {ints}" if ints is not None else
           f"WITH itm AS (SELECT item, row_number() OVER () AS iid FROM (SELECT DISTINCT item FROM {items}))"
           f" SELECT s.uid, acc.aid, itm.iid, s.t_us FROM {items} s JOIN itm USING (item)"
           f" JOIN {accounts(st)} acc USING (account_id)")
    rows = _numpy(st, sql)
    aid_r, iid_r = rows["aid"], rows["iid"]
    n_acc = int(aid_r.max()) + 1 if len(aid_r) else 1
    ai = distinct(iid_r * n_acc + aid_r)  # distinct (item, account): popularity, synchrony base
    mp = max(int(spec.min_participation), 1)
    ok = np.bincount(aid_r) >= mp if mp > 1 else None  # accounts with min_participation rows
    # Popularity: accounts per item; N: accounts in the signal (over every item row).
    pop = np.bincount(ai // n_acc)
    deg = np.bincount(ai % n_acc, minlength=n_acc)  # distinct items per account
    k = _numpy(st, f"SELECT uid_a, uid_b FROM {kept}")

    def ties(g: np.ndarray, row: np.ndarray, ua: np.ndarray, ub: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _smallest_ids(st, items, g, row, ua, ub)
    s = pair_sums(rows["uid"], aid_r, iid_r, rows["t_us"], k["uid_a"], k["uid_b"], ok, pop,
                  float(np.count_nonzero(deg)), ties)
    del rows, k, aid_r, iid_r, ok, pop
    pa_, pb_, n_shared = s.a, s.b, s.n_shared
    synchrony, passed = _synchrony(ai, n_acc, pa_, pb_, n_shared, float(spec.extras.get("min_synchrony") or 0.0))
    del ai
    acc, sig = accounts(st), spec.signal.replace("'", "''")
    cols = {"aid_a": pa_[passed], "aid_b": pb_[passed], "weight": s.weight[passed], "n_shared": n_shared[passed],
            "mean_dt_seconds": s.mean_dt[passed],
            "synchrony": pa.array(synchrony[passed], pa.float64(), mask=np.isnan(synchrony[passed]))}
    if spec.chance_window_s is not None and spec.chance_items is None:  # add_chance's d, from these rows
        cols.update(d_a=deg[pa_[passed]], d_b=deg[pb_[passed]])
    del deg
    with arrow_view(st, pa.table(cols)) as view:
        edges = new(st, "edges", f"SELECT xa.account_id AS account_a, xb.account_id AS account_b, '{sig}' AS signal,"
                                 f" v.* EXCLUDE (aid_a, aid_b) FROM {view} v"
                                 f" JOIN {acc} xa ON xa.aid = v.aid_a JOIN {acc} xb ON xb.aid = v.aid_b").name
    row_pass = np.repeat(passed, n_shared)  # the co-actions of the edges kept: evidence
    with arrow_view(st, pa.table({"aid_a": np.repeat(pa_[passed], n_shared[passed]),
                                  "aid_b": np.repeat(pb_[passed], n_shared[passed]), "uid_a": s.row_a[row_pass],
                                  "uid_b": s.row_b[row_pass], "dt": s.dt[row_pass], "w": s.w[row_pass]})) as view:
        co = new(st, "icoacts", f"SELECT * FROM {view}").name
    st.int_coacts.append(IntCoacts(co, items, spec.signal))
    st.filtered = True
    return edges


def _numpy(st: DuckState, sql: str) -> dict[str, np.ndarray]:
    """``sql``'s columns as int64 numpy arrays, read through Arrow (10M world: 5.4M rows of
    four columns 0.9 s by ``fetchnumpy``, 0.2 s as an Arrow table)."""
    got = st.con.sql(sql).to_arrow_table()
    return {n: np.asarray(got.column(n).to_numpy(), np.int64) for n in got.column_names}


def _smallest_ids(st: DuckState, items: str, g: np.ndarray, row: np.ndarray, ua: np.ndarray,
                  ub: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per group ``g``, its ``row`` with the smallest (action id of ``ua``, of ``ub``) as
    strings: one grouped ``arg_min`` in DuckDB (the SQL steps' ``min`` of a struct), not the
    ids fetched in order and sorted in Arrow with the strings as keys (10M world: about 1 s of
    co_repost's scoring)."""
    with arrow_view(st, pa.table({"g": g, "row": row, "ua": ua, "ub": ub})) as view:
        got = st.con.sql(f"SELECT v.g, arg_min(v.row, {{'x': ia.action_id, 'y': ib.action_id}}) AS row"
                         f" FROM {view} v JOIN {items} ia ON ia.uid = v.ua JOIN {items} ib ON ib.uid = v.ub"
                         " GROUP BY v.g").fetchnumpy()
    return np.asarray(got["g"], np.int64), np.asarray(got["row"], np.int64)


def _synchrony(ai: np.ndarray, n_acc: int, pa_: np.ndarray, pb_: np.ndarray, n_shared: np.ndarray,
               sync: float) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: its synchrony (shared items over items both acted on at any time; NaN below
    two shared items) and whether it passes the Wilson test (``surprise_edges``)."""
    nc = np.full(len(pa_), np.nan)
    multi = np.flatnonzero(n_shared >= 2)
    if len(multi):
        acc_m = np.zeros(n_acc, bool)
        acc_m[pa_[multi]] = True
        acc_m[pb_[multi]] = True
        ai_acc = ai % n_acc
        mine = acc_m[ai_acc]
        nc[multi] = common_counts(ai_acc[mine], ai[mine] // n_acc, pa_[multi], pb_[multi])
    p = n_shared / nc
    z2 = Z * Z
    with np.errstate(invalid="ignore"):
        low = (p + z2 / (2 * nc) - Z * np.sqrt(p * (1 - p) / nc + z2 / (4 * nc * nc))) / (1 + z2 / nc)
    return p, np.isnan(nc) | (low >= sync)


def string_coacts(st: DuckState, ic: IntCoacts) -> str:
    """``ic`` as a stored co-action table with strings (the columns of the SQL steps' ``coacts``),
    for evidence built beside co-actions of other scorings."""
    acc = accounts(st)
    sig = ic.signal.replace("'", "''")
    name = new(st, "coacts", f"SELECT xa.account_id AS account_a, xb.account_id AS account_b, '{sig}' AS signal,"
                             f" ia.item, ia.action_id AS action_a, ib.action_id AS action_b, x.dt, x.w"
                             f" FROM {ic.table} x JOIN {acc} xa ON xa.aid = x.aid_a JOIN {acc} xb ON xb.aid = x.aid_b"
                             f" JOIN {ic.items} ia ON ia.uid = x.uid_a JOIN {ic.items} ib ON ib.uid = x.uid_b").name
    st.unique_coacts.add(name)
    return name
