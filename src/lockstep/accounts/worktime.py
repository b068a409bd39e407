"""Working time beyond office hours: shift rotas.

An operation that learnt that office hours in one time zone give it away works around the
clock in shifts: disjoint groups of operators, each keeping its own ~8-hour block, the rota
moving on every week, weekends worked. Each operator still works like an employee (most of a
week's actions inside one 8-hour block); what changes is that the group's blocks, together,
cover the whole day. An organic community spreads each person's activity over 14-16 waking
hours and does not tile the clock; an office keeps one block. So a campaign's working time is
judged on both patterns (``roles.campaign``): office hours in any zone, or a shift rota.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

BLOCK_HOURS = 8
MIN_WEEK_ACTIONS = 5       # a member-week needs this many actions to show a block
MIN_BLOCK_SHARE = 0.65     # share of a member-week's actions inside its best 8-hour block
MIN_WEEK_BLOCKS = 3        # member-weeks with enough actions before anything is judged
PEAK_SHARE = 0.1           # share of the blocks that start at one hour for it to be a shift start


@dataclass(frozen=True)
class ShiftRota:
    """How much a group's activity looks like a shift rota, with the numbers behind it."""

    strength: float          # 0..1
    block_share: float       # share of member-weeks inside one 8-hour block each
    n_member_weeks: int
    coverage_hours: float    # hours of the day covered by the blocks at the shift starts
    starts: tuple[int, ...]  # the shift starts: block starts (UTC hour) held by >= PEAK_SHARE of blocks
    rotating: bool           # members' blocks move from week to week

    def text(self) -> str:
        starts = ", ".join(f"{s:02d}:00" for s in self.starts)
        return (f"{self.block_share:.0%} of {self.n_member_weeks} member-weeks fall in one {BLOCK_HOURS}-hour"
                f" block each; the blocks at the common starts cover {self.coverage_hours:.0f} of 24 hours"
                f" (blocks starting {starts} UTC{', rotating weekly' if self.rotating else ''}): a shift rota")

    def to_dict(self) -> dict[str, Any]:
        return {"block_share": round(self.block_share, 3), "member_weeks": self.n_member_weeks,
                "coverage_hours": self.coverage_hours, "starts_utc": list(self.starts), "rotating": self.rotating}


def best_block(hours: np.ndarray) -> tuple[int, float]:
    """(start hour, share of actions) of the 8-hour circular block holding most of a 24-bin
    hour-of-day histogram."""
    total = float(hours.sum())
    if total <= 0:
        return 0, 0.0
    ring = np.concatenate([hours, hours[:BLOCK_HOURS - 1]])
    sums = np.convolve(ring, np.ones(BLOCK_HOURS), "valid")[:24]
    s = int(np.argmax(sums))
    return s, float(sums[s] / total)


def shift_rota(rows: Iterable[tuple[str, int, int, int]]) -> ShiftRota | None:
    """Judge (account, week, UTC hour, actions) rows of a group's members; None when too few
    member-weeks have enough actions to show a block."""
    weeks: dict[tuple[str, int], np.ndarray] = defaultdict(lambda: np.zeros(24))
    for acc, week, hour, n in rows:
        weeks[(acc, week)][hour] += n
    blocks: dict[int, list[int]] = defaultdict(list)
    per_account: dict[str, set[int]] = defaultdict(set)
    n_weeks = n_in = 0
    for (acc, week), hist in weeks.items():
        if hist.sum() < MIN_WEEK_ACTIONS:
            continue
        n_weeks += 1
        start, share = best_block(hist)
        if share >= MIN_BLOCK_SHARE:
            n_in += 1
            blocks[week].append(start)
            per_account[acc].add(start)
    if n_weeks < MIN_WEEK_BLOCKS:
        return None
    counts: dict[int, int] = defaultdict(int)
    for starts in blocks.values():
        for s in starts:
            counts[s] += 1
    # the rota's shift starts: block starts held by >= PEAK_SHARE of the blocks (an organic
    # community's starts spread over its waking hours; a rota's pile up on a few hours)
    peaks = sorted(s for s, k in counts.items() if k >= PEAK_SHARE * n_in) if n_in else []
    covered = np.zeros(24, bool)
    for s in peaks:
        covered[[(s + i) % 24 for i in range(BLOCK_HOURS)]] = True
    coverage = float(covered.sum())
    block_share = n_in / n_weeks
    top = tuple(peaks[:4])
    rotating = sum(1 for s in per_account.values() if _moves(s, peaks)) > len(per_account) / 2 if per_account else False
    strength = float(np.clip((block_share - 0.25) / 0.35, 0, 1) * np.clip((coverage - 14) / 8, 0, 1))
    return ShiftRota(strength, block_share, n_weeks, coverage, top, rotating)


def _dist(a: int, b: int) -> int:
    return min((a - b) % 24, (b - a) % 24)


def _moves(starts: set[int], peaks: list[int]) -> bool:
    """Whether one member worked at two shift starts at least 6 hours apart (the rota moved)."""
    held = {p for s in starts for p in peaks if _dist(s, p) <= 2}
    return any(_dist(a, b) >= 6 for a in held for b in held)
