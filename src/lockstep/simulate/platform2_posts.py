"""platform2/actions.csv: who posts what, where and when on the second platform.

Why a module of its own: the posting behaviour is what detection sees, and each piece is a
claim about the 2019 operation or its hard negatives:

- the operation's pages are fed by one desk: four times a working day an item (one template,
  usually one article link on an operation domain) goes out, and each page posts it with
  probability 0.6 within a minute or two (median 40 s); 60% of those posts go into the
  operation's groups, 1% into an organic group (a stray cross-post), the rest on the page;
- look-alike and organic news pages post ordinary news with links to their own domains, each
  on its own schedule (never in step with each other);
- organic users post around the clock, 30% of the time into organic pages or groups, and the
  operation groups' members post into them too (the groups are not the operation's alone);
- every membership is also a ``join`` action (target and entity: the group or page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lockstep.simulate import text as T
from lockstep.simulate import vocab
from lockstep.simulate.config import WorldConfig
from lockstep.simulate.timing import DAY, lognormal_delays, local_times

O = object
EVENTS_PER_DAY = 4
PAGE_JOIN_P = 0.6


@dataclass
class Entities:
    """The second platform's pages and groups, in order: operation pages, operation groups,
    look-alike pages, organic pages, organic groups."""

    n_pages: int
    n_groups: int
    n_look: int
    n_org_pages: int
    names: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    org_group_kinds: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    descs: list[str] = field(default_factory=list)
    ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=O))
    followers: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    created: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))


Cols = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _operation(rng: np.random.Generator, cfg: WorldConfig, e: Entities) -> Cols:
    """(account, time, text, hashtags, urls, entity, language, kind) of the pages' posts."""
    days = np.arange(cfg.op_zh_start, cfg.end, DAY)
    ev_t = np.concatenate([np.sort(local_times(rng, int(d), np.full(EVENTS_PER_DAY, 8.0), "office")) for d in days])
    n_ev = len(ev_t)
    ev_template = rng.integers(0, 8, n_ev)
    ev_dom = np.array(vocab.OP_DOMAINS, dtype=O)[rng.integers(0, len(vocab.OP_DOMAINS), n_ev)]
    ev_link = np.where(rng.random(n_ev) < 0.7,
                       "https://" + ev_dom + "/" + rng.integers(1, 10**6, n_ev).astype(str).astype(O), "").astype(O)
    takes = rng.random((n_ev, e.n_pages)) < PAGE_JOIN_P
    ev, page = np.nonzero(takes)
    n = len(ev)
    t = ev_t[ev] + lognormal_delays(rng, n, 40, 0.8)
    lang = np.array(e.langs[: e.n_pages], dtype=O)[page]
    txt, tag, url = T.operation(rng, lang, ev_template[ev], cfg.knobs.paraphrase_rate, link=ev_link[ev])
    first_org_group = e.n_pages + e.n_groups + e.n_look + e.n_org_pages
    n_org_groups = len(e.ids) - first_org_group
    r = rng.random(n)
    where = np.where(r < 0.6, e.ids[e.n_pages + rng.integers(0, e.n_groups, n)],
                     np.where(r < 0.61, e.ids[first_org_group + rng.integers(0, max(1, n_org_groups), n)],
                              e.ids[page]))
    return e.ids[page], t, txt, tag, url, where.astype(O), lang, np.full(n, "post", dtype=O)


def _news_pages(rng: np.random.Generator, cfg: WorldConfig, e: Entities) -> Cols:
    """Look-alike and organic news pages: about two posts a day each, on their own pages."""
    lo, hi = e.n_pages + e.n_groups, e.n_pages + e.n_groups + e.n_look + e.n_org_pages
    per = 2 * cfg.n_days
    idx = np.repeat(np.arange(lo, hi), per)
    n = len(idx)
    t = rng.integers(cfg.start, cfg.end, n)
    lang = np.array(e.langs, dtype=O)[idx]
    txt, tag, url = T.news(rng, lang, np.array(e.domains, dtype=O)[idx])
    return e.ids[idx], t, txt, tag, url, e.ids[idx], lang, np.full(n, "post", dtype=O)


def _users(rng: np.random.Generator, cfg: WorldConfig, e: Entities, users: np.ndarray, ulang: np.ndarray,
           mem: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> Cols:
    """Organic users' posts (some in organic pages/groups) and op-group members' posts there."""
    n_org = max(2_000, round(40_000 * cfg.scale))
    oa = rng.integers(0, len(users), n_org)
    t = rng.integers(cfg.start, cfg.end, n_org)
    txt, tag, url = T.organic(rng, ulang[oa])
    lo = e.n_pages + e.n_groups
    ent = np.where(rng.random(n_org) < 0.3, e.ids[lo + rng.integers(0, len(e.ids) - lo, n_org)], "").astype(O)
    m_ent, m_acc, m_role, m_since = mem
    op_groups = set(e.ids[e.n_pages: e.n_pages + e.n_groups])
    in_op = np.flatnonzero(np.array([x in op_groups for x in m_ent]) & (m_role == "member"))
    k = len(in_op) // 3
    pick = rng.choice(in_op, k, replace=True) if k else np.array([], dtype=np.int64)
    lang_of = dict(zip(users, ulang))
    glang = np.array([lang_of.get(a, "en") for a in m_acc[pick]], dtype=O)
    gt = np.maximum(m_since[pick], cfg.op_zh_start) + rng.integers(0, 30 * DAY, k)
    gtxt, gtag, gurl = T.loyal(rng, glang)
    keep = gt < cfg.end
    cat = np.concatenate
    return (cat([users[oa], m_acc[pick][keep]]), cat([t, gt[keep]]), cat([txt, gtxt[keep]]),
            cat([tag, gtag[keep]]), cat([url, gurl[keep]]), cat([ent, m_ent[pick][keep]]),
            cat([ulang[oa], glang[keep]]), np.full(n_org + int(keep.sum()), "post", dtype=O))


def write_actions(path: Path, rng: np.random.Generator, cfg: WorldConfig, e: Entities, users: np.ndarray,
                  ulang: np.ndarray, mem: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> int:
    """Write actions.csv (posts, then joins); returns the number of rows."""
    from lockstep.simulate.platform2 import PLATFORM, _iso, _write

    parts = [_operation(rng, cfg, e), _news_pages(rng, cfg, e), _users(rng, cfg, e, users, ulang, mem)]
    m_ent, m_acc, _role, since = mem
    nm = len(m_ent)
    empty = np.full(nm, "[]", dtype=O)
    parts.append((m_acc, since, np.full(nm, "", dtype=O), empty, empty, m_ent, np.full(nm, "", dtype=O),
                  np.full(nm, "join", dtype=O)))
    acc, t, txt, tag, url, ent, lang, kind = (np.concatenate([p[i] for p in parts]) for i in range(8))
    n = len(acc)
    target = np.where(kind == "join", ent, "").astype(O)
    return _write(path, {
        "platform": np.full(n, PLATFORM, dtype=O), "action_id": np.array([f"fb_a{i}" for i in range(n)], dtype=O),
        "account_id": acc.astype(O), "kind": kind, "target_id": target, "timestamp": _iso(t.astype(np.int64)),
        "text": txt.astype(O), "urls": url.astype(O), "hashtags": tag.astype(O), "entity_id": ent.astype(O),
        "language": lang.astype(O)})
