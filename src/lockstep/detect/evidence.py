"""Coordination evidence in plain words: per account, which signals linked it to how many
accounts over how many shared items (the ``coordination_evidence`` column of accounts.csv)."""

from __future__ import annotations

import pyarrow as pa


def signal_breakdown(edges: pa.Table) -> dict[str, dict[str, dict[str, float]]]:
    """Per account, per signal: number of partner accounts and of shared items, and the
    smallest ``p_chance`` of its edges where the signal is tested against chance."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    if edges.num_rows == 0:
        return out
    tested = "p_chance" in edges.column_names
    for side in ("account_a", "account_b"):
        aggs = [("n_shared", "sum"), ("weight", "count")] + ([("p_chance", "min")] if tested else [])
        agg = edges.group_by([side, "signal"]).aggregate(aggs)
        chance = agg.column("p_chance_min").to_pylist() if tested else [None] * agg.num_rows
        for acc, sig, shared, partners, p in zip(agg.column(side).to_pylist(), agg.column("signal").to_pylist(),
                                                 agg.column("n_shared_sum").to_pylist(),
                                                 agg.column("weight_count").to_pylist(), chance):
            d = out.setdefault(acc, {}).setdefault(sig, {"partners": 0, "items": 0})
            d["partners"] += partners
            d["items"] += shared
            if p is not None:  # the strongest edge's chance probability
                d["p_chance"] = min(d.get("p_chance", 1.0), p)
    return out


def chance_words(p: float) -> str:
    """A chance probability for people: one significant digit, and "< 1e-300" where the
    bound underflows to 0 (never a bare "0", which would claim impossibility)."""
    return "< 1e-300" if p < 1e-300 else f"{p:.1g}"


def evidence_text(per_signal: dict[str, dict[str, float]], mean_dt: float | None) -> str:
    """One readable line: what this account did with how many others."""
    parts = [f"{sig}: {int(v['items'])} shared items with {int(v['partners'])} accounts"
             + (f" (chance {chance_words(v['p_chance'])})" if "p_chance" in v else "")
             for sig, v in sorted(per_signal.items(), key=lambda kv: -kv[1]["items"])]
    if mean_dt is not None:
        parts.append(f"mean {mean_dt:.1f} s apart")
    return "; ".join(parts)
