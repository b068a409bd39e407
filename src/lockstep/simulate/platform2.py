"""A second platform's view of the same operation (pages, groups, accounts, posts in groups).

Modelled on Facebook's part of the 2019 takedown: 7 pages posing as news outlets (the same
monikers as the Twitter personas), 3 groups with ~2,000 members, 5 fake admin accounts;
the pages post into the groups and drive people to the same off-platform domains with the
same templated text. Around them: organic pages, groups and users, including protest and
loyalist groups. Files use the canonical column names of :mod:`lockstep.model`, so
``lockstep ingest --format generic DIR/platform2/actions.csv`` loads the actions (joins are
also actions, kind ``join``), and entities.csv / memberships.csv / accounts.csv carry the
rest; labels.csv labels accounts and entities.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from lockstep.simulate import text as T
from lockstep.simulate import vocab
from lockstep.simulate.config import WorldConfig
from lockstep.simulate.names import personal_handles
from lockstep.simulate.population import Population
from lockstep.simulate.timing import DAY, local_times
from lockstep.simulate.writers import Writer

PLATFORM = "facebook"
O = object


def _iso(t: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(t.astype("datetime64[s]"), unit="s").astype(O)


def _write(path: Path, cols: dict[str, np.ndarray]) -> int:
    w = Writer(path, tuple(cols))
    w.write(pa.table({k: pa.array(v) for k, v in cols.items()}))
    w.close()
    return w.rows


def write_platform2(out: Path, cfg: WorldConfig, pop: Population) -> dict[str, int]:
    rng = np.random.default_rng([cfg.seed, 200])
    out.mkdir(parents=True, exist_ok=True)
    s = cfg.scale
    n_pages, n_groups, n_fake = max(7, round(7 * s)), max(3, round(3 * s)), max(5, round(5 * s))
    n_org_pages, n_org_groups, n_users = max(10, round(30 * s)), max(6, round(20 * s)), max(300, round(3000 * s))
    # --- entities
    persona = [p for p in vocab.PERSONA_NAMES]
    op_pages = [persona[i % len(persona)][0] + ("" if i < len(persona) else f" {i}") for i in range(n_pages)]
    op_groups = [("香港人關注組", "守護香港", "Hong Kong Peace & Order")[i % 3] + ("" if i < 3 else f" {i}")
                 for i in range(n_groups)]
    org_pages = [vocab.NEWS_OUTLETS[i % len(vocab.NEWS_OUTLETS)][0] + ("" if i < len(vocab.NEWS_OUTLETS) else f" {i}")
                 for i in range(n_org_pages)]
    kinds_g = ("protest", "loyalist", "hobby", "hobby", "hobby")
    org_groups = [(kinds_g[i % 5], f"{('HK Protest Support', '愛國愛港', 'Foodies HK', 'Hikers', 'Book club')[i % 5]} {i}")
                  for i in range(n_org_groups)]
    names = op_pages + op_groups + org_pages + [g[1] for g in org_groups]
    ekind = ["page"] * n_pages + ["group"] * n_groups + ["page"] * n_org_pages + ["group"] * n_org_groups
    elabel = (["core"] * (n_pages + n_groups) + ["organic"] * (n_org_pages + n_org_groups))
    egroup = (["persona_page"] * n_pages + ["operation_group"] * n_groups + ["page"] * n_org_pages
              + [g[0] + "_group" for g in org_groups])
    ne = len(names)
    eid = np.array([f"fb_e{100000 + i * 7 + int(rng.integers(0, 7))}" for i in range(ne)], dtype=O)
    followers = np.concatenate([rng.multinomial(15_000 * max(1, round(s)), np.ones(n_pages) / n_pages), np.zeros(n_groups),
                                np.exp(rng.normal(10, 1.2, n_org_pages)), np.zeros(n_org_groups)]).astype(np.int64)
    desc = np.array(["Hong Kong news: truth and facts / 香港時事新聞"] * n_pages + ["關注香港時事"] * n_groups
                    + ["news page"] * n_org_pages + ["community group"] * n_org_groups, dtype=O)
    url = np.array(["https://" + vocab.OP_DOMAINS[i % len(vocab.OP_DOMAINS)] for i in range(n_pages)]
                   + [""] * (ne - n_pages), dtype=O)
    created = np.concatenate([rng.integers(1_498_000_000, 1_530_000_000, n_pages + n_groups),
                              rng.integers(1_300_000_000, 1_540_000_000, ne - n_pages - n_groups)])
    rows = {"entities.csv": _write(out / "entities.csv", {
        "platform": np.full(ne, PLATFORM, dtype=O), "entity_id": eid, "kind": np.array(ekind, dtype=O),
        "name": np.array(names, dtype=O), "description": desc, "url": url, "followers": followers,
        "created_at": _iso(created)})}
    # --- accounts: fake admins + organic users
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
    # --- memberships: fake admins own the operation pages/groups; users join groups
    m_ent, m_acc, m_role, m_since = [], [], [], []
    for e in range(n_pages + n_groups):
        m_ent.append(eid[e]); m_acc.append(aid[e % n_fake]); m_role.append("admin"); m_since.append(created[e] + DAY)
    op_members = 2_000 * max(1, round(s))
    for e in range(n_pages + n_groups, ne):
        if ekind[e] != "group":
            continue
        gk = org_groups[e - n_pages - n_groups - n_org_pages][0]
        pool = np.flatnonzero(ugroup[n_fake:] == ("general" if gk == "hobby" else gk)) + n_fake
        k = min(len(pool), int(rng.integers(30, 300)))
        for a in rng.choice(pool, k, replace=False):
            m_ent.append(eid[e]); m_acc.append(aid[a]); m_role.append("member")
            m_since.append(int(rng.integers(1_500_000_000, cfg.end)))
    loyal = np.flatnonzero(ugroup == "loyalist")
    general = np.flatnonzero(ugroup == "general")
    joiners = np.concatenate([loyal, rng.choice(general, max(0, op_members - len(loyal)), replace=True)])
    for a in joiners:  # operation groups: loyalists and curious people
        m_ent.append(eid[n_pages + int(rng.integers(0, n_groups))]); m_acc.append(aid[a]); m_role.append("member")
        m_since.append(int(rng.integers(cfg.op_zh_start - 30 * DAY, cfg.end)))
    pairs: dict[tuple[str, str], tuple[str, int]] = {}
    for e, a, r, t in zip(m_ent, m_acc, m_role, m_since):
        pairs.setdefault((e, a), (r, t))
    m_ent, m_acc = [k[0] for k in pairs], [k[1] for k in pairs]
    m_role, since = [v[0] for v in pairs.values()], np.array([v[1] for v in pairs.values()], np.int64)
    nm = len(m_ent)
    rows["memberships.csv"] = _write(out / "memberships.csv", {
        "platform": np.full(nm, PLATFORM, dtype=O), "entity_id": np.array(m_ent, dtype=O),
        "account_id": np.array(m_acc, dtype=O), "role": np.array(m_role, dtype=O), "since": _iso(since)})
    # --- actions: pages post into their groups (templated, off-platform links); organic posts
    days = np.arange(cfg.op_zh_start, cfg.end, DAY)
    page_acct = np.repeat(np.arange(n_pages), 4 * len(days))
    page_day = np.tile(np.repeat(days, 4), n_pages)
    pt = local_times(rng, 0, np.full(len(page_acct), 8.0), "office") + page_day
    ptxt, ptag, purl = T.operation(rng, np.where(page_acct % 2 == 0, "zh", "en").astype(O),
                                   rng.integers(0, 8, len(page_acct)), cfg.knobs.paraphrase_rate)
    in_group = np.where(rng.random(len(pt)) < 0.6, eid[n_pages + rng.integers(0, n_groups, len(pt))], eid[page_acct])
    n_org = max(2_000, round(40_000 * s))
    oa = rng.integers(n_fake, na, n_org)
    ot = rng.integers(cfg.start, cfg.end, n_org)
    otxt, otag, ourl = T.organic(rng, lang[oa])
    oent = np.where(rng.random(n_org) < 0.3, eid[n_pages + n_groups + rng.integers(0, ne - n_pages - n_groups, n_org)], "")
    j_acc, j_ent = np.array(m_acc, dtype=O), np.array(m_ent, dtype=O)
    acc = np.concatenate([eid[page_acct], aid[oa], j_acc])
    n_act = len(acc)
    kind = np.concatenate([np.full(len(pt), "post", dtype=O), np.full(n_org, "post", dtype=O), np.full(nm, "join", dtype=O)])
    rows["actions.csv"] = _write(out / "actions.csv", {
        "platform": np.full(n_act, PLATFORM, dtype=O),
        "action_id": np.array([f"fb_a{i}" for i in range(n_act)], dtype=O), "account_id": acc, "kind": kind,
        "target_id": np.concatenate([np.full(len(pt) + n_org, "", dtype=O), j_ent]),
        "timestamp": _iso(np.concatenate([pt, ot, since])),
        "text": np.concatenate([ptxt, otxt, np.full(nm, "", dtype=O)]),
        "urls": np.concatenate([purl, ourl, np.full(nm, "[]", dtype=O)]),
        "hashtags": np.concatenate([ptag, otag, np.full(nm, "[]", dtype=O)]),
        "entity_id": np.concatenate([in_group, oent, j_ent]),
        "language": np.concatenate([np.where(page_acct % 2 == 0, "zh", "en").astype(O), lang[oa], np.full(nm, "", dtype=O)]),
    })
    lab_id = np.concatenate([eid, aid])
    lab_role = np.concatenate([np.array(elabel, dtype=O), np.where(ugroup == "fake_admin", "core", "organic").astype(O)])
    rows["labels.csv"] = _write(out / "labels.csv", {
        "id": lab_id, "kind": np.concatenate([np.array(ekind, dtype=O), np.full(na, "account", dtype=O)]),
        "role": lab_role, "campaign": np.where(lab_role == "organic", "", "hk2019").astype(O),
        "group": np.concatenate([np.array(egroup, dtype=O), ugroup])})
    return rows
