"""The pair-row counter: the same kept keys as the plain counter, in memory and on disk,
and exactly the rows of the kept keys handed back, per signal."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from lockstep.engine.duckdb.pair_counts import PairCounter
from lockstep.engine.duckdb.pair_rows import PairRowCounter


@pytest.mark.parametrize("budget", [10**9, 5_000])
@pytest.mark.parametrize("packed", [False, True])
def test_kept_rows_are_exactly_the_rows_of_kept_keys(tmp_path: Path, budget: int, packed: bool) -> None:
    rng = np.random.default_rng(1)
    n = 40_000
    keys = rng.integers(0, 1500, n).astype(np.int64) << 32 | rng.integers(0, 40, n)
    sig = rng.integers(-1, 3, n)  # -1: a counted row with no row numbers (keyed counts)
    if packed:  # uids up to the packed limit, the last signal number it holds
        sig = np.where(sig == 2, 7, sig)
        ua = 2**30 - 1 - np.arange(n, dtype=np.int64) * 3
    else:
        ua = np.arange(n, dtype=np.int64) * 3 + 2**40  # large uids survive the signal packing
    ub = np.arange(n, dtype=np.int64) * 7
    rows = PairRowCounter(tmp_path, budget=budget, packed=packed)
    plain = PairCounter(tmp_path)
    for part in np.array_split(np.arange(n), 9):
        plain.add(keys[part])
        for s in (-1, 0, 1, 2, 7):
            m = part[sig[part] == s]
            if s < 0:
                rows.add(keys[m])
            else:
                rows.add(keys[m], s, ua[m], ub[m])
    assert rows.spilled == (budget < 10**9)
    got: list[tuple[int, int, int]] = []
    kept = rows.at_least(3, lambda s, a, b: got.extend(zip(s.tolist(), a.tolist(), b.tolist())))
    assert kept.tolist() == plain.at_least(3).tolist() and kept.tolist() == sorted(kept.tolist())
    counts = Counter(keys.tolist())
    want = {(int(sig[i]), int(ua[i]), int(ub[i])) for i in range(n) if counts[int(keys[i])] >= 3 and sig[i] >= 0}
    assert len(got) == len(want) and set(got) == want
    assert not list(tmp_path.glob("pairrows-*"))  # partitions removed after counting


def test_packed_rows_refuse_what_does_not_fit(tmp_path: Path) -> None:
    rows = PairRowCounter(tmp_path, packed=True)
    one = np.array([5], np.int64)
    with pytest.raises(ValueError):
        rows.add(one, 0, np.array([2**30], np.int64), one)
    with pytest.raises(ValueError):
        rows.add(one, 8, one, one)
    rows.close()
