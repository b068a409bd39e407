"""Near-duplicate text groups with MinHash/LSH over character shingles.

Why character shingles: word tokenisation fails on Chinese (no spaces); character
k-grams treat every script alike, and operations that lightly edit a shared script
(a changed emoji, one swapped word) still share most k-grams. Works on the *distinct*
normalised texts only, so the Python loop is over texts, not actions.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from datasketch import MinHash, MinHashLSH


def shingles(text: str, k: int) -> list[bytes]:
    """Character k-grams of ``text`` with spaces removed (the whole text if shorter)."""
    s = text.replace(" ", "")
    if len(s) <= k:
        return [s.encode("utf8")]
    return [s[i:i + k].encode("utf8") for i in range(len(s) - k + 1)]


def near_duplicate_groups(texts: list[str], threshold: float, k: int = 3,
                          num_perm: int = 128, seed: int = 1) -> pa.Table:
    """A table (item, group): texts whose estimated Jaccard similarity reaches
    ``threshold`` share a group id (connected components of the candidate pairs that
    pass verification). Texts without a near duplicate are left out."""
    if len(texts) < 2:
        return pa.table({"item": pa.array([], pa.string()), "group": pa.array([], pa.string())})
    hashes = MinHash.bulk([shingles(t, k) for t in texts], num_perm=num_perm, seed=seed)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent = np.arange(len(texts))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for i, mh in enumerate(hashes):
        for j in lsh.query(mh):
            if mh.jaccard(hashes[j]) >= threshold:
                ri, rj = find(i), find(int(j))
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
        lsh.insert(i, mh)
    roots = np.array([find(i) for i in range(len(texts))])
    counts = np.bincount(roots, minlength=len(texts))
    keep = np.nonzero(counts[roots] > 1)[0]
    return pa.table({"item": pa.array([texts[i] for i in keep], pa.string()),
                     "group": pa.array(["~" + texts[int(roots[i])] for i in keep], pa.string())})
