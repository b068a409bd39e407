"""Ids, handles, vanity names and display names of the tip's assets against ours.

Why monikers apart from display names: a handle or vanity name is chosen once and is the
address people find an outlet by, so an operation keeps it across platforms (HKpoliticalnew
in 2019); display names are free text that authentic outlets share by coincidence. Exact
skeleton equality is a dictionary lookup; fuzzy display-name similarity uses rapidfuzz's
``cdist`` in blocks, so a workspace of millions of profiles is compared without a Python
loop per pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from lockstep.share.match.book import Book, short
from lockstep.share.match.names import is_moniker, profile_id, skeleton, vanity
from lockstep.share.tip import Asset, Tip
from lockstep.store.queries.share_match import Profile

FUZZY_MIN = 0.85  # similarity below which two names are not reported at all
_BLOCK = 20_000


def tip_label(a: Asset) -> str:
    """How a reason names a tip asset: ``twitter account @HKpoliticsnews``."""
    who = f"@{a.handle}" if a.handle else (f'"{short(a.display_name)}"' if a.display_name else (a.id or a.url))
    return f"tip {a.platform or 'unknown-platform'} {a.kind} {who}"


def _tip_monikers(tip: Tip) -> dict[str, list[Asset]]:
    out: dict[str, list[Asset]] = defaultdict(list)
    for a in tip.assets:
        for raw in (a.handle, vanity(a.url)):
            sk = skeleton(raw) if raw else ""
            if is_moniker(sk) and a not in out[sk]:
                out[sk].append(a)
    return out


def _tip_names(tip: Tip) -> dict[str, list[Asset]]:
    out: dict[str, list[Asset]] = defaultdict(list)
    for a in tip.assets:
        sk = skeleton(a.display_name) if a.display_name else ""
        if len(sk) >= 4 and a not in out[sk]:
            out[sk].append(a)
    return out


def collect(book: Book, tip: Tip, profiles: Sequence[Profile]) -> None:
    """Add id and name reasons for every profile resembling a tip asset."""
    ids = {(a.platform, a.id): a for a in tip.assets if a.platform and a.id}
    ids.update({(a.platform, pid): a for a in tip.assets if a.platform and a.url and (pid := profile_id(a.url))})
    monikers, names = _tip_monikers(tip), _tip_names(tip)
    fuzzy_rows: list[tuple[Profile, str]] = []
    for p in profiles:
        key = (p.platform, p.id)
        if key in ids:
            book.get(*key).add("id", 0.95, f"same id as {tip_label(ids[key])}")
        ours = {(skeleton(p.handle), f"handle @{p.handle}")} if p.handle else set()
        v = vanity(p.url)
        if v:
            ours.add((skeleton(v), f"vanity name {v} in {short(p.url, 60)}"))
        for sk, what in ours:
            for a in monikers.get(sk, ()):
                book.get(*key).add("name", 0.6, f"identical moniker: our {what} = {tip_label(a)}")
            for a in names.get(sk, ()) if is_moniker(sk) else ():
                book.get(*key).add("name", 0.5, f'our {what} = display name of {tip_label(a)}')
        nsk = skeleton(p.name) if p.name else ""
        if len(nsk) < 4:
            continue
        exact = names.get(nsk, []) + (monikers.get(nsk, []) if is_moniker(nsk) else [])
        for a in exact:
            book.get(*key).add("name", 0.5, f'identical name: our "{short(p.name)}" = {tip_label(a)}')
        if not exact:
            fuzzy_rows.append((p, nsk))
    _fuzzy(book, fuzzy_rows, {**names, **monikers})


def _fuzzy(book: Book, rows: list[tuple[Profile, str]], tip_sk: dict[str, list[Asset]]) -> None:
    """Similar (not equal) names: 0.5 times the similarity, below an identical name."""
    from rapidfuzz import fuzz, process
    keys = list(tip_sk)
    if not keys or not rows:
        return
    for s in range(0, len(rows), _BLOCK):
        block = rows[s:s + _BLOCK]
        m = process.cdist([sk for _, sk in block], keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN * 100,
                          dtype=np.uint8, workers=1)
        for i, j in zip(*np.nonzero(m)):
            p, sim = block[int(i)][0], float(m[i, j]) / 100.0
            for a in tip_sk[keys[int(j)]][:1]:
                book.get(p.platform, p.id).add(
                    "name", min(0.49, 0.5 * sim),
                    f'similar name ({sim:.2f}): our "{short(p.name)}" ~ {tip_label(a)}')
