"""Amplifiers created steadily over months with aged-looking profiles (``steady_amplifiers``).

Why: the 2019 amplifiers were created in bursts and suspended before they became active; an
operation that learnt from that registers its amplifiers a few a day over many months, lets
them age, gives them names, bios, a few hundred follows and some followers, and has them post
ordinary chatter now and then ("warming up") long before they engage with the campaign. A
share R of the amplifiers is made that way:

- created uniformly between 1 December 2018 and 10 August 2019 at any hour (no creation days
  stand out), personal handles and names like ordinary users', a bio for 70%, followers
  log-normal around 25, following around 150;
- warm-up: about one post every two weeks and one repost of a popular organic post every
  three weeks from creation on, at their (UTC+8) evening-weighted rhythm and from the organic
  mix of clients;
- activation: their first engagement with the core falls on a day drawn uniformly over the
  campaign (after their creation), then they engage like every amplifier (mostly once).

Everything is drawn from generators of its own, so worlds without the knob do not change.
"""

from __future__ import annotations

import numpy as np

from lockstep.simulate import actions as A
from lockstep.simulate import names
from lockstep.simulate import text as T
from lockstep.simulate.config import WorldConfig, _ts
from lockstep.simulate.context import Ctx
from lockstep.simulate.timing import DAY, local_times


def age_profiles(cfg: WorldConfig, cols: dict[str, np.ndarray], amp: slice) -> None:
    """Rewrite the profiles of a share of the amplifier block ``amp`` in place (before user ids)."""
    share = cfg.knobs.steady_amplifiers
    if share <= 0:
        return
    rng = np.random.default_rng([cfg.seed, 108])
    idx = np.arange(amp.start, amp.stop)
    idx = idx[rng.random(len(idx)) < share]
    n = len(idx)
    cols["userid_created"][idx] = rng.integers(_ts("2018-12-01"), _ts("2019-08-10"), n)
    handles, dnames = names.personal_handles(rng, n)
    cols["handle"][idx] = handles
    cols["display_name"][idx] = dnames
    cols["description"][idx] = names.bios(rng, n, 0.7)
    cols["location"][idx] = np.where(rng.random(n) < 0.3, rng.choice(["Hong Kong", "香港", "Shenzhen", ""], n), "")
    cols["followers"][idx] = np.exp(rng.normal(3.2, 1.0, n)).astype(np.int64)
    cols["following"][idx] = np.exp(rng.normal(5.0, 0.7, n)).astype(np.int64)
    cols["burst"][idx] = -1
    cols["steady"] = np.zeros(len(cols["group"]), bool)
    cols["steady"][idx] = True


def steady_mask(ctx: Ctx) -> np.ndarray:
    c = ctx.pop.cols
    return c["steady"] if "steady" in c else np.zeros(len(ctx.pop), bool)


def activation(ctx: Ctx, amp: np.ndarray, first: np.ndarray) -> np.ndarray:
    """First engagement day (index) of each amplifier: steady ones wake up during the campaign."""
    steady = steady_mask(ctx)[amp]
    if not steady.any():
        return first
    cfg = ctx.cfg
    rng = np.random.default_rng([cfg.seed, 110])
    lo = (cfg.op_zh_start - cfg.start) // DAY
    wake = rng.integers(lo, cfg.n_days - 1, len(amp))
    created = (ctx.pop.cols["created"][amp] - cfg.start) // DAY
    return np.where(steady, np.maximum(wake, created + 1), first)


def warmup_day(ctx: Ctx, rng: np.random.Generator, day: int) -> A.Batch:
    """Ordinary-looking posts of steady amplifiers (originals of the day)."""
    c = ctx.pop.cols
    g = np.flatnonzero(steady_mask(ctx))
    g = g[c["created"][g] < day]
    acct = np.repeat(g, rng.poisson(1 / 14, len(g)))
    t = local_times(rng, day, c["tz"][acct], "organic")
    txt, tags, urls = T.organic(rng, c["lang"][acct])
    return A.batch(t, acct, A.KIND_POST, text=txt, hashtags=tags, urls=urls, lang=c["lang"][acct],
                   client=ctx.organic_clients(rng, acct), mentions=np.full(len(t), "[]", dtype=object))


def warmup_reposts(ctx: Ctx, rng: np.random.Generator, day: int) -> A.Batch:
    """Reposts of popular organic posts by steady amplifiers, hours after them."""
    c = ctx.pop.cols
    g = np.flatnonzero(steady_mask(ctx))
    g = g[c["created"][g] < day]
    acct = np.repeat(g, rng.poisson(1 / 21, len(g)))
    if len(acct) == 0 or len(ctx.recent.cols["t"]) == 0:
        return A.batch(np.zeros(0, np.int64), np.zeros(0, np.int64), A.KIND_REPOST)
    t = local_times(rng, day, c["tz"][acct], "organic")
    organic = ~ctx.is_op[ctx.recent.cols["acct"]]
    b = ctx.engage(rng, acct, t, np.full(len(acct), A.KIND_REPOST), T.organic(rng, c["lang"][acct]),
                   mask=organic, window=np.full(len(acct), 24 * 3600), min_delay=300)
    b["client"] = ctx.organic_clients(rng, b["acct"])
    return b
