"""Shift rotas: disjoint groups each in its own 8-hour block, rotating weekly, tile the clock;
an office keeps one block and people spread over their waking hours, so neither is a rota."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lockstep.accounts.worktime import best_block, shift_rota

Row = tuple[str, int, int, int]


def _rows(rng: np.random.Generator, n: int, block_of: Callable[[int, int], int | None],
          weeks: int = 8, per_week: int = 30) -> list[Row]:
    rows: list[Row] = []
    for a in range(n):
        for w in range(weeks):
            start = block_of(a, w)
            hours = (rng.integers(start, start + 8, per_week) % 24 if start is not None
                     else rng.integers(7, 23, per_week))  # waking hours
            for h, k in zip(*np.unique(hours, return_counts=True)):
                rows.append((f"a{a}", 2600 + w, int(h), int(k)))
    return rows


def test_best_block_wraps_around_midnight() -> None:
    hist = np.zeros(24)
    hist[[22, 23, 0, 1, 2]] = 4
    start, share = best_block(hist)
    assert share == 1.0 and start in (19, 20, 21, 22)


def test_three_rotating_shifts_are_a_rota() -> None:
    rng = np.random.default_rng(0)
    rota = shift_rota(_rows(rng, 15, lambda a, w: 8 * ((a % 3 + w) % 3)))
    assert rota is not None
    assert rota.strength > 0.9 and rota.coverage_hours == 24 and rota.rotating
    assert set(rota.starts) == {0, 8, 16}
    assert "shift rota" in rota.text() and "24 of 24 hours" in rota.text()


def test_an_office_is_not_a_rota() -> None:
    rng = np.random.default_rng(1)
    rota = shift_rota(_rows(rng, 15, lambda a, w: 1))  # 09:00-17:00 UTC+8 for everyone
    assert rota is not None and rota.strength == 0.0 and rota.coverage_hours <= 9


def test_a_community_awake_all_day_is_not_a_rota() -> None:
    rng = np.random.default_rng(2)
    rota = shift_rota(_rows(rng, 30, lambda a, w: None))
    assert rota is not None and rota.strength == 0.0 and rota.block_share < 0.25


def test_too_little_activity_gives_no_judgement() -> None:
    assert shift_rota([("a", 1, 3, 2), ("b", 1, 4, 1)]) is None


def test_a_rota_with_off_hours_camouflage_is_still_a_rota() -> None:
    """Operators who spend a third of their actions at other hours (camouflage) still keep
    most of each week in their shift, and the shift starts still tile the clock."""
    rng = np.random.default_rng(3)
    rows = _rows(rng, 15, lambda a, w: 8 * ((a % 3 + w) % 3), per_week=20)
    rows += _rows(rng, 15, lambda a, w: None, per_week=8)
    rota = shift_rota(rows)
    assert rota is not None and rota.strength > 0.9 and rota.rotating and set(rota.starts) >= {0, 8, 16}
