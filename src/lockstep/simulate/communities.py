"""Authentic hard negatives: the protest community and genuine government supporters.

Protest members reshare their leaders within minutes (a fifth within 60 s), use the same
hashtags and a few shared links (petitions, forum threads) and even copy slogans verbatim;
many joined in June 2019 with new, sparse profiles. Loyalists echo the operation's themes and
hashtags in their own words and at their own hours, and sometimes reshare the operation's
personas or state media. None of them is part of the operation.
"""

from __future__ import annotations

import numpy as np

from lockstep.distinct import distinct
from lockstep.simulate import actions as A
from lockstep.simulate import text as T
from lockstep.simulate.config import _ts
from lockstep.simulate.context import Ctx
from lockstep.simulate.organic import Pending, _split
from lockstep.simulate.timing import PROTEST_DAYS, day_str, lognormal_delays, local_times

_MOVEMENT = _ts("2019-06-09")


def intensity(day: int) -> float:
    if day < _MOVEMENT:
        return 0.25
    return 1.6 if day_str(day) in PROTEST_DAYS else 1.0


def _posts(ctx: Ctx, rng: np.random.Generator, day: int, group: str, rate_mult: float,
           profile: str) -> tuple[A.Batch, Pending]:
    c = ctx.pop.cols
    g = ctx.pop.idx(group)
    acct = np.repeat(g, rng.poisson(c["rate"][g] * rate_mult))
    t = local_times(rng, day, c["tz"][acct], profile)
    acct, t, pending = _split(rng, acct, t, c["rt_share"][acct])
    lang = c["lang"][acct]
    if group == "loyalist":
        txt, tags, urls = T.loyal(rng, lang)
    else:
        txt, tags, urls = T.protest(rng, lang, 0.05 if group == "protest_leader" else 0.1)
    b = A.batch(t, acct, A.KIND_POST, text=txt, hashtags=tags, urls=urls, lang=lang,
                client=ctx.organic_clients(rng, acct), mentions=np.full(len(t), "[]", dtype=object))
    return b, pending


def protest_day(ctx: Ctx, rng: np.random.Generator, day: int) -> tuple[A.Batch, Pending]:
    k = intensity(day)
    leaders, _ = _posts(ctx, rng, day, "protest_leader", k, "activist")
    members, pending = _posts(ctx, rng, day, "protest", k, "activist")
    return A.concat([leaders, members]), pending


def loyalist_day(ctx: Ctx, rng: np.random.Generator, day: int) -> tuple[A.Batch, Pending]:
    return _posts(ctx, rng, day, "loyalist", 0.5 if day < _MOVEMENT else 1.0, "organic")


def leader_reshares(ctx: Ctx, rng: np.random.Generator, day: int, today: A.Batch) -> A.Batch:
    """Members reshare each leader post within minutes, the most devoted ones every time."""
    c = ctx.pop.cols
    members = ctx.pop.idx("protest")
    devotion = np.random.default_rng([ctx.cfg.seed, 104]).beta(0.8, 14.0, len(members))
    cdf = np.cumsum(devotion) / devotion.sum()
    lead = np.flatnonzero(ctx.group_mask(today["acct"], "protest_leader"))
    out = []
    # each member follows about as many leaders as at scale 1, so reshares stay linear in scale
    per_leader = min(1.0, ctx.cfg.base_protest_leaders / max(1, len(ctx.pop.idx("protest_leader"))))
    mean_p = float(devotion.mean()) * min(intensity(day), 1.3) * per_leader
    for p in lead:
        k = rng.binomial(len(members), mean_p)
        who = distinct(members[np.searchsorted(cdf, rng.random(k), side="right").clip(0, len(members) - 1)])
        t = today["t"][p] + lognormal_delays(rng, len(who), 150, 1.1, minimum=4)
        tgt = today["acct"][p]
        n = len(who)
        out.append(A.batch(t, who, A.KIND_REPOST, tgt_tid=np.full(n, today["tid"][p]), tgt_acct=np.full(n, tgt),
                           text=np.full(n, "RT @" + c["handle"][tgt] + ": " + today["text"][p], dtype=object),
                           hashtags=np.full(n, today["hashtags"][p], dtype=object),
                           urls=np.full(n, today["urls"][p], dtype=object),
                           mentions=np.full(n, "['" + c["userid"][tgt] + "']", dtype=object),
                           lang=np.full(n, today["lang"][p], dtype=object), client=ctx.organic_clients(rng, who)))
    return A.concat(out)


def loyalist_echo(ctx: Ctx, rng: np.random.Generator, day: int) -> A.Batch:
    """Loyalists resharing personas and state media, hours after the fact, at their own times."""
    c = ctx.pop.cols
    g = ctx.pop.idx("loyalist")
    acct = np.repeat(g, rng.poisson(0.15 * c["rate"][g] * (2.0 if day >= _MOVEMENT else 0.5)))
    t = local_times(rng, day, c["tz"][acct], "organic")
    r = ctx.recent.cols
    src = ctx.group_mask(r["acct"], "persona", "news") if len(r["acct"]) else np.zeros(0, bool)
    if len(src):
        state = np.array([("state media" in d) or d.startswith("人民") for d in c["description"][r["acct"]]])
        src &= state | ctx.group_mask(r["acct"], "persona")
    kind = np.full(len(acct), A.KIND_REPOST)
    b = ctx.engage(rng, acct, t, kind, T.loyal(rng, c["lang"][acct]), mask=src,
                   window=np.full(len(acct), 36 * 3600), min_delay=600)
    b["client"] = ctx.organic_clients(rng, b["acct"])
    return b
