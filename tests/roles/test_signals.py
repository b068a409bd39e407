"""Each account signal on a small table built by hand: it fires where it should, stays
quiet where it should not, and says why in words and numbers."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from lockstep.accounts import REGISTRY, compute_findings
from lockstep.accounts.activity import office_hours

from .helpers import make_ws


def _one(findings, acc, signal):
    return next((f for f in findings.get(acc, []) if f.signal == signal), None)


def test_every_signal_has_a_name_and_explanation() -> None:
    assert {"creation_burst", "handle_pattern", "empty_profile", "follower_shape", "client_mix",
            "working_hours", "repurposed", "shared_infrastructure", "shared_domains",
            "news_persona"} <= set(REGISTRY)
    assert all(len(cls.explanation) > 30 for cls in REGISTRY.values())


def test_creation_burst_and_profile_signals(tmp_path: Path) -> None:
    base = datetime(2019, 8, 14)
    accounts = [  # 40 organic accounts spread over 80 days, 12 created on one day
        {"account_id": f"o{i}", "handle": f"person_{chr(97 + i % 26)}x", "display_name": f"P {i}",
         "description": "teacher, cat person", "url": "https://blog.example",
         "followers": 150 + i, "following": 200, "created_at": base - timedelta(days=2 * i)}
        for i in range(40)
    ] + [
        {"account_id": f"b{i}", "handle": f"Jessica{38562740 + i}", "display_name": f"Jessica{38562740 + i}",
         "description": "", "followers": 0, "following": 12, "created_at": base + timedelta(days=1),
         "default_profile_image": True, "default_profile": True}
        for i in range(12)
    ]
    with make_ws(tmp_path / "ws", accounts=accounts) as ws:
        f = compute_findings(ws, ["creation_burst", "handle_pattern", "empty_profile", "follower_shape"])
    burst = _one(f, "b3", "creation_burst")
    assert burst is not None and burst.value["n_same_bin"] == 12 and burst.value["unit"] == "day"
    assert "11 other accounts" in burst.text
    assert _one(f, "o3", "creation_burst") is None
    handle = _one(f, "b0", "handle_pattern")
    assert handle is not None and handle.value["digits"] == 8 and handle.strength >= 0.8
    assert _one(f, "o0", "handle_pattern") is None
    empty = _one(f, "b0", "empty_profile")
    assert empty is not None and empty.value["checked"] == 5 and len(empty.value["missing"]) == 5
    assert _one(f, "o0", "empty_profile") is None
    assert _one(f, "b0", "follower_shape").value["followers"] == 0
    assert _one(f, "o0", "follower_shape") is None


def test_office_hours_finds_the_zone() -> None:
    hist = np.zeros(168)
    for day in range(5):  # weekdays 01:00-09:59 UTC = 09:00-17:59 UTC+8
        hist[day * 24 + 1: day * 24 + 10] += 3
    off, share, weekend = office_hours(hist)
    assert off == 8 and share == 1.0 and weekend == 0.0


def test_working_hours_and_client_mix(tmp_path: Path) -> None:
    monday = datetime(2019, 8, 5)
    actions = []
    for i in range(40):  # the office account: weekdays 02:00-08:00 UTC, a rare client
        t = monday + timedelta(days=i % 5, hours=2 + i % 7, minutes=i)
        actions.append({"action_id": f"w{i}", "account_id": "office", "kind": "post", "timestamp": t,
                        "client": "PosterPro 2.1"})
    rng = np.random.default_rng(0)
    for a in range(60):  # people: any hour, any day, common clients
        for i in range(15):
            t = monday + timedelta(hours=int(rng.integers(0, 24 * 14)), minutes=int(rng.integers(60)))
            actions.append({"action_id": f"h{a}_{i}", "account_id": f"h{a}", "kind": "post",
                            "timestamp": t, "client": ["Twitter for iPhone", "Twitter Web App"][a % 2]})
    with make_ws(tmp_path / "ws", actions=actions) as ws:
        f = compute_findings(ws, ["working_hours", "client_mix"])
    wh = _one(f, "office", "working_hours")
    assert wh is not None and wh.value["office_share"] == 1.0 and wh.value["weekend_share"] == 0.0
    assert wh.value["utc_offset"] in (7, 8) and "weekdays" in wh.text
    assert sum(1 for a in range(60) if _one(f, f"h{a}", "working_hours")) <= 1
    cm = _one(f, "office", "client_mix")
    assert cm is not None and cm.value["client"] == "PosterPro 2.1"
    assert not any(_one(f, f"h{a}", "client_mix") for a in range(60))


def test_repurposed_account(tmp_path: Path) -> None:
    t0 = datetime(2016, 3, 1)
    acts = [{"action_id": f"old{i}", "account_id": "reborn", "kind": "post", "language": "ru",
             "hashtags": ["sale", "shoes"], "timestamp": t0 + timedelta(days=i)} for i in range(6)]
    acts += [{"action_id": f"new{i}", "account_id": "reborn", "kind": "post", "language": "zh",
              "hashtags": ["hongkong"], "timestamp": datetime(2019, 6, 11) + timedelta(hours=i)}
             for i in range(6)]
    acts += [{"action_id": f"s{i}", "account_id": "steady", "kind": "post", "language": "en",
              "hashtags": ["hk"], "timestamp": t0 + timedelta(days=30 * i)} for i in range(40)]
    with make_ws(tmp_path / "ws", actions=acts) as ws:
        f = compute_findings(ws, ["repurposed"])
    r = _one(f, "reborn", "repurposed")
    assert r is not None and r.value["language_switch"] and r.value["unrelated_topics"]
    assert r.value["dormant_days"] > 1000 and "from 'ru' to 'zh'" in r.text
    assert _one(f, "steady", "repurposed") is None


def test_shared_infrastructure_and_domains(tmp_path: Path) -> None:
    t = datetime(2019, 8, 1)
    access = [{"account_id": f"op{i}", "timestamp": t + timedelta(minutes=i), "ip": "203.0.113.7",
               "network": "203.0.113.0/24", "device": "dev-A"} for i in range(6)]
    access += [{"account_id": f"u{i}", "timestamp": t, "ip": f"198.51.{i}.9",
                "network": f"198.51.{i}.0/24", "device": f"phone-{i}"} for i in range(200)]
    actions = [{"action_id": f"l{i}", "account_id": f"op{i}", "kind": "post", "timestamp": t,
                "urls": [f"https://www.hk-truth-daily.example/story{i}"]} for i in range(6)]
    actions += [{"action_id": f"m{i}", "account_id": f"u{i}", "kind": "post", "timestamp": t,
                 "urls": ["https://youtube.com/watch?v=x", f"https://site{i}.example/a"]} for i in range(20)]
    with make_ws(tmp_path / "ws", access=access, actions=actions) as ws:
        f = compute_findings(ws, ["shared_infrastructure", "shared_domains"])
    si = _one(f, "op2", "shared_infrastructure")
    assert si is not None and si.value["ip"]["other_accounts"] == 5 and si.strength >= 0.8
    assert "203.0.113.7" in si.text
    assert not any(_one(f, f"u{i}", "shared_infrastructure") for i in range(20))
    sd = _one(f, "op0", "shared_domains")
    assert sd is not None and sd.value["domains"] == ["hk-truth-daily.example"]
    assert not any(_one(f, f"u{i}", "shared_domains") for i in range(20))


def test_news_persona_claim_against_behaviour(tmp_path: Path) -> None:
    accounts = [
        {"account_id": "p1", "handle": "HKpoliticalnew", "display_name": "香港政治新聞",
         "followers": 120, "created_at": datetime(2019, 5, 1)},
        {"account_id": "real", "handle": "SCMPNews", "display_name": "South China Morning Post",
         "followers": 900000, "verified": True, "created_at": datetime(2008, 5, 1)},
        {"account_id": "x", "handle": "jane_doe", "display_name": "Jane", "description": "knitting"},
    ]
    actions = [{"action_id": "a1", "account_id": "p1", "kind": "post", "timestamp": datetime(2019, 6, 11)}]
    with make_ws(tmp_path / "ws", accounts=accounts, actions=actions) as ws:
        f = compute_findings(ws, ["news_persona"])
    p = _one(f, "p1", "news_persona")
    assert p is not None and "unverified" in p.text and "41 days old" in p.text
    assert _one(f, "real", "news_persona") is None and _one(f, "x", "news_persona") is None
