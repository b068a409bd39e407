"""The reference definitions of the three scorings: how pairs of actions become account edges.

Each function returns ``(edges, coacts)``: the edge rows (account_a, account_b, signal,
weight, n_shared, mean_dt_seconds, and ``synchrony`` or ``weight_threshold`` where the
scoring has one) and the co-action rows the evidence is drawn from (account_a, account_b,
signal, item, action_a, action_b, dt, w). See :class:`lockstep.engine.base.ScoreSpec` and
docs/detection.md for why each definition is what it is.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from lockstep.engine import chance

Row = dict[str, Any]
Z = 1.96


def _dt(p: Row) -> float:
    return float(abs(p["t_b"] - p["t_a"]) / 1e6)


def _accounts_per_item(items: list[Row]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r in items:
        out[r["item"]].add(r["account_id"])
    return out


def _rows_per_account(items: list[Row]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for r in items:
        out[r["account_id"]] += 1
    return out


def wilson_low(p: float, n: float, z: float = Z) -> float:
    """Lower end of the 95% Wilson interval of a proportion: 4 of 4 is weaker evidence of
    lockstep than 40 of 42, and the bound says so."""
    z2 = z * z
    return (p + z2 / (2 * n) - z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n)


def surprise(pairs: list[Row], items: list[Row], signal: str, min_participation: int,
             min_synchrony: float, common: list[Row] | None) -> tuple[list[Row], list[Row]]:
    """lockstep's scoring: each distinct item an (unordered) account pair co-acted on counts
    once, weighted ``max(ln(N / n_item), 0)`` (N accounts in the signal's items, n_item of
    them on this item); its evidence is the closest pair of actions (then the smallest ids).
    Pairs sharing two or more items must also be synchronous: of the items both accounts
    acted on at any time (``common``: pairs at any gap, when given), the share they co-acted
    on within the window has a Wilson lower bound of at least ``min_synchrony``."""
    per_acc = _rows_per_account(items)
    mp = max(int(min_participation), 1)
    best: dict[tuple[str, str, str], tuple[float, str, str]] = {}
    for p in pairs:
        a, b = p["account_a"], p["account_b"]
        if a is None or b is None or a == b:
            continue
        if mp > 1 and (per_acc.get(a, 0) < mp or per_acc.get(b, 0) < mp):
            continue
        lo, hi, act_lo, act_hi = (a, b, p["action_a"], p["action_b"]) if a <= b else \
            (b, a, p["action_b"], p["action_a"])
        key = (lo, hi, p["item"])
        cand = (_dt(p), act_lo, act_hi)
        if key not in best or cand < best[key]:
            best[key] = cand
    n_accounts = len(per_acc)
    on_item = _accounts_per_item(items)
    coacts: list[Row] = [{"account_a": a, "account_b": b, "signal": signal, "item": item, "action_a": m[1],
               "action_b": m[2], "dt": m[0], "w": max(math.log(n_accounts / len(on_item[item])), 0.0)}
              for (a, b, item), m in best.items() if item in on_item]  # an item no account acted on: no weight
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for c in coacts:
        groups[(c["account_a"], c["account_b"])].append(c)
    n_common = _common_items(groups, items, common)
    edges = []
    for (a, b), cs in groups.items():
        n_shared = len(cs)
        e = {"account_a": a, "account_b": b, "signal": signal, "weight": sum(c["w"] for c in cs),
             "n_shared": n_shared, "mean_dt_seconds": sum(c["dt"] for c in cs) / n_shared, "synchrony": None}
        nc = n_common.get((a, b)) if n_shared >= 2 else None
        if nc is not None:
            e["synchrony"] = n_shared / nc
            if not wilson_low(e["synchrony"], float(nc)) >= min_synchrony:
                continue
        edges.append(e)
    return edges, coacts


def add_chance(edges: list[Row], items: list[Row], window_s: float, after_s: float | None = None) -> None:
    """Set ``p_chance`` and ``chance_tests`` on surprise edges (:mod:`lockstep.engine.chance`):
    popularity, degrees and per-item timing all come from the signal's own item rows; the
    timing counts only the band ``(after_s, window_s]`` when the signal pairs in one."""
    timing = chance.item_timing(((r["account_id"], r["item"], r["t_us"]) for r in items),
                                int(round(window_s * 1_000_000)),
                                None if after_s is None else int(round(after_s * 1_000_000)))
    per_acc: dict[str, set[str]] = defaultdict(set)
    for r in items:
        per_acc[r["account_id"]].add(r["item"])
    total = sum(len(v) for v in per_acc.values())
    curve = chance.chance_curve(timing, len(per_acc))
    for e in edges:
        e["p_chance"] = chance.p_chance(e["weight"], len(per_acc[e["account_a"]]),
                                        len(per_acc[e["account_b"]]), total, curve)
        e["chance_tests"] = chance.n_tests(len(per_acc))


def _common_items(groups: dict[tuple[str, str], list[Row]], items: list[Row],
                  common: list[Row] | None) -> dict[tuple[str, str], int]:
    """For pairs sharing two or more items: the items both accounts acted on at any time."""
    multi = {k for k, cs in groups.items() if len(cs) >= 2}
    if common is not None:
        per_pair: dict[tuple[str, str], set[str]] = defaultdict(set)
        for p in common:
            a, b = p["account_a"], p["account_b"]
            if a is None or b is None:
                continue
            key = (min(a, b), max(a, b))
            if key in multi:
                per_pair[key].add(p["item"])
        return {k: len(v) for k, v in per_pair.items()}
    per_acc: dict[str, set[str]] = defaultdict(set)
    for r in items:
        per_acc[r["account_id"]].add(r["item"])
    return {(a, b): len(per_acc[a] & per_acc[b]) for a, b in multi}


def coortweet(pairs: list[Row], items: list[Row], signal: str, min_participation: int,
              remove_loops: bool, edge_weight: float | None) -> tuple[list[Row], list[Row]]:
    """CooRTweet 2.x: accounts with fewer than ``min_participation`` item rows are dropped;
    loops (same account, same share, share = content) too when ``remove_loops``; a pair of
    shares stays when one of its shares belongs to an account with ``min_participation``
    shares taking part in some pair. Weight = pairs of shares, mean gap over them;
    ``weight_threshold`` = 1 above the ``edge_weight`` quantile of the signal's weights."""
    mp = int(min_participation)
    per_acc = _rows_per_account(items)
    ok = {a for a, n in per_acc.items() if n >= mp}
    r = [p for p in pairs if p["account_a"] in ok and p["account_b"] in ok and not (
        remove_loops and (p["account_a"] == p["account_b"] or p["action_a"] == p["action_b"]
                          or p["item"] == p["action_a"] or p["item"] == p["action_b"]))]
    if mp >= 1:
        in_pairs = {p["action_a"] for p in r} | {p["action_b"] for p in r}
        rows_in_pairs: dict[str, int] = defaultdict(int)
        for x in items:
            if x["account_id"] in ok and x["action_id"] in in_pairs:
                rows_in_pairs[x["account_id"]] += 1
        filt = {x["action_id"] for x in items if x["account_id"] in ok and x["action_id"] in in_pairs
                and rows_in_pairs[x["account_id"]] >= mp}
        r = [p for p in r if p["action_a"] in filt or p["action_b"] in filt]
    coacts: list[Row] = [{"account_a": min(p["account_a"], p["account_b"]), "account_b": max(p["account_a"], p["account_b"]),
               "signal": signal, "item": p["item"], "action_a": p["action_a"], "action_b": p["action_b"],
               "dt": _dt(p), "w": 1.0} for p in r]
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for c in coacts:
        groups[(c["account_a"], c["account_b"])].append(c)
    edges = [{"account_a": a, "account_b": b, "signal": signal, "weight": float(len(cs)),
              "n_shared": len({c["item"] for c in cs}), "mean_dt_seconds": sum(c["dt"] for c in cs) / len(cs)}
             for (a, b), cs in groups.items()]
    if edge_weight is not None and edges:
        cut = float(np.quantile([e["weight"] for e in edges], edge_weight))  # linear, as quantile_cont
        for e in edges:
            e["weight_threshold"] = 1 if e["weight"] > cut else 0
    return edges, coacts


def cnt(pairs: list[Row], signal: str, remove_loops: bool,
        min_edge_weight: float) -> tuple[list[Row], list[Row]]:
    """coordination-network-toolkit: per *directed* account pair (u1, u2), weight = distinct
    messages of u1 with a message of u2 on the same item within the window (a message never
    pairs with itself); edges under ``min_edge_weight`` dropped; loops only when not
    ``remove_loops``. Mean gap over the pair rows."""
    coacts: list[Row] = []
    for p in pairs:
        if p["action_a"] == p["action_b"]:
            continue
        dt = _dt(p)
        for a, b, x, y in ((p["account_a"], p["account_b"], p["action_a"], p["action_b"]),
                           (p["account_b"], p["account_a"], p["action_b"], p["action_a"])):
            if remove_loops and a == b:
                continue
            coacts.append({"account_a": a, "account_b": b, "signal": signal, "item": p["item"],
                           "action_a": x, "action_b": y, "dt": dt, "w": 1.0})
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for c in coacts:
        groups[(c["account_a"], c["account_b"])].append(c)
    edges = []
    kept = []
    for (a, b), cs in groups.items():
        weight = float(len({c["action_a"] for c in cs}))
        if weight >= min_edge_weight:
            edges.append({"account_a": a, "account_b": b, "signal": signal, "weight": weight,
                          "n_shared": len({c["item"] for c in cs}),
                          "mean_dt_seconds": sum(c["dt"] for c in cs) / len(cs)})
            kept.extend(cs)
    return edges, kept
