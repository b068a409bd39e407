"""Activity signals: when, how and with what an account acts.

An operation run from an office keeps office hours in one time zone (the China 2019
network followed the Beijing working week); it posts through the same tools; and it
often buys or takes over old accounts whose earlier life (language, topics) has nothing
to do with the operation, then leaves a long silent gap before the new owner starts.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lockstep.accounts.base import AccountSignal, Finding, Param, pct, register
from lockstep.store.queries import activity as q
from lockstep.store.workspace import Workspace

WORK_START, WORK_END = 9, 18  # local office hours, 09:00-18:00
_HOW = np.arange(168)
_OFFICE = ((_HOW // 24) < 5) & ((_HOW % 24) >= WORK_START) & ((_HOW % 24) < WORK_END)
_WEEKEND = (_HOW // 24) >= 5
OFFSETS = np.arange(-12, 15)


# local hour-of-week = utc + offset (local histogram = np.roll(hist, offset)), so an action at
# UTC hour of week h is in office hours at offset OFFSETS[j] when _OFFICE_AT[h, j]
_OFFICE_AT = np.stack([np.roll(_OFFICE, -o) for o in OFFSETS], axis=1)
_WEEKEND_AT = np.stack([np.roll(_WEEKEND, -o) for o in OFFSETS], axis=1)


def hour_of_week_hist(ws: Workspace, account_ids: list[str] | None = None) -> dict[str, NDArray[np.float64]]:
    """Per account, a 168-bin histogram of actions by UTC hour of week (Monday 00:00 = 0)."""
    cols = q.hour_of_week_columns(ws, account_ids)
    return dict(zip(cols.accounts, cols.matrix()))


def office_hours(hist: NDArray[np.float64]) -> tuple[int, float, float]:
    """The UTC offset that puts most activity into weekday 09:00-18:00 local time.

    Returns (offset hours, share of actions in office hours there, share at weekends)."""
    off, office, weekend = office_hours_rows(np.zeros(168, dtype=np.int64), np.arange(168), hist, 1)
    return int(off[0]), float(office[0]), float(weekend[0])


def office_hours_rows(row: NDArray[np.int64], how: NDArray[np.int64], n: NDArray[np.float64], size: int
                      ) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """:func:`office_hours` of ``size`` accounts at once, from (account row, hour of week,
    actions) columns: one weighted count per offset instead of 27 rolled copies of each
    account's histogram. Counts are whole numbers, so every sum is exact and the answers are
    those of the rolled copies (first best offset on ties), in whatever order they are added."""
    from scipy import sparse

    total = np.bincount(row, weights=n, minlength=size)
    # the office actions at every offset at once: (accounts x 168 counts) @ (168 x offsets);
    # 27 weighted passes over millions of rows took seconds on a 10M-action workspace
    counts = sparse.csr_matrix((n, (row, how)), shape=(size, 168))
    office = np.asarray((counts @ _OFFICE_AT.astype(np.float64)), dtype=np.float64).reshape(size, len(OFFSETS))
    best = np.argmax(office, axis=1)
    weekend = np.bincount(row, weights=np.where(_WEEKEND_AT[how, best[row]], n, 0.0), minlength=size)
    empty = total == 0
    safe = np.where(empty, 1.0, total)
    return (np.where(empty, 0, OFFSETS[best]).astype(np.int64),
            np.where(empty, 0.0, office[np.arange(size), best] / safe), np.where(empty, 0.0, weekend / safe))


def workweek_strength(office_share: float, weekend_share: float) -> float:
    """0..1: how much an activity pattern looks like a job. Office-hours share alone is
    not enough: a community active every evening in one zone falls into office hours of
    another zone, but keeps its weekends (2 days in 7 = 29%); an office does not."""
    office = float(np.clip((office_share - 0.55) / 0.35, 0, 1))
    quiet_weekend = float(np.clip(1 - weekend_share / 0.15, 0, 1))
    return office * quiet_weekend


def describe_zone(offset: int) -> str:
    def z(o: int) -> str:
        return f"UTC{o:+d}" if o else "UTC"
    return (f"{WORK_START:02d}:00-{WORK_END:02d}:00 {z(offset)}, weekdays"
            f" (equally {WORK_START - 1:02d}:00-{WORK_END - 1:02d}:00 {z(offset - 1)})")


@register
class WorkingHours(AccountSignal):
    name = "working_hours"
    explanation = ("Activity packed into weekday office hours of one time zone and quiet at"
                   " weekends, as when posting is someone's job; gives the most likely zone.")
    parameters = (Param("min_actions", int, 10, "Fewest actions an account needs to be judged.", min=1),
                  Param("min_share", float, 0.75, "Least share of actions in one zone's office hours.",
                        min=0, max=1))
    needs = ("actions",)

    def compute(self, ws: Workspace) -> list[Finding]:
        out: list[Finding] = []
        cols = q.hour_of_week_columns(ws)
        size = len(cols.accounts)
        n_all = np.bincount(cols.row, weights=cols.n, minlength=size)
        offs, shares, weekends = office_hours_rows(cols.row, cols.how, cols.n, size)
        judged = np.flatnonzero((n_all >= self.params["min_actions"]) & (shares >= self.params["min_share"]))
        for i in judged.tolist():
            acc, n, off = cols.accounts[i], int(n_all[i]), int(offs[i])
            share, weekend = float(shares[i]), float(weekends[i])
            strength = workweek_strength(share, weekend)
            if strength <= 0:
                continue
            out.append(Finding(acc, self.name, strength,
                               f"{pct(share)} of {n} actions fall in {describe_zone(off)};"
                               f" {pct(weekend)} at weekends",
                               {"utc_offset": off, "office_share": round(share, 3),
                                "weekend_share": round(weekend, 3), "n_actions": n}))
        return out


@register
class ClientMix(AccountSignal):
    name = "client_mix"
    explanation = ("Posts almost only through a client (app) that very few accounts on the"
                   " platform use: scheduling or automation tools shared by an operation.")
    parameters = (
        Param("max_client_share", float, 0.02, "Most share of accounts that may use a client for it to be rare.",
              min=0, max=1),
        Param("min_account_share", float, 0.8, "Least share of an account's actions through the rare client.",
              min=0, max=1),
        Param("min_actions", int, 1, "Fewest actions (with a client) an account needs.", min=1),
        Param("min_accounts", int, 50, "Fewest accounts naming a client before any client counts as rare.",
              min=1))
    needs = ("actions",)

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        rows = q.rare_client_use(ws, p["max_client_share"], p["min_account_share"], p["min_actions"],
                                 p["min_accounts"])
        return [Finding(acc, self.name, 0.5,
                        f"{n} of {total} actions through '{client}', a client used by"
                        f" {acc_share * 100:.2f}% of accounts",
                        {"client": client, "n": int(n), "total": int(total),
                         "client_account_share": round(acc_share, 5)})
                for acc, client, n, total, acc_share in rows]


@register
class Repurposed(AccountSignal):
    name = "repurposed"
    explanation = ("An old account that went silent for a long time and came back as someone"
                   " else: a different language, topics unrelated to its earlier life.")
    parameters = (Param("min_dormancy_days", int, 180, "Shortest silence, in days, that counts as dormancy.",
                        min=1),
                  Param("min_before", int, 3, "Fewest actions before the silence (an earlier life).", min=0))
    needs = ("actions",)

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        rows = q.dormant_spells(ws, p["min_dormancy_days"])
        out: list[Finding] = []
        for acc, resume, days, n_before, n_after, lb, la, tags_before, tags_after in rows:
            if n_before < p["min_before"]:
                continue
            strength, words = 0.3, [f"silent for {days:.0f} days until {resume:%Y-%m-%d}"
                                    f" ({n_before} actions before, {n_after} after)"]
            switched = bool(lb and la and lb.lower() != la.lower())
            if switched:
                strength += 0.4
                words.append(f"language switched from '{lb}' to '{la}'")
            tb, ta = {t.lower() for t in tags_before or []}, {t.lower() for t in tags_after or []}
            unrelated = bool(tb and ta and not (tb & ta))
            if unrelated:
                strength += 0.2
                words.append(f"no hashtag in common between its earlier life ({len(tb)} tags)"
                             f" and now ({len(ta)})")
            out.append(Finding(acc, self.name, min(strength, 1.0), "; ".join(words),
                               {"dormant_days": round(days, 1), "resume": f"{resume:%Y-%m-%d}",
                                "n_before": int(n_before), "n_after": int(n_after),
                                "language_before": lb, "language_after": la,
                                "language_switch": switched, "unrelated_topics": unrelated}))
        return out

