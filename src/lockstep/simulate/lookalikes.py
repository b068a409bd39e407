"""Authentic look-alikes of an operation: a fan community and automated news aggregators.

Why: both act in lockstep for authentic reasons, so a detector that equates synchrony with
inauthenticity flags them; they must never be flagged. Off unless ``fans`` / ``newsbots`` > 0.

- ``idol`` / ``fan`` (knob ``fans``; 600 fans per unit at scale 1): a global fandom of one
  idol (the fictional singer LUMI of NOVA9). The idol posts a few times a day; for every post
  the fandom runs a reshare storm: each fan joins with its own devotion (most join often, the
  core nearly always), within seconds (median 8 s), a sixth also reply within minutes with the
  same cheers; fans copy the day's trend-party text verbatim at the announced hour (20:00 KST),
  post fandom chatter around the clock (fans live in Asia, the Americas and Europe), and reshare
  popular posts at their own rhythm. Many stan accounts are young, with stan-style handles.
- ``newsbot`` (knob ``newsbots``; 30 per unit at scale 1): feed accounts that repost the posts
  of the 2-5 outlets they follow that pass their filter (about 40%) within seconds (median 5 s),
  around the clock, each from one
  automation client (dlvr.it, IFTTT, ...); a third post the headline and link as their own post
  instead of a retweet. Several feeds run on one cloud server (shared IP, see access.py).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from lockstep.simulate import actions as A
from lockstep.simulate import names
from lockstep.simulate.config import WorldConfig, _ts
from lockstep.simulate.context import Ctx
from lockstep.simulate.organic import Pending, _split
from lockstep.simulate.timing import DAY, local_times, lognormal_delays

Block = Callable[[WorldConfig, np.random.Generator], dict[str, np.ndarray]]
O = object
FAN_TAGS = ("#NOVA9", "#LUMI", "#NOVA9_COMEBACK", "#LUMIDAY", "#StreamNOVA9")
IDOL_POSTS = ("Thank you for today 💜", "See you at the concert tonight!", "New song out now 🎶", "Good night everyone",
              "Practice practice practice", "Missed you all!", "Selca time 📸", "Eat well and sleep well", "오늘도 고마워요",
              "Behind the scenes of our MV", "We are NOVA9!", "Love you, stars ✨")
FAN_BODY = tuple(f"{a} {b}" for a in ("LUMI", "our boy", "NOVA9", "the MV", "the new album", "his voice", "the stage",
                                      "the fancam", "the vlive")
                 for b in ("is everything", "made me cry", "deserves the world", "is so pretty", "broke the record",
                           "is on repeat", "ate that", "healed me", "is iconic", "won again"))
CHEERS = ("LUMI 💜💜💜", "we love you!!", "💜💜", "LUMI!!!", "STARS ARE HERE", "so proud of you 😭💜", "🥺💜")
TREND = ("We love you LUMI 💜 #LUMIDAY #NOVA9", "Stream NOVA9 on every platform #StreamNOVA9 #NOVA9_COMEBACK",
         "Happy day with LUMI ✨ #LUMI #NOVA9")
STAN = ("lumi", "nova9", "starlumi", "lumilight", "novastar")
STAN_TAIL = ("stan", "baby", "world", "lover", "archive", "ssi", "daily", "sunshine")
BOT_CLIENTS = ("dlvr.it", "IFTTT", "twitterfeed", "Buffer", "RSS Feed Bot", "Zapier.com")
BOT_NAMES = ("hk_newsfeed", "asia_headlines", "worldnews_rss", "breaking_feed", "newsaggregator", "headlines_hk",
             "daily_digest_bot", "topstories_feed")
KST = 9.0


def _idol(cfg: WorldConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    from lockstep.simulate.population import _block

    return _block(rng, 1, "idol", userid_created=np.array([_ts("2016-03-02")]), handle=np.array(["NOVA9_LUMI"], O),
                  display_name=np.array(["LUMI (NOVA9)"], O), description=np.array(["official account of LUMI of NOVA9"], O),
                  location=np.array(["Seoul"], O), followers=np.array([3_200_000]), following=np.array([12]),
                  account_language=np.array(["ko"], O), lang=np.array(["en"], O), tz=np.array([KST]),
                  rate=np.array([3.0]), rt_share=np.array([0.0]))


def _fans(cfg: WorldConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    from lockstep.simulate.population import _block

    n = cfg.n_fans
    tz = rng.choice([9.0, 8.0, -5.0, -8.0, 0.0, -3.0, 10.0], n, p=[0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1])
    lang = rng.choice(["en", "zh", "ja", "es"], n, p=[0.65, 0.15, 0.12, 0.08]).astype(O)
    stan = names.pick(rng, STAN, n) + names.pick(rng, ("", "_", "s"), n) + names.pick(rng, STAN_TAIL, n) \
        + np.where(rng.random(n) < 0.5, names.digits(rng, n, 1, 2), "")
    nd, nd_names = names.name_digit_handles(rng, n)
    is_stan = rng.random(n) < 0.55
    young = rng.random(n) < 0.6
    created = np.where(young, rng.integers(_ts("2018-01-01"), _ts("2019-08-01"), n),
                       rng.integers(_ts("2011-01-01"), _ts("2018-01-01"), n))
    bio = np.where(rng.random(n) < 0.75, names.pick(rng, ("NOVA9 stan 💜", "LUMI's 💜", "stars forever ✨", "fan account"),
                                                     n) + names.pick(rng, ("", " | she/her", " | 20", " | ot9"), n), "")
    return _block(rng, n, "fan", userid_created=created, handle=np.where(is_stan, stan, nd).astype(O),
                  display_name=np.where(is_stan, "lumi's " + names.pick(rng, ("💜", "✨", "🌙", "⭐"), n), nd_names).astype(O),
                  description=bio.astype(O), location=np.full(n, "", O),
                  followers=np.exp(rng.normal(5.0, 1.2, n)).astype(np.int64),
                  following=np.exp(rng.normal(6.0, 0.8, n)).astype(np.int64), account_language=lang, lang=lang,
                  tz=tz, rate=np.exp(rng.normal(0.6, 0.7, n)), rt_share=rng.beta(4, 2, n))


def _newsbots(cfg: WorldConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    from lockstep.simulate.population import _block

    n = cfg.n_newsbots
    handle = names.pick(rng, BOT_NAMES, n) + names.digits(rng, n, 1, 3)
    lang = np.where(rng.random(n) < 0.75, "en", "zh").astype(O)
    return _block(rng, n, "newsbot", userid_created=rng.integers(_ts("2010-01-01"), _ts("2018-06-01"), n),
                  handle=handle.astype(O), display_name=np.array([h.replace("_", " ").title() for h in handle], O),
                  description=np.full(n, "Automated feed of headlines. Not monitored. (bot)", O),
                  location=np.full(n, "", O), followers=np.exp(rng.normal(6.5, 1.0, n)).astype(np.int64),
                  following=rng.integers(0, 40, n), account_language=lang, lang=lang, tz=np.zeros(n),
                  rate=np.zeros(n), rt_share=np.ones(n))


def lookalike_blocks(cfg: WorldConfig) -> list[tuple[str, Block]]:
    out: list[tuple[str, Block]] = []
    if cfg.n_fans:
        out += [("idol", _idol), ("fan", _fans)]
    if cfg.n_newsbots:
        out += [("newsbot", _newsbots)]
    return out


def _has(ctx: Ctx, group: str) -> bool:
    return group in ctx.pop.blocks


def fan_day(ctx: Ctx, rng: np.random.Generator, day: int) -> tuple[A.Batch, Pending]:
    """The idol's posts, fan chatter and the trend party (originals); fans' other engagements pending."""
    e = np.zeros(0, np.int64)
    if not _has(ctx, "fan"):
        return A.batch(e, e, A.KIND_POST), (e, e, e)
    c = ctx.pop.cols
    idol = ctx.pop.idx("idol")
    ia = np.repeat(idol, rng.poisson(c["rate"][idol]))
    it = local_times(rng, day, c["tz"][ia], "activist")
    itxt = names.pick(rng, IDOL_POSTS, len(ia)) + " " + names.pick(rng, FAN_TAGS[:2], len(ia))
    fans = ctx.pop.idx("fan")
    fa = np.repeat(fans, rng.poisson(c["rate"][fans]))
    ft = local_times(rng, day, c["tz"][fa], "organic")
    fa, ft, pending = _split(rng, fa, ft, c["rt_share"][fa])
    ftxt = names.pick(rng, FAN_BODY, len(fa)) + " " + names.pick(rng, FAN_TAGS, len(fa))
    party = rng.random(len(fa)) < 0.2  # trend party: the day's text copied verbatim at 20:00 KST
    ftxt = np.where(party, TREND[(day // DAY) % len(TREND)], ftxt)
    ft = np.where(party, day + int((20 - KST) * 3600) + rng.exponential(900, len(fa)).astype(np.int64), ft)
    acct = np.concatenate([ia, fa])
    txt = np.concatenate([itxt, ftxt]).astype(O)
    tags = np.array(["[" + ", ".join(f"'{w[1:]}'" for w in s.split() if w.startswith("#")) + "]" for s in txt], O)
    return A.batch(np.concatenate([it, ft]), acct, A.KIND_POST, text=txt, hashtags=tags,
                   urls=np.full(len(acct), "[]", O), lang=c["lang"][acct], client=ctx.organic_clients(rng, acct),
                   mentions=np.full(len(acct), "[]", O)), pending


def fan_storms(ctx: Ctx, rng: np.random.Generator, today: A.Batch) -> A.Batch:
    """Every idol post: a reshare storm within seconds, and cheering replies within minutes."""
    if not _has(ctx, "fan"):
        return A.batch(np.zeros(0, np.int64), np.zeros(0, np.int64), A.KIND_REPOST)
    c = ctx.pop.cols
    fans = ctx.pop.idx("fan")
    devotion = np.random.default_rng([ctx.cfg.seed, 130]).beta(2.5, 1.5, len(fans))
    out = []
    for p in np.flatnonzero(ctx.group_mask(today["acct"], "idol")):
        who = fans[rng.random(len(fans)) < devotion]
        n, tgt = len(who), today["acct"][p]
        mention = "['" + c["userid"][tgt] + "']"
        out.append(A.batch(today["t"][p] + lognormal_delays(rng, n, 8, 0.8, minimum=1), who, A.KIND_REPOST,
                           tgt_tid=np.full(n, today["tid"][p]), tgt_acct=np.full(n, tgt),
                           text=np.full(n, "RT @" + c["handle"][tgt] + ": " + today["text"][p], O),
                           hashtags=np.full(n, today["hashtags"][p], O), urls=np.full(n, "[]", O),
                           mentions=np.full(n, mention, O), lang=np.full(n, today["lang"][p], O),
                           client=ctx.organic_clients(rng, who)))
        rep = who[rng.random(n) < 1 / 6]
        k = len(rep)
        out.append(A.batch(today["t"][p] + lognormal_delays(rng, k, 60, 0.8, minimum=5), rep, A.KIND_REPLY,
                           tgt_tid=np.full(k, today["tid"][p]), tgt_acct=np.full(k, tgt),
                           text=("@" + c["handle"][tgt] + " " + names.pick(rng, CHEERS, k)).astype(O),
                           hashtags=np.full(k, "[]", O), urls=np.full(k, "[]", O), mentions=np.full(k, mention, O),
                           lang=c["lang"][rep], client=ctx.organic_clients(rng, rep)))
    return A.concat(out)


def newsbot_reposts(ctx: Ctx, rng: np.random.Generator, today: A.Batch) -> A.Batch:
    """Each feed reposts (or re-posts as its own) every post of its outlets within seconds."""
    if not _has(ctx, "newsbot"):
        return A.batch(np.zeros(0, np.int64), np.zeros(0, np.int64), A.KIND_REPOST)
    c = ctx.pop.cols
    bots, news = ctx.pop.idx("newsbot"), ctx.pop.idx("news")
    fixed = np.random.default_rng([ctx.cfg.seed, 131])
    follows = np.zeros((len(bots), len(news)), bool)
    for i in range(len(bots)):
        follows[i, fixed.choice(len(news), min(len(news), int(fixed.integers(2, 6))), replace=False)] = True
    client = names.pick(fixed, BOT_CLIENTS, len(bots))
    copies = fixed.random(len(bots)) < 1 / 3
    posts = np.flatnonzero(ctx.group_mask(today["acct"], "news"))
    col = today["acct"][posts] - news[0]
    pi, bi = np.nonzero(follows[:, col].T)  # (post, bot) pairs
    keep = rng.random(len(pi)) < 0.4  # the feed's filter (region, section) passes about 40% of posts
    src, b = posts[pi[keep]], bi[keep]
    who, tgt, n = bots[b], today["acct"][src], len(src)
    rt = ~copies[b]
    t = today["t"][src] + lognormal_delays(rng, n, 5, 0.8, minimum=1)
    text = np.where(rt, "RT @" + c["handle"][tgt] + ": " + today["text"][src], today["text"][src]).astype(O)
    return A.batch(t, who, np.where(rt, A.KIND_REPOST, A.KIND_POST), tgt_tid=np.where(rt, today["tid"][src], -1),
                   tgt_acct=np.where(rt, tgt, -1), text=text, hashtags=today["hashtags"][src], urls=today["urls"][src],
                   mentions=np.where(rt, "['" + c["userid"][tgt] + "']", "[]").astype(O), lang=today["lang"][src],
                   client=client[b])

