"""The organic platform: ordinary users, news outlets and viral cascades.

Activity is heavy-tailed (log-normal rates), follows each user's local daily rhythm, and
reposts go to recent posts in proportion to their author's popularity. A few posts a day
go viral: thousands of reshares within about an hour, which is exactly what a naive
"reshared within 60 s" detector mistakes for coordination.
"""

from __future__ import annotations

import numpy as np

from lockstep.distinct import distinct
from lockstep.simulate import actions as A
from lockstep.simulate import text as T
from lockstep.simulate.context import Ctx
from lockstep.simulate.timing import DAY, lognormal_delays, local_times, weekday

Pending = tuple[np.ndarray, np.ndarray, np.ndarray]  # acct, t, kind of engagements to resolve


def _split(rng: np.random.Generator, acct: np.ndarray, t: np.ndarray, rt_share: np.ndarray,
           reply_share: float = 0.12) -> tuple[np.ndarray, np.ndarray, Pending]:
    u = rng.random(len(acct))
    is_rt = u < rt_share
    v = rng.random(len(acct))
    kind = np.where(is_rt, A.KIND_REPOST, np.where(v < reply_share, A.KIND_REPLY,
                                                   np.where(v < reply_share + 0.03, A.KIND_QUOTE, A.KIND_POST)))
    post = kind == A.KIND_POST
    return acct[post], t[post], (acct[~post], t[~post], kind[~post])


def general_day(ctx: Ctx, rng: np.random.Generator, day: int) -> tuple[A.Batch, Pending]:
    c = ctx.pop.cols
    g = ctx.pop.idx("general")
    factor = 1.1 if weekday(day) >= 5 else 1.0
    acct = np.repeat(g, rng.poisson(c["rate"][g] * factor))
    t = local_times(rng, day, c["tz"][acct], "organic")
    acct, t, pending = _split(rng, acct, t, c["rt_share"][acct])
    txt, tags, urls = T.organic(rng, c["lang"][acct])
    b = A.batch(t, acct, A.KIND_POST, text=txt, hashtags=tags, urls=urls, lang=c["lang"][acct],
                client=ctx.organic_clients(rng, acct), mentions=np.full(len(t), "[]", dtype=object))
    return b, pending


def news_day(ctx: Ctx, rng: np.random.Generator, day: int) -> A.Batch:
    c = ctx.pop.cols
    g = ctx.pop.idx("news")
    acct = np.repeat(g, rng.poisson(c["rate"][g]))
    # newsrooms post around the clock, busier in their daytime
    t = np.where(rng.random(len(acct)) < 0.4, day + rng.integers(0, DAY, len(acct)),
                 local_times(rng, day, c["tz"][acct], "organic"))
    domain = np.array([u.replace("https://", "") for u in c["url"][acct]], dtype=object)
    txt, tags, urls = T.news(rng, c["lang"][acct], domain)
    return A.batch(t, acct, A.KIND_POST, text=txt, hashtags=tags, urls=urls, lang=c["lang"][acct],
                   client=np.where(rng.random(len(acct)) < 0.7, "SocialFlow", "TweetDeck").astype(object),
                   mentions=np.full(len(t), "[]", dtype=object))


def resolve(ctx: Ctx, rng: np.random.Generator, pending: Pending, texts: str = "organic") -> A.Batch:
    acct, t, kind = pending
    c = ctx.pop.cols
    if texts == "protest":
        own = T.protest(rng, c["lang"][acct])
    elif texts == "loyal":
        own = T.loyal(rng, c["lang"][acct])
    else:
        own = T.organic(rng, c["lang"][acct])
    b = ctx.engage(rng, acct, t, kind, own)
    b["client"] = ctx.organic_clients(rng, b["acct"])
    return b


def viral_day(ctx: Ctx, rng: np.random.Generator, day: int, today: A.Batch) -> A.Batch:
    """Cascades: a few of today's posts by popular authors reshared by hundreds to thousands."""
    cfg = ctx.cfg
    c = ctx.pop.cols
    ok = ~ctx.is_op[today["acct"]]
    if not ok.any():
        return A.batch(np.zeros(0, np.int64), np.zeros(0, np.int64), A.KIND_REPOST)
    cand = np.flatnonzero(ok)
    w = c["followers"][today["acct"][cand]].astype(float) ** 1.3
    k = min(rng.poisson(cfg.viral_per_day), len(cand))
    if k == 0:
        return A.batch(np.zeros(0, np.int64), np.zeros(0, np.int64), A.KIND_REPOST)
    posts = cand[rng.choice(len(cand), k, replace=False, p=w / w.sum())]
    pool = np.concatenate([ctx.pop.idx(g) for g in ("general", "protest", "loyalist")])
    pw = c["rate"][pool] * (0.05 + c["rt_share"][pool])
    cdf = np.cumsum(pw) / pw.sum()
    out = []
    for p in posts:
        size = int(min(350 * cfg.scale * (1 + rng.pareto(1.3)), 0.3 * len(pool)))
        who = distinct(pool[np.searchsorted(cdf, rng.random(size), side="right").clip(0, len(pool) - 1)])
        t = today["t"][p] + lognormal_delays(rng, len(who), 420, 0.9, minimum=3)
        tgt = today["acct"][p]
        who_ok = who != tgt
        who, t = who[who_ok], t[who_ok]
        out.append(A.batch(t, who, A.KIND_REPOST, tgt_tid=np.full(len(t), today["tid"][p]),
                           tgt_acct=np.full(len(t), tgt),
                           text=np.full(len(t), "RT @" + c["handle"][tgt] + ": " + today["text"][p], dtype=object),
                           hashtags=np.full(len(t), today["hashtags"][p], dtype=object),
                           urls=np.full(len(t), today["urls"][p], dtype=object),
                           mentions=np.full(len(t), "['" + c["userid"][tgt] + "']", dtype=object),
                           lang=np.full(len(t), today["lang"][p], dtype=object),
                           client=ctx.organic_clients(rng, who)))
    return A.concat(out)
