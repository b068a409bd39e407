"""Outlet names compared across scripts and transliterations.

Why ``anyascii``: it transliterates every script (Cyrillic, Arabic, Chinese, ...) to ASCII
with no data files and a permissive (ISC) licence, where Unidecode is GPL, which an
Apache-2.0 project cannot bundle. Why ``rapidfuzz``: its ``cdist`` scores every advertiser
name against every registry name in C, on all cores, so a million-ad scan stays fast.

A name match is the weakest kind: exact equality of the normalised name is "strong",
a fuzzy score between the policy's ``name_weak`` and ``name_strong`` is "weak" (human review).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz, process

# Words that say what kind of organisation it is, not which one: dropped from both sides.
_LEGAL = {"the", "official", "ltd", "inc", "llc", "plc", "co", "corp", "corporation", "company", "jsc", "sa"}
_GENERIC = {"news", "agency", "media", "group", "network", "online", "daily"}
_PREFIX = re.compile(r"^(?:news agency|television|tv|print media|print|online|radio|newspaper)\s*:\s*", re.I)
_CORE_MARK = "~"   # marks a form made by dropping generic words (see variants)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PAREN = re.compile(r"\(([^)]*)\)?")


def normalise(name: str) -> str:
    """ASCII, lower case, punctuation and legal-form words removed: ``"Агентство «РИА Новости»"``
    -> ``"agentstvo ria novosti"``; ``新华社`` -> ``"xin hua she"``."""
    s = _PREFIX.sub("", name.strip())
    s = _CAMEL.sub(" ", anyascii(s)).replace("&", " and ").lower()
    words = [w for w in re.split(r"[^a-z0-9]+", s) if w and w not in _LEGAL]
    return " ".join(words)


def core(normalised: str) -> str:
    """The distinctive part: generic words (news, agency, media...) dropped, when something is left."""
    words = [w for w in normalised.split() if w not in _GENERIC]
    out = " ".join(words)
    return out if len(out.replace(" ", "")) >= 3 else normalised


def variants(*names: str) -> list[str]:
    """Every normalised form an outlet can be named by: each name, without its parenthetical,
    the parenthetical alone (``British Broadcasting Corporation (BBC)`` -> ``bbc``), and cores
    (marked with a leading ``~``: a core alone is a weaker name than a full one)."""
    out: list[str] = []
    for name in names:
        if not name or not name.strip():
            continue
        forms = [name, _PAREN.sub(" ", name)] + [m.group(1) for m in _PAREN.finditer(name)]
        for f in forms:
            n = normalise(f)
            if n and n not in out:
                out.append(n)
            c = core(n)
            if c and c != n and c not in out and _CORE_MARK + c not in out:
                out.append(_CORE_MARK + c)
    return out


@dataclass(frozen=True)
class NameHit:
    """One registry name an advertiser's name resembles."""

    key: str        # the registry entry id
    variant: str    # the registry name form it met
    query: str      # the advertiser's normalised name
    score: float    # 100 for an exact match
    exact: bool
    generic: bool = False   # exact only once generic words were dropped, and the rest is too common to decide


class NameIndex:
    """Exact and fuzzy lookup of normalised names to entry ids."""

    def __init__(self, names: Iterable[tuple[str, Sequence[str]]], weak: float, fuzzy_min_length: int,
                 common: Iterable[str] = ()) -> None:
        self.weak = weak
        self.fuzzy_min_length = fuzzy_min_length
        # Forms too common to name one outlet once generic words are gone ("China", "Vietnam").
        self._common = {c.replace(" ", "") for c in common}
        # Keyed without spaces: transliterated Chinese comes out one syllable a word
        # ("zhong guo qing nian bao") where the source writes pinyin words ("zhongguo qingnian bao").
        self._exact: dict[str, list[str]] = {}
        self._shown: dict[str, str] = {}
        self._full: set[tuple[str, str]] = set()
        for key, forms in names:
            for v in forms:
                k = v.replace(" ", "")
                if not v.startswith(_CORE_MARK):
                    self._full.add((key, k))
                v = v.removeprefix(_CORE_MARK)
                k = v.replace(" ", "")
                self._shown.setdefault(k, v)
                keys = self._exact.setdefault(k, [])
                if key not in keys:
                    keys.append(key)
        self._choices = list(self._exact)

    def _by_length(self, pos: list[int], queries: list[str]) -> list[tuple[list[int], list[str], list[str]]]:
        """Queries grouped by length, each with the only choices that can reach ``weak``.

        ``fuzz.ratio`` is 2*LCS/(la+lb) and LCS <= min(la, lb), so a score of at least c
        (as a fraction) needs lb within [la*c/(2-c), la*(2-c)/c]: other choices cannot pass
        the cutoff and are not scored. The hits are exactly those of a full comparison."""
        c = self.weak / 100.0
        groups: dict[int, tuple[list[int], list[str]]] = {}
        for p, q in zip(pos, queries):
            g = groups.setdefault(len(q), ([], []))
            g[0].append(p)
            g[1].append(q)
        out = []
        for n, (ps, qs) in groups.items():
            lo, hi = n * c / (2 - c) - 1e-9, n * (2 - c) / c + 1e-9
            choices = [ch for ch in self._choices if lo <= len(ch) <= hi]
            if choices:
                out.append((ps, qs, choices))
        return out

    def lookup_many(self, queries: Sequence[str], chunk: int = 2000) -> list[list[NameHit]]:
        """Hits for each raw name in ``queries`` (same order): exact matches when there are any,
        else fuzzy ones scoring at least ``weak``, best first, at most 5 per name."""
        out: list[list[NameHit]] = [[] for _ in queries]
        fuzzy_pos: list[int] = []
        fuzzy_q: list[str] = []
        for i, raw in enumerate(queries):
            n = normalise(raw)
            if not n:
                continue
            hits: list[NameHit] = []
            full = n.replace(" ", "")
            for form in dict.fromkeys((full, core(n).replace(" ", ""))):
                for key in self._exact.get(form, ()):
                    if all(h.key != key for h in hits):
                        both_full = form == full and (key, form) in self._full
                        generic = not both_full and (form in self._common or len(form) < 6)
                        hits.append(NameHit(key, self._shown[form], n, 100.0, True, generic))
            if hits:
                out[i] = hits
            elif len(n.replace(" ", "")) >= self.fuzzy_min_length and self._choices:
                fuzzy_pos.append(i)
                fuzzy_q.append(n.replace(" ", ""))
        for pos_list, qs, choices in self._by_length(fuzzy_pos, fuzzy_q):
            for start in range(0, len(qs), chunk):
                part = qs[start:start + chunk]
                scores = process.cdist(part, choices, scorer=fuzz.ratio, score_cutoff=self.weak,
                                       dtype=np.uint8, workers=-1)
                rows, cols = np.nonzero(scores)
                for r, c in zip(rows.tolist(), cols.tolist()):
                    variant = choices[c]
                    for key in self._exact[variant]:
                        out[pos_list[start + r]].append(
                            NameHit(key, self._shown[variant], part[r], float(scores[r, c]), False))
        for i, hits in enumerate(out):
            best: dict[str, NameHit] = {}
            for h in sorted(hits, key=lambda h: -h.score):
                best.setdefault(h.key, h)
            out[i] = list(best.values())[:5]
        return out
