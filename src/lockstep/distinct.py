"""Sorted distinct values of a numpy array, by one sort.

Why not ``np.unique``: from numpy 2.3 a bare ``np.unique(x)`` (no ``return_*``) finds the
distinct values with a hash table, which on many distinct values is two orders of magnitude
slower than sorting: 17.6 s against 0.1 s for 10.6M random int64 (numpy 2.4.6, measured),
and it was most of a signal's scoring on the 10M-action simulator world. The result is the
same: the distinct values in ascending order.
"""

from __future__ import annotations

import numpy as np


def distinct(x: np.ndarray) -> np.ndarray:
    """The distinct values of ``x`` (flattened), ascending, as ``np.unique(x)`` gives them."""
    s = np.sort(np.asarray(x).ravel())
    if s.size < 2:
        return s
    keep = np.empty(s.size, dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    if s.dtype.kind == "f":  # np.unique keeps a single NaN (equal_nan), sorted last
        nan = np.isnan(s)
        if nan.any():
            keep &= ~nan
            keep[int(np.argmax(nan))] = True
    out: np.ndarray = s[keep]
    return out
