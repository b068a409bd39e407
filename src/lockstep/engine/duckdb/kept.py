"""The kept pair rows between counting and scoring, and what a scored signal leaves behind.

Why a module of its own: deferred scoring (``deferred.py``) counts every signal's pair rows,
keeps the rows of the account pairs that can pass pruning (:class:`KeptRows`, as
``(uid_a, uid_b)`` tables per signal), then scores signal after signal; what one signal's
scoring alone reads is dropped once it is scored (:func:`done_with`), so the later signals and
the evidence are not run beside tables nobody reads again.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lockstep.distinct import distinct
from lockstep.engine.duckdb.state import Deferred, DuckState, append, arrow_view, new


def done_with(st: DuckState, d: Deferred, later: list[Deferred], lazy_src: dict[str, tuple[int, str]],
              kept_rows: KeptRows) -> set[str]:
    """Tables only ``d``'s scoring read: its integer rows and kept pair rows, its pairs, its
    synchrony base and chance rows, unless a ``later`` signal or the evidence reads them.
    Why: on the 10M-action world the run's tables outgrow DuckDB's memory limit and the later
    signals' scoring and the evidence spilled them to disk and read them back."""
    mine = {st.int_rows.get(d.items, ""), d.pairs}
    if d.pairs in lazy_src:
        mine.add(kept_rows.tables[lazy_src[d.pairs][0]])
    mine |= {r.name for r in (d.spec.common, d.spec.chance_items) if r is not None}
    keep = {x.items for x in st.deferred} | set(st.coacts) | {ic.table for ic in st.int_coacts}
    keep |= {ic.items for ic in st.int_coacts} | {x.name for x in st.deferred}
    for x in later:
        keep |= {x.pairs, st.int_rows.get(x.items, "")}
        keep |= {r.name for r in (x.spec.common, x.spec.chance_items) if r is not None}
        if x.pairs in lazy_src:
            keep.add(kept_rows.tables[lazy_src[x.pairs][0]])
    keep |= {lz.items for lz in st.lazy.values()} | {lz.base for lz in st.lazy_items.values()}
    if d.items in st.int_rows and st.int_rows[d.items] in mine - keep:
        del st.int_rows[d.items]
    return mine - keep - {""}


def rows_sql(uids: str, src: str) -> str:
    """String pair rows (the window-pairs columns) of the kept (uid_a, uid_b) rows of ``src``."""
    return (f"SELECT ia.item, k.uid_a, ia.action_id AS action_a, ia.account_id AS account_a,"
            f" ia.t_us AS t_a, k.uid_b, ib.action_id AS action_b, ib.account_id AS account_b,"
            f" ib.t_us AS t_b FROM {uids} k JOIN {src} ia ON ia.uid = k.uid_a JOIN {src} ib ON ib.uid = k.uid_b")


class KeptRows:
    """The kept pair rows, per signal number, stored as (uid_a, uid_b) tables in batches."""

    FLUSH = 2_000_000

    def __init__(self, st: DuckState, n_signals: int) -> None:
        self.st = st
        self.tables = [new(st, "keptuid", "SELECT NULL::BIGINT AS uid_a, NULL::BIGINT AS uid_b WHERE false").name
                       for _ in range(n_signals)]
        self.held: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(n_signals)]
        self.n = [0] * n_signals

    def add(self, sig: np.ndarray, ua: np.ndarray, ub: np.ndarray) -> None:
        for s in distinct(sig).tolist():
            mask = sig == s
            self.held[s].append((ua[mask], ub[mask]))
            self.n[s] += int(mask.sum())
            if self.n[s] >= self.FLUSH:
                self._flush(s)

    def _flush(self, s: int) -> None:
        if self.held[s]:
            append(self.st, self.tables[s], pa.table({"uid_a": np.concatenate([h[0] for h in self.held[s]]),
                                                      "uid_b": np.concatenate([h[1] for h in self.held[s]])}))
        self.held[s], self.n[s] = [], 0

    def flush(self) -> None:
        for s in range(len(self.tables)):
            self._flush(s)


def key_table(st: DuckState, keys: np.ndarray) -> str:
    with arrow_view(st, pa.table({"k": keys})) as view:
        return new(st, "cand", f"SELECT k FROM {view}").name
