"""A second platform's view of the same operation (pages, groups, accounts, posts in groups).

Modelled on Facebook's part of the 2019 takedown: 7 pages posing as news outlets, 3 groups
with ~2,000 members, 5 fake admin accounts; the pages cross-post the same templated text and
the same article links within a minute or two of each other (one desk feeding every page),
mostly into the groups, and drive people to the same off-platform domains. Around them:
organic news pages, authentic **look-alike** news pages whose names resemble the personas'
(own domains, ordinary news, organic followers and admins: hard negatives), protest, loyalist
and hobby groups and organic users, some of whom post into the operation's groups.

How a page is addressed: ``url`` is the page's address on the platform,
``https://www.facebook.com/<vanity>`` (the vanity name is the moniker a matcher compares with
other platforms' handles); the off-platform website a page promotes is in its
``description`` (``... | web: <domain>``). The first operation page's vanity is the Twitter
persona's handle (``vocab.PERSONA_NAMES[0][1]``, HKpoliticsnews) under a different display
name (``vocab.OP_PAGE_NAMES[0]``), as HKpoliticalnew was in 2019.

Files use the canonical column names of :mod:`lockstep.model`; ``lockstep ingest DIR/platform2/``
reads them all (labels.csv, the ground truth, is skipped). Joins are also actions (kind
``join``). Everything here draws from its own generator (``(seed, 200)``), so the
Twitter-like view does not change with it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from lockstep.simulate import vocab
from lockstep.simulate.config import WorldConfig
from lockstep.simulate.names import personal_handles
from lockstep.simulate.platform2_posts import Entities, write_actions
from lockstep.simulate.population import Population
from lockstep.simulate.timing import DAY
from lockstep.simulate.writers import Writer

PLATFORM = "facebook"
FB = "https://www.facebook.com/"
O = object


def _iso(t: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(t.astype("datetime64[s]"), unit="s").astype(O)


def _write(path: Path, cols: dict[str, np.ndarray]) -> int:
    w = Writer(path, tuple(cols))
    w.write(pa.table({k: pa.array(v) for k, v in cols.items()}))
    w.close()
    return w.rows


def _op_page(i: int) -> tuple[str, str]:
    """(display name, vanity) of operation page ``i``: page 0 keeps persona 0's handle."""
    persona = vocab.PERSONA_NAMES[i % len(vocab.PERSONA_NAMES)]
    name = vocab.OP_PAGE_NAMES[i % len(vocab.OP_PAGE_NAMES)]
    if i == 0:
        return name, persona[1]
    suffix = "" if i < len(vocab.PERSONA_NAMES) else f" {i}"
    return name + suffix, persona[1].replace("_", "") + f".hk{i}"


def _entities(rng: np.random.Generator, cfg: WorldConfig) -> Entities:
    s = cfg.scale
    n_pages, n_groups = max(7, round(7 * s)), max(3, round(3 * s))
    n_look = len(vocab.LOOKALIKE_PAGES)
    n_org_pages, n_org_groups = max(10, round(30 * s)), max(6, round(20 * s))
    op_pages = [_op_page(i) for i in range(n_pages)]
    op_groups = [("香港人關注組", "守護香港", "Hong Kong Peace & Order")[i % 3] + ("" if i < 3 else f" {i}")
                 for i in range(n_groups)]
    org_pages = [vocab.NEWS_OUTLETS[i % len(vocab.NEWS_OUTLETS)] for i in range(n_org_pages)]
    kinds_g = ("protest", "loyalist", "hobby", "hobby", "hobby")
    org_groups = [(kinds_g[i % 5], f"{('HK Protest Support', '愛國愛港', 'Foodies HK', 'Hikers', 'Book club')[i % 5]} {i}")
                  for i in range(n_org_groups)]
    e = Entities(n_pages=n_pages, n_groups=n_groups, n_look=n_look, n_org_pages=n_org_pages)
    e.names = ([p[0] for p in op_pages] + op_groups + [p[0] for p in vocab.LOOKALIKE_PAGES]
               + [o[0] + ("" if i < len(vocab.NEWS_OUTLETS) else f" {i}") for i, o in enumerate(org_pages)]
               + [g[1] for g in org_groups])
    e.kinds = (["page"] * n_pages + ["group"] * n_groups + ["page"] * (n_look + n_org_pages)
               + ["group"] * n_org_groups)
    e.labels = ["core"] * (n_pages + n_groups) + ["organic"] * (n_look + n_org_pages + n_org_groups)
    e.groups = (["persona_page"] * n_pages + ["operation_group"] * n_groups + ["lookalike_page"] * n_look
                + ["page"] * n_org_pages + [g[0] + "_group" for g in org_groups])
    e.org_group_kinds = [g[0] for g in org_groups]
    ne = len(e.names)
    e.ids = np.array([f"fb_e{100000 + i * 7 + int(rng.integers(0, 7))}" for i in range(ne)], dtype=O)
    op_domains = [vocab.OP_DOMAINS[i % len(vocab.OP_DOMAINS)] for i in range(n_pages)]
    e.domains = (op_domains + [""] * n_groups + [p[2] for p in vocab.LOOKALIKE_PAGES] + [o[2] for o in org_pages]
                 + [""] * n_org_groups)
    e.langs = ([("zh", "en")[i % 2] for i in range(n_pages)] + ["zh"] * n_groups
               + [p[3] for p in vocab.LOOKALIKE_PAGES] + [o[3] for o in org_pages] + ["en"] * n_org_groups)
    vanity = ([p[1] for p in op_pages] + [""] * n_groups + [p[1] for p in vocab.LOOKALIKE_PAGES]
              + [o[2].split(".")[0] + ("" if i < len(vocab.NEWS_OUTLETS) else str(i)) for i, o in enumerate(org_pages)]
              + [""] * n_org_groups)
    e.urls = [FB + v if v else FB + "groups/" + eid[3:] for v, eid in zip(vanity, e.ids)]
    e.descs = (["Hong Kong news: truth and facts / 香港時事新聞"] * n_pages + ["關注香港時事"] * n_groups
               + ["Hong Kong and Asia news, every day"] * n_look + [o[1] for o in org_pages]
               + ["community group"] * n_org_groups)
    e.descs = [d + (f" | web: {dom}" if dom else "") for d, dom in zip(e.descs, e.domains)]
    e.followers = np.concatenate([
        rng.multinomial(15_000 * max(1, round(s)), np.ones(n_pages) / n_pages), np.zeros(n_groups),
        np.exp(rng.normal(10, 1.0, n_look + n_org_pages)), np.zeros(n_org_groups)]).astype(np.int64)
    e.created = np.concatenate([rng.integers(1_498_000_000, 1_530_000_000, n_pages + n_groups),
                                rng.integers(1_300_000_000, 1_540_000_000, ne - n_pages - n_groups)])
    return e


def write_platform2(out: Path, cfg: WorldConfig, pop: Population) -> dict[str, int]:
    rng = np.random.default_rng([cfg.seed, 200])
    out.mkdir(parents=True, exist_ok=True)
    s = cfg.scale
    e = _entities(rng, cfg)
    ne, n_op = len(e.names), e.n_pages + e.n_groups
    rows = {"entities.csv": _write(out / "entities.csv", {
        "platform": np.full(ne, PLATFORM, dtype=O), "entity_id": e.ids, "kind": np.array(e.kinds, dtype=O),
        "name": np.array(e.names, dtype=O), "description": np.array(e.descs, dtype=O),
        "url": np.array(e.urls, dtype=O), "followers": e.followers, "created_at": _iso(e.created)})}
    # --- accounts: fake admins + organic users
    n_fake, n_users = max(5, round(5 * s)), max(300, round(3000 * s))
    na = n_fake + n_users
    handles, dnames = personal_handles(rng, na)
    aid = np.array([f"fb_u{10**9 + i * 13 + int(rng.integers(0, 13))}" for i in range(na)], dtype=O)
    a_created = np.concatenate([rng.integers(1_530_000_000, 1_550_000_000, n_fake),
                                rng.integers(1_250_000_000, 1_560_000_000, n_users)])
    lang = np.where(rng.random(na) < 0.5, "zh", "en").astype(O)
    ugroup = np.concatenate([np.full(n_fake, "fake_admin", dtype=O),
                             rng.choice(["general", "protest", "loyalist"], n_users, p=[0.7, 0.18, 0.12]).astype(O)])
    rows["accounts.csv"] = _write(out / "accounts.csv", {
        "platform": np.full(na, PLATFORM, dtype=O), "account_id": aid, "handle": handles, "display_name": dnames,
        "description": np.full(na, "", dtype=O), "followers": np.exp(rng.normal(5, 1.2, na)).astype(np.int64),
        "created_at": _iso(a_created), "language": lang})
    # --- memberships: fake admins run the operation's pages and groups, organic users run the
    # other pages (look-alikes included); users join groups
    m_ent, m_acc, m_role, m_since = [], [], [], []
    general = np.flatnonzero(ugroup == "general")
    for i in range(e.n_pages + e.n_groups + e.n_look + e.n_org_pages):
        admin = aid[i % n_fake] if i < n_op else aid[int(rng.choice(general))]
        m_ent.append(e.ids[i]); m_acc.append(admin); m_role.append("admin"); m_since.append(e.created[i] + DAY)
    first_org_group = n_op + e.n_look + e.n_org_pages
    for i in range(first_org_group, ne):
        gk = e.org_group_kinds[i - first_org_group]
        pool = np.flatnonzero(ugroup[n_fake:] == ("general" if gk == "hobby" else gk)) + n_fake
        k = min(len(pool), int(rng.integers(30, 300)))
        for a in rng.choice(pool, k, replace=False):
            m_ent.append(e.ids[i]); m_acc.append(aid[a]); m_role.append("member")
            m_since.append(int(rng.integers(1_500_000_000, cfg.end)))
    op_members = 2_000 * max(1, round(s))
    loyal = np.flatnonzero(ugroup == "loyalist")
    joiners = np.concatenate([loyal, rng.choice(general, max(0, op_members - len(loyal)), replace=True)])
    for a in joiners:  # operation groups: loyalists and curious people
        m_ent.append(e.ids[e.n_pages + int(rng.integers(0, e.n_groups))]); m_acc.append(aid[a])
        m_role.append("member"); m_since.append(int(rng.integers(cfg.op_zh_start - 30 * DAY, cfg.end)))
    pairs: dict[tuple[str, str], tuple[str, int]] = {}
    for en, a, r, t in zip(m_ent, m_acc, m_role, m_since):
        pairs.setdefault((en, a), (r, t))
    mem_ent = np.array([k[0] for k in pairs], dtype=O)
    mem_acc = np.array([k[1] for k in pairs], dtype=O)
    mem_role = np.array([v[0] for v in pairs.values()], dtype=O)
    since = np.array([v[1] for v in pairs.values()], np.int64)
    nm = len(mem_ent)
    rows["memberships.csv"] = _write(out / "memberships.csv", {
        "platform": np.full(nm, PLATFORM, dtype=O), "entity_id": mem_ent, "account_id": mem_acc,
        "role": mem_role, "since": _iso(since)})
    rows["actions.csv"] = write_actions(out / "actions.csv", rng, cfg, e, aid[n_fake:], lang[n_fake:],
                                        (mem_ent, mem_acc, mem_role, since))
    lab_id = np.concatenate([e.ids, aid])
    lab_role = np.concatenate([np.array(e.labels, dtype=O), np.where(ugroup == "fake_admin", "core", "organic").astype(O)])
    rows["labels.csv"] = _write(out / "labels.csv", {
        "id": lab_id, "kind": np.concatenate([np.array(e.kinds, dtype=O), np.full(na, "account", dtype=O)]),
        "role": lab_role, "campaign": np.where(lab_role == "organic", "", "hk2019").astype(O),
        "group": np.concatenate([np.array(e.groups, dtype=O), ugroup])})
    return rows
