"""A hand-made miniature of the case: two news personas, five operators in Beijing office
hours on one IP block, twelve amplifiers created on one day that each reposted a persona
once, a protest community that reshares its leader within minutes (authentic), and
ordinary users, one of whom reposted a persona once."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from lockstep.store.workspace import Workspace

from .helpers import make_ws

T0 = datetime(2019, 7, 1)  # a Monday


def build_world(path: Path) -> Workspace:
    rng = np.random.default_rng(7)
    accounts, actions, access = [], [], []
    for i, (h, n) in enumerate((("HKpoliticalnew", "香港政治新聞"), ("ctcc507", "HK Daily News"))):
        accounts.append({"account_id": f"p{i}", "handle": h, "display_name": n, "description": "Hong Kong news",
                         "followers": 40, "following": 10, "created_at": datetime(2019, 5, 2)})
    for i in range(5):
        accounts.append({"account_id": f"o{i}", "handle": f"shop_deals_{i}", "display_name": f"Deals {i}",
                         "description": "best prices", "followers": 30, "following": 400,
                         "created_at": datetime(2014, 3, 1) + timedelta(days=40 * i)})
    for i in range(12):
        accounts.append({"account_id": f"a{i}", "handle": f"Lily{48213370 + i}", "display_name": f"Lily{48213370 + i}",
                         "followers": 0, "following": 3, "created_at": datetime(2019, 7, 23),
                         "default_profile": True, "default_profile_image": True})
    for i in range(30):
        accounts.append({"account_id": f"u{i}", "handle": f"user_{chr(97 + i % 26)}{chr(97 + i // 26)}",
                         "display_name": f"User {i}", "description": "coffee, hiking, photos",
                         "url": "https://me.example", "followers": int(rng.integers(50, 900)),
                         "following": int(rng.integers(50, 500)),
                         "created_at": datetime(2010, 1, 1) + timedelta(days=int(rng.integers(0, 3000)))})
    accounts.append({"account_id": "solo", "handle": "margaret_lee", "display_name": "Margaret Lee",
                     "description": "retired teacher", "followers": 210, "following": 180,
                     "created_at": datetime(2011, 4, 2)})
    for i in range(8):
        accounts.append({"account_id": f"h{i}", "handle": f"standwithhk_{chr(97 + i)}", "display_name": f"HK {i}",
                         "description": "Hong Kong, freedom", "followers": 300 + i, "following": 200,
                         "created_at": datetime(2012, 1, 1) + timedelta(days=300 * i)})

    def act(aid, acc, kind, t, **kw):
        actions.append({"action_id": aid, "account_id": acc, "kind": kind, "timestamp": t,
                        "client": kw.pop("client", "Twitter Web App"), "language": kw.pop("language", "zh"), **kw})

    for d in range(10):  # two weeks of weekdays, 02:00-09:00 UTC = 10:00-17:00 UTC+8
        day = T0 + timedelta(days=d + 2 * (d // 5))
        for i in range(2):
            t = day + timedelta(hours=2 + 3 * i + int(rng.integers(0, 3)))
            act(f"p{i}_{d}", f"p{i}", "post", t, urls=["https://hk-truth.example/a"])
            for j in range(5):
                act(f"o{j}_rp{i}_{d}", f"o{j}", "repost", t + timedelta(seconds=5 + j),
                    target_id=f"p{i}_{d}", target_account_id=f"p{i}")
        for j in range(5):
            act(f"o{j}_post_{d}", f"o{j}", "post", day + timedelta(hours=3, minutes=j), text="暴徒 must stop")
    for j in range(5):  # the operators' earlier life, in English, about shoes
        for k in range(4):
            act(f"o{j}_old{k}", f"o{j}", "post", datetime(2016, 2, 1) + timedelta(days=k), language="en",
                hashtags=["shoes"])
    for i in range(12):  # amplifiers: one repost each of a persona post
        act(f"a{i}_rp", f"a{i}", "repost", T0 + timedelta(days=23, hours=3, minutes=i),
            target_id=f"p{i % 2}_{i % 10}", target_account_id=f"p{i % 2}")
    for i in range(30):  # users: any time, their own posts, one of them reposts a persona once
        for k in range(int(rng.integers(3, 12))):
            act(f"u{i}_{k}", f"u{i}", "post", T0 + timedelta(hours=int(rng.integers(0, 24 * 28))),
                client="Twitter for iPhone", language="en")
    act("u0_rp", "u0", "repost", T0 + timedelta(days=3, hours=4), target_id="p0_2", target_account_id="p0")
    act("solo_rp", "solo", "repost", T0 + timedelta(days=4, hours=9), target_id="p0_3", target_account_id="p0")
    act("u1_rp", "u1", "repost", T0 + timedelta(days=3, hours=5), target_id="p1_2", target_account_id="p1")
    for d in range(14):  # protest community: the leader posts in the evening, others reshare in minutes
        t = T0 + timedelta(days=d, hours=12 + int(rng.integers(0, 3)))  # 20:00-23:00 HK time
        act(f"h0_{d}", "h0", "post", t, client="Twitter for Android")
        for i in range(1, 8):
            act(f"h{i}_rp{d}", f"h{i}", "repost", t + timedelta(seconds=int(rng.integers(30, 600))),
                target_id=f"h0_{d}", target_account_id="h0", client="Twitter for Android")
    for acc in [a["account_id"] for a in accounts]:
        if acc[0] in "poa" and acc != "solo":
            ip = f"203.0.113.{int(acc[1:]) % 3}" if acc[0] != "a" else f"198.18.7.{int(acc[1:]) % 4}"
            access.append({"account_id": acc, "timestamp": T0, "ip": ip, "network": ip.rsplit(".", 1)[0] + ".0/24",
                           "asn": "AS4134", "country": "CN", "device": "desktop-A"})
        else:
            ip = f"100.{int(rng.integers(64, 127))}.{int(rng.integers(0, 255))}.{int(rng.integers(1, 254))}"
            access.append({"account_id": acc, "timestamp": T0, "ip": ip, "network": ip.rsplit(".", 1)[0] + ".0/24",
                           "asn": "AS9269", "country": "HK", "device": f"phone-{acc}"})
    return make_ws(path, accounts=accounts, actions=actions, access=access)


def write_campaign_folder(out: Path, campaigns: dict[str, list[str]], others: tuple[str, ...] = ()) -> None:
    """A hand-made detect folder: ``campaigns`` (id -> members), each member linked to every
    other by a co_repost edge (10 shared items, 3 s apart), and ``others`` listed without one."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "campaigns.json").write_text(json.dumps([
        {"id": cid, "members": ms, "signals": ["co-repost"], "n_members": len(ms)} for cid, ms in campaigns.items()]))
    with (out / "accounts.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "campaign_id", "role", "score", "evidence"])
        for cid, ms in campaigns.items():
            for m in ms:
                w.writerow([m, cid, "core", "0.9", "co-repost"])
        for o in others:
            w.writerow([o, "", "", "0", ""])
    with (out / "edges.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["account_a", "account_b", "signal", "weight", "n_shared", "mean_dt_seconds"])
        for ms in campaigns.values():
            for i, a in enumerate(ms):
                for b in ms[i + 1:]:
                    w.writerow([a, b, "co_repost", 1.0, 10, 3.0])


def write_detect_folder(out: Path) -> None:
    """What `lockstep detect` would write: the op core and the protest community as campaigns."""
    write_campaign_folder(out, {"c1": ["p0", "p1"] + [f"o{j}" for j in range(5)], "c2": [f"h{i}" for i in range(8)]},
                          others=("u5",))


def read_roles_outputs(out: Path) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """accounts.csv rows by account id, and account_evidence.json, of a judged folder."""
    with (out / "accounts.csv").open(newline="") as fh:
        rows = {r["account_id"]: r for r in csv.DictReader(fh)}
    return rows, json.loads((out / "account_evidence.json").read_text())


def apply_folder(ws: Workspace, out: Path, params: dict[str, Any] | None = None) -> None:
    """Judge the hand-made detect folder ``out`` (campaigns.json, accounts.csv, edges.csv as
    `write_detect_folder` makes them) with the roles stage and write the run's outputs over it."""
    from lockstep.detect.seeded import result_from_campaigns
    from lockstep.outputs.write import write_run
    from lockstep.roles import refine
    from lockstep.roles.params import DEFAULTS

    camps = json.loads((out / "campaigns.json").read_text())
    with (out / "accounts.csv").open(newline="") as fh:
        others = [r["account_id"] for r in csv.DictReader(fh) if not r["campaign_id"]]
    edges = pacsv.read_csv(out / "edges.csv", convert_options=pacsv.ConvertOptions(
        column_types={"account_a": pa.string(), "account_b": pa.string()}))
    det = result_from_campaigns({c["id"]: list(c["members"]) for c in camps}, edges, others)
    write_run(out, det, refine(ws, det, {**DEFAULTS, **(params or {})}), "detect-test")
