"""Scoring: action pairs become account edges.

The SQL of each scoring definition is in :mod:`lockstep.engine.duckdb.scoring_sql`; this
module decides when it runs: at once, deferred until pruning (surprise scoring when
``min_shared`` > 1, see :mod:`lockstep.engine.duckdb.deferred`), or on integer keys (the
toolkit's scoring, see :mod:`lockstep.engine.duckdb.cnt`).
"""

from __future__ import annotations

from lockstep.engine.base import Rel, ScoreSpec
from lockstep.engine.duckdb.chance_sql import add_chance
from lockstep.engine.duckdb.cnt import score_cnt
from lockstep.engine.duckdb.pairs import own
from lockstep.engine.duckdb.common_np import common_table
from lockstep.engine.duckdb.scoring_sql import agg_sql, common_sql, score_sql, surprise_edges, surprise_steps
from lockstep.engine.duckdb.state import Deferred, DuckState, ensure_items, fresh_name, new


def score(st: DuckState, pairs: Rel, items: Rel, spec: ScoreSpec) -> Rel:
    """Account edges of ``pairs`` (see :class:`~lockstep.engine.base.ScoreSpec`)."""
    if spec.scoring == "surprise" and st.min_shared > 1:
        # Deferred until every signal has paired: on heavy-tailed data almost all
        # co-acting pairs share one item and cannot reach min_shared.
        name = fresh_name("edges")
        st.deferred.append(Deferred(name, own(st, pairs, lazy_ok=True), own(st, items, lazy_ok=True), spec))
        return Rel(name, st.owner)
    if spec.scoring == "cnt" and own(st, pairs, lazy_ok=True) in st.lazy:
        lazy = st.lazy.pop(pairs.name)
        ensure_items(st, lazy.items)
        rel = score_cnt(st, lazy.items, lazy.spec, spec)
    else:
        rel = score_now(st, own(st, pairs), own(st, items), spec)
    st.eager.append(rel.name)
    return rel


def score_now(st: DuckState, pairs: str, items: str, spec: ScoreSpec,
              curve: tuple[int, int, list[float]] | None = None) -> Rel:
    """Score stored pair rows now: co-actions (kept for evidence), then edges (``curve``: the
    chance curve when the caller measured it already, see ``chance_np``)."""
    if spec.scoring == "surprise":
        names: dict[str, str] = {}
        for name, sql in surprise_steps(pairs, items, spec):
            if name == "o" and "ok" in names and _all_in(st, names["o"], names["ok"]):
                continue  # every account has min_participation rows: the filter would keep all
            names[name] = new(st, name, sql.format(**names)).name
        st.coacts.append(names["coacts"])
        st.unique_coacts.add(names["coacts"])  # per_item: one row per (pair, item)
        st.filtered = True
        agg = new(st, "agg", agg_sql(names["coacts"])).name
        common = (common_sql(agg, own(st, spec.common)) if spec.common is not None
                  else f"SELECT * FROM {common_table(st, items, agg)}")
        return with_chance(st, new(st, "edges", surprise_edges(agg, spec, common)), items, spec, curve)
    coacts_sql, edges_sql = score_sql(pairs, items, spec)
    co = new(st, "coacts", coacts_sql)
    st.coacts.append(co.name)
    if spec.scoring != "coortweet":  # its edges are every co-action group, unfiltered
        st.filtered = True
    return new(st, "edges", edges_sql.replace("{coacts}", co.name))


def with_chance(st: DuckState, edges: Rel, items: str, spec: ScoreSpec,
                curve: tuple[int, int, list[float]] | None = None) -> Rel:
    """Surprise ``edges`` with their chance (``spec.chance_window_s``), or as they are."""
    if spec.chance_window_s is None:
        return edges
    # left lazy: fast_repost's chance rows are measured without being built (chance_sql.originals_curve)
    base = own(st, spec.chance_items, lazy_ok=True) if spec.chance_items is not None else items
    return add_chance(st, edges.name, base, spec.chance_window_s, curve, spec.chance_after_s)


def _all_in(st: DuckState, o: str, ok: str) -> bool:
    """Whether every account of the co-action rows ``o`` is in ``ok``."""
    return st.con.execute(f"SELECT count(*) FROM (SELECT a AS account_id FROM {o} UNION SELECT b FROM {o})"
                          f" ANTI JOIN {ok} USING (account_id)").fetchone() == (0,)
