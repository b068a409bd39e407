"""A small hand-built Facebook-like workspace and a hand-built Twitter tip, for share match.

The operation: page fb_op (vanity in Cyrillic look-alike letters of the tip persona's
handle), run by fb_admin, posting a templated text with links on a subdomain of the tip's
domain into group fb_grp. Around it: an authentic look-alike outlet (similar name, own
site), a person with the same display name as a tip account, and ordinary users.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from lockstep.model import ACCOUNTS, ACTIONS, ENTITIES, MEMBERSHIPS
from lockstep.share.tip import Activity, Asset, Indicator, Tip
from lockstep.store.workspace import open_workspace

T0 = datetime(2019, 8, 1, 9, 0)
TEMPLATE = "支持香港警察依法執法，止暴制亂，恢復秩序"


def tip() -> Tip:
    return Tip(
        name="hk persona network", source="twitter",
        assets=(Asset("twitter", "account", id="901", handle="HKpoliticsnews", display_name="香港政治新聞", role="persona"),
                Asset("twitter", "account", id="902", handle="ivychan8812", display_name="Ivy Chan", role="amplifier")),
        indicators=(Indicator("domain", "hk-truthnews.com"), Indicator("text", TEMPLATE + "!"),
                    Indicator("hashtag", "hkpolice")),
        activity=(Activity("url", "https://hk-truthnews.com/a/1", T0.isoformat() + "Z",
                           (T0 + timedelta(days=3)).isoformat() + "Z", 5),),
    )


def _tbl(schema: pa.Schema, rows: list[dict[str, Any]]) -> pa.Table:
    full = [{name: r.get(name) for name in schema.names} for r in rows]
    return pa.Table.from_pylist(full, schema=schema)


def build(path: Path) -> Path:
    fb = "facebook"
    ents = [
        dict(platform=fb, entity_id="fb_op", kind="page", name="HK Political News",
             url="https://www.facebook.com/\u041d\u041apoliticsn\u0435ws", description="news"),
        dict(platform=fb, entity_id="fb_look", kind="page", name="HK Politics News Today",
             url="https://www.facebook.com/hkpoliticsnewstoday", description="web: hkpnt.com"),
        dict(platform=fb, entity_id="fb_grp", kind="group", name="守護香港", url="", description=""),
        dict(platform=fb, entity_id="fb_hobby", kind="group", name="Hikers", url="", description=""),
    ]
    users = ["fb_admin", "fb_ivy", "fb_u1", "fb_u2", "fb_u3", "fb_u4"]
    accs = [dict(platform=fb, account_id=u, handle=u.replace("fb_", "user."), display_name=u) for u in users]
    accs[1]["display_name"] = "Ivy Chan"
    mem = [dict(platform=fb, entity_id="fb_op", account_id="fb_admin", role="admin"),
           dict(platform=fb, entity_id="fb_grp", account_id="fb_admin", role="admin"),
           dict(platform=fb, entity_id="fb_look", account_id="fb_u1", role="admin"),
           dict(platform=fb, entity_id="fb_hobby", account_id="fb_u2", role="admin")]
    mem += [dict(platform=fb, entity_id="fb_grp", account_id=u, role="member") for u in users[1:]]
    acts: list[dict[str, Any]] = []
    for i in range(6):  # the operation page: templated text, links on a subdomain, into the group
        acts.append(dict(platform=fb, action_id=f"op{i}", account_id="fb_op", kind="post",
                         timestamp=T0 + timedelta(hours=6 * i), text=TEMPLATE + ("！" if i % 2 else " 👍"),
                         urls=[f"https://news.hk-truthnews.com/{i}?utm_source=fb"], hashtags=["HKpolice"],
                         entity_id="fb_grp" if i % 3 else "fb_op"))
    for i in range(6):  # the look-alike outlet: its own site, ordinary news
        acts.append(dict(platform=fb, action_id=f"lk{i}", account_id="fb_look", kind="post",
                         timestamp=T0 + timedelta(hours=5 * i), text=f"Legislative council debates budget, day {i}",
                         urls=[f"https://hkpnt.com/story/{i}"], hashtags=["HKpolice"], entity_id="fb_look"))
    for j, u in enumerate(users[1:]):
        acts.append(dict(platform=fb, action_id=f"u{j}", account_id=u, kind="post", timestamp=T0 + timedelta(hours=j),
                         text="Lovely hike on Dragon's Back today", urls=["https://www.bbc.com/news"],
                         hashtags=["HKpolice"], entity_id="fb_hobby"))
    with open_workspace(path) as ws:
        with ws.transaction():
            ws.stage("entities", _tbl(ENTITIES, ents))
            ws.stage("accounts", _tbl(ACCOUNTS, accs))
            ws.stage("memberships", _tbl(MEMBERSHIPS, mem))
            ws.stage("actions", _tbl(ACTIONS, acts))
            ws.merge()
    return path
