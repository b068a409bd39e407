"""The chance of an edge: how likely an account pair's co-actions are under a null model of
the same data, and the false-discovery-rate cut over those probabilities.

Why a null model and not a fixed threshold: "two accounts reshared the same posts within an
hour" means little on a platform where every popular post is reshared within its first hour,
and a lot for posts hardly anyone reshares. Both depend on the data, so the chance is
measured from the data itself:

- **popularity preserved**: account ``a`` acts on ``d_a`` distinct items, each drawn with
  probability ``u_i / U`` (``u_i`` accounts act on item ``i``, ``U`` = sum of ``u_i``), so
  ``P(a acts on i) <= d_a u_i / U``, independently for ``a`` and ``b``;
- **timing measured per item**: given two accounts both acted on item ``i``, the chance they
  did so within ``w`` seconds of each other is ``p_i(w)``, the share of the item's own pairs
  of actions that lie within ``w`` of each other (its reshare-time distribution: a post
  reshared by everyone in its first hour has ``p_i(1 h)`` near 1);
- the edge's weight ``T = sum over co-acted items of ln(N / u_i)`` (surprise scoring) is a
  weighted sum of independent Bernoulli(``pi_i``) with ``pi_i <= c u_i^2 p_i(w)``,
  ``c = d_a d_b / U^2``. Its tail is bounded by Chernoff's inequality:
  ``P(T >= t) <= min over theta of exp(c G(theta) - theta t)`` with
  ``G(theta) = sum_i u_i^2 p_i(w) ((N / u_i)^theta - 1)``, minimised over a fixed grid
  :data:`THETAS` (any theta gives a valid bound, so the grid only costs tightness).

Rarity enters through the weights: co-acting on items few accounts touch is far less likely
than co-acting on viral ones, which a count of shared items cannot see. The bound is an
upper bound on the true chance (conservative), so the Benjamini-Hochberg cut over it
(:func:`bh_threshold`) still controls the false discovery rate. This module is the one
definition: the reference engine calls it, the DuckDB engine renders the same formulas in
SQL (``engine/duckdb/chance_sql.py``), and tests compare them edge for edge.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

#: the Chernoff exponents tried (2^-6 .. 2^3 in steps of 2^(1/3)); fixed so every engine
#: takes the minimum over the same values
THETAS: tuple[float, ...] = tuple(2.0 ** (k / 3) for k in range(-18, 10))


def item_timing(rows: Iterable[tuple[str, str, int]], window_us: int,
                after_us: int | None = None) -> dict[str, tuple[int, float]]:
    """Per item: ``(u_i, p_i(w))`` from rows ``(account, item, t_us)``.

    ``p_i(w)`` = ordered pairs of distinct rows of the item with ``|t_r - t_s| <= w`` over
    all ordered pairs ``n (n - 1)`` (0 for an item with one row). With ``after_us`` (a band,
    ``PairSpec.after_s``) only pairs with ``after_us < |t_r - t_s| <= w`` count: the
    within-``w`` pairs less the within-``after_us`` ones."""
    times: dict[str, list[int]] = defaultdict(list)
    accs: dict[str, set[str]] = defaultdict(set)
    for acc, item, t in rows:
        times[item].append(t)
        accs[item].add(acc)
    out: dict[str, tuple[int, float]] = {}
    for item, ts in times.items():
        n = len(ts)
        if n < 2:
            out[item] = (len(accs[item]), 0.0)
            continue
        tt = np.sort(np.array(ts, dtype=np.int64))
        hi = np.searchsorted(tt, tt + window_us, side="right")
        lo = np.searchsorted(tt, tt - window_us, side="left")
        within = int((hi - lo - 1).sum())
        if after_us is not None:  # less the pairs at most after_us apart (the shorter scale's)
            within -= int((np.searchsorted(tt, tt + after_us, side="right")
                           - np.searchsorted(tt, tt - after_us, side="left") - 1).sum())
        out[item] = (len(accs[item]), within / float(n * (n - 1)))
    return out


def chance_curve(timing: dict[str, tuple[int, float]], n_accounts: int) -> list[float]:
    """``G(theta)`` for every theta of :data:`THETAS` (see the module doc)."""
    out = []
    for th in THETAS:
        g = 0.0
        for u, p in timing.values():
            if p > 0 and u >= 2:  # one account alone on an item never co-acts on it
                g += float(u * u) * p * ((n_accounts / u) ** th - 1.0)
        out.append(g)
    return out


def p_chance(weight: float, d_a: int, d_b: int, total_rows: int, curve: Sequence[float]) -> float:
    """Chernoff bound on the chance of an edge at least this heavy (see the module doc)."""
    c = float(d_a * d_b) / (float(total_rows) * float(total_rows))
    best = min(c * g - th * weight for th, g in zip(THETAS, curve))
    return math.exp(min(best, 0.0))


def n_tests(n_accounts: int) -> int:
    """Pairs tested in a signal: every pair of its accounts (co-acting or not)."""
    return n_accounts * (n_accounts - 1) // 2


def bh_threshold(p_values: Sequence[float], m: int, fdr: float) -> float:
    """Benjamini-Hochberg: the largest ``p_(k)`` with ``p_(k) <= k fdr / m`` among
    ``p_values`` (the edges kept, ranked), or -1 when none passes; edges with p at or below
    it are discoveries. ``m`` counts every pair tested; pairs not among ``p_values`` (dropped
    earlier) rank last, which can only make the cut stricter."""
    ps = np.sort(np.asarray(p_values, dtype=np.float64))
    if ps.size == 0 or m <= 0:
        return -1.0
    ok = np.flatnonzero(ps <= np.arange(1, ps.size + 1) * (fdr / m))
    return float(ps[ok[-1]]) if ok.size else -1.0
