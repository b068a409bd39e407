"""The numpy core of integer surprise scoring (surprise_rows.pair_sums) against a plain Python
reading of its definition, and its wide-key path (account pairs ranked when accounts and items
do not fit one packed key) against the packed one."""

from __future__ import annotations

import math
import random
from collections import defaultdict

import numpy as np
import pytest

from lockstep.engine.duckdb import surprise_rows
from lockstep.engine.duckdb.surprise_rows import PairSums, pair_sums


def _world(seed: int, n_rows: int = 120) -> dict[str, np.ndarray]:
    rnd = random.Random(seed)
    uid = np.array(rnd.sample(range(1, 4 * n_rows), n_rows), np.int64)  # row numbers with gaps
    aid = np.array([rnd.randrange(7) for _ in range(n_rows)], np.int64)
    iid = np.array([rnd.randrange(6) for _ in range(n_rows)], np.int64)
    t = np.array([rnd.randrange(5) * 1_000_000 for _ in range(n_rows)], np.int64)  # equal gaps: ties
    by_item: dict[int, list[int]] = defaultdict(list)
    for r in range(n_rows):
        by_item[int(iid[r])].append(r)
    ua, ub = [], []
    for rows in by_item.values():
        for x in rows:
            for y in rows:
                if x < y and rnd.random() < 0.7:  # either row first
                    first, second = (x, y) if rnd.random() < 0.5 else (y, x)
                    ua.append(int(uid[first]))
                    ub.append(int(uid[second]))
    return {"uid": uid, "aid": aid, "iid": iid, "t": t, "ua": np.array(ua, np.int64), "ub": np.array(ub, np.int64)}


def _ties(g: np.ndarray, row: np.ndarray, u1: np.ndarray, u2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smallest (u1, u2) per group: the row numbers stand in for the action ids."""
    best: dict[int, tuple[tuple[int, int], int]] = {}
    for gg, r, x, y in zip(g.tolist(), row.tolist(), u1.tolist(), u2.tolist()):
        if gg not in best or (x, y) < best[gg][0]:
            best[gg] = ((x, y), r)
    keys = sorted(best)
    return np.array(keys, np.int64), np.array([best[k][1] for k in keys], np.int64)


def _reference(w: dict[str, np.ndarray], ok: np.ndarray | None, pop: np.ndarray, n_all: float
               ) -> dict[tuple[int, int], tuple[int, float, float, list[tuple[int, int, int, float]]]]:
    at = {int(u): r for r, u in enumerate(w["uid"].tolist())}
    best: dict[tuple[int, int, int], tuple[float, int, int]] = {}
    for x, y in zip(w["ua"].tolist(), w["ub"].tolist()):
        p, q = int(w["aid"][at[x]]), int(w["aid"][at[y]])
        if p == q or (ok is not None and not (ok[p] and ok[q])):
            continue
        if p > q:
            p, q, x, y = q, p, y, x
        item = int(w["iid"][at[x]])
        dt = abs(int(w["t"][at[y]]) - int(w["t"][at[x]])) / 1e6
        cand = (dt, x, y)
        if (p, q, item) not in best or cand < best[(p, q, item)]:
            best[(p, q, item)] = cand
    out: dict[tuple[int, int], tuple[int, float, float, list[tuple[int, int, int, float]]]] = {}
    for (p, q, item), (dt, x, y) in sorted(best.items()):
        n, s_w, s_dt, rows = out.get((p, q), (0, 0.0, 0.0, []))
        wt = max(math.log(n_all / pop[item]), 0.0)
        out[(p, q)] = (n + 1, s_w + wt, s_dt + dt, rows + [(x, y, item, dt)])
    return out


def _check(s: PairSums, ref: dict[tuple[int, int], tuple[int, float, float, list[tuple[int, int, int, float]]]],
           a_of: dict[int, int]) -> None:
    got_pairs = list(zip(s.a.tolist(), s.b.tolist()))
    assert got_pairs == [(a_of[p], a_of[q]) for p, q in ref]  # one row per pair, in (a, b) order
    start = 0
    for i, (n, s_w, s_dt, rows) in enumerate(ref.values()):
        assert s.n_shared[i] == n
        assert s.weight[i] == pytest.approx(s_w, abs=1e-12)
        assert s.mean_dt[i] == pytest.approx(s_dt / n, abs=1e-12)
        got = list(zip(s.row_a[start:start + n].tolist(), s.row_b[start:start + n].tolist(), s.dt[start:start + n].tolist()))
        assert got == [(x, y, dt) for x, y, _, dt in rows]
        start += n
    assert start == len(s.row_a) == len(s.w)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("min_participation", [1, 4])
@pytest.mark.parametrize("part_rows,threads", [(4_000_000, "2"), (7, "1"), (7, "2"), (13, "4")])
def test_pair_sums_is_the_definition(seed: int, min_participation: int, part_rows: int, threads: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Also with the rows keyed and sorted in many small parts (merged after), on 1, 2, 4 threads."""
    monkeypatch.setattr(surprise_rows, "PART_ROWS", part_rows)
    monkeypatch.setenv("LOCKSTEP_THREADS", threads)
    w = _world(seed)
    ok = np.bincount(w["aid"]) >= min_participation if min_participation > 1 else None
    pop = np.bincount(w["iid"]) + 1
    n_all = 9.0
    s = pair_sums(w["uid"], w["aid"], w["iid"], w["t"], w["ua"], w["ub"], ok, pop, n_all, _ties)
    ref = _reference(w, ok, pop, n_all)
    assert ref  # the world has pairs to score
    _check(s, ref, {a: a for a in range(7)})


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("part_rows", [4_000_000, 11])
def test_wide_keys_rank_the_pairs(seed: int, part_rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Account numbers near 2**30 and items near 2**20 leave no room for one packed key:
    the pairs are ranked first, with the same rows and sums as small numbers give."""
    monkeypatch.setattr(surprise_rows, "PART_ROWS", part_rows)
    w = _world(seed)
    pop = np.bincount(w["iid"]) + 1
    narrow = pair_sums(w["uid"], w["aid"], w["iid"], w["t"], w["ua"], w["ub"], None, pop, 9.0, _ties)
    big = 2**30 - 10
    wide_aid = w["aid"] + big  # same order of the accounts
    wide_iid = w["iid"] * 2**17  # items up to 2**20: 2 * 30 + 20 bits > 63
    wide_pop = np.zeros(int(wide_iid.max()) + 1, np.int64)
    wide_pop[wide_iid] = pop[w["iid"]]
    wide = pair_sums(w["uid"], wide_aid, wide_iid, w["t"], w["ua"], w["ub"], None, wide_pop, 9.0, _ties)
    assert np.array_equal(wide.a, narrow.a + big) and np.array_equal(wide.b, narrow.b + big)
    for f in ("n_shared", "weight", "mean_dt", "row_a", "row_b", "dt", "w"):
        assert np.array_equal(getattr(wide, f), getattr(narrow, f)), f


def test_no_rows() -> None:
    e = np.zeros(0, np.int64)
    s = pair_sums(np.arange(3), np.array([0, 1, 1]), np.zeros(3, np.int64), np.zeros(3, np.int64), e, e, None,
                  np.array([2]), 2.0, _ties)
    assert len(s.a) == len(s.row_a) == 0
