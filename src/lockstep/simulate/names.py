"""Handles, display names, profiles and user ids, vectorised over many accounts.

Handle styles matter because detectors look at them: organic newcomers get Twitter's
suggested name-plus-digits handles too, so that pattern alone never separates amplifiers.
"""

from __future__ import annotations

import numpy as np

from lockstep.simulate import vocab

_ALNUM = np.array(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
_TWEPOCH_MS = 1288834974657
_SNOWFLAKE_FROM = 1356998400  # 2013-01-01: older accounts have small sequential ids


def pick(rng: np.random.Generator, pool: tuple[str, ...] | list[str], n: int) -> np.ndarray:
    arr = np.asarray(pool, dtype=object)
    return arr[rng.integers(0, len(arr), n)]


def digits(rng: np.random.Generator, n: int, lo: int = 2, hi: int = 8) -> np.ndarray:
    width = rng.integers(lo, hi + 1, n)
    vals = rng.integers(0, 10**8, n)
    return np.array([str(v)[:w].rjust(w, "0") for v, w in zip(vals, width)], dtype=object)


def random_handles(rng: np.random.Generator, n: int, length: int = 15) -> np.ndarray:
    chars = _ALNUM[rng.integers(0, len(_ALNUM), (n, length))]
    return np.array(["".join(r) for r in chars], dtype=object)


def name_digit_handles(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``lindawang83921``-style handles and the matching display names."""
    first, last = pick(rng, vocab.FIRST, n), pick(rng, vocab.LAST, n)
    handles = first + last + digits(rng, n, 3, 8)
    names = np.array([f"{a.title()} {b.title()}" for a, b in zip(first, last)], dtype=object)
    return handles, names


def personal_handles(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Mixed organic handle styles: name-based, name-plus-digits, random, Chinese names."""
    first, last = pick(rng, vocab.FIRST, n), pick(rng, vocab.LAST, n)
    style = rng.choice(5, n, p=[0.35, 0.25, 0.2, 0.1, 0.1])
    nd, _ = name_digit_handles(rng, n)
    rnd = random_handles(rng, n)
    sep = pick(rng, ("_", "", ".", "_x"), n)
    handles = np.where(style == 0, first + sep + last,
              np.where(style == 1, nd, np.where(style == 2, first + last + digits(rng, n, 2, 2),
                                                np.where(style == 3, rnd, last + first))))
    names = np.array([f"{a.title()} {b.title()}" for a, b in zip(first, last)], dtype=object)
    zh = pick(rng, vocab.ZH_NAMES, n)
    names = np.where(rng.random(n) < 0.15, zh, names)
    return handles.astype(object), names.astype(object)


def bios(rng: np.random.Generator, n: int, filled: float | np.ndarray) -> np.ndarray:
    parts1 = ("coffee lover", "dad of two", "student", "photographer", "engineer", "runner", "teacher",
              "music addict", "foodie", "designer", "nurse", "gamer", "traveller", "writer", "香港人", "設計師")
    parts2 = ("", " | opinions my own", " | she/her", " | he/him", " 🌏", " | NYC", " | 香港", " | books & tea")
    out = pick(rng, parts1, n) + pick(rng, parts2, n)
    return np.where(rng.random(n) < filled, out, "").astype(object)


def user_ids(created: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Twitter-like numeric ids: sequential before 2013, snowflakes (creation ms << 22) after."""
    n = len(created)
    ms = created.astype(np.int64) * 1000 + rng.integers(0, 1000, n)
    snow = ((ms - _TWEPOCH_MS) << 22) | rng.integers(0, 1 << 22, n)
    frac = (created - 1142000000) / (_SNOWFLAKE_FROM - 1142000000)
    legacy = (np.clip(frac, 0, 1) * 1.1e9).astype(np.int64) + rng.integers(0, 997, n) + 1000
    ids = np.where(created >= _SNOWFLAKE_FROM, snow, legacy)
    ids = _dedupe(ids)
    return ids.astype(str).astype(object)


def _dedupe(ids: np.ndarray) -> np.ndarray:
    while True:
        _, first_idx = np.unique(ids, return_index=True)
        if len(first_idx) == len(ids):
            return ids
        dup = np.ones(len(ids), bool)
        dup[first_idx] = False
        ids[dup] += 7919


def tweet_ids(t: np.ndarray, serial: np.ndarray) -> np.ndarray:
    """Snowflake tweet ids from second timestamps; ``serial`` keeps them unique."""
    ms = t.astype(np.int64) * 1000 + (serial % 1000)
    out: np.ndarray = ((ms - _TWEPOCH_MS) << 22) | ((serial // 1000) & ((1 << 22) - 1))
    return out
