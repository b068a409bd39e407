"""Run a whole world, one day at a time, and write it to a folder.

Each day: originals of every community -> recent-post index -> engagements (reposts,
replies, viral cascades, protest reshares, operator reposts, amplifier waves) -> one sorted
batch written to tweets.csv, with the day's logins to access.csv. Every component draws from
its own generator seeded by (seed, component, day), so a world is identical for a seed.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from lockstep.simulate import actions as A
from lockstep.simulate import communities as C
from lockstep.simulate import lookalikes as L
from lockstep.simulate import operation as O
from lockstep.simulate import organic as G
from lockstep.simulate import steady as S
from lockstep.simulate import tactics as K
from lockstep.simulate import writers as W
from lockstep.simulate.access import Infra
from lockstep.simulate.config import Knobs, WorldConfig
from lockstep.simulate.context import Ctx
from lockstep.simulate.population import build_population
from lockstep.simulate.timing import DAY

CAMPAIGN = "hk2019"


def _day(ctx: Ctx, day: int, d: int, sched: tuple[np.ndarray, np.ndarray]) -> A.Batch:
    seed = ctx.cfg.seed

    def rng(k: int) -> np.random.Generator:
        return np.random.default_rng([seed, k, d])

    general, pend_g = G.general_day(ctx, rng(1), day)
    protest, pend_p = C.protest_day(ctx, rng(2), day)
    loyal, pend_l = C.loyalist_day(ctx, rng(3), day)
    originals = A.concat([general, G.news_day(ctx, rng(4), day), protest, loyal,
                          O.persona_day(ctx, rng(5), day), O.operator_bursts(ctx, rng(6), day),
                          O.earlier_life(ctx, rng(7), day), O.amplifier_slogans(ctx, rng(8), day, sched)])
    k = ctx.cfg.knobs
    extra = []  # tactics and look-alikes: generators of their own, so default worlds do not change
    pend_f: G.Pending | None = None
    if k.steady_amplifiers > 0:
        extra.append(S.warmup_day(ctx, rng(20), day))
    if ctx.cfg.n_fans:
        fans, pend_f = L.fan_day(ctx, rng(21), day)
        extra.append(fans)
    originals = ctx.finalise(A.concat([originals, *extra]))
    ctx.add_originals(originals, day - DAY)
    engaged = A.concat([
        G.resolve(ctx, rng(11), pend_g), G.resolve(ctx, rng(12), pend_p, "protest"),
        G.resolve(ctx, rng(13), pend_l, "loyal"), G.viral_day(ctx, rng(14), day, originals),
        C.leader_reshares(ctx, rng(15), day, originals), C.loyalist_echo(ctx, rng(16), day),
        O.operator_engagement(ctx, rng(17), day, originals), O.amplifier_day(ctx, rng(18), day, sched),
    ] + _tactics_engaged(ctx, rng, day, originals, pend_f))
    engaged = ctx.finalise(engaged)
    out = A.concat([originals, engaged])
    return A.take(out, np.argsort(out["t"], kind="stable"))


def _tactics_engaged(ctx: Ctx, rng: Callable[[int], np.random.Generator], day: int, originals: A.Batch,
                     pend_f: G.Pending | None) -> list[A.Batch]:
    k = ctx.cfg.knobs
    out = []
    if k.camouflage_offhours > 0:
        out.append(K.offhours_camouflage(ctx, rng(19), day, O.started(ctx, day, "operator")))
    if k.steady_amplifiers > 0:
        out.append(S.warmup_reposts(ctx, rng(25), day))
    if pend_f is not None:
        out += [G.resolve(ctx, rng(22), pend_f), L.fan_storms(ctx, rng(23), originals)]
    if ctx.cfg.n_newsbots:
        out.append(L.newsbot_reposts(ctx, rng(24), originals))
    return out


def simulate(out: Path, scenario: str = "hk2019", scale: float = 1.0, seed: int = 0,
             progress: Callable[[int, int], None] | None = None, **knobs: float | int) -> dict[str, Any]:
    """Write a labelled world into ``out`` and return its manifest (also in ``world.json``).

    ``knobs``: any field of :class:`lockstep.simulate.knobs.Knobs` (jitter, paraphrase_rate,
    client_mix, infra_spread, camouflage, slow_reshare, shifts, camouflage_offhours,
    residential_proxy, steady_amplifiers, unique_text, fans, newsbots). ``progress(done_days, total_days)`` is called
    after each simulated day.
    """
    started = time.perf_counter()
    k = Knobs.from_values(dict(knobs))
    cfg = WorldConfig(scenario=scenario, scale=float(scale), seed=int(seed), knobs=k)
    cfg.validate()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pop = build_population(cfg)
    ctx = Ctx(cfg, pop)
    infra = Infra(ctx)
    sched = O.amplifier_schedule(ctx)
    prof = W.ProfileColumns(pop)
    tweets = W.Writer(out / "tweets.csv", W.TWEET_COLUMNS)
    access = W.Writer(out / "access.csv", W.ACCESS_COLUMNS)
    n_actions = np.zeros(len(pop), np.int64)
    kinds = np.zeros(4, np.int64)
    try:
        for d in range(cfg.n_days):
            day = cfg.start + d * DAY
            b = _day(ctx, day, d, sched)
            n_actions += np.bincount(b["acct"], minlength=len(pop))
            kinds += np.bincount(b["kind"], minlength=4)[:4]
            rng = np.random.default_rng([cfg.seed, 30, d])
            for lo in range(0, len(b["t"]), cfg.chunk_rows):
                part = A.take(b, np.arange(lo, min(lo + cfg.chunk_rows, len(b["t"]))))
                tweets.write(W.tweets_table(part, prof, rng))
            access.write(W.access_table(infra.logins(np.random.default_rng([cfg.seed, 31, d]), b), pop))
            if progress is not None:
                progress(d + 1, cfg.n_days)
    finally:
        tweets.close()
        access.close()
    order = np.random.default_rng([cfg.seed, 40]).permutation(len(pop))
    W.write_users(out / "users.csv", pop, order)
    W.write_labels(out / "labels.csv", pop, order, CAMPAIGN)
    from lockstep.simulate.platform2 import write_platform2

    p2 = write_platform2(out / "platform2", cfg, pop)
    manifest = _manifest(cfg, pop, n_actions, kinds, tweets.rows, access.rows, p2, time.perf_counter() - started)
    (out / "world.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


def _manifest(cfg: WorldConfig, pop: Any, n_actions: np.ndarray, kinds: np.ndarray, n_tweets: int,
              n_access: int, p2: dict[str, int], seconds: float) -> dict[str, Any]:
    c = pop.cols
    groups = {}
    for g in pop.blocks:
        idx = pop.idx(g)
        acts = n_actions[idx]
        groups[g] = {"accounts": int(len(idx)), "actions": int(acts.sum()), "active": int((acts > 0).sum())}
    amp = pop.idx("amplifier")
    return {
        "generator": "lockstep.simulate", "campaign": CAMPAIGN, "config": cfg.manifest(),
        "files": {"tweets.csv": n_tweets, "users.csv": len(pop), "access.csv": n_access,
                  "labels.csv": len(pop), **{f"platform2/{k}": v for k, v in p2.items()}},
        "counts": {"accounts": len(pop), "actions": int(n_actions.sum()),
                   "by_kind": dict(zip(("post", "repost", "reply", "quote"), map(int, kinds))),
                   "by_role": {r: int((c["role"] == r).sum()) for r in ("organic", "core", "amplifier")},
                   "by_group": groups,
                   "amplifiers_single_action": int((n_actions[amp] == 1).sum())},
        "seconds": round(seconds, 2),
    }
