"""Decide a batch of ads column-wise: each distinct advertiser and landing host once.

Why this shape: a million ads hold some thousands of advertisers and hosts. Arrow finds the
distinct ones (dictionary encoding; landing hosts are cut out of the URLs by grouping rows on
where the host starts and ends, so no regular expression runs over every row), Python
decides only those, and numpy spreads the answers back over the rows. A profile link on a
social platform is decided by its whole URL (its handle), not by the platform's host.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lockstep.ads.arrowkit import indices, to_numpy
from lockstep.ads.decide import Decision, decide
from lockstep.ads.domains import host_of, platform_of
from lockstep.ads.matching import Advertiser, Matcher
from lockstep.ads.policy import Policy

NONE, STATE, INELIGIBLE = 0, 1, 2   # per advertiser or landing page: no match, state media, ineligible
IntArray = np.ndarray[Any, np.dtype[np.int64]]
SCHEME = "^[A-Za-z][A-Za-z0-9+.-]*:$"   # the scheme part of domains._URL


def _code(d: Decision) -> int:
    return INELIGIBLE if d.decision == "ineligible" else STATE if d.entries else NONE


class Decider:
    """Decisions by key with a stable integer id each, so rows carry ids, not strings."""

    def __init__(self, matcher: Matcher, policy: Policy, make: Callable[[str], Advertiser]) -> None:
        self.matcher, self.policy, self.make = matcher, policy, make
        self.ids: dict[str, int] = {}
        self.decisions: list[Decision] = []
        self.codes = np.zeros(0, dtype=np.int8)

    def ids_of(self, keys: list[str]) -> IntArray:
        new = [k for k in dict.fromkeys(keys) if k not in self.ids]
        if new:
            advs = [self.make(k) for k in new]
            made = [decide(a, h, self.policy, self.matcher) for a, h in zip(advs, self.matcher.match(advs))]
            for k, d in zip(new, made):
                self.ids[k] = len(self.decisions)
                self.decisions.append(d)
            self.codes = np.concatenate([self.codes, np.array([_code(d) for d in made], dtype=np.int8)])
        return np.array([self.ids[k] for k in keys], dtype=np.int64)


def advertiser_of(key: str) -> Advertiser:
    name, dom, hnd = (key.split("\x1f") + ["", ""])[:3]
    return Advertiser(advertiser=name, name=name, domains=[dom] if dom.strip() else [],
                      handles=[hnd] if hnd.strip() else [])


def landing_of(key: str) -> Advertiser:
    return Advertiser(advertiser=key, landing_urls=[key] if key else [])


def advertiser_ids(batch: pa.RecordBatch, columns: tuple[str, ...], dec: Decider) -> IntArray:
    """The decision id of each row's advertiser (name, domain and handle together)."""
    cols = [c for c in ("advertiser", "advertiser_domain", "advertiser_handle") if c in columns]
    encs = [pc.dictionary_encode(batch.column(c)) for c in cols]
    dicts = [[v.replace("\x1f", " ") for v in e.dictionary.to_pylist()] for e in encs]   # \x1f joins the key
    combo = np.zeros(batch.num_rows, dtype=np.int64)
    for e, d in zip(encs, dicts):
        combo = combo * max(len(d), 1) + to_numpy(e.indices).astype(np.int64)
    uniq, inv = np.unique(combo, return_inverse=True)
    keys = []
    for u in uniq.tolist():
        parts = []
        for d in reversed(dicts):
            u, r = divmod(u, max(len(d), 1))
            parts.append(d[r] if d else "")
        keys.append("\x1f".join(reversed(parts)))
    ids: IntArray = dec.ids_of(keys)[inv]
    return ids


def _groups(values: np.ndarray[Any, Any]) -> list[tuple[int, IntArray]]:
    """Rows grouped by value (positions in a URL: small integers, so a radix sort)."""
    if len(values) == 0:
        return []
    low = int(values.min())
    shifted = values - low
    small = shifted.max() < 32000
    order = np.argsort(shifted.astype(np.int16) if small else shifted, kind="stable")
    counts = np.bincount(shifted) if small else None
    if counts is None:
        vals, starts = np.unique(values[order], return_index=True)
        bounds = [*starts.tolist(), len(order)]
        return [(int(v), order[bounds[i]:bounds[i + 1]]) for i, v in enumerate(vals.tolist())]
    out, at = [], 0
    for v in np.nonzero(counts)[0].tolist():
        n = int(counts[v])
        out.append((v + low, order[at:at + n]))
        at += n
    return out


def landing_ids(url: pa.Array, dec: Decider) -> IntArray:
    """The decision id of each row's landing page: by host, or by whole URL on a social platform."""
    url = pc.utf8_trim_whitespace(url)
    out = np.zeros(len(url), dtype=np.int64)
    start = to_numpy(pc.find_substring(url, "//")).astype(np.int64)
    for s, idx in _groups(start):
        if s > 0:   # "//" starts a host only after a scheme ("https:"), as in domains.host_of
            head = pc.utf8_slice_codeunits(pc.take(url, indices(idx)), 0, s)
            ok = pc.match_substring_regex(head, SCHEME)
            start[idx[to_numpy(pc.cast(ok, pa.int8())) == 0]] = -2
    start = np.where(start >= 0, start + 2, 0)
    parts: list[tuple[IntArray, IntArray, list[str]]] = []   # rows, index into uniq, uniq hosts
    for st, idx in _groups(start):
        whole = pc.take(url, indices(idx))
        end = to_numpy(pc.find_substring(pc.utf8_slice_codeunits(whole, st) if st else whole, "/"))
        for e, j in _groups(end):
            # The key keeps the scheme and stops before the path: host_of reads the same host
            # from it as from the whole URL, and one site's many pages share one key.
            part = pc.take(whole, indices(j))
            enc = pc.dictionary_encode(part if e < 0 else pc.utf8_slice_codeunits(part, 0, st + e))
            parts.append((idx[j], to_numpy(enc.indices).astype(np.int64), enc.dictionary.to_pylist()))
    hosts = list(dict.fromkeys(h for _, _, uniq in parts for h in uniq))
    gids = dec.ids_of(hosts)
    where = {h: i for i, h in enumerate(hosts)}
    platform_rows = []
    for rows, ind, uniq in parts:
        local = np.array([where[h] for h in uniq], dtype=np.int64)
        out[rows] = gids[local[ind]]
        plat = np.array([_on_platform(h) for h in uniq], dtype=bool)
        if plat.any():
            platform_rows.append(rows[plat[ind]])
    if platform_rows:
        on = np.concatenate(platform_rows)
        out[on] = dec.ids_of(pc.take(url, indices(on)).to_pylist())
    return out


@lru_cache(maxsize=100_000)
def _on_platform(prefix: str) -> bool:
    h = host_of(prefix)
    return h is not None and platform_of(h) is not None
