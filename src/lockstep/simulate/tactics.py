"""The operation's evasion tactics in time: shift rotas, slowed resharing, off-hours camouflage.

Why here and not in :mod:`operation`: each tactic changes *when* the operation acts, and the
operation's code asks this module ("when is this operator on duty", "how long does it wait
before resharing its core") instead of assuming Beijing office hours and seconds. With every
knob off these functions draw exactly what the original code drew, so default worlds do not
change.

- Shift rotas (``shifts`` = N): operators are split into N disjoint, balanced groups; group g
  works local (UTC+8) hours ``[s*24/N, (s+1)*24/N)`` with ``s = (g + week) % N``, every day,
  weekends and holidays included, so the operation covers the clock and each group moves to
  the next shift every week. Personas are run by whoever is on duty, so they post around the
  clock; every reshare of a core post is made by the group on duty when the post appeared.
- Slowed resharing (``slow_reshare`` = share): reshares of the core wait 2-60 minutes
  (log-uniform: many after a few minutes, some after most of an hour), templated bursts
  spread over an hour.
- Off-hours camouflage (``camouflage_offhours`` = R): every operator, every day, also reshares
  popular organic posts in its evenings, nights and weekends (organic daily rhythm in UTC+8,
  off duty only), about 8 x R a day, hours after the original.
"""

from __future__ import annotations

import numpy as np

from lockstep.simulate import actions as A
from lockstep.simulate import text as T
from lockstep.simulate.context import Ctx
from lockstep.simulate.timing import DAY, is_cn_workday, local_times

OP_TZ = 8.0  # the operation's clock: Beijing time
_H = 3600


def week(ctx: Ctx, t: np.ndarray | int) -> np.ndarray:
    """Index of the operation's (local, UTC+8) week of each time since the world began."""
    return (np.asarray(t, np.int64) + int(OP_TZ * _H) - ctx.cfg.start) // DAY // 7


def shift_hours(ctx: Ctx) -> float:
    return 24.0 / ctx.cfg.knobs.shifts


def shift_at(ctx: Ctx, t: np.ndarray) -> np.ndarray:
    """The shift group on duty at each UTC time ``t`` (shift mode only)."""
    n = ctx.cfg.knobs.shifts
    local_hour = ((np.asarray(t, np.int64) + int(OP_TZ * _H)) % DAY) / _H
    slot = np.minimum((local_hour // shift_hours(ctx)).astype(np.int64), n - 1)
    out: np.ndarray = (slot - week(ctx, t)) % n
    return out


def duty_times(ctx: Ctx, rng: np.random.Generator, day: int, acct: np.ndarray) -> np.ndarray:
    """When operators act on ``day``: office hours by default, their own shift on a rota."""
    if not ctx.cfg.knobs.shifts:
        return local_times(rng, day, ctx.pop.cols["tz"][acct], "office")
    n = ctx.cfg.knobs.shifts
    slot = (ctx.shift_group[acct] + week(ctx, day + DAY // 2)) % n
    local = (slot + rng.random(len(acct))) * shift_hours(ctx) * _H
    out: np.ndarray = (day - int(OP_TZ * _H) + local.astype(np.int64)).astype(np.int64)
    return out


def around_the_clock(ctx: Ctx, rng: np.random.Generator, day: int, n: int) -> np.ndarray:
    """Uniform times over the operation's local day (personas and bursts on a rota)."""
    return (day - int(OP_TZ * _H) + rng.integers(0, DAY, n)).astype(np.int64)


def works_today(day: int, shifts: int) -> float:
    """Chance that an operator works on ``day``: rotas cover every day, offices close at weekends."""
    if shifts:
        return 0.92
    return 0.92 if is_cn_workday(day) else 0.04


def on_duty(ctx: Ctx, acct: np.ndarray, t: np.ndarray | int) -> np.ndarray:
    """Which of ``acct`` are on duty at time ``t`` (all of them outside shift mode)."""
    if not ctx.cfg.knobs.shifts:
        return np.ones(len(acct), bool)
    out: np.ndarray = ctx.shift_group[acct] == shift_at(ctx, np.broadcast_to(np.asarray(t, np.int64), (len(acct),)))
    return out


def pick_on_duty(ctx: Ctx, rng: np.random.Generator, act: np.ndarray, t: np.ndarray) -> np.ndarray:
    """For each time ``t``, one random account of ``act`` on duty then; -1 where nobody is."""
    grp = ctx.shift_group[act]
    order = np.argsort(grp, kind="stable")
    act, grp = act[order], grp[order]
    want = shift_at(ctx, t)
    lo = np.searchsorted(grp, want, side="left")
    hi = np.searchsorted(grp, want, side="right")
    k = lo + (rng.random(len(t)) * (hi - lo)).astype(np.int64)
    return np.where(hi > lo, act[np.minimum(k, len(act) - 1)] if len(act) else -1, -1)


def slow_delays(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds between 2 and 60 minutes, log-uniform."""
    return np.exp(rng.uniform(np.log(120.0), np.log(3600.0), n)).astype(np.int64)


def reshare_delays(ctx: Ctx, rng: np.random.Generator, fast: np.ndarray) -> np.ndarray:
    """``fast`` (seconds) for most reshares of the core; 2-60 minutes for the slowed share."""
    share = ctx.cfg.knobs.slow_reshare
    if share <= 0 or len(fast) == 0:
        return fast
    return np.where(rng.random(len(fast)) < share, slow_delays(rng, len(fast)), fast)


def offhours_camouflage(ctx: Ctx, rng: np.random.Generator, day: int, started: np.ndarray) -> A.Batch:
    """Reposts of popular organic posts off duty by the operators in ``started``."""
    r = ctx.cfg.knobs.camouflage_offhours
    if r <= 0 or len(started) == 0 or len(ctx.recent.cols["t"]) == 0:
        return A.batch(np.zeros(0, np.int64), np.zeros(0, np.int64), A.KIND_REPOST)
    c = ctx.pop.cols
    acct = np.repeat(started, rng.poisson(8.0 * r, len(started)))
    t = local_times(rng, day, np.full(len(acct), OP_TZ), "organic")
    if ctx.cfg.knobs.shifts:
        off = ctx.shift_group[acct] != shift_at(ctx, t)
    else:
        hour = ((t + int(OP_TZ * _H)) % DAY) // _H
        off = ~(is_cn_workday(day) & (hour >= 8) & (hour < 18))
    acct, t = acct[off], t[off]
    organic = ~ctx.is_op[ctx.recent.cols["acct"]]
    b = ctx.engage(rng, acct, t, np.full(len(acct), A.KIND_REPOST), T.organic(rng, c["lang"][acct]),
                   mask=organic, window=np.full(len(acct), 24 * _H), min_delay=600)
    b["client"] = ctx.op_clients(rng, b["acct"])
    return b
