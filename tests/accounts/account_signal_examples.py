"""One small example per account signal: the rows it needs, an account it must flag and an
account it must leave alone. A new signal without an example fails the conformance tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Example:
    tables: Callable[[], Rows]
    fires: str  # an account the signal must flag
    quiet: str  # an account it must not


def _profiles() -> Rows:
    base = datetime(2019, 8, 14)
    organic = [{"account_id": f"o{i}", "handle": f"person_{chr(97 + i % 26)}x", "display_name": f"P {i}",
                "description": "teacher, cat person", "url": "https://blog.example",
                "followers": 150 + i, "following": 200, "created_at": base - timedelta(days=2 * i)}
               for i in range(40)]
    burst = [{"account_id": f"b{i}", "handle": f"Jessica{38562740 + i}", "display_name": f"Jessica{38562740 + i}",
              "description": "", "followers": 0, "following": 12, "created_at": base + timedelta(days=1),
              "default_profile_image": True, "default_profile": True} for i in range(12)]
    return {"accounts": organic + burst}


def _office() -> Rows:
    monday = datetime(2019, 8, 5)
    actions = [{"action_id": f"w{i}", "account_id": "office", "kind": "post", "client": "PosterPro 2.1",
                "timestamp": monday + timedelta(days=i % 5, hours=2 + i % 7, minutes=i)} for i in range(40)]
    rng = np.random.default_rng(0)
    for a in range(60):
        for i in range(15):
            t = monday + timedelta(hours=int(rng.integers(0, 24 * 14)), minutes=int(rng.integers(60)))
            actions.append({"action_id": f"h{a}_{i}", "account_id": f"h{a}", "kind": "post", "timestamp": t,
                            "client": ["Twitter for iPhone", "Twitter Web App"][a % 2]})
    return {"actions": actions}


def _repurposed() -> Rows:
    t0 = datetime(2016, 3, 1)
    acts = [{"action_id": f"old{i}", "account_id": "reborn", "kind": "post", "language": "ru",
             "hashtags": ["sale"], "timestamp": t0 + timedelta(days=i)} for i in range(6)]
    acts += [{"action_id": f"new{i}", "account_id": "reborn", "kind": "post", "language": "zh",
              "hashtags": ["hongkong"], "timestamp": datetime(2019, 6, 11) + timedelta(hours=i)} for i in range(6)]
    acts += [{"action_id": f"s{i}", "account_id": "steady", "kind": "post", "language": "en",
              "hashtags": ["hk"], "timestamp": t0 + timedelta(days=30 * i)} for i in range(40)]
    return {"actions": acts}


def _infrastructure() -> Rows:
    t = datetime(2019, 8, 1)
    access = [{"account_id": f"op{i}", "timestamp": t, "ip": "203.0.113.7", "network": "203.0.113.0/24",
               "device": "dev-A"} for i in range(6)]
    access += [{"account_id": f"u{i}", "timestamp": t, "ip": f"198.51.{i}.9", "network": f"198.51.{i}.0/24",
                "device": f"phone-{i}"} for i in range(200)]
    actions = [{"action_id": f"l{i}", "account_id": f"op{i}", "kind": "post", "timestamp": t,
                "urls": [f"https://www.hk-truth-daily.example/story{i}"]} for i in range(6)]
    actions += [{"action_id": f"m{i}", "account_id": f"u{i}", "kind": "post", "timestamp": t,
                 "urls": ["https://youtube.com/watch?v=x", f"https://site{i}.example/a"]} for i in range(20)]
    return {"access": access, "actions": actions}


def _persona() -> Rows:
    return {"accounts": [
        {"account_id": "p1", "handle": "HKpoliticalnew", "display_name": "香港政治新聞", "followers": 120,
         "created_at": datetime(2019, 5, 1)},
        {"account_id": "real", "handle": "SCMPNews", "display_name": "South China Morning Post",
         "followers": 900000, "verified": True, "created_at": datetime(2008, 5, 1)},
        {"account_id": "x", "handle": "jane_doe", "display_name": "Jane", "description": "knitting"}],
        "actions": [{"action_id": "a1", "account_id": "p1", "kind": "post", "timestamp": datetime(2019, 6, 11)}]}


EXAMPLES: dict[str, Example] = {
    "creation_burst": Example(_profiles, "b3", "o3"),
    "handle_pattern": Example(_profiles, "b0", "o0"),
    "empty_profile": Example(_profiles, "b0", "o0"),
    "follower_shape": Example(_profiles, "b0", "o0"),
    "working_hours": Example(_office, "office", "h1"),
    "client_mix": Example(_office, "office", "h0"),
    "repurposed": Example(_repurposed, "reborn", "steady"),
    "shared_infrastructure": Example(_infrastructure, "op2", "u2"),
    "shared_domains": Example(_infrastructure, "op0", "u0"),
    "news_persona": Example(_persona, "p1", "real"),
}
