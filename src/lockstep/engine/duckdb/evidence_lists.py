"""Evidence lists of co-actions with one row per item, cut in Arrow instead of DuckDB lists.

Why: an edge's evidence is its first ``k`` items by weight (descending), then item, each with
its action pair (:func:`~lockstep.engine.duckdb.scoring_sql.evidence_sql` defines it). In SQL
that is a per-edge ``list_sort(list(struct))`` of strings grouped on three string columns; on
the 10M-action simulator world (1.03M kept edges, 4.2M of their co-action rows) it took 26 s
of detect, most of it building and sorting the lists. Here the kept edges are numbered once,
each co-action row is joined to its edge number, the rows are read in edge order (a DuckDB
sort on one integer, spilling when large) in chunks that never split an edge, and each chunk
is sorted and cut in Arrow; the lists wait in a :class:`~lockstep.engine.duckdb.spool.Spool`
(the connection cannot store while it streams) and are joined back on the edge number
(12 s -> about 4 s on the same rows under the same load).

Only for co-actions with one row per (account pair, item) (surprise scoring's, see
``DuckState.unique_coacts``): then an edge's rows are its items and the first ``k`` rows are
its evidence. The same lists as the SQL (tests/engine/test_evidence_lists.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lockstep.engine.duckdb.pair_counts import key_chunks
from lockstep.engine.duckdb.spool import Spool
from lockstep.engine.duckdb.state import DuckState, accounts, append, new, reader
from lockstep.engine.duckdb.surprise_np import IntCoacts
from lockstep.errors import EngineError

CHUNK_ROWS = 250_000  # co-action rows sorted and cut at a time (about 50 MB of strings and indices)


def evidence_table(st: DuckState, edges: str, coacts: list[str], k: int,
                   int_coacts: Sequence[IntCoacts] = ()) -> str:
    """``edges`` (account_a, account_b, signal, ...) with ``evidence_items`` and
    ``evidence_actions`` from ``coacts`` (each with one row per account pair, signal and item)
    and ``int_coacts`` (the same on integer keys: their strings are joined here, for the rows
    of the kept edges only)."""
    numbered = new(st, "evedges", f"SELECT row_number() OVER () AS _eid, * FROM {edges}").name
    parts = [f"SELECT e._eid, x.w, x.item, x.action_a, x.action_b FROM {c} x JOIN {numbered} e"
             f" ON e.account_a = x.account_a AND e.account_b = x.account_b AND e.signal = x.signal"
             for c in coacts]
    if int_coacts:
        acc = accounts(st)
        ids = new(st, "evaid", f"SELECT n._eid, n.signal, xa.aid AS aid_a, xb.aid AS aid_b FROM {numbered} n"
                               f" JOIN {acc} xa ON xa.account_id = n.account_a"
                               f" JOIN {acc} xb ON xb.account_id = n.account_b").name
        for ic in int_coacts:
            sig = ic.signal.replace("'", "''")
            parts.append(f"SELECT e._eid, x.w, ia.item, ia.action_id AS action_a, ib.action_id AS action_b"
                         f" FROM {ic.table} x JOIN (SELECT * FROM {ids} WHERE signal = '{sig}') e"
                         f" ON e.aid_a = x.aid_a AND e.aid_b = x.aid_b"
                         f" JOIN {ic.items} ia ON ia.uid = x.uid_a JOIN {ic.items} ib ON ib.uid = x.uid_b")
    rows = " UNION ALL ".join(parts)
    spool = Spool(Path(st.scratch))  # the lists wait here while the rows stream (one open result)
    try:
        if rows:
            for chunk in key_chunks(reader(st, f"SELECT * FROM ({rows}) ORDER BY _eid"), CHUNK_ROWS, "_eid"):
                spool.add(top_k(chunk, k))
        lists = new(st, "evlists", "SELECT NULL::BIGINT AS _eid, NULL::VARCHAR[] AS evidence_items,"
                                   " NULL::VARCHAR[] AS evidence_actions WHERE false").name
        for part in spool.parts():
            append(st, lists, part)
    except OSError as exc:  # the spool's file: disk full, scratch folder not writable
        raise EngineError(f"holding evidence lists in {st.scratch} failed: {exc.strerror or exc}") from None
    finally:
        spool.close()
    return new(st, "edges", f"SELECT e.* EXCLUDE (_eid), v.evidence_items, v.evidence_actions"
                            f" FROM {numbered} e LEFT JOIN {lists} v USING (_eid)").name


def top_k(tbl: pa.Table, k: int) -> pa.Table:
    """Per edge (``_eid``) of ``tbl``, its first ``k`` rows by weight descending, then item:
    (``_eid``, ``evidence_items``, ``evidence_actions`` as ``action_a~action_b``)."""
    order = pc.sort_indices(tbl, sort_keys=[("_eid", "ascending"), ("w", "descending"),
                                            ("item", "ascending")]).to_numpy()
    eid = tbl.column("_eid").to_numpy()[order]
    n = len(eid)
    start = np.flatnonzero(np.r_[True, eid[1:] != eid[:-1]])
    rank = np.arange(n) - np.repeat(start, np.diff(np.r_[start, n]))
    keep = order[rank < k]
    kept_eid = eid[rank < k]
    firsts = np.flatnonzero(np.r_[True, kept_eid[1:] != kept_eid[:-1]])
    offsets = pa.array(np.r_[firsts, len(kept_eid)].astype(np.int32))
    take = pa.array(keep)
    items = tbl.column("item").combine_chunks().take(take)
    actions = pc.binary_join_element_wise(tbl.column("action_a").combine_chunks().take(take),
                                          tbl.column("action_b").combine_chunks().take(take), "~")
    return pa.table({"_eid": pa.array(kept_eid[firsts], pa.int64()),
                     "evidence_items": pa.ListArray.from_arrays(offsets, items),
                     "evidence_actions": pa.ListArray.from_arrays(offsets, actions)})
