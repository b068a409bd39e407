"""Every account of the world, as columns (numpy arrays), in contiguous blocks per group.

Groups: organic ``general``, ``news``, ``protest_leader``, ``protest``, ``loyalist``; the
operation's ``persona`` and ``operator`` (role core) and ``amplifier``. Profiles follow the
public research on the China 2019 release: operators are mostly repurposed old accounts
(other languages, spam pasts) or created in batches in 2017; amplifiers are created in
bursts after the first suspensions with name-plus-digits handles, empty profiles and
near-zero followers. Organic newcomers share some of those traits on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lockstep.simulate import names, vocab
from lockstep.simulate.config import WorldConfig, _ts

GROUP_ROLE = {"general": "organic", "news": "organic", "protest_leader": "organic", "protest": "organic",
              "loyalist": "organic", "persona": "core", "operator": "core", "amplifier": "amplifier",
              "idol": "organic", "fan": "organic", "newsbot": "organic"}
_DAY = 86_400


@dataclass
class Population:
    cols: dict[str, np.ndarray]
    blocks: dict[str, slice] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.cols["userid"])

    def idx(self, group: str) -> np.ndarray:
        s = self.blocks[group]
        return np.arange(s.start, s.stop)


def _uniform_dates(rng: np.random.Generator, n: int, a: str, b: str) -> np.ndarray:
    return rng.integers(_ts(a), _ts(b), n).astype(np.int64)


def _block(rng: np.random.Generator, n: int, group: str, **kw: np.ndarray | str | float) -> dict[str, np.ndarray]:
    cols: dict[str, np.ndarray] = {"group": np.full(n, group, dtype=object)}
    for k, v in kw.items():
        cols[k] = v if isinstance(v, np.ndarray) else np.full(n, v, dtype=object if isinstance(v, str) else float)
    return cols


def _regions(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w = np.array([r[2] for r in vocab.REGIONS])
    r = rng.choice(len(vocab.REGIONS), n, p=w / w.sum())
    lang = np.array([vocab.REGIONS[i][0] for i in r], dtype=object)
    tz = np.array([vocab.REGIONS[i][1] for i in r], dtype=float)
    loc = np.array([vocab.REGIONS[i][3][rng.integers(len(vocab.REGIONS[i][3]))] for i in r], dtype=object)
    return lang, tz, loc


def _organic(cfg: WorldConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = cfg.n_organic
    lang, tz, loc = _regions(rng, n)
    handles, dnames = names.personal_handles(rng, n)
    new = rng.random(n) < 0.08  # joined in 2019: small, often default profiles
    created = np.where(new, _uniform_dates(rng, n, "2019-01-01", "2019-08-10"),
                       _uniform_dates(rng, n, "2008-01-01", "2019-01-01"))
    followers = np.exp(rng.normal(4.0, 1.7, n)) * np.where(new, 0.05, 1.0)
    rate = np.exp(rng.normal(0, 1.3, n)) * cfg.organic_rate / np.exp(1.3**2 / 2)
    acct_lang = np.where(lang == "zh", np.where(tz == 8, "zh-tw", "zh-cn"), lang).astype(object)
    return _block(rng, n, "general", userid_created=created, handle=handles, display_name=dnames,
                  description=names.bios(rng, n, np.where(new, 0.3, 0.7)), location=loc,
                  followers=followers.astype(np.int64), following=np.exp(rng.normal(5, 1.2, n)).astype(np.int64),
                  account_language=acct_lang, lang=lang, tz=tz, rate=rate, rt_share=rng.beta(2, 3, n))


def _news(cfg: WorldConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = cfg.n_news
    o = [vocab.NEWS_OUTLETS[i % len(vocab.NEWS_OUTLETS)] for i in range(n)]
    suffix = ["" if i < len(vocab.NEWS_OUTLETS) else f" {i // len(vocab.NEWS_OUTLETS) + 1}" for i in range(n)]
    dn = np.array([a[0] + s for a, s in zip(o, suffix)], dtype=object)
    handle = np.array(["".join(ch for ch in a[2].split(".")[0] if ch.isalnum()) + s.strip() for a, s in zip(o, suffix)],
                      dtype=object)
    lang = np.array([a[3] for a in o], dtype=object)
    return _block(rng, n, "news", userid_created=_uniform_dates(rng, n, "2008-06-01", "2012-12-31"), handle=handle,
                  display_name=dn, description=np.array([a[1] for a in o], dtype=object),
                  location=np.where(lang == "zh", "Hong Kong", "").astype(object),
                  url=np.array(["https://" + a[2] for a in o], dtype=object),
                  followers=np.exp(rng.normal(11.5, 1.0, n)).astype(np.int64),
                  following=rng.integers(50, 900, n), account_language=lang, lang=lang,
                  tz=np.where(lang == "zh", 8.0, rng.choice([-5.0, 0.0], n)), rate=rng.uniform(8, 30, n),
                  rt_share=np.full(n, 0.05))


def _protest(cfg: WorldConfig, rng: np.random.Generator, leaders: bool) -> dict[str, np.ndarray]:
    n = cfg.n_protest_leaders if leaders else cfg.n_protest
    handles, dnames = names.personal_handles(rng, n)
    tz = np.where(rng.random(n) < (1.0 if leaders else 0.8), 8.0, rng.choice([-5.0, 0.0, 10.0, -8.0], n))
    lang = np.where(rng.random(n) < 0.6, "zh", "en").astype(object)
    if leaders:
        created = _uniform_dates(rng, n, "2010-01-01", "2018-01-01")
        followers = np.exp(rng.normal(9.8, 0.8, n))
        bio = np.full(n, "activist | Hong Kong | 香港", dtype=object)
        rate = rng.uniform(2, 5, n)
    else:
        new = rng.random(n) < 0.35  # joined to reach the world in June 2019
        nd, nd_names = names.name_digit_handles(rng, n)
        handles = np.where(new & (rng.random(n) < 0.6), nd, handles).astype(object)
        dnames = np.where(new, nd_names, dnames).astype(object)
        created = np.where(new, _uniform_dates(rng, n, "2019-06-05", "2019-08-05"),
                           _uniform_dates(rng, n, "2009-01-01", "2019-01-01"))
        followers = np.exp(rng.normal(4.5, 1.4, n)) * np.where(new, 0.08, 1.0)
        bio = names.bios(rng, n, np.where(new, 0.35, 0.75))
        rate = np.exp(rng.normal(0.2, 0.8, n))
    loc = np.where(tz == 8, "Hong Kong", rng.choice(["London", "Toronto", "Sydney", "", "Vancouver"], n)).astype(object)
    return _block(rng, n, "protest_leader" if leaders else "protest", userid_created=created, handle=handles,
                  display_name=dnames, description=bio, location=loc, followers=followers.astype(np.int64),
                  following=np.exp(rng.normal(5, 1, n)).astype(np.int64),
                  account_language=np.where(lang == "zh", "zh-tw", "en").astype(object), lang=lang, tz=tz,
                  rate=rate, rt_share=np.full(n, 0.0) if leaders else rng.beta(3, 2, n))


def _loyalist(cfg: WorldConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = cfg.n_loyalist
    handles, dnames = names.personal_handles(rng, n)
    tz = np.where(rng.random(n) < 0.7, 8.0, rng.choice([-5.0, -8.0, 0.0, 10.0], n))
    lang = np.where(rng.random(n) < 0.6, "zh", "en").astype(object)
    new = rng.random(n) < 0.12
    created = np.where(new, _uniform_dates(rng, n, "2019-01-01", "2019-08-01"),
                       _uniform_dates(rng, n, "2011-01-01", "2019-01-01"))
    return _block(rng, n, "loyalist", userid_created=created, handle=handles, display_name=dnames,
                  description=names.bios(rng, n, 0.55),
                  location=np.where(tz == 8, rng.choice(["Hong Kong", "Shenzhen", "", "中国"], n),
                                    rng.choice(["Vancouver", "London", "", "Sydney"], n)).astype(object),
                  followers=np.exp(rng.normal(4.2, 1.4, n)).astype(np.int64),
                  following=np.exp(rng.normal(5, 1, n)).astype(np.int64),
                  account_language=np.where(lang == "zh", "zh-cn", "en").astype(object), lang=lang, tz=tz,
                  rate=np.exp(rng.normal(-0.9, 0.9, n)), rt_share=rng.beta(2, 3, n))


def _personas(cfg: WorldConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = cfg.n_personas
    p = [vocab.PERSONA_NAMES[i % len(vocab.PERSONA_NAMES)] for i in range(n)]
    sfx = ["" if i < len(vocab.PERSONA_NAMES) else str(i) for i in range(n)]
    lang = np.array([a[3] for a in p], dtype=object)
    return _block(rng, n, "persona", userid_created=_uniform_dates(rng, n, "2017-03-01", "2017-11-01"),
                  handle=np.array([a[1] + s for a, s in zip(p, sfx)], dtype=object),
                  display_name=np.array([a[0] + s for a, s in zip(p, sfx)], dtype=object),
                  description=np.array([a[2] for a in p], dtype=object), location=np.full(n, "Hong Kong", dtype=object),
                  followers=rng.integers(3_000, 25_000, n), following=rng.integers(20, 80, n),
                  account_language=np.where(lang == "zh", "zh-cn", "en").astype(object), lang=lang,
                  tz=np.full(n, 8.0), rate=np.where(lang == "zh", 7.0, 5.0), rt_share=np.zeros(n))


def _operators(cfg: WorldConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = cfg.n_operators
    repurposed = rng.random(n) < 0.65
    old_lang = rng.choice(["en", "es", "ru", "pt", "id"], n, p=[0.35, 0.2, 0.2, 0.1, 0.15]).astype(object)
    batches = np.array([_ts(d) for d in ("2017-08-18", "2017-08-30", "2017-10-16", "2018-07-13")])
    batch_t = batches[rng.integers(0, len(batches), n)] + rng.integers(3600, 10 * 3600, n)
    created = np.where(repurposed, _uniform_dates(rng, n, "2009-01-01", "2017-01-01"), batch_t)
    handles, dnames = names.personal_handles(rng, n)
    rnd = names.random_handles(rng, n)
    handles = np.where(~repurposed | (rng.random(n) < 0.3), rnd, handles).astype(object)
    dnames = np.where(rng.random(n) < 0.4, names.pick(rng, vocab.ZH_NAMES, n), dnames).astype(object)
    bought = rng.random(n) < 0.3
    followers = np.where(bought, rng.integers(5_000, 30_000, n), rng.geometric(0.3, n) - 1)
    lang = np.where(rng.random(n) < 0.7, "zh", "en").astype(object)
    return _block(rng, n, "operator", userid_created=created, handle=handles, display_name=dnames,
                  description=np.where(rng.random(n) < 0.2, names.bios(rng, n, 1.0), "").astype(object),
                  location=np.where(rng.random(n) < 0.1, "California, USA", "").astype(object),
                  followers=followers.astype(np.int64), following=rng.integers(0, 130, n),
                  account_language=np.where(repurposed, old_lang, "zh-cn").astype(object), lang=lang,
                  old_lang=np.where(repurposed, old_lang, "").astype(object), tz=np.full(n, 8.0),
                  rate=rng.uniform(4, 10, n), rt_share=np.full(n, 0.6))


def _amplifiers(cfg: WorldConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = cfg.n_amplifiers
    n_bursts = max(3, int(round(6 * cfg.scale**0.5)))
    centers = rng.integers(cfg.first_suspension, cfg.end - 6 * _DAY, n_bursts)
    b = rng.integers(0, n_bursts, n)
    created = centers[b] + np.abs(rng.normal(0, 8 * 3600, n)).astype(np.int64)
    handles, dnames = names.name_digit_handles(rng, n)
    zh = rng.random(n) < 0.6
    return _block(rng, n, "amplifier", userid_created=created, handle=handles, display_name=dnames,
                  description=np.full(n, "", dtype=object), location=np.full(n, "", dtype=object),
                  followers=np.where(rng.random(n) < 0.67, 0, rng.integers(1, 6, n)).astype(np.int64),
                  following=rng.integers(0, 30, n),
                  account_language=np.where(zh, "zh-cn", "en").astype(object),
                  lang=np.where(zh, "zh", "en").astype(object), tz=np.full(n, 8.0), rate=np.zeros(n),
                  rt_share=np.ones(n), burst=b.astype(np.int64))


def build_population(cfg: WorldConfig) -> Population:
    """All accounts, deterministic for ``cfg.seed``."""
    parts = [
        ("general", _organic), ("news", _news), ("protest_leader", lambda c, r: _protest(c, r, True)),
        ("protest", lambda c, r: _protest(c, r, False)), ("loyalist", _loyalist), ("persona", _personas),
        ("operator", _operators), ("amplifier", _amplifiers),
    ]
    if cfg.n_fans or cfg.n_newsbots:  # authentic look-alikes, only when asked for (default worlds unchanged)
        from lockstep.simulate.lookalikes import lookalike_blocks

        parts += lookalike_blocks(cfg)
    blocks: dict[str, slice] = {}
    chunks: list[dict[str, np.ndarray]] = []
    start = 0
    for i, (g, fn) in enumerate(parts):
        c = fn(cfg, np.random.default_rng([cfg.seed, 101, i]))
        n = len(c["group"])
        blocks[g] = slice(start, start + n)
        start += n
        chunks.append(c)
    keys = sorted({k for c in chunks for k in c})
    cols: dict[str, np.ndarray] = {}
    for k in keys:
        vals = []
        for c in chunks:
            n = len(c["group"])
            if k in c:
                vals.append(np.asarray(c[k]))
            else:
                vals.append(np.full(n, -1 if k == "burst" else "", dtype=np.int64 if k == "burst" else object))
        cols[k] = np.concatenate(vals)
    if cfg.knobs.steady_amplifiers > 0:
        from lockstep.simulate.steady import age_profiles

        age_profiles(cfg, cols, blocks["amplifier"])
    cols["created"] = cols.pop("userid_created").astype(np.int64)
    cols["followers"] = cols["followers"].astype(np.int64)
    cols["following"] = cols["following"].astype(np.int64)
    rng = np.random.default_rng([cfg.seed, 102])
    cols["userid"] = names.user_ids(cols["created"], rng)
    cols["role"] = np.array([GROUP_ROLE[g] for g in cols["group"]], dtype=object)
    cols["url"] = np.where(cols["url"] == "", "", cols["url"]).astype(object)
    return Population(cols, blocks)
