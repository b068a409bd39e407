"""A hand-made workspace whose one campaign names small accounts everywhere a release can
carry them: id columns, mention lists, reply and repost user ids, tweet text, hashtags, urls,
and the profile fields of small and large accounts alike. Identifiers are distinctive words,
so a plain substring search over the release finds any that survive."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from lockstep.model import ACCOUNTS, ACTIONS
from lockstep.store import open_workspace

# account id -> (handle, display name, followers); None followers: unknown
SMALL = {
    "700000000000000101": ("quokka_runner7", "Zebulon Quixote", 10),
    "700000000000000102": ("marmot.fields", "Wilhelmina Fairweather", 200),
    "700000000000000103": ("tapir_77x", "Xanthippe Ozymandias", None),
    "700000000000000201": ("lemur_echo", "Bartholomew Quince", 50),  # named, not a member
}
LARGE = {
    "800000000000000999": ("BigOutletNews", "Big Outlet News", 25000),  # a member
    "800000000000000888": ("WorldDesk", "World Desk Daily", 90000),  # named, not a member
}
UNKNOWN = ("ghost_handle_zz", "700000000000000999")  # named in tweets, unknown to the workspace
MEMBERS = ["700000000000000101", "700000000000000102", "700000000000000103", "800000000000000999"]
M1, M2, M3, BIG = MEMBERS
R1, R2 = "700000000000000201", "800000000000000888"

PROFILES = {
    M1: {"description": "ex-staff of @lemur_echo, friend of Wilhelmina Fairweather, see 700000000000000201",
         "location": "Hong Kong"},
    M2: {"location": "Zebulon Quixote's town", "url": "https://twitter.com/tapir_77x"},
    M3: {"url": "https://twitter.com/quokka_runner7", "description": "follow @Marmot.Fields"},
    BIG: {"description": "official account; tips to @tapir_77x or Xanthippe Ozymandias", "url": "https://big.example"},
}


def raw_small() -> list[str]:
    """Every raw identifier of a small (or unknown) account that must not be released."""
    return [s for a, (h, n, _f) in SMALL.items() for s in (a, h, n)] + list(UNKNOWN)


def raw_large() -> list[str]:
    """The large accounts' identifiers that the source data carries (the named one's display
    name appears nowhere in it)."""
    return [s for a, (h, n, _f) in LARGE.items() for s in (a, h, n) if n != "World Desk Daily"]


def _accounts() -> pa.Table:
    rows = []
    for i, (a, (h, n, f)) in enumerate({**SMALL, **LARGE}.items()):
        rows.append({"platform": "twitter", "account_id": a, "handle": h, "display_name": n, "followers": f,
                     "following": 5, "created_at": datetime(2019, 7, 1 + i), "language": "en",
                     "source_file": "planted", "source_line": i, **PROFILES.get(a, {})})
    return pa.Table.from_pylist(rows, schema=ACCOUNTS)


def _actions() -> pa.Table:
    t = datetime(2019, 8, 1, 9, 0, 0)
    rows: list[dict[str, Any]] = [
        {"action_id": "9001", "account_id": M1, "kind": "post",
         "text": "hello @marmot.fields and @LEMUR_ECHO, Xanthippe Ozymandias says hi to 700000000000000103"
                 " @ghost_handle_zz via @WorldDesk",
         "mentions": [M2, R1, UNKNOWN[1], R2], "urls": ["https://example.com/u/tapir_77x"],
         "hashtags": ["quokka_runner7", "HK"]},
        {"action_id": "9002", "account_id": M2, "kind": "repost", "target_id": "8001", "target_account_id": R1,
         "text": "RT @lemur_echo: Bartholomew Quince speaks", "mentions": [R1]},
        {"action_id": "9003", "account_id": M3, "kind": "reply", "target_id": "9001", "target_account_id": M1,
         "text": "@quokka_runner7 agreed, Zebulon Quixote!", "mentions": [M1]},
        {"action_id": "9004", "account_id": BIG, "kind": "quote", "target_id": "9002", "target_account_id": M2,
         "text": "Big Outlet News on what Wilhelmina Fairweather shared"},
        {"action_id": "9005", "account_id": BIG, "kind": "repost", "target_id": "7001", "target_account_id": R2,
         "text": "RT @WorldDesk: news", "mentions": [R2]},
    ]
    for i, r in enumerate(rows):
        r.update({"platform": "twitter", "timestamp": t.replace(minute=i), "time_precision": "s",
                  "source_file": "planted", "source_line": i})
    return pa.Table.from_pylist(rows, schema=ACTIONS)


def planted_workspace(root: Path) -> Path:
    """The workspace, with a recorded detect run holding campaign C1 of the four members."""
    ws_path, out = root / "ws", root / "run"
    out.mkdir(parents=True)
    (out / "params.json").write_text(json.dumps({"run_id": "detect-planted"}))
    (out / "campaigns.json").write_text(json.dumps([{"id": "C1", "members": MEMBERS, "n_members": 4,
                                                     "signals": {"co_repost": 3}}]))
    (out / "accounts.csv").write_text("account_id,campaign_id,role,score,evidence,flagged,coordinated\n"
                                      + "".join(f"{m},C1,core,0.9,co_repost,true,true\n" for m in MEMBERS))
    (out / "edges.csv").write_text("account_a,account_b,signal,weight,n_shared,mean_dt_seconds\n"
                                   f"{M1},{M2},co_repost,5.0,3,4.0\n{M2},{BIG},co_repost,2.0,3,9.0\n")
    with open_workspace(ws_path) as ws:
        with ws.transaction():
            ws.stage("accounts", _accounts())
            ws.stage("actions", _actions())
            ws.merge()
        ws.record_run("detect", out, {"run_id": "detect-planted"})
    return ws_path
