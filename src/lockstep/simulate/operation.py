"""The planted operation: personas, operators and amplifiers.

Personas pose as Hong Kong news outlets and post in office hours; operators (repurposed old
accounts with a spam past in another language, or batch-created ones) switch to Chinese on
11 June and English on 1 July, repost the personas within seconds of each other, post
templated text in bursts with shared off-platform links, repost each other and camouflage
with reposts of popular organic posts. Amplifiers, created in bursts after the first
suspensions, engage with core posts in waves, most of them exactly once.
"""

from __future__ import annotations

import numpy as np

from lockstep.simulate import actions as A
from lockstep.simulate import tactics as K
from lockstep.simulate import steady
from lockstep.simulate import text as T
from lockstep.simulate import vocab
from lockstep.simulate.context import Ctx
from lockstep.simulate.names import pick
from lockstep.simulate.paraphrase import operation_text
from lockstep.simulate.timing import DAY, is_cn_workday, local_times, lognormal_delays

_E = np.zeros(0, np.int64)


def _lang_start(ctx: Ctx, lang: np.ndarray) -> np.ndarray:
    return np.where(lang == "zh", ctx.cfg.op_zh_start, ctx.cfg.op_en_start)


def started(ctx: Ctx, day: int, group: str) -> np.ndarray:
    """Accounts of ``group`` whose campaign language has started by ``day``."""
    g = ctx.pop.idx(group)
    return g[_lang_start(ctx, ctx.pop.cols["lang"][g]) <= day]


def _active(ctx: Ctx, rng: np.random.Generator, day: int, group: str) -> np.ndarray:
    g = ctx.pop.idx(group)
    started = _lang_start(ctx, ctx.pop.cols["lang"][g]) <= day
    p = K.works_today(day, ctx.cfg.knobs.shifts)
    return g[started & (rng.random(len(g)) < p)]


def persona_day(ctx: Ctx, rng: np.random.Generator, day: int) -> A.Batch:
    c = ctx.pop.cols
    g = ctx.pop.idx("persona")
    started = _lang_start(ctx, c["lang"][g]) <= day
    shifts = ctx.cfg.knobs.shifts
    rate = np.where(started, c["rate"][g], 1.5) * (1.0 if is_cn_workday(day) or shifts else 0.08)
    acct = np.repeat(g, rng.poisson(rate))
    t = K.around_the_clock(ctx, rng, day, len(acct)) if shifts else local_times(rng, day, c["tz"][acct], "office")
    lang = c["lang"][acct]
    live = _lang_start(ctx, lang) <= day
    op = operation_text(ctx, rng, lang, rng.integers(0, 8, len(acct)), ctx.cfg.knobs.paraphrase_rate)
    domain = pick(rng, vocab.OP_DOMAINS, len(acct))
    pre = T.news(rng, lang, domain)
    head = np.where(lang == "zh", "【香港時事】", "HK NEWS: ")
    txt = np.where(live, head + op[0], pre[0])
    return A.batch(t, acct, A.KIND_POST, text=txt, hashtags=np.where(live, op[1], pre[1]),
                   urls=np.where(live, op[2], pre[2]), lang=lang, client=ctx.op_clients(rng, acct),
                   mentions=np.full(len(t), "[]", dtype=object))


def operator_bursts(ctx: Ctx, rng: np.random.Generator, day: int) -> A.Batch:
    """Templated posts: many operators post one template (small variations) within minutes."""
    c = ctx.pop.cols
    act = _active(ctx, rng, day, "operator")
    if len(act) == 0:
        return A.batch(_E, _E, A.KIND_POST)
    jit = ctx.cfg.knobs.jitter
    out = []
    share = 0.3 * min(1.0, ctx.cfg.base_operators / max(1, len(ctx.pop.idx("operator"))))  # teams, not everyone
    shifts = ctx.cfg.knobs.shifts
    for _ in range(rng.poisson(0.045 * len(act))):
        if shifts:  # the team on duty at the burst's time
            base = int(K.around_the_clock(ctx, rng, day, 1)[0])
            duty = act[K.on_duty(ctx, act, base)]
            who = duty[rng.random(len(duty)) < min(1.0, share * shifts)]
        else:
            who = act[rng.random(len(act)) < share]
        if len(who) == 0:
            continue
        if not shifts:
            base = local_times(rng, day, np.array([8.0]), "office")[0]
        fast = (rng.exponential(3 * jit + 1, len(who))).astype(np.int64)
        if ctx.cfg.knobs.slow_reshare > 0:  # a slowed burst spreads over an hour
            fast = np.where(rng.random(len(who)) < ctx.cfg.knobs.slow_reshare, rng.integers(0, 3600, len(who)), fast)
        t = base + fast
        link = "https://" + vocab.OP_DOMAINS[rng.integers(len(vocab.OP_DOMAINS))] + f"/a/{rng.integers(1, 99999)}"
        links = np.where(rng.random(len(who)) < 0.7, link, "").astype(object)
        txt, tags, urls = operation_text(ctx, rng, c["lang"][who], np.full(len(who), rng.integers(0, 8)),
                                         ctx.cfg.knobs.paraphrase_rate, links)
        out.append(A.batch(t, who, A.KIND_POST, text=txt, hashtags=tags, urls=urls, lang=c["lang"][who],
                           client=ctx.op_clients(rng, who), mentions=np.full(len(t), "[]", dtype=object)))
    return A.concat(out)


def earlier_life(ctx: Ctx, rng: np.random.Generator, day: int) -> A.Batch:
    """Spam and marketing posts of repurposed accounts before they switch language."""
    c = ctx.pop.cols
    g = ctx.pop.idx("operator")
    g = g[(c["old_lang"][g] != "") & (day < _lang_start(ctx, c["lang"][g]))]
    alive = np.random.default_rng([ctx.cfg.seed, 105]).random(len(ctx.pop)) < 0.6  # others dormant for years
    g = g[alive[g]]
    acct = np.repeat(g, rng.poisson(1.2, len(g)))
    owner_tz = np.array([-3.0, 3.0, 7.0, -5.0, 1.0])[np.asarray(c["userid"][acct].astype(np.int64) % 5, int)] \
        if len(acct) else np.zeros(0)
    t = local_times(rng, day, owner_tz, "organic")
    txt, tags, urls = T.spam(rng, c["old_lang"][acct])
    last = (day + DAY == _lang_start(ctx, c["lang"][acct])) & (rng.random(len(acct)) < 0.25)
    txt = np.where(last, pick(rng, vocab.OWNER_CHANGE, len(acct)), txt).astype(object)
    return A.batch(t, acct, A.KIND_POST, text=txt, hashtags=tags, urls=np.where(last, "[]", urls), lang=c["old_lang"][acct],
                   client=ctx.organic_clients(rng, acct), mentions=np.full(len(t), "[]", dtype=object))


def _reposts(ctx: Ctx, rng: np.random.Generator, who: np.ndarray, src: np.ndarray, today: A.Batch,
             delay: np.ndarray) -> A.Batch:
    c = ctx.pop.cols
    tgt = today["acct"][src]
    keep = who != tgt
    who, src, tgt, delay = who[keep], src[keep], tgt[keep], delay[keep]
    return A.batch(today["t"][src] + delay, who, A.KIND_REPOST, tgt_tid=today["tid"][src], tgt_acct=tgt,
                   text="RT @" + c["handle"][tgt] + ": " + today["text"][src], hashtags=today["hashtags"][src],
                   urls=today["urls"][src], mentions=("['" + c["userid"][tgt] + "']").astype(object),
                   lang=today["lang"][src], client=ctx.op_clients(rng, who))


def operator_engagement(ctx: Ctx, rng: np.random.Generator, day: int, today: A.Batch) -> A.Batch:
    """Reposts of personas and of each other within seconds, camouflage, replies to leaders."""
    c = ctx.pop.cols
    act = _active(ctx, rng, day, "operator")
    if len(act) == 0:
        return A.batch(_E, _E, A.KIND_REPOST)
    jit = ctx.cfg.knobs.jitter
    out = []
    grp = c["group"][today["acct"]]
    live = (grp == "persona") & (today["text"] != "") & (_lang_start(ctx, today["lang"]) <= today["t"])
    share = 0.3 * min(1.0, ctx.cfg.base_personas / max(1, len(ctx.pop.idx("persona"))))
    shifts = ctx.cfg.knobs.shifts
    for p in np.flatnonzero(live):  # personas: a third of the office reposts within seconds
        if shifts:  # ... of the team on duty when the persona posted
            duty = act[K.on_duty(ctx, act, today["t"][p])]
            who = duty[rng.random(len(duty)) < min(1.0, share * shifts)]
        else:
            who = act[rng.random(len(act)) < share]
        delay = K.reshare_delays(ctx, rng, 1 + rng.exponential(jit + 1, len(who)).astype(np.int64))
        out.append(_reposts(ctx, rng, who, np.full(len(who), p), today, delay))
    ops = np.flatnonzero(grp == "operator")
    ops = ops[today["t"][ops] >= _lang_start(ctx, today["lang"][ops])]
    if len(ops):  # each other
        src = np.repeat(ops, rng.poisson(1.0, len(ops)))
        if shifts:
            who = K.pick_on_duty(ctx, rng, act, today["t"][src])
            src, who = src[who >= 0], who[who >= 0]
        else:
            who = act[rng.integers(0, len(act), len(src))]
        delay = K.reshare_delays(ctx, rng, 2 + rng.exponential(2 * jit + 1, len(src)).astype(np.int64))
        out.append(_reposts(ctx, rng, who, src, today, delay))
    core_per_op = (live.sum() * share + len(ops) * 1.0 / max(len(act), 1))
    cam = ctx.cfg.knobs.camouflage
    lam = cam / max(1e-9, 1 - cam) * max(core_per_op, 1.0)
    acct = np.repeat(act, rng.poisson(lam, len(act)))
    if len(acct) and len(ctx.recent.cols["t"]):
        t = K.duty_times(ctx, rng, day, acct)
        organic = ~ctx.is_op[ctx.recent.cols["acct"]]
        b = ctx.engage(rng, acct, t, np.full(len(acct), A.KIND_REPOST), T.organic(rng, c["lang"][acct]),
                       mask=organic, window=np.full(len(acct), 24 * 3600), min_delay=30)
        b["client"] = ctx.op_clients(rng, b["acct"])
        out.append(b)
    acct = np.repeat(act, rng.poisson(0.3, len(act)))
    if len(acct) and len(ctx.recent.cols["t"]):
        t = K.duty_times(ctx, rng, day, acct)
        own = operation_text(ctx, rng, c["lang"][acct], rng.integers(0, 8, len(acct)), ctx.cfg.knobs.paraphrase_rate)
        b = ctx.engage(rng, acct, t, np.full(len(acct), A.KIND_REPLY), own,
                       mask=ctx.group_mask(ctx.recent.cols["acct"], "protest_leader"),
                       window=np.full(len(acct), 24 * 3600), min_delay=120)
        b["client"] = ctx.op_clients(rng, b["acct"])
        out.append(b)
    return A.concat(out)


def amplifier_schedule(ctx: Ctx) -> tuple[np.ndarray, np.ndarray]:
    """(amplifier index, day index) of every engagement; 3 in 4 amplifiers engage once."""
    rng = np.random.default_rng([ctx.cfg.seed, 106])
    g = ctx.pop.idx("amplifier")
    n_eng = rng.choice([1, 2, 3, 4, 5, 8, 12], len(g), p=[0.75, 0.13, 0.05, 0.03, 0.02, 0.015, 0.005])
    first = (ctx.pop.cols["created"][g] - ctx.cfg.start) // DAY + rng.geometric(0.45, len(g)) - 1
    first = np.minimum(first, ctx.cfg.n_days - 1)
    if ctx.cfg.knobs.steady_amplifiers > 0:
        first = steady.activation(ctx, g, first)
    amp = np.repeat(g, n_eng)
    start = np.repeat(first, n_eng)
    k = np.arange(len(amp)) - np.repeat(np.cumsum(n_eng) - n_eng, n_eng)
    days = start + np.where(k == 0, 0, rng.geometric(0.35, len(amp)) * np.minimum(k, 1) + k)
    keep = days < ctx.cfg.n_days
    return amp[keep], days[keep]


def amplifier_day(ctx: Ctx, rng: np.random.Generator, day: int, sched: tuple[np.ndarray, np.ndarray]) -> A.Batch:
    c = ctx.pop.cols
    d = (day - ctx.cfg.start) // DAY
    acct = sched[0][sched[1] == d]
    if len(acct) == 0 or len(ctx.recent.cols["t"]) == 0:
        return A.batch(_E, _E, A.KIND_REPOST)
    r = ctx.recent.cols
    core = ctx.group_mask(r["acct"], "persona", "operator") & (_lang_start(ctx, r["lang"]) <= r["t"])
    t0 = np.full(len(acct), day + DAY - 1)
    kind = np.where(rng.random(len(acct)) < 0.85, A.KIND_REPOST, A.KIND_REPLY)
    own_txt = pick(rng, vocab.AMP_REPLIES, len(acct))
    if ctx.cfg.knobs.unique_text > 0:
        own_txt = operation_text(ctx, rng, c["lang"][acct], rng.integers(0, 8, len(acct)), 0.0,
                                 short=True)[0]
    own = (own_txt, np.full(len(acct), "[]", dtype=object), np.full(len(acct), "[]", dtype=object))
    b = ctx.engage(rng, acct, t0, kind, own, mask=core, window=np.full(len(acct), 2 * DAY))
    # waves: the engagement lands minutes after the core post, not at the end of the day
    tgt_t = _target_times(r, b["tgt_tid"])
    delay = lognormal_delays(rng, len(b["t"]), 240 + 10 * ctx.cfg.knobs.jitter, 0.9, minimum=5)
    b["t"] = np.maximum(tgt_t + delay, c["created"][b["acct"]] + 600 + rng.integers(0, 3600, len(b["t"])))
    b["client"] = ctx.op_clients(rng, b["acct"])
    return b


def _target_times(r: A.Batch, tids: np.ndarray) -> np.ndarray:
    order = np.argsort(r["tid"])
    pos = np.searchsorted(r["tid"][order], tids)
    return r["t"][order][np.clip(pos, 0, len(order) - 1)]


def amplifier_slogans(ctx: Ctx, rng: np.random.Generator, day: int, sched: tuple[np.ndarray, np.ndarray]) -> A.Batch:
    """One in ten amplifiers posts a single templated slogan on its first active day."""
    c = ctx.pop.cols
    d = (day - ctx.cfg.start) // DAY
    amp, days = sched
    uniq, at = np.unique(amp, return_index=True)
    first = uniq[days[at] == d]
    first = first[np.random.default_rng([ctx.cfg.seed, 107]).random(len(ctx.pop))[first] < 0.1]
    t = K.around_the_clock(ctx, rng, day, len(first)) if ctx.cfg.knobs.shifts \
        else local_times(rng, day, c["tz"][first], "office")
    txt, tags, urls = operation_text(ctx, rng, c["lang"][first], rng.integers(0, 8, len(first)), 0.0)
    return A.batch(t, first, A.KIND_POST, text=txt, hashtags=tags, urls=urls, lang=c["lang"][first],
                   client=ctx.op_clients(rng, first), mentions=np.full(len(t), "[]", dtype=object))
