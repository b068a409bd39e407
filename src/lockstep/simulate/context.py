"""Shared state of one simulation run: config, population, recent posts, id counter."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lockstep.simulate import actions as A
from lockstep.simulate import vocab
from lockstep.simulate.config import WorldConfig
from lockstep.simulate.names import pick, tweet_ids
from lockstep.simulate.population import Population

ORG_CLIENTS = np.array(vocab.CLIENTS, dtype=object)
_CW = np.array(vocab.CLIENT_WEIGHTS) / np.sum(vocab.CLIENT_WEIGHTS)


@dataclass
class Ctx:
    cfg: WorldConfig
    pop: Population
    recent: A.Recent = field(default_factory=A.Recent.empty)
    serial: int = 0
    main_client: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    popularity: np.ndarray = field(default_factory=lambda: np.zeros(0))
    is_op: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    shift_group: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # -1: not on a rota
    seen_text: set[str] = field(default_factory=set)  # operation texts already used (unique_text)

    def __post_init__(self) -> None:
        rng = np.random.default_rng([self.cfg.seed, 103])
        n = len(self.pop)
        self.main_client = ORG_CLIENTS[rng.choice(len(ORG_CLIENTS), n, p=_CW)]
        self.popularity = (self.pop.cols["followers"] + 1.0) ** 0.8
        self.is_op = np.isin(self.pop.cols["group"], ["persona", "operator", "amplifier"])
        self.shift_group = np.full(n, -1, np.int64)
        if self.cfg.knobs.shifts:  # balanced, disjoint groups; a generator of its own keeps default worlds
            ops = self.pop.idx("operator")
            perm = np.random.default_rng([self.cfg.seed, 109]).permutation(len(ops))
            self.shift_group[ops[perm]] = np.arange(len(ops)) % self.cfg.knobs.shifts

    def group_mask(self, acct: np.ndarray, *groups: str) -> np.ndarray:
        return np.isin(self.pop.cols["group"][acct], list(groups))

    def organic_clients(self, rng: np.random.Generator, acct: np.ndarray) -> np.ndarray:
        other = ORG_CLIENTS[rng.choice(len(ORG_CLIENTS), len(acct), p=_CW)]
        return np.where(rng.random(len(acct)) < 0.85, self.main_client[acct], other).astype(object)

    def op_clients(self, rng: np.random.Generator, acct: np.ndarray) -> np.ndarray:
        mixed = rng.random(len(acct)) < self.cfg.knobs.client_mix
        own = pick(rng, vocab.OP_CLIENTS, len(acct))
        return np.where(mixed, self.organic_clients(rng, acct), own).astype(object)

    def finalise(self, b: A.Batch) -> A.Batch:
        """Drop actions before the account existed or after the world ends; assign tweet ids."""
        keep = (b["t"] >= self.pop.cols["created"][b["acct"]] + 60) & (b["t"] >= self.cfg.start) & (b["t"] < self.cfg.end)
        b = A.take(b, np.flatnonzero(keep))
        n = len(b["t"])
        serial = self.serial + np.arange(n, dtype=np.int64)
        self.serial += n
        b["tid"] = tweet_ids(b["t"], serial)
        return b

    def add_originals(self, b: A.Batch, now: int) -> None:
        self.recent.add(b, self.popularity[b["acct"]], now)

    def engage(self, rng: np.random.Generator, acct: np.ndarray, t: np.ndarray, kind: np.ndarray,
               own_text: tuple[np.ndarray, np.ndarray, np.ndarray], mask: np.ndarray | None = None,
               window: np.ndarray | None = None, min_delay: int = 20) -> A.Batch:
        """Reposts / replies / quotes of recent posts chosen by popularity, at times ``t``.

        ``own_text`` is used for replies and quotes; reposts copy the original's text, hashtags
        and links ("RT @handle: ...") as the archive does.
        """
        if window is None:
            window = np.where(rng.random(len(t)) < 0.5, 3 * 3600, 24 * 3600)
        j = self.recent.sample(rng, t, window, mask)
        ok = j >= 0
        acct, t, kind, j = acct[ok], t[ok], kind[ok], j[ok]
        own = [x[ok] for x in own_text]
        r = self.recent.cols
        tgt_acct = r["acct"][j]
        keep = tgt_acct != acct
        acct, t, kind, j, tgt_acct = acct[keep], t[keep], kind[keep], j[keep], tgt_acct[keep]
        own = [x[keep] for x in own]
        t = np.maximum(t, r["t"][j] + min_delay)
        handle = self.pop.cols["handle"][tgt_acct]
        rt = kind == A.KIND_REPOST
        reply = kind == A.KIND_REPLY
        text = np.where(rt, "RT @" + handle + ": " + r["text"][j],
                        np.where(reply, "@" + handle + " " + own[0], own[0]))
        return A.batch(t, acct, kind, tgt_tid=r["tid"][j], tgt_acct=tgt_acct, text=text,
                       hashtags=np.where(rt, r["hashtags"][j], own[1]), urls=np.where(rt, r["urls"][j], own[2]),
                       mentions=("['" + self.pop.cols["userid"][tgt_acct] + "']").astype(object),
                       lang=np.where(rt, r["lang"][j], self.pop.cols["lang"][acct]))
