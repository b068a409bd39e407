"""The ``cnt`` scoring (coordination-network-toolkit's definitions) on integer keys.

Why a path of its own: the toolkit's weight is per *directed* account pair, the number of
distinct messages of the first account with a message of the second on the same item within
the window. In SQL over string rows that meant storing every window pair with its strings,
doubling it for both directions and grouping on string keys: about 3 s of a 4.7 s detect at
1M actions, and at 10M the string rows filled the disk. Here the window pairs are enumerated
in numpy from the item-sorted integer rows (the same enumeration that counts candidate pairs,
:mod:`lockstep.engine.duckdb.pair_counts`, tested against the SQL join), the directed rows are
stored as integers, weighted with integer group-bys, and only the rows of edges that pass
``min_edge_weight`` are turned back into strings for ``n_shared`` and the evidence lists.
The edges and evidence are exactly those of :func:`lockstep.engine.duckdb.scoring_sql.score_sql`
(tested against it).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from lockstep.engine.base import PairSpec, Rel, ScoreSpec
from lockstep.engine.duckdb.pair_counts import BUDGET_BYTES, KeySet, PairCounter, chunk_pairs, group_chunks, pair_keys
from lockstep.engine.duckdb.pairs import int_form_sql, sorted_rows_sql
from lockstep.engine.duckdb.spool import Spool
from lockstep.engine.duckdb.state import DuckState, accounts, append, count, hot_items, new, reader, step
from lockstep.errors import EngineError

Chunk = dict[str, np.ndarray]


def score_cnt(st: DuckState, src: str, pspec: PairSpec, spec: ScoreSpec) -> Rel:
    """Edges (account_a, account_b, signal, weight, n_shared, mean_dt_seconds) of the window
    pairs of items relation ``src``, scored the toolkit's way."""
    hot = hot_items(st, src, pspec)
    it = new(st, "ints", int_form_sql(src, accounts(st), hot, messages=True)).name
    cp = new(st, "cntpairs", "SELECT 0::BIGINT AS a, 0::BIGINT AS b, 0::BIGINT AS m, 0::BIGINT AS dt,"
                             " 0::BIGINT AS ua, 0::BIGINT AS ub WHERE false").name
    w = int(round(pspec.window_s * 1_000_000))
    k = int(pspec.max_neighbours) if hot else 0
    after = None if pspec.after_s is None else int(round(pspec.after_s * 1_000_000))
    sql = sorted_rows_sql(it, "mid, uid")
    n_actions = count(st, it)
    cand: KeySet | None = None
    held: list[Chunk] = []  # the first pass's rows, for the second
    need = math.ceil(spec.min_edge_weight)
    try:
        if need > 1:
            # weight(a -> b) counts distinct messages of a, each in at least one pair row of
            # {a, b} (in two for a loop, a == b): pairs with fewer rows than the threshold are
            # dropped before any row is stored (a count of 64-bit keys, as for candidate pairs).
            step(st, f"counting co-acting pairs of {n_actions:,} actions")
            counter = PairCounter(st.scratch)
            n_pairs = 0
            try:
                for c, i, j in _cnt_pairs(st, sql, w, k, spec, keep_chunks=held, after=after):
                    p, q = c["aid"][i], c["aid"][j]
                    keys = pair_keys(p, q)
                    counter.add(keys)
                    counter.add(keys[p == q])  # a loop row gives its account two messages
                    n_pairs += len(keys)
                    step(st, f"counting co-acting pairs: {n_pairs:,} pair rows")
                st.stats["cnt_pair_rows"] = st.stats.get("cnt_pair_rows", 0) + n_pairs
                cand = KeySet(counter.at_least(need))
            finally:
                counter.close()
        n_rows = 0
        spool = Spool(st.scratch)  # DuckDB takes no insert while a reader is open
        try:
            step(st, f"pairing {n_actions:,} actions")
            for c, i, j in _cnt_pairs(st, sql, w, k, spec, chunks=held or None, after=after):
                if cand is not None:
                    hit = cand.contains(pair_keys(c["aid"][i], c["aid"][j]))
                    i, j = i[hit], j[hit]
                dt = np.abs(c["t_us"][j] - c["t_us"][i])
                spool.add(pa.table({
                    "a": np.concatenate((c["aid"][i], c["aid"][j])),
                    "b": np.concatenate((c["aid"][j], c["aid"][i])),
                    "m": np.concatenate((c["mid"][i], c["mid"][j])),
                    "dt": np.concatenate((dt, dt)),
                    "ua": np.concatenate((c["uid"][i], c["uid"][j])),
                    "ub": np.concatenate((c["uid"][j], c["uid"][i]))}))
                n_rows += 2 * len(i)
                step(st, f"pairing: {n_rows:,} directed pair rows kept")
            for part in spool.parts():
                append(st, cp, part)
        finally:
            spool.close()
    except OSError as exc:
        raise EngineError(f"storing pair rows in {st.scratch} failed: {exc.strerror or exc}"
                          " (free disk space there, or raise --min-edge-weight)") from None
    st.stats["cnt_rows_stored"] = st.stats.get("cnt_rows_stored", 0) + n_rows
    step(st, f"weighting {n_rows:,} directed pair rows")
    wt = new(st, "cntw", f"""
        WITH per_msg AS (SELECT a, b, m, count(*) AS n, sum(dt) AS s FROM {cp} GROUP BY ALL)
        SELECT a, b, count(*)::DOUBLE AS weight, sum(s) / sum(n) / 1e6 AS mean_dt_seconds
        FROM per_msg GROUP BY ALL HAVING count(*) >= {float(spec.min_edge_weight)}""").name
    # Strings only for the kept edges' rows: the evidence and the distinct items.
    kept = new(st, "cntkept", f"""
        SELECT p.a, p.b, ia.account_id AS account_a, ib.account_id AS account_b, ia.item,
               ia.action_id AS action_a, ib.action_id AS action_b, p.dt / 1e6 AS dt
        FROM {cp} p SEMI JOIN {wt} USING (a, b)
        JOIN {src} ia ON ia.uid = p.ua JOIN {src} ib ON ib.uid = p.ub""").name
    sig = spec.signal.replace("'", "''")
    co = new(st, "coacts", f"SELECT account_a, account_b, '{sig}' AS signal, item, action_a, action_b,"
                           f" dt, 1.0 AS w FROM {kept}")
    st.coacts.append(co.name)
    st.filtered = True
    return new(st, "edges", f"""
        WITH ni AS (SELECT a, b, any_value(account_a) AS account_a, any_value(account_b) AS account_b,
                           count(DISTINCT item) AS n_shared FROM {kept} GROUP BY a, b)
        SELECT ni.account_a, ni.account_b, '{sig}' AS signal, wt.weight, ni.n_shared,
               wt.mean_dt_seconds FROM {wt} wt JOIN ni USING (a, b)""")


def _cnt_pairs(st: DuckState, sql: str, w: int, k: int, spec: ScoreSpec,
               keep_chunks: list[Chunk] | None = None, chunks: list[Chunk] | None = None,
               after: int | None = None) -> Iterator[tuple[Chunk, np.ndarray, np.ndarray]]:
    """Window pairs ``(chunk, i, j)`` of the sorted integer rows, less the pairs the toolkit
    never makes: a message with itself, and (``remove_loops``) an account with itself.

    The rows come from ``chunks`` when given, else from ``sql``; ``keep_chunks`` collects them
    (up to the pair buffer's size) so that a second pass need not sort and read again."""
    rows = None if chunks is not None else reader(st, sql)
    held = 0
    try:
        source = chunks if chunks is not None else group_chunks(rows or iter(()), 1_000_000)
        for c in source:
            if keep_chunks is not None and held <= BUDGET_BYTES * 4:
                keep_chunks.append(c)
                held += sum(a.nbytes for a in c.values())
            for c_, i, j in chunk_pairs(c, w, k, after):
                keep = c_["mid"][i] != c_["mid"][j]
                if spec.remove_loops:
                    keep &= c_["aid"][i] != c_["aid"][j]
                yield c_, i[keep], j[keep]
        if keep_chunks is not None and held > BUDGET_BYTES * 4:
            keep_chunks.clear()  # too large to hold: the second pass reads again
    finally:
        if rows is not None:
            rows.close()
