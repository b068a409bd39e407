"""Office hours of many accounts at once (weighted counts per offset) give exactly the answers
of the per-account rolled histograms they replaced, ties and empty accounts included."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lockstep.accounts.activity import _OFFICE, _WEEKEND, OFFSETS, office_hours, office_hours_rows


def _rolled(hist: NDArray[np.float64]) -> tuple[int, float, float]:
    """The replaced implementation: 27 rolled copies of the histogram."""
    total = hist.sum()
    if total == 0:
        return 0, 0.0, 0.0
    local = np.stack([np.roll(hist, o) for o in OFFSETS])
    office = (local[:, _OFFICE].sum(axis=1)) / total
    best = int(np.argmax(office))
    return int(OFFSETS[best]), float(office[best]), float(local[best, _WEEKEND].sum() / total)


def test_batch_matches_rolled_histograms() -> None:
    rng = np.random.default_rng(3)
    hists = []
    for i in range(600):
        h = np.zeros(168)
        k = int(rng.integers(0, 40))
        if i % 5 == 0:  # an office: weekday hours of one zone
            start = int(rng.integers(0, 24))
            for d in range(5):
                h[(d * 24 + start + rng.integers(0, 9, size=k)) % 168] += 1
        else:
            np.add.at(h, rng.integers(0, 168, size=k), rng.integers(1, 50, size=k))
        hists.append(h)
    hists.append(np.ones(168))  # every offset ties
    hists.append(np.zeros(168))
    mat = np.array(hists)
    row, how = np.nonzero(mat)
    offs, shares, weekends = office_hours_rows(row.astype(np.int64), how.astype(np.int64), mat[row, how], len(mat))
    for i, h in enumerate(hists):
        want = _rolled(h)
        assert (int(offs[i]), float(shares[i]), float(weekends[i])) == want
        assert office_hours(h) == want
