"""Significance instead of fixed thresholds: the false-discovery-rate cut over the edges that
carry a chance probability, and a campaign's combined chance.

Why here, above the engine seam: the cut needs the edges of a signal ranked by ``p_chance``,
which every engine hands over identically (tests/engine/), so one function in Python applies
it the same way for all of them. It runs on the pruned edges: pairs dropped earlier (too few
shared items, too little weight) rank after every kept edge, which can only make the
Benjamini-Hochberg cut stricter, never looser.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from lockstep.engine.chance import bh_threshold


@dataclass(frozen=True)
class FdrCut:
    """What the cut did to one signal: its threshold on p_chance, tests and edges."""

    signal: str
    fdr: float
    n_tests: int
    threshold: float
    kept: int
    dropped: int


def fdr_filter(edges: pa.Table, fdr: float) -> tuple[pa.Table, list[FdrCut]]:
    """Drop the edges whose ``p_chance`` fails Benjamini-Hochberg at ``fdr``, per signal (the
    tests of a signal: ``chance_tests``); edges without ``p_chance`` are kept as they are.
    ``fdr`` 1 cuts nothing (p_chance is still reported): for data that holds one network and
    not the platform around it (a transparency release), where nothing shared is rare.
    ``chance_tests`` is dropped from the result (it is the same for a whole signal, and is
    reported in the cut instead)."""
    if "p_chance" not in edges.column_names:
        return edges, []
    p = edges.column("p_chance").to_numpy(zero_copy_only=False).astype(np.float64)
    tests = edges.column("chance_tests").to_numpy(zero_copy_only=False)
    signals = np.asarray(edges.column("signal").to_pylist(), dtype=object)
    keep = np.ones(edges.num_rows, dtype=bool)
    cuts = []
    tested = ~np.isnan(p)
    for sig in sorted({str(s) for s in signals[tested]}):
        rows = np.flatnonzero(tested & (signals == sig))
        m = int(np.nanmax(tests[rows].astype(np.float64)))
        thr = 1.0 if fdr >= 1.0 else bh_threshold(p[rows].tolist(), m, fdr)  # 1: every discovery may be false
        keep[rows] = p[rows] <= thr
        cuts.append(FdrCut(sig, fdr, m, thr, int(keep[rows].sum()), int((~keep[rows]).sum())))
    out = edges.filter(pa.array(keep)) if not keep.all() else edges
    return out.drop_columns(["chance_tests"]), cuts


def reprune(edges: pa.Table, min_weight: float, min_shared: int) -> pa.Table:
    """The engine's fused pruning again, after :func:`fdr_filter` dropped edges: an account
    pair stays only while its remaining edges still reach ``min_weight`` (summed) and
    ``min_shared`` (summed), exactly as if the dropped edges had never been scored."""
    if edges.num_rows == 0:
        return edges
    a = edges.column("account_a").to_pylist()
    b = edges.column("account_b").to_pylist()
    keys = [(x, y) if x <= y else (y, x) for x, y in zip(a, b)]
    weight: dict[tuple[str, str], float] = {}
    shared: dict[tuple[str, str], int] = {}
    for k, w, n in zip(keys, edges.column("weight").to_pylist(), edges.column("n_shared").to_pylist()):
        weight[k] = weight.get(k, 0.0) + float(w)
        shared[k] = shared.get(k, 0) + int(n)
    keep = [weight[k] >= min_weight and shared[k] >= min_shared for k in keys]
    return edges if all(keep) else edges.filter(pa.array(keep))


def poisson_sf(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam), summed in log space (no overflow at large k)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if lam < k:  # the tail, term by term from k
        term = math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1))
        total, j = 0.0, k
        while term > total * 1e-17 and j < k + 10_000:
            total += term
            j += 1
            term *= lam / j
        return min(total, 1.0)
    head, term = 0.0, math.exp(-lam)
    for j in range(k):
        head += term
        term *= lam / (j + 1)
    return max(1.0 - head, 0.0)


def campaign_chance(p_values: Sequence[float], n_tests: int) -> float | None:
    """Chance that a campaign's tested edges arise among ``n_tests`` pairs of chance alone.

    With the edges' p sorted, ``p_(1) <= ... <= p_(k)``: under the null, at least ``j``
    of ``n_tests`` independent pairs reach ``p <= p_(j)`` with probability at most
    ``P(Poisson(n_tests p_(j)) >= j)`` (the Poisson tail bounds the binomial one there);
    the smallest over ``j``, times ``k`` for having chosen ``j`` (Bonferroni), capped at 1.
    None when the campaign has no tested edge."""
    ps = sorted(float(x) for x in p_values if x is not None and not math.isnan(float(x)))
    if not ps or n_tests <= 0:
        return None
    best = min(poisson_sf(j, n_tests * p) for j, p in enumerate(ps, start=1))
    return min(1.0, best * len(ps))


def campaign_chances(edges: pa.Table, names: list[str], camp: np.ndarray, n_campaigns: int,
                     n_tests: int) -> list[float | None]:
    """:func:`campaign_chance` of every campaign (index into ``camp``, -1 none), from the
    ``p_chance`` of the per-signal edges between two of its members."""
    out: list[float | None] = [None] * n_campaigns
    if n_campaigns == 0 or edges.num_rows == 0 or "p_chance" not in edges.column_names:
        return out
    index = {n: i for i, n in enumerate(names)}
    ca = camp[np.array([index[a] for a in edges.column("account_a").to_pylist()], dtype=np.int64)]
    cb = camp[np.array([index[b] for b in edges.column("account_b").to_pylist()], dtype=np.int64)]
    p = edges.column("p_chance").to_numpy(zero_copy_only=False).astype(np.float64)
    rows = np.flatnonzero((ca == cb) & (ca >= 0) & ~np.isnan(p))
    per: dict[int, list[float]] = {}
    for c, x in zip(ca[rows].tolist(), p[rows].tolist()):
        per.setdefault(c, []).append(x)
    for c, ps in per.items():
        out[c] = campaign_chance(ps, n_tests)
    return out
