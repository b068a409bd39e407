"""A hand-made workspace for the share export tests: one campaign of five accounts (handles,
display names, roles) that pushes its own domain and hashtag and repeats one text, next to
ten ordinary accounts that share a popular news site, a video site and a common hashtag that
the campaign also uses; a page the campaign runs and a group it joined among many others.
Every number a test checks is countable here by hand."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from lockstep.model import ACCOUNTS, ACTIONS, ENTITIES, MEMBERSHIPS
from lockstep.store import open_workspace

MEMBERS = [f"90{i}" for i in range(1, 6)]
HANDLES = {"901": "HKpoliticalnew", "902": "dragon_news_hk", "903": "amp_one", "904": "amp_two", "905": "amp_three"}
NAMES = {"901": "HK Political News", "902": "龍新聞", "903": "Ann P.", "904": "Bob Q.", "905": "Cat R."}
ROLES = {"901": "persona", "902": "core", "903": "amplifier", "904": "amplifier", "905": "amplifier"}
OTHERS = [f"10{i:02d}" for i in range(10)]
OWN_DOMAIN = "hk-truth-daily.com"
OWN_URLS = [f"https://www.{OWN_DOMAIN}/story/{i}" for i in range(3)]
POPULAR = "https://popular-news.example/article"
TEXT = "Rioters are destroying Hong Kong, stand with the police!"
OWN_TAG, COMMON_TAG = "standwithhkpolice", "hongkong"
PAGE, GROUP = "page-77", "group-88"
ADMIN = "1001"  # an ordinary-looking account that runs the campaign's Facebook page (entities stage)
MIRROR = "hk-truth-mirror.example"  # a domain only the entities stage names (pages link it)
T0 = datetime(2019, 8, 1, 9, 0, 0)


def _accounts() -> pa.Table:
    rows = [{"platform": "twitter", "account_id": a, "handle": HANDLES.get(a, f"user{a}"),
             "display_name": NAMES.get(a, f"User {a}"), "followers": 100 + i, "source_file": "w", "source_line": i}
            for i, a in enumerate(MEMBERS + OTHERS)]
    return pa.Table.from_pylist(rows, schema=ACCOUNTS)


def _actions() -> pa.Table:
    rows: list[dict[str, Any]] = []
    n = 0

    def act(account: str, minutes: int, **kw: Any) -> None:
        nonlocal n
        n += 1
        rows.append({"platform": "twitter", "action_id": f"a{n}", "account_id": account, "kind": "post",
                     "timestamp": T0 + timedelta(minutes=minutes), "time_precision": "s", "source_file": "w",
                     "source_line": n, **kw})
    for i, m in enumerate(MEMBERS):
        act(m, i, text=TEXT, hashtags=[OWN_TAG, COMMON_TAG], urls=[OWN_URLS[i % 3]])
        act(m, 60 + i, text=TEXT.upper() + "  ", urls=[POPULAR])
        act(m, 120 + i, text=f"member {m} own words", urls=["https://youtube.com/watch?v=x"])
    for i, o in enumerate(OTHERS):
        act(o, 200 + i, text=f"ordinary post {i}", hashtags=[COMMON_TAG], urls=[POPULAR])
        act(o, 300 + i, text=f"another ordinary post {i}", urls=["https://youtube.com/watch?v=y"])
    act("902", 400, text="page post", entity_id=PAGE)
    return pa.Table.from_pylist(rows, schema=ACTIONS)


def _entities() -> tuple[pa.Table, pa.Table]:
    ents = [{"platform": "twitter", "entity_id": PAGE, "kind": "page", "name": "HK Truth Daily", "followers": 5000,
             "source_file": "w", "source_line": 1},
            {"platform": "twitter", "entity_id": GROUP, "kind": "group", "name": "Hong Kong Chat", "followers": None,
             "source_file": "w", "source_line": 2}]
    mships = [{"platform": "twitter", "entity_id": PAGE, "account_id": "902", "role": "admin", "source_file": "w",
               "source_line": 1},
              {"platform": "twitter", "entity_id": GROUP, "account_id": "903", "role": "member", "source_file": "w",
               "source_line": 2}]
    mships += [{"platform": "twitter", "entity_id": GROUP, "account_id": o, "role": "member", "source_file": "w",
                "source_line": 3 + i} for i, o in enumerate(OTHERS)]
    return pa.Table.from_pylist(ents, schema=ENTITIES), pa.Table.from_pylist(mships, schema=MEMBERSHIPS)


def share_workspace(root: Path, entities_in_campaign: bool = False) -> Path:
    """The workspace with a recorded detect run holding campaign C1 (the five members);
    ``entities_in_campaign``: campaigns.json carries ``entities``, ``admins``, ``domains`` and
    ``reach`` as the entities stage writes them."""
    ws_path, out = root / "ws", root / "run"
    out.mkdir(parents=True)
    camp: dict[str, Any] = {"id": "C1", "members": MEMBERS, "n_members": 5, "signals": {"co_repost": 4, "co_text": 5}}
    if entities_in_campaign:
        camp["entities"] = [{"platform": "facebook", "entity_id": "fb-1", "kind": "page", "name": "HK Political News",
                             "url": "https://www.facebook.com/HKpoliticalnew", "followers": 1200, "members": 0,
                             "links": 3, "evidence": "admins are the network's"},
                            {"platform": "facebook", "entity_id": "fb-2", "kind": "group", "name": "HK Loyal",
                             "url": "", "followers": 0, "members": 300, "links": 2, "evidence": "posted into"}]
        camp["admins"] = [{"platform": "twitter", "entity_id": ADMIN, "kind": "account", "name": "", "url": "",
                           "followers": 0, "members": 0, "links": [], "evidence": "admin of page fb-1"}]
        camp["domains"] = [{"domain": MIRROR, "campaign_posts": 3, "campaign_accounts": 2, "all_posts": 3,
                            "share": 1.0, "characteristic": True},
                           {"domain": "popular-news.example", "campaign_posts": 5, "campaign_accounts": 5,
                            "all_posts": 15, "share": 0.3333, "characteristic": False}]
        camp["reach"] = {"followers": 1200, "members": 300}
    (out / "params.json").write_text(json.dumps({"run_id": "detect-share"}))
    (out / "campaigns.json").write_text(json.dumps([camp]))
    (out / "accounts.csv").write_text("account_id,campaign_id,role,score,evidence,flagged,coordinated\n"
                                      + "".join(f"{m},C1,{ROLES[m]},0.9,co_repost,true,true\n" for m in MEMBERS))
    (out / "edges.csv").write_text("account_a,account_b,signal,weight,n_shared,mean_dt_seconds\n"
                                   + "".join(f"901,{m},co_repost,3.0,3,5.0\n" for m in MEMBERS[1:]))
    ents, mships = _entities()
    with open_workspace(ws_path) as ws:
        with ws.transaction():
            ws.stage("accounts", _accounts())
            ws.stage("actions", _actions())
            ws.stage("entities", ents)
            ws.stage("memberships", mships)
            ws.merge()
        ws.record_run("detect", out, {"run_id": "detect-share"})
    return ws_path
