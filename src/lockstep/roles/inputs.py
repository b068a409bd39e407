"""What the roles stage reads from a detection result besides its campaigns: per account,
how strongly and with whom it is coordinated.

Edges are read in the order :mod:`lockstep.outputs` writes them (weight as written, heaviest
first, then account pair and signal), with weights rounded as written, so that partner lists
and their ties are the ones a reader of edges.csv would find.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


def written_order(edges: pa.Table) -> pa.Table:
    """``edges`` sorted as edges.csv lists them."""
    if edges.num_rows == 0:
        return edges
    key = pc.round(pc.cast(edges.column("weight"), pa.float64()), 6, round_mode="half_towards_infinity")
    t = edges.append_column("_w6", key)
    t = t.sort_by([("_w6", "descending"), ("account_a", "ascending"), ("account_b", "ascending"),
                   ("signal", "ascending")])
    return t.drop_columns(["_w6"])


def coordination_by_account(edges: pa.Table) -> dict[str, dict[str, Any]]:
    """Per account: ``degree`` (partners), ``signals`` (edge rows per signal), ``partners``
    (the five strongest, with fused weight) and ``strength`` (sum of weights)."""
    if edges.num_rows == 0:
        return {}
    t = written_order(edges)
    partners: dict[str, dict[str, float]] = defaultdict(dict)
    signals: dict[str, Counter[str]] = defaultdict(Counter)
    weights = [round(float(w), 6) for w in t.column("weight").to_pylist()]
    for a, b, w, sig in zip(t.column("account_a").to_pylist(), t.column("account_b").to_pylist(),
                            weights, t.column("signal").to_pylist()):
        if not a or not b:
            continue
        for x, y in ((a, b), (b, a)):
            partners[x][y] = partners[x].get(y, 0.0) + w
            signals[x][sig or "edge"] += 1
    out: dict[str, dict[str, Any]] = {}
    for acc, ps in partners.items():
        top = sorted(ps.items(), key=lambda kv: -kv[1])[:5]
        out[acc] = {"degree": len(ps), "signals": dict(signals[acc]),
                    "partners": [[p, round(w, 3)] for p, w in top], "strength": sum(ps.values())}
    return out
