"""Near-duplicate text groups with MinHash/LSH over character shingles.

Why character shingles: word tokenisation fails on Chinese (no spaces); character
k-grams treat every script alike, and operations that lightly edit a shared script
(a changed emoji, one swapped word) still share most k-grams. Works on the *distinct*
normalised texts only, so the Python loop is over texts, not actions.

Why the banding is done here in numpy: signatures come from datasketch (its permutations
and hash), but querying its ``MinHashLSH`` one text at a time cost ~20 s per 100k texts.
The same candidate rule (two texts share at least one band of ``r`` signature rows, with
datasketch's own ``b``/``r`` for the threshold) and the same check (estimated Jaccard >=
threshold) are applied to whole arrays; groups are the connected components of the
checked pairs, which do not depend on the order texts are visited in. Signatures are the
same numbers datasketch computes, but each distinct shingle is hashed and permuted once
(the same k-grams recur across texts) and rows are reduced per text with numpy.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable

import numpy as np
import pyarrow as pa

from lockstep.distinct import distinct
from lockstep.graph.igraph_import import igraph

MAX_BUCKET = 2000  # texts in one band bucket checked pairwise; larger buckets against a sample


def shingles(text: str, k: int) -> list[bytes]:
    """Character k-grams of ``text`` with spaces removed (the whole text if shorter)."""
    s = text.replace(" ", "")
    if len(s) <= k:
        return [s.encode("utf8")]
    return [s[i:i + k].encode("utf8") for i in range(len(s) - k + 1)]


def _memo_sha1_32() -> Callable[[bytes], int]:
    """datasketch's default shingle hash (sha1_hash32), memoised per distinct shingle."""
    cache: dict[bytes, int] = {}
    unpack = struct.Struct("<I").unpack

    def h(b: bytes) -> int:
        v = cache.get(b)
        if v is None:
            v = cache[b] = unpack(hashlib.sha1(b).digest()[:4])[0]
        return v

    return h


def _pairs_in_buckets(bucket: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """All pairs (i < j) of rows sharing a bucket id, generated without a Python loop per
    bucket; buckets over MAX_BUCKET rows are paired against a sample of their rows."""
    order = np.argsort(bucket, kind="stable")
    sizes = np.bincount(bucket)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    size_at = sizes[bucket[order]]
    small = size_at <= MAX_BUCKET
    pos = np.arange(len(order))
    count = np.where(small, starts[bucket[order]] + size_at - 1 - pos, 0)
    total = int(count.sum())
    first = np.repeat(pos, count)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count) + 1
    a, b = order[first], order[first + offset]
    out = [np.column_stack([np.minimum(a, b), np.maximum(a, b)])]
    for big in np.flatnonzero(sizes > MAX_BUCKET):
        members = order[starts[big]:starts[big] + sizes[big]]
        anchors = rng.choice(members, MAX_BUCKET, replace=False)
        i, j = np.meshgrid(anchors, members, indexing="ij")
        keep = i != j
        out.append(np.column_stack([np.minimum(i, j)[keep], np.maximum(i, j)[keep]]))
    return np.concatenate(out)


def _candidate_pairs(sig: np.ndarray, bands: list[tuple[int, int]], rng: np.random.Generator) -> np.ndarray:
    """Pairs (i < j) of rows whose signatures agree on every row of at least one band."""
    n = len(sig)
    keys = []
    for start, end in bands:
        view = np.ascontiguousarray(sig[:, start:end]).view(np.dtype((np.void, (end - start) * sig.itemsize)))
        _, bucket = np.unique(view.ravel(), return_inverse=True)
        p = _pairs_in_buckets(bucket.ravel(), rng)
        keys.append(p[:, 0].astype(np.int64) * n + p[:, 1])
    k = distinct(np.concatenate(keys))
    return np.column_stack([k // n, k % n])


def _signatures(token_lists: list[list[bytes]], num_perm: int, seed: int) -> np.ndarray:
    """datasketch MinHash signatures (one row per text), computed for all texts at once:
    each distinct shingle is hashed and permuted once, then rows are reduced per text.
    Checked against ``MinHash.bulk`` on a few texts; on any difference (another datasketch
    release) the plain per-text ``MinHash.bulk`` is used instead."""
    from datasketch import MinHash
    from datasketch import minhash as dm

    hashfunc = _memo_sha1_32()
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=hashfunc)

    def plain(lists: list[list[bytes]]) -> np.ndarray:
        return np.vstack([h.hashvalues for h in MinHash.bulk(lists, num_perm=num_perm, seed=seed,
                                                             hashfunc=hashfunc)])
    try:
        index: dict[bytes, int] = {}
        codes = np.fromiter((index.setdefault(t, len(index)) for ts in token_lists for t in ts), np.int64)
        hv_list = [hashfunc(t) for t in index]
        a, b = m.permutations
        if m.scheme == dm._SCHEME_LEGACY:
            hv = np.array(hv_list, dtype=np.uint64, ndmin=2).T
            phv = np.bitwise_and((hv * a + b) % dm._mersenne_prime, dm._max_hash)
        else:
            hv = dm._fmix(m._hash_input_array(hv_list).reshape(-1, 1), dm._SCHEME_WIDTHS[m.scheme])
            phv = hv * a + b
        lens = np.array([len(ts) for ts in token_lists], dtype=np.int64)
        ends = np.cumsum(lens)
        pt = np.ascontiguousarray(phv.T)  # (num_perm, shingles): reduce along contiguous rows
        sig = np.empty((num_perm, len(token_lists)), dtype=phv.dtype)
        step = max(1, 250_000 // max(int(lens.mean()), 1))
        for s in range(0, len(token_lists), step):
            lo, hi = (ends[s - 1] if s else 0), ends[min(s + step, len(token_lists)) - 1]
            offsets = np.r_[0, np.cumsum(lens[s:s + step])[:-1]]
            sig[:, s:s + step] = np.minimum.reduceat(pt[:, codes[lo:hi]], offsets, axis=1)
        sig = np.asarray(np.minimum(np.ascontiguousarray(sig.T), m.hashvalues))
        check = list(range(min(8, len(token_lists))))
        if np.array_equal(sig[check], plain([token_lists[i] for i in check])):
            return sig
    except (AttributeError, KeyError, TypeError, ValueError):
        pass
    return plain(token_lists)


def near_duplicate_groups(texts: list[str], threshold: float, k: int = 3,
                          num_perm: int = 128, seed: int = 1) -> pa.Table:
    """A table (item, group): texts whose estimated Jaccard similarity reaches
    ``threshold`` share a group id ("~" + the smallest text of the group: connected
    components of the candidate pairs that pass the check). Texts without a near
    duplicate are left out."""
    if len(texts) < 2:
        return pa.table({"item": pa.array([], pa.string()), "group": pa.array([], pa.string())})
    ig = igraph()  # lazy: these imports cost about a second together
    from datasketch import MinHashLSH

    texts = sorted(texts)
    sig = _signatures([shingles(t, k) for t in texts], num_perm, seed)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    pairs = _candidate_pairs(sig, list(lsh.hashranges), np.random.default_rng(seed))
    if len(pairs):
        agree = np.zeros(len(pairs), dtype=np.int64)
        for s in range(0, len(pairs), 200_000):  # estimated Jaccard, in chunks
            p = pairs[s:s + 200_000]
            agree[s:s + 200_000] = np.count_nonzero(sig[p[:, 0]] == sig[p[:, 1]], axis=1)
        pairs = pairs[agree / float(num_perm) >= threshold]
    g = ig.Graph(n=len(texts), edges=pairs.tolist())
    memb = np.asarray(g.connected_components().membership)
    root = np.full(memb.max() + 1, len(texts), dtype=np.int64)
    np.minimum.at(root, memb, np.arange(len(texts)))
    counts = np.bincount(memb)
    keep = np.flatnonzero(counts[memb] > 1)
    return pa.table({"item": pa.array([texts[i] for i in keep], pa.string()),
                     "group": pa.array(["~" + texts[int(root[memb[i]])] for i in keep], pa.string())})
