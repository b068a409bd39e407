"""Union and pruning: every signal's edges in one relation, then the fused thresholds and the
evidence lists, built only for the edges that are kept."""

from __future__ import annotations

from lockstep.engine.base import EdgeFilter, Rel
from lockstep.engine.duckdb.deferred import score_deferred
from lockstep.engine.duckdb.evidence_lists import evidence_table
from lockstep.engine.duckdb.pairs import own
from lockstep.engine.duckdb.scoring_sql import evidence_sql
from lockstep.engine.duckdb.state import DuckState, arrow_view, new
from lockstep.engine.duckdb.surprise_np import string_coacts


def union_edges(st: DuckState, edges: list[Rel]) -> Rel:
    """All signals' edges in one relation (deferred signals are scored first)."""
    score_deferred(st)
    if not edges:
        return new(st, "edges", "SELECT NULL::VARCHAR AS account_a, NULL::VARCHAR AS account_b,"
                   " NULL::VARCHAR AS signal, NULL::DOUBLE AS weight, NULL::BIGINT AS n_shared,"
                   " NULL::DOUBLE AS mean_dt_seconds WHERE false")
    return new(st, "edges", " UNION ALL BY NAME ".join(f"SELECT * FROM {own(st, e)}" for e in edges))


def prune(st: DuckState, edges: Rel, min_weight: float, min_shared: int,
          signal_weights: dict[str, float], evidence_limit: int = 10, keep: EdgeFilter | None = None) -> Rel:
    """Keep the per-signal rows of account pairs whose fused weight and shared-item count
    pass the thresholds (fusion = sum over signals of weight x signal multiplier), and of
    those the rows ``keep`` keeps (see :meth:`lockstep.engine.base.Engine.prune`), with
    their evidence lists."""
    src = own(st, edges)
    mult = " ".join(f"WHEN '{s}' THEN {float(v)}" for s, v in signal_weights.items())
    case = f"CASE signal {mult} ELSE 1.0 END" if mult else "1.0"
    sql = (f"WITH f AS (SELECT least(account_a, account_b) AS x, greatest(account_a, account_b) AS y"
           f" FROM {src} GROUP BY x, y HAVING sum(weight * {case}) >= {float(min_weight)}"
           f" AND sum(n_shared) >= {int(min_shared)})"
           f" SELECT e.* FROM {src} e SEMI JOIN f ON f.x = least(e.account_a, e.account_b)"
           f" AND f.y = greatest(e.account_a, e.account_b)")
    # Thresholds every edge passes (the presets): no fusion join, no evidence semi-join.
    trivial = min_weight <= 0 and min_shared <= 1
    kept = src if trivial else new(st, "edges", sql).name
    if keep is not None:
        kept = _kept_by(st, kept, keep)
    if not st.coacts and not st.int_coacts:
        return new(st, "edges", f"SELECT *, NULL::VARCHAR[] AS evidence_items,"
                   f" NULL::VARCHAR[] AS evidence_actions FROM {kept}")
    if all(c in st.unique_coacts for c in st.coacts):  # one row per item: lists cut in Arrow
        return Rel(evidence_table(st, kept, st.coacts, evidence_limit, st.int_coacts), st.owner)
    st.coacts.extend(string_coacts(st, ic) for ic in st.int_coacts)  # beside the peers' co-actions
    st.int_coacts.clear()
    # Only a choice of plan (both give the same lists, see evidence_sql): the peer tools'
    # co-actions (weight 1.0 on every row, a row per pair of messages) mostly repeat items and
    # are grouped per item at once; the others (surprise: one row per item) are checked per edge.
    flat = [c for c in st.coacts
            if st.con.execute(f"SELECT count(*) FROM {c} WHERE w IS DISTINCT FROM 1.0").fetchall() == [(0,)]]
    checked = [c for c in st.coacts if c not in flat]
    return new(st, "edges", evidence_sql(kept, _union(checked), evidence_limit, semi=st.filtered or not trivial,
                                         grouped=_union(flat)))


def _kept_by(st: DuckState, kept: str, keep: EdgeFilter) -> str:
    """The rows of ``kept`` that ``keep`` returns (matched on account pair and signal)."""
    tbl = st.con.sql(f"SELECT * FROM {kept}").to_arrow_table()
    chosen = keep(tbl)
    if chosen.num_rows == tbl.num_rows:
        return kept
    with arrow_view(st, chosen.select(["account_a", "account_b", "signal"])) as view:
        return new(st, "edges", f"SELECT e.* FROM {kept} e SEMI JOIN {view} k"
                                f" USING (account_a, account_b, signal)").name


def _union(tables: list[str]) -> str | None:
    return ("(" + " UNION ALL BY NAME ".join(f"SELECT * FROM {c}" for c in tables) + ")") if tables else None
